/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CCA attestation tokens: the top-level collection, the software-root-of-
 * trust token builder and the verifier (CCA.md §2).
 */
#ifndef FASCO_ATTEST_TOKEN_H
#define FASCO_ATTEST_TOKEN_H

#include <fasco/attest.h>

#include "attest/crypto.h"
#include "attest/keys.h"

#define CCA_TAG_COLLECTION 399     /* RMM 1.0: {44234: bstr, 44241: bstr} */
#define CCA_TAG_CMW_COLLECTION 907 /* RMM 2.0: {44234: [263, bstr], ...} */
#define CCA_CMW_EAT_CWT 263        /* CoAP content format application/eat+cwt */
#define CCA_LABEL_PLATFORM 44234
#define CCA_LABEL_REALM 44241

/*
 * Security lifecycle of tokens signed by libfasco's software root of trust:
 * 0x0000, in the "unknown" range 0x0000-0x00FF. Nothing in this root of
 * trust is protected by hardware, so it must never claim "secured"
 * (0x3000) - nor "non-RoT debug" (0x4000), which appraisers treat as a
 * secured root of trust whose non-RoT parts are debuggable. "Unknown" is the
 * truthful value and no verifier affirms it.
 */
#define ATTEST_LIFECYCLE_SOFTWARE 0x0000

/* Views of the two signed tokens inside a collection. */
struct attest_collection {
	uint64_t tag; /* 399 or 907 */
	const uint8_t *platform;
	size_t platform_len;
	const uint8_t *realm;
	size_t realm_len;
};

int attest_collection_decode(const uint8_t *buf, size_t len, struct attest_collection *ret);

struct attest_sw_component {
	const char *type;      /* NULL: omitted */
	const char *version;   /* NULL: omitted */
	const char *hash_algo; /* NULL: omitted */
	const uint8_t *measurement;
	size_t measurement_len; /* 1..64 */
	const uint8_t *signer_id;
	size_t signer_id_len;   /* 1..64 */
};

/* Everything a token says; the caller computed the measurements. */
struct attest_token_inputs {
	/* Realm token */
	uint8_t challenge[64];   /* RSI_ATTESTATION_TOKEN_INIT value */
	uint8_t rpv[64];
	uint32_t hash_algo;      /* RHA: 0 SHA-256, 1 SHA-512, 2 SHA-384 */
	uint8_t rim[64];         /* measurement slots: digest in the low bytes */
	uint8_t rem[4][64];
	/* Platform token */
	uint8_t implementation_id[32];
	const uint8_t *config;   /* platform config claim (may be empty) */
	size_t config_len;
	const struct attest_sw_component *sw; /* at least one */
	size_t sw_count;
	const char *verification_service; /* NULL: omitted */
	uint32_t collection_tag; /* 0 or 399; 907 for the CMW form */
};

struct attest_keys {
	const struct attest_privkey *platform; /* CPAK: P-256/384/521 */
	const struct attest_privkey *realm;    /* RAK: P-384 per RMM 1.0 */
};

/*
 * Build and sign a token (realm profile tag:arm.com,2023:realm#1.0.0,
 * platform profile tag:arm.com,2023:cca_platform#1.0.0). The platform
 * challenge is SHA-256 of the encoded RAK claim and the instance id is
 * 0x01 || SHA-256(platform public point). Both tokens are signed whatever
 * cap is; FASCO_E_BUFFER reports the size needed in *ret_len.
 */
int attest_token_build(const struct attest_token_inputs *in, const struct attest_keys *keys,
		       uint8_t *out, size_t cap, size_t *ret_len);

/*
 * Verify per CCA.md §2.6. anchors[0..n) are the platform trust anchors (n
 * may be 0 only with FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE); opts may be
 * NULL (no appraisal). out may be NULL.
 */
int attest_token_verify(const uint8_t *token, size_t len, const struct attest_anchor *anchors,
			size_t n, const struct fasco_verify_opts *opts,
			struct fasco_token_claims *out);

/* JSON rendering of a token for people (see fasco_token_show_json()). */
int attest_token_json(const uint8_t *token, size_t len, char **ret);

#endif
