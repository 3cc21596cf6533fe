#!/bin/sh
# Build libfasco and run real programs in measured, attested container realms:
#  1. fasco-measure predicts a realm's initial measurement (RIM) offline;
#  2. the realm runs, reports the same RIM, and the program inside obtains a
#     CCA attestation token through the Linux configfs-tsm interface;
#  3. fasco-attest verifies the token against this host's platform key, the
#     predicted RIM and the challenge;
#  4. busybox applets run in realms, one with statistics.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
B=build/examples
OUT=$(mktemp -d /tmp/fasco-demo.XXXXXX)
CHALLENGE="demo challenge $(date +%s)"
say() { printf '\n== %s\n' "$*"; }

say "predict the realm's initial measurement offline (no /dev/kvm needed)"
RIM=$($B/fasco-measure/fasco-measure -- $B/in-realm/tsm-report "$CHALLENGE" "$OUT/token.cbor")
echo "predicted RIM: $RIM"

say "run it in a realm: it asks for an attestation token through configfs-tsm"
$B/fasco-run/fasco-run --rim -- $B/in-realm/tsm-report "$CHALLENGE" "$OUT/token.cbor"

say "verify the token: platform key, predicted RIM, challenge"
$B/fasco-attest/fasco-attest platform-key >"$OUT/platform.pem"
HEX=$(printf '%s' "$CHALLENGE" | od -An -tx1 | tr -d ' \n')
while [ ${#HEX} -lt 128 ]; do HEX="${HEX}00"; done
$B/fasco-attest/fasco-attest verify "$OUT/token.cbor" --anchor "$OUT/platform.pem" \
	--rim "$RIM" --challenge "$HEX" | head -12

say "busybox in realms"
run() { echo "+ fasco-run $*"; $B/fasco-run/fasco-run "$@"; }
run -- /bin/busybox echo hello from a realm
run -- /bin/busybox ls -l /
run --stats -- /bin/busybox sha256sum /bin/busybox
rm -rf "$OUT"
