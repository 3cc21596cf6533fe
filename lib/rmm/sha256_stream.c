/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4) streaming and a portable compression function.
 * Freestanding: the shim compiles this file too (see sha256.h).
 */
#include <string.h>

#include "rmm/bytes.h"
#include "rmm/sha256.h"

const uint32_t rmm_sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

const uint32_t rmm_sha256_k[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One block; w is the 16-word window of the message schedule. */
static void compress(uint32_t state[8], const uint8_t *block)
{
	uint32_t w[16], v[8];

	for (unsigned i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	memcpy(v, state, sizeof(v));
	for (unsigned i = 0; i < 64; i++) {
		uint32_t s0, s1, t1, t2;

		if (i >= 16) {
			uint32_t a = w[(i + 1) & 15], b = w[(i + 14) & 15];

			s0 = ror(a, 7) ^ ror(a, 18) ^ (a >> 3);
			s1 = ror(b, 17) ^ ror(b, 19) ^ (b >> 10);
			w[i & 15] += s0 + s1 + w[(i + 9) & 15];
		}
		t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + rmm_sha256_k[i] + w[i & 15];
		t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(&v[1], &v[0], 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (unsigned i = 0; i < 8; i++)
		state[i] += v[i];
}

void rmm_sha256_c_blocks(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	for (; nblocks; nblocks--, blocks += RMM_SHA256_BLOCK)
		compress(state, blocks);
}

void rmm_sha256_start(struct rmm_sha256 *s, rmm_sha256_blocks_fn *blocks)
{
	s->blocks = blocks;
	memcpy(s->state, rmm_sha256_iv, sizeof(s->state));
	s->total = 0;
}

void rmm_sha256_update(struct rmm_sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = s->total % RMM_SHA256_BLOCK;

	if (!len)
		return;
	s->total += len;
	if (used) {
		size_t take = RMM_SHA256_BLOCK - used < len ? RMM_SHA256_BLOCK - used : len;

		memcpy(s->buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < RMM_SHA256_BLOCK)
			return;
		s->blocks(s->state, s->buf, 1);
	}
	if (len >= RMM_SHA256_BLOCK) {
		size_t n = len / RMM_SHA256_BLOCK;

		s->blocks(s->state, p, n);
		p += n * RMM_SHA256_BLOCK;
		len -= n * RMM_SHA256_BLOCK;
	}
	if (len)
		memcpy(s->buf, p, len);
}

void rmm_sha256_output(const uint32_t state[8], uint8_t digest[RMM_SHA256_LEN])
{
	for (unsigned i = 0; i < 8; i++)
		put_be32(digest + 4 * i, state[i]);
}

void rmm_sha256_final(struct rmm_sha256 *s, uint8_t digest[RMM_SHA256_LEN])
{
	size_t used = s->total % RMM_SHA256_BLOCK;

	s->buf[used++] = 0x80;
	if (used > RMM_SHA256_BLOCK - 8) {
		memset(s->buf + used, 0, RMM_SHA256_BLOCK - used);
		s->blocks(s->state, s->buf, 1);
		used = 0;
	}
	memset(s->buf + used, 0, RMM_SHA256_BLOCK - 8 - used);
	put_be64(s->buf + RMM_SHA256_BLOCK - 8, s->total * 8);
	s->blocks(s->state, s->buf, 1);
	rmm_sha256_output(s->state, digest);
}
