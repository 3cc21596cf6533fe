#!/bin/bash
# Process creation latency, all in one run on this host: fork + _exit +
# waitpid, fork + execve of a small static program + waitpid, and fork +
# execve of busybox true + waitpid, timed inside the same static (musl)
# program natively and in a realm (bench/programs/spawn_rt.c). Medians.
#   bench/process.sh [ITERATIONS] [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-40}
ROUNDS=${2:-3}
BUILD=${BUILD:-$ROOT/build}
OUT=${WORK:-/tmp/fasco-bench}
mkdir -p "$OUT"
[ -d "$BUILD" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
musl-gcc -O2 -static -o "$OUT/spawn_rt" "$ROOT/bench/programs/spawn_rt.c"
RUN="$BUILD/examples/fasco-run/fasco-run"

# ROUNDS alternating rounds; each line: "<case> <name> <ns>"
for r in $(seq "$ROUNDS"); do
	"$RUN" -- "$OUT/spawn_rt" "$N" | sed 's/^/realm /'
	"$OUT/spawn_rt" "$N" | sed 's/^/native /'
done >"$OUT/process.txt"

python3 "$ROOT/bench/lib/ratios.py" "$OUT/process.txt"
