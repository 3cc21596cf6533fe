/* SPDX-License-Identifier: Apache-2.0 */
/* Whole tokens: vectors, generated tokens, tampering, public API. */
#include <stdio.h>
#include <string.h>

#include "attest_test.h"
#include "common/error.h"

static int verify_vector(const char *token_name, const char *anchor_name, int format,
			 struct fasco_token_claims *claims)
{
	struct fasco_verify_opts opts = { .size = sizeof(opts), .anchor_format = (uint32_t)format };
	size_t len, anchor_len;
	uint8_t *token = vec_read(token_name, &len);
	uint8_t *anchor = vec_read(anchor_name, &anchor_len);
	int r;

	opts.anchor = anchor;
	opts.anchor_len = anchor_len;
	claims->size = sizeof(*claims);
	r = fasco_token_verify(token, len, &opts, claims);
	free(token);
	free(anchor);
	return r;
}

START_TEST(test_draft_token_valid)
{
	struct fasco_token_claims c;

	ck_assert_msg(verify_vector("cca-token-draft-ffm-00.cbor", "ta-tfa.json", FASCO_KEY_TA_JSON,
				    &c) == 0, "%s", fasco_last_error());
	ck_assert_uint_eq(c.collection_tag, 399);
	ck_assert_uint_eq(c.platform_verified, 1);
	ck_assert_int_eq(c.platform.alg, COSE_ALG_ES384);
	ck_assert_int_eq(c.realm.alg, COSE_ALG_ES384);
	ck_assert_str_eq(c.realm.profile, CCA_REALM_PROFILE_1_0);
	ck_assert_uint_eq(c.realm.measurement_len, 32);
	ck_assert_int_eq(c.realm.rim[0], 0x31);
	ck_assert_int_eq(c.realm.rem[3][0], 0x32);
	ck_assert_uint_eq(c.realm.rak_len, 97);
	ck_assert_uint_eq(c.platform.sw_count, 13);
	ck_assert_str_eq(c.platform.sw[12].type, "SOC_FW_CONFIG");
	ck_assert_uint_eq(c.platform.lifecycle, 0x3003);
	ck_assert_int_eq(c.platform.instance_id[0], 0x01);
	ck_assert_msg(verify_vector("cca-token-draft-ffm-00.cbor", "cpak.json", FASCO_KEY_AUTO, &c) ==
		      0, "%s", fasco_last_error());
	ck_assert_msg(verify_vector("cca-token-draft-ffm-00.cbor", "cpak.json", FASCO_KEY_JWK, &c) ==
		      0, "%s", fasco_last_error());
}
END_TEST

START_TEST(test_bug33_binding)
{
	struct fasco_token_claims c;

	ck_assert_int_eq(verify_vector("bug-33-repro.cbor", "ta-tfa.json", FASCO_KEY_AUTO, &c),
			 FASCO_E_BINDING);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "sha-256 of the realm public key"));
}
END_TEST

START_TEST(test_anchor_selection)
{
	struct fasco_verify_opts opts = { .size = sizeof(opts) };
	struct fasco_token_claims c = { .size = sizeof(c) };
	struct test_rot t;
	struct attest_pubkey other;
	char ta[1024], pem[512];
	size_t len, n;
	uint8_t *token = vec_read("cca-token-draft-ffm-00.cbor", &len);
	uint8_t *cpak = vec_read("cpak.json", &n);

	/* No anchor fails closed; skipping the platform check is explicit. */
	ck_assert_int_eq(fasco_token_verify(token, len, NULL, NULL), FASCO_E_KEY);
	opts.flags = FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, &c), 0);
	ck_assert_uint_eq(c.platform_verified, 0);
	/* A different key: the signature fails. */
	test_rot_init(&t, ATTEST_CURVE_P384, ATTEST_CURVE_P384);
	ck_assert_int_eq(attest_privkey_public(&t.platform, &other), 0);
	ck_assert_int_eq(attest_pubkey_to_pem(&other, pem, sizeof(pem)), 0);
	opts = (struct fasco_verify_opts){ .size = sizeof(opts), .anchor = (uint8_t *)pem,
					   .anchor_len = strlen(pem) };
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_SIGNATURE);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "platform token"));
	/* The right key but an anchor for another instance: no anchor matches. */
	snprintf(ta, sizeof(ta), "[{\"pkey\":%.*s,\"instance-id\":\"01%064d\"}]", (int)n,
		 (char *)cpak, 0);
	opts.anchor = (uint8_t *)ta;
	opts.anchor_len = strlen(ta);
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_KEY);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "no trust anchor matches"));
	/* Two anchors: the one for this instance is picked. */
	snprintf(ta, sizeof(ta),
		 "[{\"pkey\":%.*s,\"instance-id\":\"01%064d\"},{\"pkey\":%.*s,\"instance-id\":"
		 "\"0107060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918\"}]",
		 (int)n, (char *)cpak, 0, (int)n, (char *)cpak);
	opts.anchor_len = strlen(ta);
	ck_assert_msg(fasco_token_verify(token, len, &opts, NULL) == 0, "%s", fasco_last_error());
	/* Struct sizes are checked. */
	opts.size = 8;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), -EINVAL);
	test_rot_free(&t);
	free(cpak);
	free(token);
}
END_TEST

