/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libfasco attestation: verify and inspect Arm CCA attestation tokens.
 *
 * Includes <fasco/fasco.h>. A CCA token is a CBOR collection of two
 * COSE_Sign1 tokens: the platform token, signed by the platform attestation
 * key (CPAK), and the realm token, signed by the realm attestation key
 * (RAK). The platform token's challenge binds the RAK (hash of its encoding).
 *
 * Accepted: collection tags 399 (RMM 1.0) and 907 (CMW, RMM 2.0); ES256,
 * ES384 and ES512 signatures; realm keys as COSE_Key or, in legacy tokens
 * without a realm profile, as a raw SEC1 point. Tokens must use the
 * deterministic CBOR encoding; duplicate map keys are rejected; unknown
 * claims are ignored.
 *
 * Every function returns 0 or a negative code (enum fasco_status / -errno)
 * and records a detail for fasco_last_error(); outputs are written only on
 * success. All functions are thread-safe: they keep no shared state.
 * Byte buffers are (pointer, length) pairs and are only read during the
 * call; nothing returned points into them.
 */
#ifndef FASCO_ATTEST_H
#define FASCO_ATTEST_H

#include <fasco/fasco.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Public keys                                                               */

enum fasco_key_format {
	FASCO_KEY_AUTO = 0,    /* guess from the content */
	FASCO_KEY_PEM = 1,     /* SubjectPublicKeyInfo, PEM or DER */
	FASCO_KEY_JWK = 2,     /* JSON Web Key, kty "EC" */
	FASCO_KEY_TA_JSON = 3, /* Veraison trust anchors: [{"pkey": JWK, ids}] */
	FASCO_KEY_COSE = 4,    /* COSE_Key, kty 2 (EC2) */
	FASCO_KEY_RAW = 5,     /* SEC1 uncompressed point 0x04 || X || Y */
};

/* Longest SEC1 point (P-521): 1 + 2 * 66 bytes. */
#define FASCO_KEY_MAX_POINT 133

/*
 * Parse a public key (P-256, P-384 or P-521) in any format above and write
 * it as a SEC1 uncompressed point. A trust-anchor document must hold exactly
 * one anchor here (fasco_token_verify() picks among several itself).
 * Arguments: data/len the encoded key; format an enum fasco_key_format;
 * point/cap the output buffer (FASCO_KEY_MAX_POINT is always enough).
 * Returns: 0 with *ret_len set; FASCO_E_KEY if the key is not usable;
 * FASCO_E_BUFFER (with *ret_len = size needed) if cap is too small.
 */
FASCO_API int fasco_key_parse(const uint8_t *data, size_t len, int format,
			      uint8_t *point, size_t cap, size_t *ret_len);

/* The same for a file (at most 64 KiB). */
FASCO_API int fasco_key_parse_file(const char *path, int format,
				   uint8_t *point, size_t cap, size_t *ret_len);

/*
 * PEM SubjectPublicKeyInfo of a SEC1 point, NUL-terminated, into out/cap.
 * Returns 0 with *ret_len = strlen(out), or FASCO_E_BUFFER.
 */
FASCO_API int fasco_key_to_pem(const uint8_t *point, size_t len,
			       char *out, size_t cap, size_t *ret_len);

/* ------------------------------------------------------------------------ */
/* Verification                                                              */

enum fasco_verify_flags {
	/*
	 * Check everything but the platform signature. Only for diagnosis:
	 * without it the token proves nothing about the platform.
	 */
	FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE = 1u << 0,
};

