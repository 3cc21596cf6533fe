/* SPDX-License-Identifier: Apache-2.0 */
/* Key formats: PEM, JWK, trust anchors, COSE_Key, raw; private key files. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest_test.h"
#include "common/error.h"

/* The Arm test CPAK of cpak.json / ta-tfa.json, as its x coordinate prefix. */
static const uint8_t cpak_x_prefix[] = { 0x21, 0x28, 0x67, 0xc5 };

static void load_cpak(struct attest_pubkey *key)
{
	size_t len;
	uint8_t *buf = vec_read("cpak.json", &len);

	ck_assert_msg(attest_pubkey_from_jwk((char *)buf, len, key) == 0, "%s", fasco_last_error());
	free(buf);
}

START_TEST(test_jwk_and_ta)
{
	struct attest_anchor anchors[ATTEST_MAX_ANCHORS];
	struct attest_pubkey jwk;
	size_t len, n;
	uint8_t *buf;

	load_cpak(&jwk);
	ck_assert_int_eq(jwk.curve, ATTEST_CURVE_P384);
	ck_assert_uint_eq(jwk.point_len, 97);
	ck_assert_int_eq(memcmp(jwk.point + 1, cpak_x_prefix, sizeof(cpak_x_prefix)), 0);

	buf = vec_read("ta-tfa.json", &len);
	ck_assert_int_eq(attest_key_format_guess(buf, len), FASCO_KEY_TA_JSON);
	ck_assert_int_eq(attest_anchors_parse((char *)buf, len, anchors, ATTEST_MAX_ANCHORS, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(anchors[0].has_instance_id && anchors[0].has_implementation_id);
	ck_assert_int_eq(anchors[0].instance_id[0], 0x01);
	ck_assert_int_eq(anchors[0].implementation_id[0], 0x7f);
	ck_assert_int_eq(memcmp(anchors[0].key.point, jwk.point, jwk.point_len), 0);
	free(buf);
}
END_TEST

START_TEST(test_pem_roundtrip)
{
	struct attest_pubkey jwk, back;
	uint8_t point[FASCO_KEY_MAX_POINT];
	char pem[512];
	size_t len, n;

	load_cpak(&jwk);
	ck_assert_int_eq(fasco_key_to_pem(jwk.point, jwk.point_len, pem, sizeof(pem), &len), 0);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN PUBLIC KEY-----"));
	ck_assert_int_eq(attest_key_format_guess((uint8_t *)pem, len), FASCO_KEY_PEM);
	ck_assert_int_eq(attest_pubkey_from_pem((uint8_t *)pem, len, &back), 0);
	ck_assert_int_eq(memcmp(back.point, jwk.point, jwk.point_len), 0);
	ck_assert_int_eq(fasco_key_parse((uint8_t *)pem, len, FASCO_KEY_AUTO, point, sizeof(point),
					 &n), 0);
	ck_assert_uint_eq(n, 97);
	ck_assert_int_eq(fasco_key_to_pem(jwk.point, jwk.point_len, pem, 20, &len), FASCO_E_BUFFER);
	static const char short_pem[] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	ck_assert_int_eq(fasco_key_parse((const uint8_t *)short_pem, sizeof(short_pem) - 1,
					 FASCO_KEY_PEM, point, sizeof(point), &n), FASCO_E_KEY);
}
END_TEST

START_TEST(test_public_api_files)
{
	uint8_t point[FASCO_KEY_MAX_POINT];
	char path[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/attest/vectors/ta-tfa.json",
		 getenv("FASCO_SOURCE_ROOT"));
	ck_assert_int_eq(fasco_key_parse_file(path, FASCO_KEY_AUTO, point, sizeof(point), &n), 0);
	ck_assert_uint_eq(n, 97);
	ck_assert_int_eq(fasco_key_parse_file(path, FASCO_KEY_AUTO, point, 10, &n), FASCO_E_BUFFER);
	ck_assert_uint_eq(n, 97);
	ck_assert_int_eq(fasco_key_parse_file("/nonexistent/key.pem", 0, point, sizeof(point), &n),
			 -ENOENT);
	ck_assert_int_eq(fasco_key_parse_file(NULL, 0, point, sizeof(point), &n), -EINVAL);
	ck_assert_int_eq(fasco_key_parse(point, 0, 99, point, sizeof(point), &n), -EINVAL);
}
END_TEST

/* Bad JWKs: each gives FASCO_E_KEY with a message. */
START_TEST(test_jwk_bad)
{
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"kty\":\"RSA\",\"crv\":\"P-384\",\"x\":\"\",\"y\":\"\"}",
		"{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}",
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}",
		/* right length, wrong alphabet ('+' is base64, not base64url) */
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		"\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
		/* non-zero padding bits in the last character */
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\","
		"\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
		/* valid encoding, (0, 0) is not on the curve */
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		"\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
		"{\"kty\":\"EC\",\"kty\":\"EC\"}",
		"{\"kty\":\"EC\",\"d\":\"AA\"}",
		"{\"kty\":\"EC\"} trailing",
		"{\"kty\":\"EC\",}",
		"{\"kty\":\"E\\u0043\",\"crv\":\"P-256\"",
		"{\"kty\":\"EC\x01\"}",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}",
		"{\"a\":01}",
		"{\"a\":tru}",
	};
	struct attest_pubkey key;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(attest_pubkey_from_jwk(bad[i], strlen(bad[i]), &key) == FASCO_E_KEY,
			      "accepted bad JWK %zu", i);
		ck_assert_str_ne(fasco_last_error(), "");
	}
}
END_TEST

