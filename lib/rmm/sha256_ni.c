/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 compression on the x86 SHA extensions (SHA-NI).
 *
 * The state lives in two registers in the order the instructions want
 * (ABEF, CDGH). Each group of four rounds adds the round constants to four
 * message words, runs SHA256RNDS2 twice and, for groups 0..11, derives the
 * words of group r + 4 into the register group r has just consumed:
 *   W[r+4] = msg2(msg1(W[r], W[r+1]) + alignr(W[r+3], W[r+2], 4), W[r+3])
 * The groups are unrolled, so m[r & 3] names a register, not memory.
 *
 * The functions are compiled for "sha,sse4.1" only; callers reach them
 * after rmm_sha256_ni_cpu() said yes, so the library still runs elsewhere.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmm/sha256.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

#define NI_TARGET __attribute__((target("sha,sse4.1")))
#define NI_INLINE static inline __attribute__((always_inline, target("sha,sse4.1")))

/* Three cpuid, each a trap to the hypervisor in a realm (~30 us on kvm-pvm). */
bool rmm_sha256_ni_cpu(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 7)
		return false;
	__cpuid(1, a, b, c, d);
	if (!(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return false;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & bit_SHA) != 0;
}

/* One message stream: working state and the 16 scheduled words in flight. */
struct lane {
	__m128i abef, cdgh;         /* working state */
	__m128i abef_in, cdgh_in;   /* state at the start of the block */
	__m128i m[4];               /* W[4g .. 4g+3] for the groups in flight */
};

NI_INLINE void lane_load_state(struct lane *l, const uint32_t state[8])
{
	__m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);

	dcba = _mm_shuffle_epi32(dcba, 0xB1);          /* CDAB */
	hgfe = _mm_shuffle_epi32(hgfe, 0x1B);          /* EFGH */
	l->abef = _mm_alignr_epi8(dcba, hgfe, 8);      /* ABEF */
	l->cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);   /* CDGH */
}

NI_INLINE void lane_store_state(const struct lane *l, uint32_t state[8])
{
	__m128i feba = _mm_shuffle_epi32(l->abef, 0x1B);
	__m128i dchg = _mm_shuffle_epi32(l->cdgh, 0xB1);

	_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0)); /* DCBA */
	_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));   /* HGFE */
}

NI_INLINE void lane_begin_block(struct lane *l, const uint8_t *block)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

	l->abef_in = l->abef;
	l->cdgh_in = l->cdgh;
	for (int i = 0; i < 4; i++)
		l->m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * i)), bswap);
}

/* Rounds 4g .. 4g+3, then schedule group g + 4 into the freed register. */
NI_INLINE void lane_group(struct lane *l, int g)
{
	__m128i w = _mm_add_epi32(l->m[g & 3], _mm_load_si128((const __m128i *)&rmm_sha256_k[4 * g]));

	l->cdgh = _mm_sha256rnds2_epu32(l->cdgh, l->abef, w);
	l->abef = _mm_sha256rnds2_epu32(l->abef, l->cdgh, _mm_shuffle_epi32(w, 0x0E));
	if (g < 12) {
		__m128i w3 = l->m[(g + 3) & 3];
		__m128i t = _mm_sha256msg1_epu32(l->m[g & 3], l->m[(g + 1) & 3]);

		t = _mm_add_epi32(t, _mm_alignr_epi8(w3, l->m[(g + 2) & 3], 4));
		l->m[g & 3] = _mm_sha256msg2_epu32(t, w3);
	}
}

NI_INLINE void lane_end_block(struct lane *l)
{
	l->abef = _mm_add_epi32(l->abef, l->abef_in);
	l->cdgh = _mm_add_epi32(l->cdgh, l->cdgh_in);
}

NI_TARGET void rmm_sha256_ni_blocks(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	struct lane a;

	lane_load_state(&a, state);
	for (; nblocks; nblocks--, blocks += RMM_SHA256_BLOCK) {
		lane_begin_block(&a, blocks);
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++)
			lane_group(&a, g);
		lane_end_block(&a);
	}
	lane_store_state(&a, state);
}

NI_TARGET void rmm_sha256_ni_blocks_x2(uint32_t state_a[8], const uint8_t *pa,
				       uint32_t state_b[8], const uint8_t *pb, size_t nblocks)
{
	struct lane a, b;

	lane_load_state(&a, state_a);
	lane_load_state(&b, state_b);
	for (; nblocks; nblocks--, pa += RMM_SHA256_BLOCK, pb += RMM_SHA256_BLOCK) {
		lane_begin_block(&a, pa);
		lane_begin_block(&b, pb);
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			lane_group(&a, g);
			lane_group(&b, g);
		}
		lane_end_block(&a);
		lane_end_block(&b);
	}
	lane_store_state(&a, state_a);
	lane_store_state(&b, state_b);
}

#else /* !__x86_64__ */

bool rmm_sha256_ni_cpu(void)
{
	return false;
}

void rmm_sha256_ni_blocks(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	(void)state, (void)blocks, (void)nblocks;
	__builtin_trap(); /* unreachable: rmm_sha256_ni_cpu() is false */
}

void rmm_sha256_ni_blocks_x2(uint32_t state_a[8], const uint8_t *a, uint32_t state_b[8],
			     const uint8_t *b, size_t nblocks)
{
	(void)state_a, (void)a, (void)state_b, (void)b, (void)nblocks;
	__builtin_trap();
}

#endif
