#!/bin/sh
# fasco-attest end to end: sample vectors reach their stated verdicts, a
# token of this host verifies with the key `platform-key` prints, and every
# tampering, wrong reference value, wrong anchor or malformed input fails
# with its own message and exit status.
#   test_fasco_attest.sh FASCO_ATTEST MAKE_TOKEN VECTORS_DIR
set -u
TOOL=$1 MAKE_TOKEN=$2 VEC=$3
W=$(mktemp -d /tmp/fasco-attest-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
failures=0 checks=0

# expect STATUS PATTERN CMD...: CMD exits with STATUS and its stderr+stdout match PATTERN.
expect() {
	want=$1 pattern=$2
	shift 2
	checks=$((checks + 1))
	"$@" >"$W/out" 2>&1
	got=$?
	# Sanitizer reports fail a check whatever the status (UBSan does not abort).
	if [ "$got" != "$want" ] || ! grep -qE -- "$pattern" "$W/out" ||
		grep -qE 'Sanitizer|runtime error:' "$W/out"; then
		failures=$((failures + 1))
		echo "FAIL: $* -> status $got (want $want), output does not match /$pattern/, or a sanitizer spoke:"
		sed 's/^/    /' "$W/out" | head -20
	fi
}

# flip FILE OFFSET: invert every bit of one byte in place.
flip() {
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((old ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# offset FILE HEXBYTE COUNT: first offset of COUNT repetitions of the byte.
offset() {
	LC_ALL=C grep -obUaP "\\x$2{$3}" "$1" | head -1 | cut -d: -f1
}

hex() { od -An -v -tx1 | tr -d ' \n'; }
repeat() { i=0; while [ $i -lt "$2" ]; do printf %s "$1"; i=$((i + 1)); done; }

# --- sample vectors (tests/attest/vectors, from ../shared/vectors/cca) ---
TOK=$VEC/cca-token-draft-ffm-00.cbor
expect 0 'verdict: accepted' "$TOOL" verify "$TOK" --anchor "$VEC/ta-tfa.json"
expect 0 '"verdict":"accepted"' "$TOOL" verify "$TOK" --anchor "$VEC/cpak.json" --json
expect 0 'initial measurement: 311314ab' "$TOOL" verify - --anchor "$VEC/cpak.json" <"$TOK"
expect 8 'binding: platform challenge is not the sha-256 of the realm public key' \
	"$TOOL" verify "$VEC/bug-33-repro.cbor" --anchor "$VEC/ta-tfa.json"
expect 8 '"reason":"binding","exit status":8' \
	"$TOOL" verify "$VEC/bug-33-repro.cbor" --anchor "$VEC/ta-tfa.json" --json
expect 0 'software components' "$TOOL" claims platform "$VEC/platform-claims.cbor"
expect 0 'valid \(unsigned\)' "$TOOL" claims realm "$VEC/realm-claims.cbor"
expect 0 'valid' "$TOOL" claims realm "$VEC/realm-claims+spurious-numeric-key.cbor"
expect 0 'valid' "$TOOL" claims realm "$VEC/realm-claims+spurious-text-key.cbor"
expect 9 'realm token: .*challenge.* missing|missing.*challenge' \
	"$TOOL" claims realm "$VEC/realm-claims-missing-challenge.cbor"
expect 10 '' "$TOOL" claims realm "$VEC/platform-claims.cbor"
expect 0 'decoded only' "$TOOL" show "$TOK"
expect 0 '^\{"tag":399,"platform":\{"alg":"ES384"' "$TOOL" show --json "$TOK"
expect 0 'verdict: accepted' "$TOOL" verify "$TOK" --anchor "$VEC/ta-tfa.json" \
	--rim 311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d49

# --- this host's platform key ---
STATE=$W/state/nested/fasco
expect 0 '^-----BEGIN PUBLIC KEY-----' "$TOOL" platform-key --state-dir "$STATE"
cp "$W/out" "$W/pk.pem"
expect 0 '' "$TOOL" platform-key --state-dir "$STATE"
checks=$((checks + 3))
cmp -s "$W/out" "$W/pk.pem" || { failures=$((failures + 1)); echo "FAIL: platform key changed"; }
[ "$(stat -c %a "$STATE/cca-platform-key.pem")" = 600 ] ||
	{ failures=$((failures + 1)); echo "FAIL: key file mode $(stat -c %a "$STATE/cca-platform-key.pem")"; }
[ "$(stat -c %a "$STATE")" = 700 ] && [ "$(stat -c %a "$W/state/nested")" = 700 ] ||
	{ failures=$((failures + 1)); echo "FAIL: state directory modes"; }
chmod 644 "$STATE/cca-platform-key.pem"
expect 2 'accessible by group or others' "$TOOL" platform-key --state-dir "$STATE"
chmod 600 "$STATE/cca-platform-key.pem"
expect 0 '' "$TOOL" platform-key --state-dir "$W/other"
cp "$W/out" "$W/other.pem"
expect 2 'unexpected argument' "$TOOL" platform-key extra

# --- a token of this host ---
CH=$(repeat c1 32)          # 32-byte nonce, zero-padded to 64 in the token
RIM=$(repeat 49 32)
RPV=$(repeat 52 64)
"$MAKE_TOKEN" "$STATE" "$CH" "$RIM" "$RPV" "$W/tok" || { echo "FAIL: make-token"; exit 1; }
ok() { "$TOOL" verify "$1" --anchor "$W/pk.pem" --rim "$RIM" --rpv "$RPV" --challenge "$CH"; }
expect 0 'verdict: accepted' ok "$W/tok"
expect 0 'security lifecycle state: unknown' ok "$W/tok"
expect 0 '"verdict":"accepted"' "$TOOL" verify "$W/tok" --anchor "$W/pk.pem" \
	--challenge "$CH$(repeat 00 32)" --json
expect 11 'realm token: challenge differs from the expected value' \
	"$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --challenge "$(repeat c2 32)"
expect 12 'realm token: initial measurement differs' \
	"$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rim "$(repeat 48 32)"
expect 12 'realm token: initial measurement differs' \
	"$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rim "$(repeat 49 48)"
expect 12 'realm token: personalization value differs' \
	"$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rpv "$(repeat 53 64)"
expect 7 'platform token: .*signature does not verify' \
	"$TOOL" verify "$W/tok" --anchor "$W/other.pem"
expect 6 'no trust anchor matches' "$TOOL" verify "$W/tok" --anchor "$VEC/ta-tfa.json"
expect 7 'platform token: .*signature does not verify' \
	"$TOOL" verify "$TOK" --anchor "$W/pk.pem"

# Tampering: one byte of a platform claim, of a realm claim, of a signature.
for what in platform:aa:32 realm:e1:32 signature:-1:0; do
	part=${what%%:*} rest=${what#*:}
	cp "$W/tok" "$W/bad"
	if [ "$part" = signature ]; then
		at=$(($(stat -c %s "$W/bad") - 1))
	else
		at=$(offset "$W/bad" "${rest%:*}" "${rest#*:}")
		[ -n "$at" ] || { echo "FAIL: no ${rest%:*} bytes in the token"; exit 1; }
		at=$((at + 5))
	fi
	flip "$W/bad" "$at"
	[ "$part" = signature ] && part=realm
	expect 7 "$part token: .*signature does not verify" ok "$W/bad"
done

# Malformed input.
: >"$W/empty"
expect 2 'empty input' "$TOOL" verify "$W/empty" --anchor "$W/pk.pem"
head -c 700 "$W/tok" >"$W/short"
expect 3 'remain|truncated' "$TOOL" verify "$W/short" --anchor "$W/pk.pem"
expect 3 'remain|truncated' "$TOOL" show "$W/short"
printf 'this is not a token\n' >"$W/text"
expect 3 'cbor|collection' "$TOOL" verify "$W/text" --anchor "$W/pk.pem"
head -c 2000000 /dev/zero >"$W/huge"
expect 2 'larger than 1 MiB' "$TOOL" verify "$W/huge" --anchor "$W/pk.pem"
expect 2 'larger than 1 MiB' "$TOOL" show - <"$W/huge"
expect 2 'cannot open' "$TOOL" verify "$W/missing" --anchor "$W/pk.pem"
expect 2 'cannot read' "$TOOL" verify "$W" --anchor "$W/pk.pem"
expect 2 'anchor .*: trust anchor' "$TOOL" verify "$W/tok" --anchor "$W/text"
expect 2 'no trust anchor: give --anchor' "$TOOL" verify "$W/tok"

# Usage errors.
expect 2 'usage' "$TOOL"
expect 2 'unknown command' "$TOOL" frobnicate
expect 0 'exit status' "$TOOL" --help
expect 2 'expected one TOKEN' "$TOOL" verify --anchor "$W/pk.pem"
expect 2 'not a hex digit' "$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rim "zz$RIM"
expect 2 'odd number of hex digits' "$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rpv 123
expect 2 '--rim: 40 bytes, expected 32, 48 or 64' \
	"$TOOL" verify "$W/tok" --anchor "$W/pk.pem" --rim "$(repeat 00 40)"
expect 2 '--challenge: 65 bytes' "$TOOL" verify "$W/tok" --anchor "$W/pk.pem" \
	--challenge "$(repeat 00 65)"
expect 2 'expected realm\|platform FILE' "$TOOL" claims device "$W/tok"

echo "$checks checks, $failures failures"
[ "$failures" = 0 ]
