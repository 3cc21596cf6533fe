#!/bin/bash
# `fasco-oci run` vs `crun run` vs `runc run` of the same busybox bundle
# (/bin/true), alternating in one hyperfine run; then create+start+delete
# cycles per second for fasco-oci. Uses ../shared/bench/baselines for the
# bundle and crun's private mount namespace on this machine's cgroups.
#   bench/oci.sh [RUNS]        (FASCO_BUILD=DIR: an existing build directory)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BASE=${FASCO_BASELINES:-$ROOT/../shared/bench/baselines}
RUNS=${1:-30}
export WORK=${WORK:-/tmp/fasco-baselines}
. "$BASE/common.sh"
need hyperfine crun runc busybox-static jq util-linux
reexec_in_cgroup_ns "$@"
[ -f "$WORK/bundle/config.json" ] || "$BASE/10-oci-bundle.sh" >/dev/null
BUILD=${FASCO_BUILD:-$ROOT/build}
[ -d "$BUILD" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
OCI=$BUILD/examples/fasco-oci/fasco-oci
RUN=$BUILD/examples/fasco-run/fasco-run
# state on tmpfs, as runc/crun keep theirs under /run
STATE=$(mktemp -d /run/fasco-oci-bench.XXXXXX)
trap 'rm -rf "$STATE"' EXIT
hyperfine -N -w 3 -r "$RUNS" --export-json "$WORK/oci.json" \
	"sh -c 'exec $OCI --root $STATE run --bundle $WORK/bundle f\$\$'" \
	"sh -c 'exec crun run --bundle $WORK/bundle c\$\$'" \
	"sh -c 'exec runc run --bundle $WORK/bundle r\$\$'" \
	"$RUN --rootfs $WORK/bundle/rootfs -- /bin/true" 2>/dev/null | grep -E "Benchmark|Time|±" || true
python3 - "$WORK/oci.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
crun = r[1]["median"]
for x, name in zip(r, ["fasco-oci run", "crun run", "runc run", "fasco-run (realm)"]):
    print(f"{name:14} median {x['median'] * 1e3:6.2f} ms  mean {x['mean'] * 1e3:6.2f} ms  / crun {x['median'] / crun:5.2f}")
PY
# create + start + delete cycles (the realm runs /bin/true between them)
N=20
t0=$(date +%s.%N)
for i in $(seq $N); do
	"$OCI" --root "$STATE" create --bundle "$WORK/bundle" cyc$i 2>/dev/null
	"$OCI" --root "$STATE" start cyc$i
	while [ "$("$OCI" --root "$STATE" state cyc$i | jq -r .status)" != stopped ]; do :; done
	"$OCI" --root "$STATE" delete cyc$i
done
t1=$(date +%s.%N)
python3 -c "print(f'fasco-oci create+start+delete: {$N / ($t1 - $t0):.1f} cycles/s')"
