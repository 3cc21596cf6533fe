#!/bin/sh
# Record the ABI baseline of libfasco.so in tests/api/libfasco.abi, which the
# api-abi test compares every build with (abidiff; see tests/api/abi_check.py).
#
# Run it deliberately, and commit the result with the change that needs it:
#  - after a release: the baseline is what users link against;
#  - after an intended incompatible change, which must also move the soname
#    (so_abi in meson.build) and open a new node in lib/libfasco.sym.
# Added functions never need it: they pass the check as they are.
#
# Usage: scripts/abi-baseline.sh [BUILD_DIR]
# Without BUILD_DIR a fresh default (debugoptimized, unsanitized) build of the
# working tree is made in a temporary directory, so local options cannot leak
# into the baseline.
set -eu
cd "$(dirname "$0")/.."
build=${1:-}
if [ -z "$build" ]; then
	build=$(mktemp -d "${TMPDIR:-/tmp}/fasco-abi.XXXXXX")
	trap 'rm -rf "$build"' EXIT INT TERM
	meson setup "$build" -Dtests=false >/dev/null
fi
meson compile -C "$build" fasco >/dev/null   # the library alone
python3 tests/api/abi_check.py record "$build/lib/libfasco.so" tests/api/libfasco.abi \
	--headers include/fasco
git --no-pager diff --stat -- tests/api/libfasco.abi 2>/dev/null || true