/* Zero-initialise, set size = sizeof(struct fasco_verify_opts). */
struct fasco_verify_opts {
	uint32_t size;
	uint32_t flags;          /* enum fasco_verify_flags */
	/*
	 * Trust anchor for the platform signature (required unless the flag
	 * above is set). With FASCO_KEY_TA_JSON the anchor whose instance ID
	 * (and implementation ID, if given) matches the token is used.
	 */
	const uint8_t *anchor;
	size_t anchor_len;
	uint32_t anchor_format;  /* enum fasco_key_format */
	uint32_t reserved;
	/* Optional appraisal: NULL skips a check. */
	const uint8_t *challenge;   /* realm challenge, 64 bytes */
	size_t challenge_len;
	const uint8_t *rpv;         /* personalization value, 64 bytes */
	size_t rpv_len;
	const uint8_t *rim;         /* digest length of the realm hash algorithm */
	size_t rim_len;
	const uint8_t *rem[4];      /* each NULL or digest length */
	size_t rem_len[4];
};

#define FASCO_CLAIM_STR 64     /* text claims are NUL-terminated, truncated */
#define FASCO_CLAIM_URL 256
#define FASCO_CLAIM_CONFIG 512
#define FASCO_MAX_SW_COMPONENTS 32

struct fasco_sw_component {
	uint8_t measurement[64];
	uint32_t measurement_len;
	uint8_t signer_id[64];
	uint32_t signer_id_len;
	char type[FASCO_CLAIM_STR];      /* "" when absent */
	char version[FASCO_CLAIM_STR];   /* "" when absent */
	char hash_algo[FASCO_CLAIM_STR]; /* "" when absent */
};

struct fasco_realm_claims {
	char profile[FASCO_CLAIM_STR];      /* "" in legacy tokens */
	uint8_t challenge[64];
	uint8_t rpv[64];
	uint8_t rim[64];
	uint8_t rem[4][64];
	uint32_t measurement_len;           /* RIM and each REM: 32, 48 or 64 */
	char hash_algo[FASCO_CLAIM_STR];    /* realm hash algorithm, "sha-256" */
	char rak_hash_algo[FASCO_CLAIM_STR];
	uint8_t rak[FASCO_KEY_MAX_POINT];   /* realm key as a SEC1 point */
	uint8_t reserved[3];
	uint32_t rak_len;
	int32_t alg;                        /* COSE alg of the realm signature */
};

struct fasco_platform_claims {
	char profile[FASCO_CLAIM_STR];
	uint8_t challenge[64];
	uint32_t challenge_len;
	uint8_t implementation_id[32];
	uint8_t instance_id[33];
	uint8_t reserved[3];
	uint32_t lifecycle;
	uint32_t config_len;                /* full length; bytes kept <= 512 */
	uint8_t config[FASCO_CLAIM_CONFIG];
	char hash_algo[FASCO_CLAIM_STR];
	char verification_service[FASCO_CLAIM_URL];
	uint32_t sw_count;                  /* full count; entries kept <= 32 */
	struct fasco_sw_component sw[FASCO_MAX_SW_COMPONENTS];
	int32_t alg;                        /* COSE alg of the platform signature */
};

/* Zero-initialise, set size = sizeof(struct fasco_token_claims). */
struct fasco_token_claims {
	uint32_t size;
	uint32_t collection_tag;            /* 399 or 907 */
	uint32_t platform_verified;         /* 0 only with SKIP_PLATFORM_SIGNATURE */
	uint32_t reserved;
	struct fasco_realm_claims realm;
	struct fasco_platform_claims platform;
};

/*
 * Verify a CCA token: structure, both signatures, the binding, every
 * mandatory claim, then the optional reference values in opts.
 * Arguments: token/len the encoded token; opts as above (NULL = no anchor,
 * which fails with FASCO_E_KEY); ret_claims (may be NULL) receives a copy
 * of the claims on success.
 * Returns: 0 if the token is genuine and matches opts, else the first
 * failure: FASCO_E_CBOR, FASCO_E_COSE, FASCO_E_DUPLICATE (malformed),
 * FASCO_E_KEY (no usable anchor or realm key), FASCO_E_SIGNATURE,
 * FASCO_E_BINDING, FASCO_E_CLAIM_MISSING, FASCO_E_CLAIM_INVALID,
 * FASCO_E_CHALLENGE, FASCO_E_REFERENCE. fasco_last_error() names the token
 * and claim.
 */
