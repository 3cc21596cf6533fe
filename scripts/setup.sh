#!/bin/sh
# Install what libfasco needs to build, test and benchmark (Debian 12).
# Installs only what is missing; safe to run again.
set -eu
pkgs="gcc libc6-dev linux-libc-dev meson ninja-build pkg-config python3 containerd
      libfdt-dev libmbedtls-dev libzstd-dev check libsubunit-dev
      busybox-static musl-tools g++ abigail-tools golang-go iproute2
      clang libclang-rt-14-dev
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross"
missing=""
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
