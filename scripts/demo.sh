#!/bin/sh
# Build libfasco and run a real program in a container realm.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
run() { echo "+ fasco-run $*"; build/examples/fasco-run/fasco-run "$@"; }
run -- /bin/busybox echo hello from a realm
run -- /bin/busybox ls -l /
run --stats -- /bin/busybox sha256sum /bin/busybox
