/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Realm hash algorithms (RHA): SHA-256, SHA-512 and, for the RMM 2.0
 * generation, SHA-384, one-shot and streaming. SHA-256 runs on the x86 SHA
 * extensions when the CPU has them (checked at run time) and on mbedtls's
 * compression function otherwise; SHA-384/512 use mbedtls.
 *
 * Every digest is written into a 64-byte measurement slot: the digest in the
 * low bytes, zeros after it, which is how RMM stores RIM, REMs and the
 * content fields of measurement descriptors.
 */
#ifndef FASCO_RMM_HASH_H
#define FASCO_RMM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/sha512.h>

#include "rmm/sha256.h"

/* RmiHashAlgorithm encoding; SHA-384 exists only in the 2.0 generation. */
enum rmm_hash_algo {
	RMM_HASH_SHA256 = 0,
	RMM_HASH_SHA512 = 1,
	RMM_HASH_SHA384 = 2,
};

#define RMM_HASH_SLOT_SIZE 64 /* measurement slot, largest digest */

/* Digest length of algo in bytes, or 0 if algo is unknown. */
size_t rmm_hash_len(unsigned algo);

struct rmm_hash_ctx {
	unsigned algo;
	union {
		struct rmm_sha256 sha256;
		mbedtls_sha512_context sha512; /* SHA-512 and SHA-384 */
	} u;
};

/* Start a hash; fails with FASCO_E_CONFIG on an unknown algo. */
int rmm_hash_init(struct rmm_hash_ctx *ctx, unsigned algo);
void rmm_hash_update(struct rmm_hash_ctx *ctx, const void *data, size_t len);
/* Finish: digest into slot[0..len), zeros up to 64; the context is spent. */
void rmm_hash_final(struct rmm_hash_ctx *ctx, uint8_t slot[RMM_HASH_SLOT_SIZE]);

/* One-shot hash into a 64-byte slot; FASCO_E_CONFIG on an unknown algo. */
int rmm_hash(unsigned algo, const void *data, size_t len, uint8_t slot[RMM_HASH_SLOT_SIZE]);

/*
 * Hash npages consecutive 4096-byte pages, one digest slot per page. algo
 * must be valid. SHA-256 pages are hashed two at a time on SHA-NI.
 */
int rmm_hash_pages(unsigned algo, const uint8_t *pages, size_t npages,
		   uint8_t (*slots)[RMM_HASH_SLOT_SIZE]);

/* SHA-256 back ends, selectable for the tests and the benchmark. */
enum rmm_sha256_impl {
	RMM_SHA256_AUTO = 0,    /* SHA-NI when the CPU has it, else mbedtls */
	RMM_SHA256_MBEDTLS = 1, /* mbedtls's compression function */
	RMM_SHA256_NI = 2,      /* x86 SHA extensions; only if supported */
	RMM_SHA256_PORTABLE = 3, /* the plain C one the shim falls back on */
};

/* Whether this CPU (and this build) can run the SHA-NI back end. */
bool rmm_sha256_ni_supported(void);

/* Start SHA-256 on a chosen back end; NI falls back if unsupported. The
 * update and final steps are rmm_sha256_update/final (sha256.h). */
void rmm_sha256_init(struct rmm_sha256 *s, enum rmm_sha256_impl impl);

#endif
