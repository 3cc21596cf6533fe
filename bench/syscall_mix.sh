#!/bin/bash
# A syscall-heavy mix (getpid, 4 KiB pwrite/pread, open+close, stat) and
# pipe throughput between two processes, timed inside the same static (musl)
# program natively and in a realm, alternating rounds; medians and ratios.
#   bench/syscall_mix.sh [ITERATIONS] [PIPE_MIB] [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-2000}
MIB=${2:-64}
ROUNDS=${3:-5}
BUILD=${BUILD:-$ROOT/build}
OUT=${WORK:-/tmp/fasco-bench}
mkdir -p "$OUT"
[ -d "$BUILD" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
musl-gcc -O2 -static -o "$OUT/syscall_mix" "$ROOT/bench/programs/syscall_mix.c"
RUN="$BUILD/examples/fasco-run/fasco-run"

for r in $(seq "$ROUNDS"); do
	"$RUN" -- "$OUT/syscall_mix" "$N" "$MIB" | sed 's/^/realm /'
	"$OUT/syscall_mix" "$N" "$MIB" | sed 's/^/native /'
done >"$OUT/syscall_mix.txt"
python3 "$ROOT/bench/lib/ratios.py" "$OUT/syscall_mix.txt"