START_TEST(test_appraisal)
{
	struct fasco_verify_opts opts = { .size = sizeof(opts), .anchor_format = FASCO_KEY_JWK };
	struct fasco_token_claims c = { .size = sizeof(c) };
	uint8_t wrong[64] = { 0 };
	size_t len, n;
	uint8_t *token = vec_read("cca-token-draft-ffm-00.cbor", &len);
	uint8_t *cpak = vec_read("cpak.json", &n);

	opts.anchor = cpak;
	opts.anchor_len = n;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, &c), 0);
	/* The claims' own values pass as references. */
	opts.challenge = c.realm.challenge;
	opts.challenge_len = 64;
	opts.rpv = c.realm.rpv;
	opts.rpv_len = 64;
	opts.rim = c.realm.rim;
	opts.rim_len = c.realm.measurement_len;
	for (int i = 0; i < 4; i++) {
		opts.rem[i] = c.realm.rem[i];
		opts.rem_len[i] = c.realm.measurement_len;
	}
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), 0);
	opts.challenge = wrong;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_CHALLENGE);
	opts.challenge = c.realm.challenge;
	opts.rim = wrong;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_REFERENCE);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "initial measurement"));
	opts.rim = c.realm.rim;
	opts.rim_len = 64; /* a padded slot is not the digest */
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_REFERENCE);
	opts.rim_len = c.realm.measurement_len;
	opts.rem[2] = wrong;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_REFERENCE);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "REM[2]"));
	opts.rem[2] = NULL;
	opts.rpv = wrong;
	ck_assert_int_eq(fasco_token_verify(token, len, &opts, NULL), FASCO_E_REFERENCE);
	free(cpak);
	free(token);
}
END_TEST

/* Generated tokens verify with every supported curve, hash and collection form. */
static void roundtrip(int platform_curve, int realm_curve, uint32_t rha, uint32_t tag)
{
	struct fasco_token_claims c;
	struct test_rot t;
	size_t len;
	uint8_t *token;

	test_rot_init(&t, platform_curve, realm_curve);
	t.in.hash_algo = rha;
	t.in.collection_tag = tag;
	token = test_rot_token(&t, &len);
	ck_assert_msg(test_verify(&t, token, len, &c) == 0, "curves %d/%d rha %u tag %u: %s",
		      platform_curve, realm_curve, rha, tag, fasco_last_error());
	ck_assert_uint_eq(c.collection_tag, tag ? tag : 399);
	ck_assert_uint_eq(c.realm.measurement_len, rha == 0 ? 32 : rha == 1 ? 64 : 48);
	ck_assert_int_eq(memcmp(c.realm.challenge, t.in.challenge, 64), 0);
	ck_assert_int_eq(memcmp(c.realm.rpv, t.in.rpv, 64), 0);
	ck_assert_int_eq(memcmp(c.realm.rim, t.in.rim, c.realm.measurement_len), 0);
	ck_assert_int_eq(memcmp(c.realm.rem[3], t.in.rem[3], c.realm.measurement_len), 0);
	ck_assert_str_eq(c.realm.profile, CCA_REALM_PROFILE_1_0);
	ck_assert_str_eq(c.platform.profile, CCA_PLATFORM_PROFILE_1_0);
	ck_assert_uint_eq(c.platform.lifecycle, ATTEST_LIFECYCLE_SOFTWARE);
	ck_assert_int_eq(c.platform.instance_id[0], 0x01);
	ck_assert_uint_eq(c.platform.challenge_len, 32);
	ck_assert_uint_eq(c.platform.sw_count, 2);
	ck_assert_str_eq(c.platform.sw[0].type, "fasco-shim");
	ck_assert_str_eq(c.platform.sw[1].type, "");
	ck_assert_uint_eq(c.platform.config_len, 3);
	ck_assert_int_eq(c.platform.alg, attest_alg_by_curve(platform_curve)->cose_alg);
	free(token);
	test_rot_free(&t);
}

