/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hash layer: SHA-256 (streaming in sha256_stream.c) on SHA-NI, mbedtls or
 * plain C, SHA-384/512 through mbedtls, and a page hasher that
 * runs two SHA-256 streams side by side on SHA-NI.
 */
#include <string.h>

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "common/error.h"
#include "rmm/bytes.h"
#include "rmm/hash.h"
#include "rmm/rmm.h"

size_t rmm_hash_len(unsigned algo)
{
	switch (algo) {
	case RMM_HASH_SHA256:
		return 32;
	case RMM_HASH_SHA384:
		return 48;
	case RMM_HASH_SHA512:
		return 64;
	default:
		return 0;
	}
}

/* ---- SHA-256 back ends ------------------------------------------------- */

/*
 * mbedtls 2.28 exposes its one-block compression as a public function and
 * its state as a plain member; run it on our state.
 */
static void sha256_blocks_mbedtls(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
	mbedtls_sha256_context m;

	_Static_assert(sizeof(m.state) == 8 * sizeof(uint32_t), "mbedtls SHA-256 state layout");
	mbedtls_sha256_init(&m);
	memcpy(m.state, state, sizeof(m.state));
	for (; nblocks; nblocks--, blocks += RMM_SHA256_BLOCK)
		(void)mbedtls_internal_sha256_process(&m, blocks);
	memcpy(state, m.state, sizeof(m.state));
	mbedtls_sha256_free(&m);
}

bool rmm_sha256_ni_supported(void)
{
	/* 0: not probed yet, 1: yes, 2: no. Probing twice is harmless. */
	static int cached;
	int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);

	if (!v) {
		v = rmm_sha256_ni_cpu() ? 1 : 2;
		__atomic_store_n(&cached, v, __ATOMIC_RELAXED);
	}
	return v == 1;
}

void rmm_sha256_init(struct rmm_sha256 *s, enum rmm_sha256_impl impl)
{
	rmm_sha256_blocks_fn *fn = sha256_blocks_mbedtls;

	if (impl == RMM_SHA256_PORTABLE)
		fn = rmm_sha256_c_blocks;
	else if (impl != RMM_SHA256_MBEDTLS && rmm_sha256_ni_supported())
		fn = rmm_sha256_ni_blocks;
	rmm_sha256_start(s, fn);
}

/* ---- Algorithm-generic interface --------------------------------------- */

int rmm_hash_init(struct rmm_hash_ctx *ctx, unsigned algo)
{
	if (!rmm_hash_len(algo))
		return fasco_fail(FASCO_E_CONFIG, "rmm: hash algorithm %u unsupported", algo);
	ctx->algo = algo;
	if (algo == RMM_HASH_SHA256) {
		rmm_sha256_init(&ctx->u.sha256, RMM_SHA256_AUTO);
	} else {
		mbedtls_sha512_init(&ctx->u.sha512);
		(void)mbedtls_sha512_starts_ret(&ctx->u.sha512, algo == RMM_HASH_SHA384);
	}
	return 0;
}

void rmm_hash_update(struct rmm_hash_ctx *ctx, const void *data, size_t len)
{
	if (ctx->algo == RMM_HASH_SHA256)
		rmm_sha256_update(&ctx->u.sha256, data, len);
	else if (len)
		(void)mbedtls_sha512_update_ret(&ctx->u.sha512, data, len);
}

void rmm_hash_final(struct rmm_hash_ctx *ctx, uint8_t slot[RMM_HASH_SLOT_SIZE])
{
	uint8_t out[RMM_HASH_SLOT_SIZE] = { 0 };
	size_t len = rmm_hash_len(ctx->algo);

	if (ctx->algo == RMM_HASH_SHA256) {
		rmm_sha256_final(&ctx->u.sha256, out);
	} else {
		(void)mbedtls_sha512_finish_ret(&ctx->u.sha512, out);
		mbedtls_sha512_free(&ctx->u.sha512);
	}
	memcpy(slot, out, len);
	memset(slot + len, 0, RMM_HASH_SLOT_SIZE - len);
}

int rmm_hash(unsigned algo, const void *data, size_t len, uint8_t slot[RMM_HASH_SLOT_SIZE])
{
	struct rmm_hash_ctx ctx;
	int r = rmm_hash_init(&ctx, algo);

	if (r < 0)
		return r;
	rmm_hash_update(&ctx, data, len);
	rmm_hash_final(&ctx, slot);
	return 0;
}

/* ---- Pages ------------------------------------------------------------- */

#define PAGE_BLOCKS (RMM_GRANULE_SIZE / RMM_SHA256_BLOCK)

/* The padding block that ends every 4096-byte message: 0x80, length 2^15 bits. */
static const uint8_t page_pad[RMM_SHA256_BLOCK] = {
	[0] = 0x80,
	[RMM_SHA256_BLOCK - 2] = (RMM_GRANULE_SIZE * 8) >> 8,
};
_Static_assert(RMM_GRANULE_SIZE * 8 == 0x8000, "page_pad encodes a 4096-byte length");

static void output_slot(const uint32_t state[8], uint8_t slot[RMM_HASH_SLOT_SIZE])
{
	rmm_sha256_output(state, slot);
	memset(slot + 32, 0, RMM_HASH_SLOT_SIZE - 32);
}

static void sha256_page_pair_ni(const uint8_t *a, const uint8_t *b,
				uint8_t slot_a[RMM_HASH_SLOT_SIZE], uint8_t slot_b[RMM_HASH_SLOT_SIZE])
{
	uint32_t sa[8], sb[8];

	memcpy(sa, rmm_sha256_iv, sizeof(sa));
	memcpy(sb, rmm_sha256_iv, sizeof(sb));
	rmm_sha256_ni_blocks_x2(sa, a, sb, b, PAGE_BLOCKS);
	rmm_sha256_ni_blocks_x2(sa, page_pad, sb, page_pad, 1);
	output_slot(sa, slot_a);
	output_slot(sb, slot_b);
}

int rmm_hash_pages(unsigned algo, const uint8_t *pages, size_t npages,
		   uint8_t (*slots)[RMM_HASH_SLOT_SIZE])
{
	size_t i = 0;

	if (!rmm_hash_len(algo))
		return fasco_fail(FASCO_E_CONFIG, "rmm: hash algorithm %u unsupported", algo);
	if (algo == RMM_HASH_SHA256 && rmm_sha256_ni_supported()) {
		for (; i + 2 <= npages; i += 2)
			sha256_page_pair_ni(pages + i * RMM_GRANULE_SIZE,
					    pages + (i + 1) * RMM_GRANULE_SIZE, slots[i], slots[i + 1]);
	}
	for (; i < npages; i++)
		(void)rmm_hash(algo, pages + i * RMM_GRANULE_SIZE, RMM_GRANULE_SIZE, slots[i]);
	return 0;
}
