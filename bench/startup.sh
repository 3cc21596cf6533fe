#!/bin/bash
# Startup to exit of busybox /bin/true: in a realm (fasco-run) vs `crun run`
# of the same busybox bundle vs a plain process, alternating in one hyperfine
# run. Uses ../shared/bench/baselines to build the bundle (crun needs the
# private mount namespace it sets up on this machine's hybrid cgroups).
#   bench/startup.sh [RUNS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BASE=${FASCO_BASELINES:-$ROOT/../shared/bench/baselines}
RUNS=${1:-30}
export WORK=${WORK:-/tmp/fasco-baselines}
. "$BASE/common.sh"
need hyperfine crun busybox-static jq util-linux
reexec_in_cgroup_ns "$@"
[ -f "$WORK/bundle/config.json" ] || "$BASE/10-oci-bundle.sh" >/dev/null
RUN=$ROOT/build/examples/fasco-run/fasco-run
[ -x "$RUN" ] || { meson setup "$ROOT/build" >/dev/null; }
ninja -C "$ROOT/build" >/dev/null
hyperfine -N -w 3 -r "$RUNS" --export-json "$WORK/startup.json" \
	"$RUN --rootfs $WORK/bundle/rootfs -- /bin/true" \
	"sh -c 'exec crun run --bundle $WORK/bundle c\$\$'" \
	"/bin/busybox true"
