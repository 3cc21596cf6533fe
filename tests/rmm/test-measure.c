/* SPDX-License-Identifier: Apache-2.0 */
/* Public calculators of include/fasco/measure.h. */
#include <fasco/measure.h>

#include "rmm/rmm.h"
#include "testutil.h"

START_TEST(rim_params)
{
	uint8_t rim[64], want[64];
	size_t len = 0;

	t_unhex("6739dfb22b75ee1268d08dfa8369f501bc0b066243553f069f560d1fa1172973", want);
	ck_assert_int_eq(fasco_measure_rim_params(FASCO_HASH_SHA256, 48, 0, 0, 1, 1, 0, rim,
						  sizeof(rim), &len), 0);
	ck_assert_uint_eq(len, 32);
	ck_assert_mem_eq(rim, want, 32);
	t_unhex("799e434048fb57eb9d4f0e2a2b98158720377252deab2bdfcd69b5a8f82237f4"
		"34bd6bb1c75bf160a2d49382f733b3439a3ff769e4ea5dd9a6f72239d44bbbab", want);
	ck_assert_int_eq(fasco_measure_rim_params(FASCO_HASH_SHA512, 48, 0, 0, 1, 1, 0, rim,
						  64, NULL), 0);
	ck_assert_mem_eq(rim, want, 64);

	ck_assert_int_eq(fasco_measure_rim_params(FASCO_HASH_SHA512, 48, 0, 0, 1, 1, 0, rim, 63,
						  &len), FASCO_E_BUFFER);
	ck_assert_int_eq(fasco_measure_rim_params(FASCO_HASH_SHA256, 48 + 256, 0, 0, 1, 1, 0, rim,
						  64, &len), FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rim_params(FASCO_HASH_SHA384, 48, 0, 0, 1, 1, 0, rim, 64,
						  &len), FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rim_params(-1, 48, 0, 0, 1, 1, 0, rim, 64, &len), -EINVAL);
	ck_assert_int_eq(fasco_measure_rim_params(0, 48, 0, 0, 1, 1, 0, NULL, 64, &len), -EINVAL);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "ret_rim"));
}
END_TEST

START_TEST(rem_extend)
{
	const uint8_t v[3] = { 'a', 'b', 'c' };
	uint8_t buf[96] = { 0 }, want[64], got[64], slot[64] = { 0 };
	size_t len;

	/* from zero: RHA(32 zero bytes || "abc") */
	memcpy(buf + 32, v, 3);
	t_hash(0, buf, 35, want);
	ck_assert_int_eq(fasco_measure_rem_extend(FASCO_HASH_SHA256, FASCO_REM_TFRMM, NULL, 0, v, 3,
						  got, 32, &len), 0);
	ck_assert_uint_eq(len, 32);
	ck_assert_mem_eq(got, want, 32);
	/* chained, old given at digest length and as a 64-byte slot */
	memcpy(buf, want, 32);
	t_hash(0, buf, 35, want);
	memcpy(slot, got, 32);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, got, 32, v, 3, got, 64, &len), 0);
	ck_assert_mem_eq(got, want, 32);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, slot, 64, v, 3, slot, 64, &len), 0);
	ck_assert_mem_eq(slot, want, 32);

	slot[40] = 1;
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, slot, 64, v, 3, got, 64, &len),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, slot, 33, v, 3, got, 64, &len),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 7, NULL, 0, v, 3, got, 64, &len),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, NULL, 0, buf, 65, got, 64, &len),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rem_extend(9, 0, NULL, 0, v, 3, got, 64, &len),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_rem_extend(0, 0, NULL, 0, NULL, 3, got, 64, &len), -EINVAL);

	/* spec mode, SHA-512: RHA(64 zero bytes || "abc" zero-padded to 64) */
	memset(buf, 0, sizeof(buf));
	{
		uint8_t in[128] = { 0 };

		memcpy(in + 64, v, 3);
		t_hash(1, in, 128, want);
	}
	ck_assert_int_eq(fasco_measure_rem_extend(1, FASCO_REM_SPEC, NULL, 0, v, 3, got, 64, &len),
			 0);
	ck_assert_uint_eq(len, 64);
	ck_assert_mem_eq(got, want, 64);
}
END_TEST

START_TEST(replay)
{
	struct rmm_realm_config c;
	struct rmm_realm *r = NULL;
	uint8_t page[4096] = { 1 }, a[64], b[64];
	const uint8_t *log;
	size_t len, rlen;

	rmm_realm_config_init(&c);
	ck_assert_int_eq(rmm_realm_new(&c, &r), 0);
	ck_assert_int_eq(rmm_populate(r, 0, page, sizeof(page), true), 0);
	log = rmm_realm_oplog(r, &len);
	ck_assert_int_eq(fasco_measure_replay(log, len, b, sizeof(b), &rlen), 0);
	ck_assert_int_eq(rmm_realm_measurement(r, 0, a, NULL), 0);
	ck_assert_uint_eq(rlen, 32);
	ck_assert_mem_eq(a, b, 32);
	ck_assert_int_eq(fasco_measure_replay(log, len - 1, b, sizeof(b), &rlen), -EBADMSG);
	ck_assert_int_eq(fasco_measure_replay(NULL, 5, b, sizeof(b), &rlen), -EINVAL);
	ck_assert_int_eq(fasco_measure_replay(log, len, b, 31, &rlen), FASCO_E_BUFFER);
	rmm_realm_free(r);
}
END_TEST

static Suite *measure_suite(void)
{
	Suite *s = suite_create("rmm-measure-api");
	TCase *tc = tcase_create("public");

	tcase_add_test(tc, rim_params);
	tcase_add_test(tc, rem_extend);
	tcase_add_test(tc, replay);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(measure_suite());
}
