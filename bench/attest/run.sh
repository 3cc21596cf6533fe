#!/bin/sh
# Token generation and verification vs the raw ES384 floor (mbedtls), one run.
#   bench/attest/run.sh [ITERATIONS]        (default 500)
# BUILD names the meson build directory (default: build at the top).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$ROOT" >/dev/null
ninja -C "$BUILD" bench/attest/bench-attest >/dev/null
echo "$(date -u +%F) $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), mbedtls $(dpkg-query -W -f '${Version}' libmbedcrypto7 2>/dev/null || echo '?')"
exec "$BUILD/bench/attest/bench-attest" "${1:-500}"
