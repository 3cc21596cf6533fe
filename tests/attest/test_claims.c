/* SPDX-License-Identifier: Apache-2.0 */
/* Unsigned claim sets: the vectors' verdicts and one edit at a time. */
#include <string.h>

#include "attest_test.h"
#include "common/error.h"

#define HEX8(b) b b b b b b b b
#define HEX32(b) HEX8(b) HEX8(b) HEX8(b) HEX8(b)

START_TEST(test_realm_vectors)
{
	static const char *const valid[] = { "realm-claims.cbor",
					     "realm-claims+spurious-numeric-key.cbor",
					     "realm-claims+spurious-text-key.cbor" };
	struct fasco_realm_claims c;
	size_t len;
	uint8_t *buf;

	for (size_t i = 0; i < ARRAY_SIZE(valid); i++) {
		buf = vec_read(valid[i], &len);
		ck_assert_msg(attest_realm_claims_parse(buf, len, &c) == 0, "%s: %s", valid[i],
			      fasco_last_error());
		ck_assert_int_eq(c.challenge[0], 0xab);
		ck_assert_uint_eq(c.measurement_len, 32);
		ck_assert_str_eq(c.hash_algo, "sha-256");
		ck_assert_str_eq(c.profile, "");
		ck_assert_uint_eq(c.rak_len, 97);
		free(buf);
	}
	buf = vec_read("realm-claims-missing-challenge.cbor", &len);
	ck_assert_int_eq(attest_realm_claims_parse(buf, len, &c), FASCO_E_CLAIM_MISSING);
	ck_assert_str_eq(fasco_last_error(), "realm token: mandatory claim 10 (challenge) is missing");
	free(buf);
}
END_TEST

START_TEST(test_platform_vector)
{
	struct fasco_platform_claims c;
	size_t len;
	uint8_t *buf = vec_read("platform-claims.cbor", &len);

	ck_assert_msg(attest_platform_claims_parse(buf, len, &c) == 0, "%s", fasco_last_error());
	ck_assert_str_eq(c.profile, CCA_PLATFORM_PROFILE_LEGACY);
	ck_assert_uint_eq(c.challenge_len, 64);
	ck_assert_uint_eq(c.lifecycle, 0x3000);
	ck_assert_uint_eq(c.sw_count, 2);
	ck_assert_str_eq(c.sw[0].version, "1.0.0");
	ck_assert_uint_eq(c.sw[1].measurement_len, 64);
	ck_assert_int_eq(c.sw[1].signer_id[0], 0xdd);
	ck_assert_uint_eq(c.config_len, 4);
	ck_assert_str_eq(c.verification_service, "https://cca_verifier.org");
	free(buf);
}
END_TEST

struct edit_case {
	int64_t label;
	enum claim_edit edit;
	const char *value; /* CBOR hex */
	int expect;
};

static const struct edit_case realm_edits[] = {
	{ 10, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 10, EDIT_REPLACE, "5820" HEX32("00"), FASCO_E_CLAIM_INVALID },
	{ 10, EDIT_REPLACE, "6161", FASCO_E_CLAIM_INVALID },
	{ 10, EDIT_ADD, "5820" HEX32("00"), FASCO_E_DUPLICATE },
	{ 44235, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44235, EDIT_REPLACE, "5820" HEX32("00"), FASCO_E_CLAIM_INVALID },
	{ 44236, EDIT_REPLACE, "636d6435", FASCO_E_CLAIM_INVALID },        /* "md5" */
	{ 44236, EDIT_REPLACE, "677368612d353132", FASCO_E_CLAIM_INVALID }, /* RIM too short */
	{ 44236, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44238, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44238, EDIT_REPLACE, "5821" HEX32("00") "00", FASCO_E_CLAIM_INVALID },
	{ 44239, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44239, EDIT_REPLACE, "83" "5820" HEX32("00") "5820" HEX32("00") "5820" HEX32("00"),
	  FASCO_E_CLAIM_INVALID },
	{ 44239, EDIT_REPLACE, "a0", FASCO_E_CLAIM_INVALID },
	{ 44237, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44237, EDIT_REPLACE, "5820" HEX32("04"), FASCO_E_KEY },
	{ 44240, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 44240, EDIT_REPLACE, "01", FASCO_E_CLAIM_INVALID },
	/* A profiled token carries a COSE_Key: the raw point no longer parses. */
	{ 265, EDIT_ADD, "781c7461673a61726d2e636f6d2c323032333a7265616c6d23312e302e30", FASCO_E_KEY },
	{ 265, EDIT_ADD, "65626f677573", FASCO_E_CLAIM_INVALID },
	{ 256, EDIT_ADD, "5821" "02" HEX32("00"), FASCO_E_CLAIM_INVALID },
	/* Unknown claims, integer or text keyed, are ignored. */
	{ 99999, EDIT_ADD, "f6", 0 },
	{ -70000, EDIT_ADD, "a0", 0 },
};