START_TEST(test_generated_roundtrip)
{
	roundtrip(ATTEST_CURVE_P384, ATTEST_CURVE_P384, 0, 0);
	roundtrip(ATTEST_CURVE_P256, ATTEST_CURVE_P384, 1, 399);
	roundtrip(ATTEST_CURVE_P521, ATTEST_CURVE_P384, 2, 907);
	roundtrip(ATTEST_CURVE_P384, ATTEST_CURVE_P256, 0, 907);
	roundtrip(ATTEST_CURVE_P384, ATTEST_CURVE_P521, 1, 0);
}
END_TEST

START_TEST(test_build_errors)
{
	struct attest_keys keys;
	struct test_rot t;
	uint8_t buf[16];
	size_t len;

	test_rot_init(&t, ATTEST_CURVE_P384, ATTEST_CURVE_P384);
	keys = (struct attest_keys){ .platform = &t.platform, .realm = &t.realm };
	ck_assert_int_eq(attest_token_build(&t.in, &keys, buf, sizeof(buf), &len), FASCO_E_BUFFER);
	ck_assert_uint_gt(len, sizeof(buf));
	t.in.hash_algo = 3;
	ck_assert_int_eq(attest_token_build(&t.in, &keys, NULL, 0, &len), -EINVAL);
	t.in.hash_algo = 0;
	t.in.sw_count = 0;
	ck_assert_int_eq(attest_token_build(&t.in, &keys, NULL, 0, &len), -EINVAL);
	t.in.sw_count = 2;
	keys.realm = NULL;
	ck_assert_int_eq(attest_token_build(&t.in, &keys, NULL, 0, &len), FASCO_E_KEY);
	test_rot_free(&t);
}
END_TEST

