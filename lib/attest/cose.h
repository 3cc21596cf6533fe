/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Sign1 (RFC 9052 §4.2) with the ECDSA algorithms of RFC 9053:
 * ES256, ES384, ES512 (raw r||s signatures). Decoding yields views into
 * the caller's buffer. The algorithm comes from the protected header only;
 * a protected "crit" header is refused since we understand no extensions.
 */
#ifndef FASCO_ATTEST_COSE_H
#define FASCO_ATTEST_COSE_H

#include <stdbool.h>

#include "attest/cbor.h"
#include "attest/crypto.h"

#define COSE_TAG_SIGN1 18

enum cose_flags {
	COSE_REQUIRE_TAG = 1u << 8, /* refuse untagged COSE_Sign1 (CBOR_* flags below) */
};

struct cose_sign1 {
	const struct attest_alg *alg;
	bool tagged;
	const uint8_t *protected_hdr; /* the bstr content, as signed */
	size_t protected_len;
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *sig;
	size_t sig_len;
};

/* flags: enum cbor_flags | enum cose_flags. */
int cose_sign1_decode(const uint8_t *buf, size_t len, unsigned flags, struct cose_sign1 *ret);

/* Check msg's signature with key; the key's curve must match the algorithm. */
int cose_sign1_verify(const struct cose_sign1 *msg, const struct attest_pubkey *key);

/*
 * Append 18([h'A1 01 <alg>', {}, payload, signature]) to e, signed by key
 * with the algorithm of its curve. With a sizing encoder (no buffer) no
 * signature is computed.
 */
int cose_sign1_encode(struct cbor_enc *e, const struct attest_privkey *key,
		      const uint8_t *payload, size_t payload_len);

#endif
