/* SPDX-License-Identifier: Apache-2.0 */
/* CBOR reader and writer: well-formed, malformed, hostile inputs. */
#include <string.h>

#include "attest_test.h"
#include "common/error.h"

static int skip_all(const uint8_t *buf, size_t len, unsigned flags)
{
	struct cbor_dec d;
	int r;

	cbor_dec_init(&d, buf, len, flags);
	r = cbor_skip(&d);
	return r < 0 ? r : cbor_dec_finish(&d);
}

START_TEST(test_scalars)
{
	static const uint8_t buf[] = { 0x17, 0x18, 0x18, 0x38, 0x22, 0x43, 1, 2, 3,
				       0x62, 'h', 'i', 0xd2, 0xf5 };
	struct cbor_dec d;
	struct cbor_item it;
	const uint8_t *p;
	const char *s;
	uint64_t u;
	int64_t i;
	size_t n;

	cbor_dec_init(&d, buf, sizeof(buf), CBOR_STRICT);
	ck_assert_int_eq(cbor_read_uint(&d, &u), 0);
	ck_assert_uint_eq(u, 23);
	ck_assert_int_eq(cbor_read_int(&d, &i), 0);
	ck_assert_int_eq(i, 24);
	ck_assert_int_eq(cbor_read_int(&d, &i), 0);
	ck_assert_int_eq(i, -35);
	/* A type mismatch names both types and leaves the cursor alone. */
	ck_assert_int_eq(cbor_read_tstr(&d, &s, &n), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "expected text string"));
	ck_assert_int_eq(cbor_read_bstr(&d, &p, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(p[2], 3);
	ck_assert_int_eq(cbor_read_tstr(&d, &s, &n), 0);
	ck_assert_int_eq(memcmp(s, "hi", 2), 0);
	ck_assert_int_eq(cbor_read_tag(&d, &u), 0);
	ck_assert_uint_eq(u, 18);
	ck_assert_int_eq(cbor_read_item(&d, &it), 0);
	ck_assert_int_eq(it.major, CBOR_SIMPLE);
	ck_assert_int_eq(cbor_dec_finish(&d), 0);
	ck_assert_int_eq(cbor_read_item(&d, &it), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "truncated"));
}
END_TEST

START_TEST(test_encode_roundtrip)
{
	static const int64_t values[] = { 0, 23, 24, 255, 256, 65535, 65536, 4294967295LL,
					  4294967296LL, INT64_MAX, -1, -24, -25, -256, -257,
					  INT64_MIN };
	uint8_t buf[512];
	struct cbor_container c;
	struct cbor_enc e;
	struct cbor_dec d;
	size_t len;

	cbor_enc_init(&e, buf, sizeof(buf));
	cbor_put_array(&e, ARRAY_SIZE(values));
	for (size_t i = 0; i < ARRAY_SIZE(values); i++)
		cbor_put_int(&e, values[i]);
	ck_assert_int_eq(cbor_enc_finish(&e, &len), 0);
	/* The writer's shortest form passes the strict reader. */
	cbor_dec_init(&d, buf, len, CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_array(&d, &c), 0);
	ck_assert_uint_eq(c.count, ARRAY_SIZE(values));
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		int64_t v;

		ck_assert_int_eq(cbor_read_int(&d, &v), 0);
		ck_assert_int_eq(v, values[i]);
	}
	ck_assert_int_eq(cbor_leave(&d, &c), 0);
	ck_assert_int_eq(cbor_dec_finish(&d), 0);
}
END_TEST

START_TEST(test_encode_buffer_too_small)
{
	uint8_t buf[4];
	struct cbor_enc e;
	size_t need;

	cbor_enc_init(&e, buf, sizeof(buf));
	cbor_put_bstr(&e, "0123456789", 10);
	cbor_put_uint(&e, 1000);
	ck_assert_int_eq(cbor_enc_finish(&e, &need), FASCO_E_BUFFER);
	ck_assert_uint_eq(need, 11 + 3);
	cbor_enc_init(&e, NULL, 0);
	cbor_put_tstr(&e, "abc");
	ck_assert_int_eq(cbor_enc_finish(&e, &need), FASCO_E_BUFFER);
	ck_assert_uint_eq(need, 4);
}
END_TEST

START_TEST(test_non_minimal)
{
	static const uint8_t cases[][9] = {
		{ 0x18, 0x05 },             /* 5 in one extra byte */
		{ 0x19, 0x00, 0xff },       /* 255 in two */
		{ 0x1a, 0, 0, 0xff, 0xff }, /* 65535 in four */
		{ 0x1b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff },
		{ 0x58, 0x01, 0xaa },       /* bstr length 1 in one extra byte */
		{ 0x98, 0x00 },             /* empty array, long form */
	};
	static const size_t lens[] = { 2, 3, 5, 9, 3, 2 };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ck_assert_int_eq(skip_all(cases[i], lens[i], CBOR_STRICT), FASCO_E_CBOR);
		ck_assert_ptr_nonnull(strstr(fasco_last_error(), "non-minimal"));
		ck_assert_int_eq(skip_all(cases[i], lens[i], 0), 0);
	}
}
END_TEST