/* Every single-bit flip of a generated token is rejected. */
START_TEST(test_bit_flips)
{
	struct test_rot t;
	size_t len, step = getenv("FASCO_TEST_QUICK") ? 7 : 1;
	uint8_t *token;

	test_rot_init(&t, ATTEST_CURVE_P384, ATTEST_CURVE_P384);
	token = test_rot_token(&t, &len);
	for (size_t bit = 0; bit < 8 * len; bit += step) {
		token[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(test_verify(&t, token, len, NULL) < 0, "flip of bit %zu accepted", bit);
		token[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(test_verify(&t, token, len, NULL), 0);
	for (size_t n = 0; n < len; n++)
		ck_assert_int_lt(test_verify(&t, token, n, NULL), 0);
	free(token);
	test_rot_free(&t);
}
END_TEST

/* Pieces of a generated token, to re-sign after an edit. */
struct parts {
	struct test_rot t;
	uint8_t *token;
	size_t len;
	struct attest_collection col;
	struct cose_sign1 platform, realm;
};

static void parts_init(struct parts *p)
{
	test_rot_init(&p->t, ATTEST_CURVE_P384, ATTEST_CURVE_P384);
	p->token = test_rot_token(&p->t, &p->len);
	ck_assert_int_eq(attest_collection_decode(p->token, p->len, &p->col), 0);
	ck_assert_int_eq(cose_sign1_decode(p->col.platform, p->col.platform_len, 0, &p->platform), 0);
	ck_assert_int_eq(cose_sign1_decode(p->col.realm, p->col.realm_len, 0, &p->realm), 0);
}

static void parts_free(struct parts *p)
{
	free(p->token);
	test_rot_free(&p->t);
}

/* Re-sign one edited token with key (NULL: its own key) and verify the whole. */
static int verify_edited(struct parts *p, bool realm, int64_t label, enum claim_edit edit,
			 const char *value, const struct attest_privkey *key)
{
	const struct cose_sign1 *msg = realm ? &p->realm : &p->platform;
	size_t payload_len, signed_len, token_len;
	uint8_t *payload = test_edit_claims(msg->payload, msg->payload_len, label, edit, value,
					    &payload_len);
	uint8_t *resigned, *token;
	int r;

	if (!key)
		key = realm ? &p->t.realm : &p->t.platform;
	resigned = test_sign(key, payload, payload_len, &signed_len);
	token = realm ? test_collection(p->col.platform, p->col.platform_len, resigned, signed_len,
					&token_len)
		      : test_collection(resigned, signed_len, p->col.realm, p->col.realm_len,
					&token_len);
	r = test_verify(&p->t, token, token_len, NULL);
	free(token);
	free(resigned);
	free(payload);
	return r;
}

START_TEST(test_signed_claim_tampering)
{
	static const struct {
		bool realm;
		int64_t label;
		enum claim_edit edit;
		const char *value;
		int expect;
	} cases[] = {
		{ true, 99, EDIT_ADD, "f6", 0 }, /* unknown claim: still valid */
		{ true, 10, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ true, 10, EDIT_ADD, "4100", FASCO_E_DUPLICATE },
		{ true, 44238, EDIT_REPLACE, "4100", FASCO_E_CLAIM_INVALID },
		{ true, 44239, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ true, 44240, EDIT_REPLACE, "677368612d353132", FASCO_E_BINDING },
		{ true, 44240, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ true, 44237, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ true, 265, EDIT_REMOVE, NULL, FASCO_E_KEY }, /* legacy: RAK must be raw */
		{ false, 10, EDIT_REPLACE, "5820" "00000000000000000000000000000000"
					   "00000000000000000000000000000000", FASCO_E_BINDING },
		{ false, 10, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ false, 2395, EDIT_REPLACE, "193000", 0 }, /* claims can say anything once signed */
		{ false, 2395, EDIT_REPLACE, "198000", FASCO_E_CLAIM_INVALID },
		{ false, 2399, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ false, 2396, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
		{ false, 256, EDIT_REPLACE, "4101", FASCO_E_CLAIM_INVALID },
	};
	struct parts p;

	parts_init(&p);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = verify_edited(&p, cases[i].realm, cases[i].label, cases[i].edit,
				      cases[i].value, NULL);

		ck_assert_msg(r == cases[i].expect, "case %zu: got %d (%s), want %d", i, r,
			      fasco_last_error(), cases[i].expect);
	}
	/* Unedited payloads signed by the wrong key. */
	ck_assert_int_eq(verify_edited(&p, true, 99, EDIT_ADD, "f6", &p.t.platform),
			 FASCO_E_SIGNATURE);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "realm token"));
	ck_assert_int_eq(verify_edited(&p, false, 99, EDIT_ADD, "f6", &p.t.realm), FASCO_E_SIGNATURE);
	parts_free(&p);
}
END_TEST

/* A different, validly signed RAK breaks the binding. */
START_TEST(test_swapped_rak)
{
	struct attest_privkey other;
	struct attest_pubkey pub;
	uint8_t key[160], claim[170];
	char hex[2 * sizeof(claim) + 1];
	struct cbor_enc e;
	struct parts p;

	parts_init(&p);
	attest_privkey_init(&other);
	ck_assert_int_eq(attest_privkey_generate(&other, ATTEST_CURVE_P384), 0);
	ck_assert_int_eq(attest_privkey_public(&other, &pub), 0);
	cbor_enc_init(&e, key, sizeof(key));
	attest_pubkey_put_cose(&e, &pub);
	cbor_enc_init(&e, claim, sizeof(claim));
	cbor_put_bstr(&e, key, 107);
	for (size_t i = 0; i < e.off; i++)
		sprintf(hex + 2 * i, "%02x", claim[i]);
	ck_assert_int_eq(verify_edited(&p, true, 44237, EDIT_REPLACE, hex, &other), FASCO_E_BINDING);
	attest_privkey_free(&other);
	parts_free(&p);
}
END_TEST

START_TEST(test_structure_errors)
{
	static const uint8_t wrong_tag[] = { 0xd9, 0x01, 0x90, 0xa0 };   /* 400({}) */
	static const uint8_t empty[] = { 0xd9, 0x01, 0x8f, 0xa0 };       /* 399({}) */
	static const uint8_t untagged[] = { 0xa0 };
	struct parts p;
	struct cose_sign1 msg;
	size_t len;
	uint8_t *token;

	ck_assert_int_eq(fasco_token_verify(wrong_tag, sizeof(wrong_tag), NULL, NULL), FASCO_E_KEY);
	ck_assert_int_eq(attest_token_verify(wrong_tag, sizeof(wrong_tag), NULL, 0,
					     &(struct fasco_verify_opts){
						     .flags = FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE },
					     NULL), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "expected 399 or 907"));
	parts_init(&p);
	ck_assert_int_eq(test_verify(&p.t, empty, sizeof(empty), NULL), FASCO_E_CBOR);
	ck_assert_int_eq(test_verify(&p.t, untagged, sizeof(untagged), NULL), FASCO_E_CBOR);
	/* COSE_Sign1 without tag 18 inside a token is refused. */
	token = test_collection(p.col.platform + 1, p.col.platform_len - 1, p.col.realm,
				p.col.realm_len, &len);
	ck_assert_int_eq(test_verify(&p.t, token, len, NULL), FASCO_E_COSE);
	ck_assert_int_eq(cose_sign1_decode(p.col.platform + 1, p.col.platform_len - 1, 0, &msg), 0);
	ck_assert(!msg.tagged);
	free(token);
	parts_free(&p);
}
END_TEST

