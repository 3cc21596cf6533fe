#!/bin/sh
# Run `go test ./...` in a module against this build's libfasco, offline:
# the uninstalled pkg-config file, the built library, Go's caches in the
# build directory, no module proxy.
# usage: go-test.sh GO BUILD_ROOT SOURCE_ROOT LIB_DIR MODULE_DIR
set -eu
[ $# -eq 5 ] || { echo "usage: $0 GO BUILD_ROOT SOURCE_ROOT LIB_DIR MODULE_DIR" >&2; exit 2; }
go=$1 build=$2 src=$3 libdir=$4 module=$5
export CGO_ENABLED=1 GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOENV=off
export GOCACHE="$build/go/cache" GOPATH="$build/go/path"
export PKG_CONFIG_PATH="$build/meson-uninstalled"
# fasco-uninstalled.pc names the build's directories only; the public
# headers live in the source tree.
export CGO_CFLAGS="-I$src/include"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cd "$module"
exec "$go" test -count=1 -v ./...
