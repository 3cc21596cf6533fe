# Sourced by the realm-vs-native benchmarks (bash): sets ROOT, BUILD (an
# up-to-date build directory, $BUILD or build/), OUT (scratch, $WORK or
# /tmp/fasco-bench) and RUN (fasco-run); static_program NAME builds
# bench/programs/NAME.c as a static musl program $OUT/NAME.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
OUT=${WORK:-/tmp/fasco-bench}
mkdir -p "$OUT"
[ -d "$BUILD" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
RUN="$BUILD/examples/fasco-run/fasco-run"

static_program() {
	musl-gcc -O2 -static -o "$OUT/$1" "$ROOT/bench/programs/$1.c"
}
