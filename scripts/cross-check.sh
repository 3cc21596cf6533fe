#!/bin/sh
# Compile the arch-neutral layers and the cca backend for arm64 (the cca
# files with -Werror). Nothing is run or linked: there is no arm64 shim and
# no Arm CCA hardware here. Fails on any compile error.
# Usage: sh scripts/cross-check.sh [BUILD_DIR]   (default build-arm64)
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build-arm64}
[ -d "$dir" ] || meson setup --cross-file scripts/cross/aarch64-linux-gnu.ini "$dir" >/dev/null
ninja -C "$dir"
