/* SPDX-License-Identifier: Apache-2.0 */
/* Hash layer: FIPS 180 vectors, SHA-NI and plain C against mbedtls, page hashing. */
#include "common/cleanup.h"
#include "rmm/hash.h"
#include "rmm/rmm.h"
#include "testutil.h"

static const enum rmm_sha256_impl impls[] = { RMM_SHA256_AUTO, RMM_SHA256_MBEDTLS, RMM_SHA256_NI,
						RMM_SHA256_PORTABLE };

static void sha256_with(enum rmm_sha256_impl impl, const void *p, size_t n, uint8_t d[32])
{
	struct rmm_sha256 s;

	rmm_sha256_init(&s, impl);
	rmm_sha256_update(&s, p, n);
	rmm_sha256_final(&s, d);
}

static void check_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[64];
	size_t n = strlen(hex) / 2;

	t_unhex(hex, want);
	ck_assert_mem_eq(got, want, n);
}

/* FIPS 180-2 appendix B vectors, on every SHA-256 back end (loop = impl). */
START_TEST(sha256_fips)
{
	static const char abc256[] =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char empty256[] =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	static const char million256[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const char two_block[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	enum rmm_sha256_impl impl = impls[_i];
	struct rmm_sha256 s;
	uint8_t d[32], a[1000];

	sha256_with(impl, "abc", 3, d);
	check_hex(d, abc256);
	sha256_with(impl, NULL, 0, d);
	check_hex(d, empty256);
	sha256_with(impl, two_block, strlen(two_block), d);
	check_hex(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(a, 'a', sizeof(a));
	rmm_sha256_init(&s, impl);
	for (int i = 0; i < 1000; i++)
		rmm_sha256_update(&s, a, sizeof(a));
	rmm_sha256_final(&s, d);
	check_hex(d, million256);
}
END_TEST

START_TEST(sha512_384_fips)
{
	uint8_t slot[64];

	ck_assert_int_eq(rmm_hash(RMM_HASH_SHA512, "abc", 3, slot), 0);
	check_hex(slot, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	ck_assert_int_eq(rmm_hash(RMM_HASH_SHA384, "abc", 3, slot), 0);
	check_hex(slot, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
			"8086072ba1e7cc2358baeca134c825a7");
	for (int i = 48; i < 64; i++)
		ck_assert_uint_eq(slot[i], 0);
	ck_assert_int_eq(rmm_hash(RMM_HASH_SHA256, "abc", 3, slot), 0);
	for (int i = 32; i < 64; i++)
		ck_assert_uint_eq(slot[i], 0);
	ck_assert_int_eq(rmm_hash(3, "abc", 3, slot), FASCO_E_CONFIG);
	ck_assert_uint_eq(rmm_hash_len(3), 0);
}
END_TEST

/* Every length 0..10000 (random content, random streaming splits). */
START_TEST(sha256_ni_vs_mbedtls)
{
	uint64_t seed = 0x9e3779b97f4a7c15;
	static uint8_t buf[10001];
	uint8_t want[32], got[32];

	t_fill(&seed, buf, sizeof(buf));
	for (size_t len = 0; len <= 10000; len++) {
		const uint8_t *p = buf + (len % 7); /* unaligned starts too */
		size_t n = len > sizeof(buf) - 7 ? sizeof(buf) - 7 : len;

		ck_assert_int_eq(mbedtls_sha256_ret(p, n, want, 0), 0);
		for (unsigned k = 0; k < ARRAY_SIZE(impls); k++) {
			struct rmm_sha256 s;
			size_t off = 0;

			rmm_sha256_init(&s, impls[k]);
			while (off < n) {
				size_t step = 1 + t_rand(&seed) % 150;

				step = step > n - off ? n - off : step;
				rmm_sha256_update(&s, p + off, step);
				off += step;
			}
			rmm_sha256_final(&s, got);
			ck_assert_msg(!memcmp(got, want, 32), "len %zu impl %u", n, k);
		}
	}
}
END_TEST

START_TEST(pages_match_reference)
{
	static const unsigned algos[] = { RMM_HASH_SHA256, RMM_HASH_SHA512, RMM_HASH_SHA384 };
	uint64_t seed = 42;
	size_t npages = 7; /* odd: pairs and a single */
	uint8_t *pages = malloc(npages * RMM_GRANULE_SIZE);
	uint8_t (*slots)[RMM_HASH_SLOT_SIZE] = malloc(npages * sizeof(*slots));
	uint8_t want[64];

	ck_assert_ptr_nonnull(pages);
	ck_assert_ptr_nonnull(slots);
	t_fill(&seed, pages, npages * RMM_GRANULE_SIZE);
	for (unsigned a = 0; a < 3; a++) {
		ck_assert_int_eq(rmm_hash_pages(algos[a], pages, npages, slots), 0);
		for (size_t i = 0; i < npages; i++) {
			t_hash(algos[a], pages + i * RMM_GRANULE_SIZE, RMM_GRANULE_SIZE, want);
			ck_assert_mem_eq(slots[i], want, 64);
		}
	}
	ck_assert_int_eq(rmm_hash_pages(9, pages, 1, slots), FASCO_E_CONFIG);
	free(pages);
	free(slots);
}
END_TEST

START_TEST(ni_x2_lanes_independent)
{
	uint32_t a[8], b[8], ref[8];
	uint8_t blocks_a[128], blocks_b[128];
	uint64_t seed = 7;

	if (!rmm_sha256_ni_supported())
		return;
	t_fill(&seed, blocks_a, sizeof(blocks_a));
	t_fill(&seed, blocks_b, sizeof(blocks_b));
	for (int i = 0; i < 8; i++)
		a[i] = b[i] = ref[i] = 0x01020304u * (uint32_t)(i + 1);
	rmm_sha256_ni_blocks_x2(a, blocks_a, b, blocks_b, 2);
	rmm_sha256_ni_blocks(ref, blocks_a, 2);
	ck_assert_mem_eq(a, ref, sizeof(ref));
	for (int i = 0; i < 8; i++)
		ref[i] = 0x01020304u * (uint32_t)(i + 1);
	rmm_sha256_ni_blocks(ref, blocks_b, 2);
	ck_assert_mem_eq(b, ref, sizeof(ref));
}
END_TEST

static Suite *hash_suite(void)
{
	Suite *s = suite_create("rmm-hash");
	TCase *tc = tcase_create("hash");

	tcase_add_loop_test(tc, sha256_fips, 0, (int)ARRAY_SIZE(impls));
	tcase_add_test(tc, sha512_384_fips);
	tcase_add_test(tc, sha256_ni_vs_mbedtls);
	tcase_add_test(tc, pages_match_reference);
	tcase_add_test(tc, ni_x2_lanes_independent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	printf("SHA-NI: %s\n", rmm_sha256_ni_supported() ? "yes" : "no (fallback tested twice)");
	return t_run(hash_suite());
}
