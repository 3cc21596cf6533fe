#!/bin/bash
# A syscall-heavy mix (getpid, 4 KiB pwrite/pread, open+close, stat) and
# pipe throughput between two processes, timed inside the same static (musl)
# program natively and in a realm, alternating rounds; medians and ratios.
#   bench/syscall_mix.sh [ITERATIONS] [PIPE_MIB] [ROUNDS]
set -euo pipefail
N=${1:-2000}
MIB=${2:-64}
ROUNDS=${3:-5}
. "$(dirname "$0")/lib/realm_bench.sh"
static_program syscall_mix

for r in $(seq "$ROUNDS"); do
	"$RUN" -- "$OUT/syscall_mix" "$N" "$MIB" | sed 's/^/realm /'
	"$OUT/syscall_mix" "$N" "$MIB" | sed 's/^/native /'
done >"$OUT/syscall_mix.txt"
python3 "$ROOT/bench/lib/ratios.py" "$OUT/syscall_mix.txt"
