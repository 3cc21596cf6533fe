/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the rmm tests. Everything here is written independently of
 * lib/rmm: expected values are built byte by byte and hashed with mbedtls
 * directly, so a test never checks the library against itself.
 */
#ifndef FASCO_TESTS_RMM_TESTUTIL_H
#define FASCO_TESTS_RMM_TESTUTIL_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <fasco/fasco.h>

/* Decode hex into out (exactly strlen(hex) / 2 bytes). */
static inline void t_unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (uint8_t)v;
	}
}

/* Reference hash: algo 0 = SHA-256, 1 = SHA-512, 2 = SHA-384; 64-byte slot. */
static inline size_t t_hash(unsigned algo, const void *data, size_t len, uint8_t slot[64])
{
	uint8_t out[64] = { 0 };
	size_t dlen = algo == 0 ? 32 : algo == 1 ? 64 : 48;

	if (algo == 0)
		ck_assert_int_eq(mbedtls_sha256_ret(data, len, out, 0), 0);
	else
		ck_assert_int_eq(mbedtls_sha512_ret(data, len, out, algo == 2), 0);
	memset(slot, 0, 64);
	memcpy(slot, out, dlen);
	return dlen;
}

/* Little-endian store, written out separately from lib/rmm/bytes.h. */
static inline void t_le64(uint8_t *p, uint64_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
	p[4] = (v >> 32) & 0xff;
	p[5] = (v >> 40) & 0xff;
	p[6] = (v >> 48) & 0xff;
	p[7] = (v >> 56) & 0xff;
}

/* Deterministic pseudo-random bytes (xorshift64*). */
static inline uint64_t t_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static inline void t_fill(uint64_t *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(t_rand(s) >> 56);
}

static inline int t_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