static const struct edit_case platform_edits[] = {
	{ 265, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 265, EDIT_REPLACE, "6178", FASCO_E_CLAIM_INVALID },
	{ 265, EDIT_REPLACE, "01", FASCO_E_CLAIM_INVALID },
	{ 10, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 10, EDIT_REPLACE, "5818" HEX8("00") HEX8("00") HEX8("00"), FASCO_E_CLAIM_INVALID },
	{ 10, EDIT_REPLACE, "5830" HEX32("00") HEX8("00") HEX8("00"), 0 }, /* 48 bytes is fine */
	{ 2396, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 2396, EDIT_REPLACE, "5821" HEX32("00") "00", FASCO_E_CLAIM_INVALID },
	{ 256, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 256, EDIT_REPLACE, "5821" "02" HEX32("00"), FASCO_E_CLAIM_INVALID },
	{ 2401, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 2401, EDIT_REPLACE, "40", 0 },
	{ 2395, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 2395, EDIT_REPLACE, "197000", FASCO_E_CLAIM_INVALID },
	{ 2395, EDIT_REPLACE, "193100", FASCO_E_CLAIM_INVALID },
	{ 2395, EDIT_REPLACE, "1940ff", 0 },
	{ 2395, EDIT_REPLACE, "6161", FASCO_E_CLAIM_INVALID },
	{ 2399, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 2399, EDIT_REPLACE, "80", FASCO_E_CLAIM_INVALID },
	{ 2399, EDIT_REPLACE, "81a10241aa", FASCO_E_CLAIM_INVALID },      /* no signer id */
	{ 2399, EDIT_REPLACE, "81a2024005" "41aa", FASCO_E_CLAIM_INVALID }, /* empty measurement */
	{ 2399, EDIT_REPLACE, "81a3" "0241aa" "0541bb" "6178f6", 0 },     /* unknown key ignored */
	{ 2402, EDIT_REMOVE, NULL, FASCO_E_CLAIM_MISSING },
	{ 2400, EDIT_REMOVE, NULL, 0 },
	{ 2400, EDIT_REPLACE, "01", FASCO_E_CLAIM_INVALID },
	/* The 2.0 profile requires the client id (2394). */
	{ 265, EDIT_REPLACE, "78237461673a61726d2e636f6d2c323032343a6363615f706c6174666f726d23322e302e30",
	  FASCO_E_CLAIM_MISSING },
};

static void run_edits(const char *vector, const struct edit_case *cases, size_t n, bool realm)
{
	size_t len, edited_len;
	uint8_t *buf = vec_read(vector, &len);

	for (size_t i = 0; i < n; i++) {
		uint8_t *edited = test_edit_claims(buf, len, cases[i].label, cases[i].edit,
						   cases[i].value, &edited_len);
		struct fasco_realm_claims rc;
		struct fasco_platform_claims pc;
		int r = realm ? attest_realm_claims_parse(edited, edited_len, &rc)
			      : attest_platform_claims_parse(edited, edited_len, &pc);

		ck_assert_msg(r == cases[i].expect, "%s edit %zu (claim %lld): got %d (%s), want %d",
			      vector, i, (long long)cases[i].label, r, fasco_last_error(),
			      cases[i].expect);
		if (r < 0)
			ck_assert_str_ne(fasco_last_error(), "");
		free(edited);
	}
	free(buf);
}

START_TEST(test_realm_edits)
{
	run_edits("realm-claims.cbor", realm_edits, ARRAY_SIZE(realm_edits), true);
}
END_TEST

START_TEST(test_platform_edits)
{
	run_edits("platform-claims.cbor", platform_edits, ARRAY_SIZE(platform_edits), false);
}
END_TEST

START_TEST(test_not_a_map)
{
	static const uint8_t arr[] = { 0x80 };
	struct fasco_realm_claims c;

	ck_assert_int_eq(attest_realm_claims_parse(arr, sizeof(arr), &c), FASCO_E_CBOR);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "realm token: claims"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attest-claims");
	TCase *tc = tcase_create("claims");

	tcase_add_test(tc, test_realm_vectors);
	tcase_add_test(tc, test_platform_vector);
	tcase_add_test(tc, test_realm_edits);
	tcase_add_test(tc, test_platform_edits);
	tcase_add_test(tc, test_not_a_map);
	suite_add_tcase(s, tc);
	return test_run(s);
}
