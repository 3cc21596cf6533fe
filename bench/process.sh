#!/bin/bash
# Process creation latency, all in one run on this host: fork + _exit +
# waitpid, fork + execve of a small static program + waitpid, and fork +
# execve of busybox true + waitpid, timed inside the same static (musl)
# program natively and in a realm (bench/programs/spawn_rt.c). Medians.
#   bench/process.sh [ITERATIONS] [ROUNDS]
set -euo pipefail
N=${1:-40}
ROUNDS=${2:-3}
. "$(dirname "$0")/lib/realm_bench.sh"
static_program spawn_rt

# ROUNDS alternating rounds; each line: "<case> <name> <ns>"
for r in $(seq "$ROUNDS"); do
	"$RUN" -- "$OUT/spawn_rt" "$N" | sed 's/^/realm /'
	"$OUT/spawn_rt" "$N" | sed 's/^/native /'
done >"$OUT/process.txt"

python3 "$ROOT/bench/lib/ratios.py" "$OUT/process.txt"
