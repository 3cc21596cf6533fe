/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 streaming over a pluggable compression function. Freestanding
 * (fixed-width types, memcpy/memset only): compiled into libfasco and into
 * the shim, which hashes code a program maps at run time inside the realm
 * (shim/exec_measure.c). The back ends: SHA-NI (sha256_ni.c, x86-64) and a
 * portable C one (sha256_stream.c); libfasco also has mbedtls's (hash.c).
 */
#ifndef FASCO_RMM_SHA256_H
#define FASCO_RMM_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RMM_SHA256_BLOCK 64
#define RMM_SHA256_LEN 32

/* SHA-256 compression over nblocks 64-byte blocks. */
typedef void rmm_sha256_blocks_fn(uint32_t state[8], const uint8_t *blocks, size_t nblocks);

struct rmm_sha256 {
	rmm_sha256_blocks_fn *blocks;
	uint32_t state[8];
	uint64_t total; /* bytes fed so far; total % 64 are buffered */
	uint8_t buf[RMM_SHA256_BLOCK];
};

/* The initial state and the round constants (FIPS 180-4 5.3.3, 4.2.2). */
extern const uint32_t rmm_sha256_iv[8];
extern const uint32_t rmm_sha256_k[64]; /* 16-byte aligned */

/* Start a hash on the given compression function. */
void rmm_sha256_start(struct rmm_sha256 *s, rmm_sha256_blocks_fn *blocks);
void rmm_sha256_update(struct rmm_sha256 *s, const void *data, size_t len);
void rmm_sha256_final(struct rmm_sha256 *s, uint8_t digest[RMM_SHA256_LEN]);
/* The big-endian digest of a state. */
void rmm_sha256_output(const uint32_t state[8], uint8_t digest[RMM_SHA256_LEN]);

/* Plain C compression: the fallback where SHA-NI is missing (sha256_stream.c). */
void rmm_sha256_c_blocks(uint32_t state[8], const uint8_t *blocks, size_t nblocks);

/* SHA-NI (sha256_ni.c; x86-64 only): whether the CPU has it, and the
 * compression functions, one stream or two interleaved of the same length. */
bool rmm_sha256_ni_cpu(void);
void rmm_sha256_ni_blocks(uint32_t state[8], const uint8_t *blocks, size_t nblocks);
void rmm_sha256_ni_blocks_x2(uint32_t state_a[8], const uint8_t *a, uint32_t state_b[8],
			     const uint8_t *b, size_t nblocks);

#endif
