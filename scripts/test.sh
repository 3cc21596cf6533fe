#!/bin/sh
# Build libfasco and run every test, then the whole suite again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
# FASCO_REQUIRE_KVM=1 (CI) makes realm tests fail instead of skip without /dev/kvm.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
opts=""
[ "${FASCO_REQUIRE_KVM:-}" = 1 ] && opts="-Drequire_kvm=true"
# shellcheck disable=SC2086
[ -d build ] || meson setup build $opts >/dev/null
ninja -C build
meson test -C build --print-errorlogs
# shellcheck disable=SC2086
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false $opts >/dev/null
ninja -C build-asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --no-suite fuzz
# Bounded libFuzzer sessions (20 s each) on the token and config.json parsers:
# clang builds just the two instrumented targets (the parsers, not the shim).
# shellcheck disable=SC2086
[ -d build-fuzz ] || CC=clang meson setup build-fuzz $opts >/dev/null
ninja -C build-fuzz tests/fuzz/token-fuzz tests/fuzz/oci-config-fuzz
meson test -C build-fuzz --no-rebuild --print-errorlogs fuzz-token fuzz-oci-config
