/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 throughput of the hash layer's back ends (meson benchmark, or run
 * by hand): mbedtls one-shot, the streaming layer on each compression
 * function, and the page hasher that RIM population uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/sha256.h>

#include "rmm/hash.h"
#include "rmm/rmm.h"

#define BUF_SIZE (64u << 20)
#define PAGES (BUF_SIZE / RMM_GRANULE_SIZE)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void report(const char *name, double seconds, unsigned rounds)
{
	printf("%-34s %8.0f MB/s\n", name, (double)BUF_SIZE * rounds / seconds / 1e6);
}

static void bench_stream(const char *name, enum rmm_sha256_impl impl, const uint8_t *buf,
			 unsigned rounds)
{
	struct rmm_sha256 s;
	uint8_t d[32];
	double t = now();

	for (unsigned r = 0; r < rounds; r++) {
		rmm_sha256_init(&s, impl);
		rmm_sha256_update(&s, buf, BUF_SIZE);
		rmm_sha256_final(&s, d);
	}
	report(name, now() - t, rounds);
}

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 4;
	uint8_t (*slots)[RMM_HASH_SLOT_SIZE] = malloc(PAGES * sizeof(*slots));
	uint8_t *buf = malloc(BUF_SIZE), d[32];
	double t;

	if (!buf || !slots || !rounds)
		return 1;
	for (size_t i = 0; i < BUF_SIZE; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	printf("SHA-NI supported: %s\n", rmm_sha256_ni_supported() ? "yes" : "no");

	t = now();
	for (unsigned r = 0; r < rounds; r++)
		mbedtls_sha256_ret(buf, BUF_SIZE, d, 0);
	report("mbedtls_sha256_ret", now() - t, rounds);
	bench_stream("rmm_sha256 (mbedtls blocks)", RMM_SHA256_MBEDTLS, buf, rounds);
	if (rmm_sha256_ni_supported())
		bench_stream("rmm_sha256 (SHA-NI)", RMM_SHA256_NI, buf, rounds);

	t = now();
	for (unsigned r = 0; r < rounds; r++)
		rmm_hash_pages(RMM_HASH_SHA256, buf, PAGES, slots);
	report("rmm_hash_pages SHA-256 (4 KiB)", now() - t, rounds);
	t = now();
	for (unsigned r = 0; r < rounds; r++)
		rmm_hash_pages(RMM_HASH_SHA512, buf, PAGES, slots);
	report("rmm_hash_pages SHA-512 (4 KiB)", now() - t, rounds);
	free(buf);
	free(slots);
	return 0;
}
