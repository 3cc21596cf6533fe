/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "attest_test.h"

uint8_t *vec_read(const char *name, size_t *ret_len)
{
	const char *root = getenv("FASCO_SOURCE_ROOT");
	char path[4096];
	uint8_t *buf;
	int r;

	ck_assert_msg(root, "FASCO_SOURCE_ROOT is not set");
	snprintf(path, sizeof(path), "%s/tests/attest/vectors/%s", root, name);
	r = attest_read_file(path, &buf, ret_len);
	ck_assert_msg(r == 0, "cannot read %s: %s", path, fasco_last_error());
	return buf;
}

void test_rot_init(struct test_rot *t, int platform_curve, int realm_curve)
{
	static const uint8_t m1[32] = { 0x11 }, m2[48] = { 0x22 }, signer[32] = { 0x33 };

	memset(t, 0, sizeof(*t));
	attest_privkey_init(&t->platform);
	attest_privkey_init(&t->realm);
	ck_assert_int_eq(attest_privkey_generate(&t->platform, platform_curve), 0);
	ck_assert_int_eq(attest_privkey_generate(&t->realm, realm_curve), 0);
	t->sw[0] = (struct attest_sw_component){ .type = "fasco-shim", .version = "0.1.0",
						 .hash_algo = "sha-256", .measurement = m1,
						 .measurement_len = sizeof(m1), .signer_id = signer,
						 .signer_id_len = sizeof(signer) };
	t->sw[1] = (struct attest_sw_component){ .measurement = m2, .measurement_len = sizeof(m2),
						 .signer_id = signer,
						 .signer_id_len = sizeof(signer) };
	memset(t->in.challenge, 0xc1, sizeof(t->in.challenge));
	memset(t->in.rpv, 0x52, sizeof(t->in.rpv));
	memset(t->in.rim, 0x49, 32);
	for (int i = 0; i < 4; i++)
		memset(t->in.rem[i], 0xe0 + i, 32);
	memset(t->in.implementation_id, 0x1d, sizeof(t->in.implementation_id));
	t->in.config = (const uint8_t *)"cfg";
	t->in.config_len = 3;
	t->in.sw = t->sw;
	t->in.sw_count = 2;
	t->in.verification_service = "https://verifier.example";
}

void test_rot_free(struct test_rot *t)
{
	attest_privkey_free(&t->platform);
	attest_privkey_free(&t->realm);
}

uint8_t *test_rot_token(struct test_rot *t, size_t *ret_len)
{
	struct attest_keys keys = { .platform = &t->platform, .realm = &t->realm };
	size_t need;
	uint8_t *buf;

	ck_assert_int_eq(attest_token_build(&t->in, &keys, NULL, 0, &need), FASCO_E_BUFFER);
	buf = malloc(need);
	ck_assert_ptr_nonnull(buf);
	ck_assert_msg(attest_token_build(&t->in, &keys, buf, need, ret_len) == 0, "%s",
		      fasco_last_error());
	ck_assert_uint_eq(*ret_len, need);
	return buf;
}

uint8_t *test_sign(const struct attest_privkey *key, const uint8_t *payload, size_t len,
		   size_t *ret_len)
{
	struct cbor_enc e;
	uint8_t *buf;

	cbor_enc_init(&e, NULL, 0);
	ck_assert_int_eq(cose_sign1_encode(&e, key, payload, len), 0);
	buf = malloc(e.off);
	ck_assert_ptr_nonnull(buf);
	cbor_enc_init(&e, buf, e.off);
	ck_assert_int_eq(cose_sign1_encode(&e, key, payload, len), 0);
	ck_assert_int_eq(cbor_enc_finish(&e, ret_len), 0);
	return buf;
}

uint8_t *test_collection(const uint8_t *platform, size_t platform_len, const uint8_t *realm,
			 size_t realm_len, size_t *ret_len)
{
	size_t cap = platform_len + realm_len + 32;
	uint8_t *buf = malloc(cap);
	struct cbor_enc e;

	ck_assert_ptr_nonnull(buf);
	cbor_enc_init(&e, buf, cap);
	cbor_put_tag(&e, CCA_TAG_COLLECTION);
	cbor_put_map(&e, 2);
	cbor_put_uint(&e, CCA_LABEL_PLATFORM);
	cbor_put_bstr(&e, platform, platform_len);
	cbor_put_uint(&e, CCA_LABEL_REALM);
	cbor_put_bstr(&e, realm, realm_len);
	ck_assert_int_eq(cbor_enc_finish(&e, ret_len), 0);
	return buf;
}

static size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	ck_assert_uint_le(n, cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

uint8_t *test_edit_claims(const uint8_t *payload, size_t len, int64_t label,
			  enum claim_edit edit, const char *value_hex, size_t *ret_len)
{
	size_t cap = len + 256, value_len = 0, count = 0;
	uint8_t *out = malloc(cap), value[128], *body = malloc(cap);
	struct cbor_container map;
	struct cbor_enc e, b;
	struct cbor_dec d;

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(body);
	if (value_hex)
		value_len = hex_to_bytes(value_hex, value, sizeof(value));
	cbor_dec_init(&d, payload, len, CBOR_STRICT);
	ck_assert_int_eq(cbor_enter_map(&d, &map), 0);
	cbor_enc_init(&b, body, cap);
	for (size_t i = 0; i < map.count; i++) {
		size_t key = d.off;
		struct cbor_item it;

		ck_assert_int_eq(cbor_peek_item(&d, &it), 0);
		ck_assert_int_eq(cbor_skip(&d), 0);
		ck_assert_int_eq(cbor_skip(&d), 0);
		if (edit != EDIT_ADD && it.major == CBOR_UINT && (int64_t)it.val == label)
			continue;
		cbor_put_raw(&b, payload + key, d.off - key);
		count++;
	}
	if (edit != EDIT_REMOVE) {
		cbor_put_int(&b, label);
		cbor_put_raw(&b, value, value_len);
		count++;
	}
	cbor_enc_init(&e, out, cap);
	cbor_put_map(&e, count);
	cbor_put_raw(&e, body, b.off);
	ck_assert_int_eq(cbor_enc_finish(&e, ret_len), 0);
	free(body);
	return out;
}

int test_verify(struct test_rot *t, const uint8_t *token, size_t len,
		struct fasco_token_claims *claims)
{
	struct attest_anchor anchor = { 0 };

	ck_assert_int_eq(attest_privkey_public(&t->platform, &anchor.key), 0);
	return attest_token_verify(token, len, &anchor, 1, NULL, claims);
}

int test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