START_TEST(test_indefinite)
{
	/* [_ 1, [_ ], {_ 1: 2}] */
	static const uint8_t ok[] = { 0x9f, 0x01, 0x9f, 0xff, 0xbf, 0x01, 0x02, 0xff, 0xff };
	static const uint8_t str[] = { 0x5f, 0x41, 0x00, 0xff };   /* (_ h'00') */
	static const uint8_t odd[] = { 0xbf, 0x01, 0xff };         /* {_ 1: } */
	static const uint8_t bad_break[] = { 0x82, 0x01, 0xff };   /* [1, break] */
	static const uint8_t lone_break[] = { 0xff };
	static const uint8_t bad_int[] = { 0x1f };
	struct cbor_container c, inner;
	struct cbor_dec d;
	uint64_t u;

	ck_assert_int_eq(skip_all(ok, sizeof(ok), CBOR_STRICT), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "indefinite"));
	cbor_dec_init(&d, ok, sizeof(ok), 0);
	ck_assert_int_eq(cbor_enter_array(&d, &c), 0);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_int_eq(cbor_read_uint(&d, &u), 0);
	ck_assert_int_eq(cbor_enter_array(&d, &inner), 0);
	ck_assert_uint_eq(inner.count, 0);
	ck_assert_int_eq(cbor_leave(&d, &inner), 0);
	ck_assert_int_eq(cbor_enter_map(&d, &inner), 0);
	ck_assert_uint_eq(inner.count, 1);
	ck_assert_int_eq(cbor_leave(&d, &inner), 0);
	ck_assert_int_eq(cbor_leave(&d, &c), 0);
	ck_assert_int_eq(cbor_dec_finish(&d), 0);

	ck_assert_int_eq(skip_all(str, sizeof(str), 0), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "not supported"));
	ck_assert_int_eq(skip_all(odd, sizeof(odd), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(bad_break, sizeof(bad_break), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(lone_break, sizeof(lone_break), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(bad_int, sizeof(bad_int), 0), FASCO_E_CBOR);
}
END_TEST

START_TEST(test_reserved_and_simple)
{
	static const uint8_t reserved[] = { 0x1c }, simple_low[] = { 0xf8, 0x10 };
	static const uint8_t bad_utf8[] = { 0x62, 0xc0, 0xaf }; /* overlong '/' */
	static const uint8_t surrogate[] = { 0x63, 0xed, 0xa0, 0x80 };

	ck_assert_int_eq(skip_all(reserved, 1, 0), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "reserved"));
	ck_assert_int_eq(skip_all(simple_low, 2, 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(bad_utf8, 3, CBOR_STRICT), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "UTF-8"));
	ck_assert_int_eq(skip_all(surrogate, 4, CBOR_STRICT), FASCO_E_CBOR);
}
END_TEST

START_TEST(test_huge_lengths)
{
	static const uint8_t bstr[] = { 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	static const uint8_t tstr[] = { 0x7a, 0x7f, 0xff, 0xff, 0xff, 'a' };
	static const uint8_t arr[] = { 0x9b, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2 };
	static const uint8_t map[] = { 0xbb, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 3 };
	static const uint8_t trunc_head[] = { 0x1b, 0, 0 };

	ck_assert_int_eq(skip_all(bstr, sizeof(bstr), 0), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "remain"));
	ck_assert_int_eq(skip_all(tstr, sizeof(tstr), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(arr, sizeof(arr), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(map, sizeof(map), 0), FASCO_E_CBOR);
	ck_assert_int_eq(skip_all(trunc_head, sizeof(trunc_head), 0), FASCO_E_CBOR);
}
END_TEST

static void nested(uint8_t *buf, size_t depth, uint8_t head)
{
	memset(buf, head, depth);
	buf[depth] = 0x00;
}

START_TEST(test_depth)
{
	uint8_t buf[4096];
	struct cbor_container c;
	struct cbor_dec d;

	nested(buf, CBOR_MAX_DEPTH, 0x81); /* [[[...[0]...]]] */
	ck_assert_int_eq(skip_all(buf, CBOR_MAX_DEPTH + 1, CBOR_STRICT), 0);
	nested(buf, CBOR_MAX_DEPTH + 1, 0x81);
	ck_assert_int_eq(skip_all(buf, CBOR_MAX_DEPTH + 2, CBOR_STRICT), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "nesting"));
	/* Tags count as nesting too, and so do containers entered one by one. */
	nested(buf, 4000, 0xc1);
	ck_assert_int_eq(skip_all(buf, 4001, 0), FASCO_E_CBOR);
	nested(buf, 4000, 0x81);
	cbor_dec_init(&d, buf, 4001, 0);
	ck_assert_int_eq(cbor_enter_array(&d, &c), FASCO_E_CBOR);
	nested(buf, 4000, 0x9f);
	ck_assert_int_eq(skip_all(buf, 4001, 0), FASCO_E_CBOR);
}
END_TEST

START_TEST(test_duplicate_keys)
{
	static const uint8_t ints[] = { 0xa2, 0x01, 0x01, 0x01, 0x02 };
	static const uint8_t texts[] = { 0xa2, 0x61, 'a', 0x01, 0x61, 'a', 0x02 };
	static const uint8_t spelled[] = { 0xa2, 0x18, 0x01, 0x01, 0x01, 0x02 }; /* 1 twice */
	static const uint8_t distinct[] = { 0xa3, 0x01, 0x01, 0x20, 0x02, 0x41, 0x01, 0x03 };
	struct cbor_container c;
	struct cbor_dec d;

	cbor_dec_init(&d, ints, sizeof(ints), CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &c), FASCO_E_DUPLICATE);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "duplicate map key"));
	cbor_dec_init(&d, texts, sizeof(texts), CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &c), FASCO_E_DUPLICATE);
	cbor_dec_init(&d, spelled, sizeof(spelled), 0);
	ck_assert_int_eq(cbor_enter_map(&d, &c), FASCO_E_DUPLICATE);
	cbor_dec_init(&d, distinct, sizeof(distinct), CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &c), 0);
	ck_assert_uint_eq(c.count, 3);
}
END_TEST