START_TEST(test_jwk_truncated_everywhere)
{
	struct attest_anchor anchors[ATTEST_MAX_ANCHORS];
	struct attest_pubkey key;
	size_t len, n;
	uint8_t *jwk = vec_read("cpak.json", &len);
	uint8_t *ta;

	for (size_t i = 0; i < len - 1; i++)
		ck_assert_int_lt(attest_pubkey_from_jwk((char *)jwk, i, &key), 0);
	free(jwk);
	ta = vec_read("ta-tfa.json", &len);
	for (size_t i = 0; i < len - 1; i++)
		ck_assert_int_lt(attest_anchors_parse((char *)ta, i, anchors, ATTEST_MAX_ANCHORS, &n), 0);
	free(ta);
}
END_TEST

START_TEST(test_ta_bad)
{
	static const char *const bad[] = {
		"[]",
		"[{\"implementation-id\":\"00\"}]",
		"[{\"pkey\":{\"kty\":\"EC\"}}]",
		"[{\"pkey\":1}]",
		"[{\"instance-id\":\"zz\"}]",
	};
	struct attest_anchor anchors[3];
	char many[4096] = "[";
	size_t len, n;
	uint8_t *one = vec_read("cpak.json", &len);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_int_eq(attest_anchors_parse(bad[i], strlen(bad[i]), anchors, 2, &n),
				 FASCO_E_KEY);
	/* More anchors than room. */
	for (int i = 0; i < 3; i++) {
		strcat(many, i ? ",{\"pkey\":" : "{\"pkey\":");
		strncat(many, (char *)one, len);
		strcat(many, "}");
	}
	strcat(many, "]");
	ck_assert_int_eq(attest_anchors_parse(many, strlen(many), anchors, 2, &n), FASCO_E_KEY);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "more than 2"));
	ck_assert_int_eq(attest_anchors_parse(many, strlen(many), anchors, 3, &n), 0);
	ck_assert_uint_eq(n, 3);
	free(one);
}
END_TEST

