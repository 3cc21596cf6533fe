#!/bin/bash
# Host memory per running realm: N realms of `busybox sleep` at once, with
# the drop of MemAvailable (which also counts KVM's kernel memory: VM, vCPU,
# shadow page tables) and the monitors' PSS, against N native processes of
# the same program in the same run.
#   bench/memory.sh [N]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-10}
[ -d "$ROOT/build" ] || meson setup "$ROOT/build" >/dev/null
ninja -C "$ROOT/build" >/dev/null
RUN="$ROOT/build/examples/fasco-run/fasco-run"
avail() { awk '/MemAvailable/ {print $2}' /proc/meminfo; }
pss_of() { # PSS in KiB of the given pids
	local t=0 p
	for p in "$@"; do
		t=$((t + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
	done
	echo $t
}
measure() { # label, command...
	local label=$1; shift
	sync; sleep 1
	local before pids=() after
	before=$(avail)
	for _ in $(seq "$N"); do "$@" & pids+=($!); done
	sleep 2
	after=$(avail)
	local all=("${pids[@]}")
	for p in "${pids[@]}"; do all+=($(pgrep -P "$p" || true)); done
	printf '%-8s %3d at once: MemAvailable drop %6d KiB/each, PSS %6d KiB/each\n' "$label" "$N" \
		$(((before - after) / N)) $(($(pss_of "${all[@]}") / N))
	wait
}
measure realm "$RUN" -- /bin/busybox sleep 4
measure native /bin/busybox sleep 4