static size_t map_of(uint8_t *buf, size_t pairs)
{
	size_t n = 0;

	buf[n++] = 0xb8;
	buf[n++] = (uint8_t)pairs;
	for (size_t i = 0; i < pairs; i++) {
		buf[n++] = 0x18;
		buf[n++] = (uint8_t)(24 + i);
		buf[n++] = 0x00;
	}
	return n;
}

START_TEST(test_map_bound)
{
	uint8_t buf[2 + 3 * (CBOR_MAX_MAP_PAIRS + 1)];
	struct cbor_container c;
	struct cbor_dec d;

	cbor_dec_init(&d, buf, map_of(buf, CBOR_MAX_MAP_PAIRS), CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &c), 0);
	ck_assert_uint_eq(c.count, CBOR_MAX_MAP_PAIRS);
	cbor_dec_init(&d, buf, map_of(buf, CBOR_MAX_MAP_PAIRS + 1), CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &c), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "more than"));
}
END_TEST

/* Truncating a token anywhere gives an error, never a crash or success. */
static void truncate_everywhere(const uint8_t *buf, size_t len)
{
	struct attest_collection col;

	ck_assert_int_eq(skip_all(buf, len, CBOR_STRICT), 0);
	for (size_t n = 0; n < len; n++) {
		ck_assert_int_eq(skip_all(buf, n, CBOR_STRICT), FASCO_E_CBOR);
		ck_assert_int_lt(attest_collection_decode(buf, n, &col), 0);
		ck_assert_str_ne(fasco_last_error(), "");
	}
}

START_TEST(test_truncation_vectors)
{
	static const char *const names[] = { "cca-token-draft-ffm-00.cbor", "bug-33-repro.cbor",
					     "platform-claims.cbor", "realm-claims.cbor" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t len;
		uint8_t *buf = vec_read(names[i], &len);

		truncate_everywhere(buf, len);
		free(buf);
	}
}
END_TEST

START_TEST(test_trailing_bytes)
{
	static const uint8_t buf[] = { 0x01, 0x02 };

	ck_assert_int_eq(skip_all(buf, sizeof(buf), CBOR_STRICT), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "trailing"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attest-cbor");
	TCase *tc = tcase_create("cbor");

	tcase_add_test(tc, test_scalars);
	tcase_add_test(tc, test_encode_roundtrip);
	tcase_add_test(tc, test_encode_buffer_too_small);
	tcase_add_test(tc, test_non_minimal);
	tcase_add_test(tc, test_indefinite);
	tcase_add_test(tc, test_reserved_and_simple);
	tcase_add_test(tc, test_huge_lengths);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_duplicate_keys);
	tcase_add_test(tc, test_map_bound);
	tcase_add_test(tc, test_truncation_vectors);
	tcase_add_test(tc, test_trailing_bytes);
	suite_add_tcase(s, tc);
	return test_run(s);
}
