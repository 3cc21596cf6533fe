#!/bin/bash
# `fasco-oci run` vs `crun run` vs `runc run` of the same busybox bundle
# (/bin/true), alternating in one hyperfine run; then create+start+delete
# cycles per second for fasco-oci; then host memory per running container
# (N containers of `sleep` at once, fasco-oci vs crun). Uses
# ../shared/bench/baselines for the bundle and crun's private mount
# namespace on this machine's cgroups.
#   bench/oci.sh [RUNS] [N]    (FASCO_BUILD=DIR: an existing build directory;
#                               FASCO_OCI_BEFORE=BINARY: an older fasco-oci,
#                               compared run by run, interleaved)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BASE=${FASCO_BASELINES:-$ROOT/../shared/bench/baselines}
RUNS=${1:-30}
N_MEM=${2:-10}
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
cmds=("sh -c 'exec $OCI --root $STATE run --bundle $WORK/bundle f\$\$'"
	"sh -c 'exec crun run --bundle $WORK/bundle c\$\$'"
	"sh -c 'exec runc run --bundle $WORK/bundle r\$\$'"
	"sh -c 'exec $RUN --rootfs $WORK/bundle/rootfs -- /bin/true'")
# every row through sh -c (the runtimes need it for a fresh id each run), fasco-run too
names='["fasco-oci run", "crun run", "runc run", "fasco-run (realm)"'
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 3 -r "$RUNS" --export-json "$WORK/oci.json" "${cmds[@]}" 2>/dev/null |
	grep -E "Benchmark|Time|±" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/oci.json" "$names]" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
crun = r[1]["median"]
for x, name in zip(r, json.loads(sys.argv[2])):
    print(f"{name:17} median {x['median'] * 1e3:6.2f} ms  mean {x['mean'] * 1e3:6.2f} ms  / crun {x['median'] / crun:5.2f}")
PY
# An older fasco-oci against this one and the realm alone, interleaved run
# by run (hyperfine runs each command's batch in turn, so a load that
# changes meanwhile biases a small difference).
if [ -n "${FASCO_OCI_BEFORE:-}" ]; then
	python3 - "$RUNS" "$FASCO_OCI_BEFORE" "$OCI" "$RUN" "$STATE" "$WORK/bundle" <<'PY'
import os, statistics, subprocess, sys, time
runs, before, after, run, state, bundle = int(sys.argv[1]), *sys.argv[2:]
cmds = {"fasco-oci before": [before, "--root", state, "run", "--bundle", bundle],
        "fasco-oci": [after, "--root", state, "run", "--bundle", bundle],
        "fasco-run": [run, "--rootfs", bundle + "/rootfs", "--", "/bin/true"]}
times = {k: [] for k in cmds}
with open(os.devnull, "w") as null:
    for i in range(runs + 3):
        for k, argv in cmds.items():
            argv = argv + ([f"i{i}{len(times[k])}{k[-1]}"] if argv[0] != run else [])
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=null, stderr=null)
            if i >= 3:
                times[k].append((time.perf_counter() - t0) * 1e3)
for k, v in times.items():
    print(f"interleaved: {k:17} median {statistics.median(v):6.2f} ms  min {min(v):6.2f} ms")
PY
fi

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

# Host memory per running container: N_MEM containers of `sleep` at once
# (detached), the drop of MemAvailable (KVM's kernel memory and cgroups
# included) and the PSS of the container's processes (fasco-oci: the keeper
# and the realm's monitor; crun: the container's process), against crun.
MEMB=$STATE/sleep-bundle
mkdir -p "$MEMB"
jq --arg root "$WORK/bundle/rootfs" '.root.path = $root | .process.args = ["/bin/sleep", "30"]' \
	"$WORK/bundle/config.json" > "$MEMB/config.json"
avail() { awk '/MemAvailable/ {print $2}' /proc/meminfo; }
tree() { local p; for p in "$@"; do echo "$p"; tree $(pgrep -P "$p" || true); done; }
pss() { # KiB, of the given pids
	local t=0 p
	for p in "$@"; do t=$((t + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done
	echo $t
}
memory() { # label, runtime command (takes --root, run -d, state, delete)
	local label=$1 before after pids=() i; shift
	sync; sleep 1
	before=$(avail)
	for i in $(seq "$N_MEM"); do "$@" run -d --bundle "$MEMB" "m$i" >/dev/null 2>&1 </dev/null; done
	sleep 2
	after=$(avail)
	for i in $(seq "$N_MEM"); do pids+=($(tree "$("$@" state "m$i" | jq .pid)")); done
	printf '%-10s %3d at once: MemAvailable drop %6d KiB/each, PSS %6d KiB/each (%d processes)\n' \
		"$label" "$N_MEM" $(((before - after) / N_MEM)) $(($(pss "${pids[@]}") / N_MEM)) ${#pids[@]}
	for i in $(seq "$N_MEM"); do "$@" delete -f "m$i" >/dev/null 2>&1 || true; done
}
memory fasco-oci "$OCI" --root "$STATE"
memory crun crun --root "$STATE/crun"