START_TEST(test_show_json)
{
	size_t len;
	uint8_t *token = vec_read("cca-token-draft-ffm-00.cbor", &len);
	char *json = NULL;

	ck_assert_int_eq(fasco_token_show_json(token, len, &json), 0);
	ck_assert_ptr_nonnull(strstr(json, "{\"tag\":399,\"platform\":{\"alg\":\"ES384\""));
	ck_assert_ptr_nonnull(strstr(json, "\"initial measurement\":\"311314ab"));
	ck_assert_ptr_nonnull(strstr(json, "\"profile\":\"tag:arm.com,2023:realm#1.0.0\""));
	ck_assert_ptr_nonnull(strstr(json, "\"software components\":[{\"1\":\"RSE_BL1_2\""));
	fasco_free(json);
	json = NULL;
	ck_assert_int_lt(fasco_token_show_json(token, len - 1, &json), 0);
	ck_assert_ptr_null(json);
	ck_assert_int_eq(fasco_token_show_json(NULL, 0, NULL), -EINVAL);
	free(token);
}
END_TEST

START_TEST(test_vector_copies_match)
{
	static const char *const names[] = { "cca-token-draft-ffm-00.cbor", "bug-33-repro.cbor",
					     "ta-tfa.json", "cpak.json", "realm-claims.cbor" };
	char path[4096];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t a_len, b_len;
		uint8_t *a = vec_read(names[i], &a_len), *b;

		snprintf(path, sizeof(path), "%s/../shared/vectors/cca/%s", getenv("FASCO_SOURCE_ROOT"),
			 names[i]);
		if (attest_read_file(path, &b, &b_len) < 0) {
			free(a);
			continue; /* the shared tree is optional */
		}
		ck_assert_uint_eq(a_len, b_len);
		ck_assert_int_eq(memcmp(a, b, a_len), 0);
		free(a);
		free(b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attest-token");
	TCase *tc = tcase_create("token");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_draft_token_valid);
	tcase_add_test(tc, test_bug33_binding);
	tcase_add_test(tc, test_anchor_selection);
	tcase_add_test(tc, test_appraisal);
	tcase_add_test(tc, test_generated_roundtrip);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_bit_flips);
	tcase_add_test(tc, test_signed_claim_tampering);
	tcase_add_test(tc, test_swapped_rak);
	tcase_add_test(tc, test_structure_errors);
	tcase_add_test(tc, test_show_json);
	tcase_add_test(tc, test_vector_copies_match);
	suite_add_tcase(s, tc);
	return test_run(s);
}