FASCO_API int fasco_token_verify(const uint8_t *token, size_t len,
				 const struct fasco_verify_opts *opts,
				 struct fasco_token_claims *ret_claims);

/*
 * Decode a token (no signature check) into JSON for people:
 * {"tag": 399, "platform": {"alg": ..., "claims": {...}}, "realm": {...}}
 * with byte strings in hex and known claim labels named.
 * *ret_json is NUL-terminated; free it with fasco_free().
 */
FASCO_API int fasco_token_show_json(const uint8_t *token, size_t len, char **ret_json);

/*
 * Check a realm's event log (the JSON of fasco_realm_event_log()) against
 * the realm claims of a token fasco_token_verify() accepted: each exec
 * entry's value must be the SHA-256 of its record and its exec_index its
 * place among the exec entries, each entry's index its place, and the
 * replay of every REM[0..3] from zero must give the token's REM. With
 * n_refs library files the verifier trusts (refs), every exec entry's
 * content must also be the SHA-256 of bytes [offset, offset + length) of
 * one of them (zeros past its end).
 * ret_report (may be NULL) receives, on success, a JSON array of the
 * entries: {"index","rem","kind","content_sha256" or "value","path",
 * "reference" (the matching ref, or "")}; free it with fasco_free().
 * Returns 0; FASCO_E_EVENT_LOG if the log is malformed, inconsistent or
 * does not reproduce the token (fasco_last_error() names the entry or REM
 * and, when a prefix of the log reproduces a REM, says so);
 * FASCO_E_REFERENCE if an exec entry matches no reference file; a negative
 * errno for an unreadable reference file.
 */
FASCO_API int fasco_event_log_verify(const char *log, size_t len,
				     const struct fasco_realm_claims *claims,
				     const char *const *refs, size_t n_refs, char **ret_report);

/* ------------------------------------------------------------------------ */
/* Trust anchors, unsigned claim sets, this host's platform key             */

/*
 * Check a trust-anchor document (any format above) as fasco_token_verify()
 * reads it, so a caller can tell a bad anchor file from a bad token.
 * Returns: the number of anchors it holds (>= 1), or FASCO_E_KEY.
 */
FASCO_API int fasco_anchor_count(const uint8_t *data, size_t len, int format);

enum fasco_claims_kind {
	FASCO_CLAIMS_REALM = 1,    /* a realm token's claims map */
	FASCO_CLAIMS_PLATFORM = 2, /* a platform token's claims map */
};

/*
 * Check an unsigned claims map (a COSE_Sign1 payload) as fasco_token_verify()
 * checks the claims of a token: every mandatory claim present with its type
 * and size, duplicates rejected, unknown claims ignored. Nothing is signed,
 * so this proves nothing about where the claims came from.
 * Arguments: kind an enum fasco_claims_kind; ret_claims (may be NULL, size
 * set) receives the realm or platform part on success.
 * Returns: 0, or FASCO_E_CBOR, FASCO_E_DUPLICATE, FASCO_E_KEY (realm key
 * claim), FASCO_E_CLAIM_MISSING, FASCO_E_CLAIM_INVALID.
 */
FASCO_API int fasco_claims_check(const uint8_t *claims, size_t len, int kind,
				 struct fasco_token_claims *ret_claims);

/*
 * PEM SubjectPublicKeyInfo of the platform attestation key that realms of
 * ctx report under, for a relying party to pin. On the kvm backend this is
 * a software P-384 key in <state_dir>/cca-platform-key.pem, created on first
 * use (file 0600, missing directories 0700); concurrent first calls agree
 * on one key. Writes a NUL-terminated string to out/cap (512 bytes are
 * enough) and sets *ret_len = strlen(out).
 * Returns: 0; FASCO_E_BUFFER; FASCO_E_KEY if the key file is unusable
 * (e.g. readable by others); -errno if the state directory is.
 */
FASCO_API int fasco_platform_key_pem(fasco_ctx *ctx, char *out, size_t cap, size_t *ret_len);

#ifdef __cplusplus
}
#endif

#endif /* FASCO_ATTEST_H */
