/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Claims of the two CCA tokens (CCA.md §2.3, §2.4).
 *
 * A claims map is first decoded into a view: for each claim we know, the
 * span of its encoded value inside the payload (absent: NULL). Unknown
 * claims are skipped and duplicate keys rejected. Typed getters then check
 * presence, type and size and fail with FASCO_E_CLAIM_MISSING or
 * FASCO_E_CLAIM_INVALID naming the token, the label and the claim. Views
 * point into the payload and live as long as it does.
 */
#ifndef FASCO_ATTEST_CLAIMS_H
#define FASCO_ATTEST_CLAIMS_H

#include <stdbool.h>

#include <fasco/attest.h>

#include "attest/cbor.h"
#include "attest/crypto.h"

#define CCA_REALM_PROFILE_1_0 "tag:arm.com,2023:realm#1.0.0"
#define CCA_REALM_PROFILE_2_0 "tag:arm.com,2024:realm#2.0.0"
#define CCA_PLATFORM_PROFILE_1_0 "tag:arm.com,2023:cca_platform#1.0.0"
#define CCA_PLATFORM_PROFILE_2_0 "tag:arm.com,2024:cca_platform#2.0.0"
#define CCA_PLATFORM_PROFILE_LEGACY "http://arm.com/CCA-SSD/1.0.0"

enum realm_claim {
	RC_CHALLENGE,      /* 10 */
	RC_PROFILE,        /* 265 */
	RC_INSTANCE_ID,    /* 256 (2.0) */
	RC_RPV,            /* 44235 */
	RC_HASH_ALGO,      /* 44236 */
	RC_RAK,            /* 44237 */
	RC_RIM,            /* 44238 */
	RC_REM,            /* 44239 */
	RC_RAK_HASH_ALGO,  /* 44240 */
	RC_COUNT
};

enum platform_claim {
	PC_CHALLENGE,      /* 10 */
	PC_INSTANCE_ID,    /* 256 */
	PC_PROFILE,        /* 265 */
	PC_CLIENT_ID,      /* 2394 (2.0) */
	PC_LIFECYCLE,      /* 2395 */
	PC_IMPLEMENTATION_ID, /* 2396 */
	PC_SW_COMPONENTS,  /* 2399 */
	PC_VERIFICATION_SERVICE, /* 2400 */
	PC_CONFIG,         /* 2401 */
	PC_HASH_ALGO,      /* 2402 */
	PC_COUNT
};

#define CLAIMS_MAX 12

struct claim_def {
	int64_t label;
	const char *name;
};

struct claims_view {
	const char *token;            /* "realm token" / "platform token" */
	const struct claim_def *defs; /* indexed by enum realm/platform_claim */
	size_t count;
	struct {
		const uint8_t *p;     /* encoded value, NULL if absent */
		size_t len;
	} span[CLAIMS_MAX];
};

extern const struct claim_def realm_claim_defs[RC_COUNT];
extern const struct claim_def platform_claim_defs[PC_COUNT];

/* Decode a claims map (strict CBOR) into a view. */
int claims_view_decode(struct claims_view *v, const char *token, const struct claim_def *defs,
		       size_t count, const uint8_t *payload, size_t len);
int attest_realm_view_decode(struct claims_view *v, const uint8_t *payload, size_t len);
int attest_platform_view_decode(struct claims_view *v, const uint8_t *payload, size_t len);

bool claim_present(const struct claims_view *v, int idx);
/* A bstr whose length is one of sizes[0..n) (n = 0: any length). */
int claim_bstr(const struct claims_view *v, int idx, const size_t *sizes, size_t n,
	       const uint8_t **ret, size_t *ret_len);
int claim_tstr(const struct claims_view *v, int idx, const char **ret, size_t *ret_len);
int claim_uint(const struct claims_view *v, int idx, uint64_t *ret);
/* A hash algorithm name claim ("sha-256" ...); the name is copied to name/cap. */
int claim_hash(const struct claims_view *v, int idx, mbedtls_md_type_t *ret, char *name,
	       size_t cap);
/* Fail with FASCO_E_CLAIM_INVALID about claim idx. */
int claim_invalid(const struct claims_view *v, int idx, const char *why);
/* Copy a text claim (NUL-terminated, truncated to cap - 1). */
void claim_copy_text(char *dst, size_t cap, const char *s, size_t len);

/* The realm key from claim 44237: COSE_Key when profiled, raw otherwise. */
int attest_realm_rak(const struct claims_view *v, struct attest_pubkey *ret);

/* Full syntax checks of CCA.md §2.3/§2.4, copying claims into out. */
int attest_realm_claims_check(const struct claims_view *v, struct fasco_realm_claims *out);
int attest_platform_claims_check(const struct claims_view *v, struct fasco_platform_claims *out);

/* Decode + check in one step (unsigned claim sets, tests). */
int attest_realm_claims_parse(const uint8_t *payload, size_t len, struct fasco_realm_claims *out);
int attest_platform_claims_parse(const uint8_t *payload, size_t len,
				 struct fasco_platform_claims *out);

#endif