START_TEST(test_cose_key_and_raw)
{
	struct attest_pubkey jwk, back;
	uint8_t buf[256], bad[256];
	struct cbor_enc e;
	size_t len;

	load_cpak(&jwk);
	cbor_enc_init(&e, buf, sizeof(buf));
	attest_pubkey_put_cose(&e, &jwk);
	ck_assert_int_eq(cbor_enc_finish(&e, &len), 0);
	ck_assert_int_eq(attest_key_format_guess(buf, len), FASCO_KEY_COSE);
	ck_assert_int_eq(attest_pubkey_from_cose_key(buf, len, &back), 0);
	ck_assert_int_eq(memcmp(back.point, jwk.point, jwk.point_len), 0);
	/* kty 1 (OKP), crv 7, y flipped off the curve, truncated, private. */
	memcpy(bad, buf, len);
	bad[2] = 0x01;
	ck_assert_int_eq(attest_pubkey_from_cose_key(bad, len, &back), FASCO_E_KEY);
	memcpy(bad, buf, len);
	bad[4] = 0x07;
	ck_assert_int_eq(attest_pubkey_from_cose_key(bad, len, &back), FASCO_E_KEY);
	memcpy(bad, buf, len);
	bad[len - 1] ^= 1;
	ck_assert_int_eq(attest_pubkey_from_cose_key(bad, len, &back), FASCO_E_KEY);
	for (size_t i = 0; i < len; i++)
		ck_assert_int_lt(attest_pubkey_from_cose_key(buf, i, &back), 0);

	ck_assert_int_eq(attest_pubkey_from_raw(jwk.point, jwk.point_len, &back), 0);
	ck_assert_int_eq(attest_pubkey_from_raw(jwk.point, 96, &back), FASCO_E_KEY);
	memcpy(bad, jwk.point, jwk.point_len);
	bad[0] = 0x02;
	ck_assert_int_eq(attest_pubkey_from_raw(bad, jwk.point_len, &back), FASCO_E_KEY);
	bad[0] = 0x04;
	bad[50] ^= 0x10;
	ck_assert_int_eq(attest_pubkey_from_raw(bad, jwk.point_len, &back), FASCO_E_KEY);
}
END_TEST

static void tmpdir(char *dir, size_t cap)
{
	snprintf(dir, cap, "/tmp/fasco-attest-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

START_TEST(test_private_key_file)
{
	struct attest_privkey key, back;
	struct attest_pubkey a, b;
	char dir[64], path[128], link_path[128];
	struct stat st;

	umask(0); /* the file must be 0600 whatever the umask */
	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/key.pem", dir);
	attest_privkey_init(&key);
	attest_privkey_init(&back);
	ck_assert_int_eq(attest_privkey_generate(&key, ATTEST_CURVE_P384), 0);
	ck_assert_int_eq(attest_privkey_save(&key, path), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(attest_privkey_save(&key, path), -EEXIST);
	ck_assert_int_eq(attest_privkey_load(&back, path), 0);
	ck_assert_int_eq(attest_privkey_public(&key, &a), 0);
	ck_assert_int_eq(attest_privkey_public(&back, &b), 0);
	ck_assert_int_eq(memcmp(a.point, b.point, a.point_len), 0);
	/* Symlinks and group/other-readable files are refused. */
	snprintf(link_path, sizeof(link_path), "%s/link.pem", dir);
	ck_assert_int_eq(symlink(path, link_path), 0);
	ck_assert_int_eq(attest_privkey_load(&back, link_path), -ELOOP);
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(attest_privkey_load(&back, path), FASCO_E_KEY);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "group or others"));
	attest_privkey_free(&key);
	attest_privkey_free(&back);
	unlink(link_path);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_platform_key_load_or_create)
{
	struct attest_privkey k1, k2;
	struct attest_pubkey a, b;
	char dir[64], state[128], path[192];
	struct stat st;

	tmpdir(dir, sizeof(dir));
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(path, sizeof(path), "%s/%s", state, ATTEST_PLATFORM_KEY_FILE);
	attest_privkey_init(&k1);
	attest_privkey_init(&k2);
	ck_assert_int_eq(attest_platform_key_load_or_create(state, &k1), 0);
	ck_assert_int_eq(stat(state, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(attest_privkey_curve(&k1), ATTEST_CURVE_P384);
	ck_assert_int_eq(attest_platform_key_load_or_create(state, &k2), 0);
	ck_assert_int_eq(attest_privkey_public(&k1, &a), 0);
	ck_assert_int_eq(attest_privkey_public(&k2, &b), 0);
	ck_assert_int_eq(memcmp(a.point, b.point, a.point_len), 0);
	attest_privkey_free(&k1);
	attest_privkey_free(&k2);
	unlink(path);
	rmdir(state);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attest-keys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_jwk_and_ta);
	tcase_add_test(tc, test_pem_roundtrip);
	tcase_add_test(tc, test_public_api_files);
	tcase_add_test(tc, test_jwk_bad);
	tcase_add_test(tc, test_jwk_truncated_everywhere);
	tcase_add_test(tc, test_ta_bad);
	tcase_add_test(tc, test_cose_key_and_raw);
	tcase_add_test(tc, test_private_key_file);
	tcase_add_test(tc, test_platform_key_load_or_create);
	suite_add_tcase(s, tc);
	return test_run(s);
}
