/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few primitives the attestation layer needs, over mbedtls 2.28:
 * the three COSE ECDSA algorithms, named hashes, and ECDSA with raw r||s
 * signatures. Public keys are plain values (curve + SEC1 uncompressed
 * point), so they copy freely and need no destructor; private keys wrap an
 * mbedtls context and are wiped when freed.
 */
#ifndef FASCO_ATTEST_CRYPTO_H
#define FASCO_ATTEST_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>
#include <mbedtls/pk.h>

/* Curve identifiers are the COSE "crv" values (RFC 9053 §7.1). */
enum attest_curve {
	ATTEST_CURVE_P256 = 1,
	ATTEST_CURVE_P384 = 2,
	ATTEST_CURVE_P521 = 3,
};

enum cose_alg {
	COSE_ALG_ES256 = -7,
	COSE_ALG_ES384 = -35,
	COSE_ALG_ES512 = -36,
};

#define ATTEST_MAX_COORD 66                       /* P-521 */
#define ATTEST_MAX_POINT (1 + 2 * ATTEST_MAX_COORD) /* 0x04 || X || Y */
#define ATTEST_MAX_SIG (2 * ATTEST_MAX_COORD)
#define ATTEST_MAX_HASH 64

struct attest_alg {
	int64_t cose_alg;       /* enum cose_alg */
	int curve;              /* enum attest_curve */
	mbedtls_md_type_t md;   /* hash over the Sig_structure */
	size_t coord_len;       /* bytes per coordinate / per r and s */
	const char *name;       /* "ES384" */
};

/* NULL when the value is not one of ES256/ES384/ES512. */
const struct attest_alg *attest_alg_by_cose(int64_t cose_alg);
const struct attest_alg *attest_alg_by_curve(int curve);
const char *attest_curve_name(int curve); /* "P-384", or "?" */

struct attest_pubkey {
	int curve;                        /* enum attest_curve */
	size_t point_len;                 /* 1 + 2 * coord_len */
	uint8_t point[ATTEST_MAX_POINT];  /* SEC1 uncompressed */
};

struct attest_privkey {
	mbedtls_pk_context pk; /* an EC key on one of the three curves */
};

/* Hash names as in the tokens ("sha-256", "sha-384", "sha-512"). */
mbedtls_md_type_t attest_hash_by_name(const char *name, size_t len);
size_t attest_hash_len(mbedtls_md_type_t md);
int attest_hash(mbedtls_md_type_t md, const void *data, size_t len, uint8_t *out);

/* Accept a SEC1 uncompressed point on the curve (validated on the curve). */
int attest_pubkey_from_point(int curve, const uint8_t *point, size_t len,
			     struct attest_pubkey *ret);

/* Verify / make a raw r||s ECDSA signature over a digest. */
int attest_ecdsa_verify(const struct attest_pubkey *key, const uint8_t *hash, size_t hash_len,
			const uint8_t *sig, size_t sig_len);
int attest_ecdsa_sign(const struct attest_privkey *key, mbedtls_md_type_t md,
		      const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_len);

/* Private keys: create, public half, wipe. */
void attest_privkey_init(struct attest_privkey *key);
void attest_privkey_free(struct attest_privkey *key);
int attest_privkey_generate(struct attest_privkey *key, int curve);
/*
 * The key whose private scalar is seed (big endian) reduced modulo the
 * curve order: two processes that share a random seed derive one key.
 */
int attest_privkey_from_seed(struct attest_privkey *key, int curve, const uint8_t *seed,
			     size_t len);
int attest_privkey_curve(const struct attest_privkey *key);
int attest_privkey_public(const struct attest_privkey *key, struct attest_pubkey *ret);

/* Fill buf with random bytes from a freshly seeded CTR_DRBG. */
int attest_random(uint8_t *buf, size_t len);

#define _cleanup_privkey_ __attribute__((cleanup(attest_privkey_free)))

#endif
