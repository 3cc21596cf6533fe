#!/bin/sh
# Build libfasco and run a real program in a container realm.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "+ fasco-run --stats -- /bin/busybox sh -c 'echo hello from a realm; uname -sm; ls /'"
exec build/examples/fasco-run/fasco-run --stats -- /bin/busybox sh -c 'echo hello from a realm; uname -sm; ls /'
