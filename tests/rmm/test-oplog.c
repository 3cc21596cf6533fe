/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Operation log: record -> serialise -> parse -> replay reproduces the live
 * RIM under every profile, RTT policy and hash; hostile input (every
 * truncation, bad version, huge counts, flipped bytes) fails precisely.
 */
#include "common/error.h"
#include "rmm/rmm.h"
#include "testutil.h"

struct variant {
	unsigned algo;
	enum rmm_profile profile;
	enum rmm_rtt_policy policy;
};

static const struct variant variants[] = {
	{ RMM_HASH_SHA256, RMM_PROFILE_1_0, RMM_RTT_LARGEST_BLOCK },
	{ RMM_HASH_SHA512, RMM_PROFILE_1_0, RMM_RTT_LARGEST_BLOCK },
	{ RMM_HASH_SHA256, RMM_PROFILE_1_0, RMM_RTT_PAGES },
	{ RMM_HASH_SHA256, RMM_PROFILE_2_0, RMM_RTT_LARGEST_BLOCK },
	{ RMM_HASH_SHA384, RMM_PROFILE_2_0, RMM_RTT_PAGES },
};

/* A loader-like sequence: RIPAS, images, an unmeasured area, RECs. */
static struct rmm_realm *build_realm(const struct variant *v, uint64_t seed)
{
	struct rmm_realm_config c;
	struct rmm_realm *r = NULL;
	struct rmm_rec_params rec = { .flags = RMM_REC_FLAG_RUNNABLE, .pc = 0x80000 };
	size_t len = 5 * 4096 + 99;
	uint8_t *data = malloc(len);

	ck_assert_ptr_nonnull(data);
	t_fill(&seed, data, len);
	rmm_realm_config_init(&c);
	c.params.hash_algo = (uint8_t)v->algo;
	c.params.s2sz = 40;
	c.params.flags = RMM_REALM_FLAG_SVE;
	c.params.sve_vl = 1;
	c.profile = v->profile;
	c.rtt_policy = v->policy;
	ck_assert_int_eq(rmm_realm_new(&c, &r), 0);
	ck_assert_int_eq(rmm_ripas_init(r, 0, 0x40000000 + 0x203000), 0);
	ck_assert_int_eq(rmm_populate(r, 0x80000, data, len, true), 0);
	ck_assert_int_eq(rmm_populate(r, 0x200000, data, 4096, false), 0);
	for (unsigned i = 0; i < 8; i++)
		rec.gprs[i] = t_rand(&seed);
	ck_assert_int_eq(rmm_rec_create(r, &rec), 0);
	rec.flags = 0;
	ck_assert_int_eq(rmm_rec_create(r, &rec), 0);
	free(data);
	return r;
}

START_TEST(round_trip)
{
	const struct variant *v = &variants[_i];
	struct rmm_realm *live = build_realm(v, 11 + _i), *again = NULL, *replayed = NULL;
	struct rmm_oplog_reader rd;
	struct rmm_realm_config c;
	struct rmm_op op;
	uint8_t a[64], b[64];
	size_t len, len2, alen, blen;
	const uint8_t *log = rmm_realm_oplog(live, &len);
	const uint8_t *log2;
	unsigned counts[5] = { 0 };
	int ret;

	ck_assert_ptr_nonnull(log);
	/* replay -> same RIM */
	ck_assert_int_eq(rmm_oplog_replay_rim(log, len, b, &blen), 0);
	ck_assert_int_eq(rmm_realm_measurement(live, 0, a, &alen), 0);
	ck_assert_uint_eq(alen, blen);
	ck_assert_mem_eq(a, b, 64);

	/* parse -> apply to a recording realm -> byte-identical log */
	ck_assert_int_eq(rmm_oplog_reader_init(&rd, log, len), 0);
	c = rd.config;
	c.record = true;
	ck_assert_int_eq(rmm_realm_new(&c, &again), 0);
	while ((ret = rmm_oplog_read(&rd, &op)) == 1) {
		counts[op.type]++;
		ck_assert_int_eq(rmm_realm_apply(again, &op), 0);
	}
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(counts[RMM_OP_RIPAS], 1);
	ck_assert_uint_eq(counts[RMM_OP_DATA_MEASURED], 6);
	ck_assert_uint_eq(counts[RMM_OP_DATA_UNMEASURED], 1);
	ck_assert_uint_eq(counts[RMM_OP_REC], 2);
	log2 = rmm_realm_oplog(again, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert_mem_eq(log, log2, len);

	/* the replayed realm is a live NEW realm that can go on */
	ck_assert_int_eq(rmm_oplog_replay(log, len, &replayed), 0);
	ck_assert_int_eq(rmm_realm_state(replayed), RMM_REALM_NEW);
	ck_assert_ptr_null(rmm_realm_oplog(replayed, NULL));
	rmm_realm_free(replayed);
	rmm_realm_free(again);
	rmm_realm_free(live);
}
END_TEST

/* The documented layout, checked byte by byte on a tiny log. */
START_TEST(format_layout)
{
	struct rmm_realm_config c;
	struct rmm_realm *r = NULL;
	uint8_t digest[32];
	const uint8_t *log;
	size_t len;

	rmm_realm_config_init(&c);
	c.params.s2sz = 44;
	c.params.num_bps = 3;
	ck_assert_int_eq(rmm_realm_new(&c, &r), 0);
	memset(digest, 0xd1, sizeof(digest));
	ck_assert_int_eq(rmm_populate_digest(r, 0x5000, digest, true), 0);
	ck_assert_int_eq(rmm_ripas_init(r, 0x1000, 0x3000), 0);
	log = rmm_realm_oplog(r, &len);
	ck_assert_uint_eq(len, 32 + (1 + 8 + 32) + (1 + 16));
	ck_assert_mem_eq(log, "FMOL\x01\x00\x00\x00", 8);
	ck_assert_uint_eq(log[0x10], 44);
	ck_assert_uint_eq(log[0x12], 3);
	ck_assert_uint_eq(log[0x13], 1);
	ck_assert_uint_eq(log[0x15], 0);
	ck_assert_mem_eq(log + 0x18, "\x02\x00\x00\x00\x00\x00\x00\x00", 8);
	ck_assert_mem_eq(log + 32, "\x01\x00\x50\x00\x00\x00\x00\x00\x00", 9);
	ck_assert_mem_eq(log + 41, digest, 32);
	ck_assert_mem_eq(log + 73, "\x03\x00\x10\0\0\0\0\0\0\x00\x30\0\0\0\0\0\0", 17);
	rmm_realm_free(r);
}
END_TEST

static int replay(const uint8_t *buf, size_t len)
{
	uint8_t rim[64];

	return rmm_oplog_replay_rim(buf, len, rim, NULL);
}

static uint8_t *copy_log(const struct rmm_realm *r, size_t *len)
{
	const uint8_t *log = rmm_realm_oplog(r, len);
	uint8_t *p = malloc(*len);

	ck_assert_ptr_nonnull(p);
	memcpy(p, log, *len);
	return p;
}

START_TEST(truncation_everywhere)
{
	struct rmm_realm *r = build_realm(&variants[0], 5);
	size_t len;
	uint8_t *log = copy_log(r, &len);

	ck_assert_int_eq(replay(log, len), 0);
	for (size_t n = 0; n < len; n++) {
		/* a fresh allocation of exactly n bytes, so ASan sees any overread */
		uint8_t *p = malloc(n ? n : 1);

		memcpy(p, log, n);
		ck_assert_msg(replay(p, n) == -EBADMSG, "truncated at %zu: %d", n, replay(p, n));
		ck_assert(strstr(fasco_last_error(), "truncated") != NULL ||
			  strstr(fasco_last_error(), "records announced") != NULL);
		free(p);
	}
	ck_assert_int_eq(replay(NULL, 0), -EBADMSG);
	ck_assert_str_eq(fasco_last_error(), "rmm: oplog: header truncated (0 of 32 bytes)");
	free(log);
	rmm_realm_free(r);
}
END_TEST

START_TEST(malformed_headers_and_records)
{
	struct rmm_realm *r = build_realm(&variants[0], 6);
	size_t len;
	uint8_t *log = copy_log(r, &len), *p = malloc(len + 1);

#define MUTATE(off, val, code, needle)                                                   \
	do {                                                                             \
		memcpy(p, log, len);                                                     \
		p[off] = (val);                                                          \
		ck_assert_int_eq(replay(p, len), code);                                  \
		ck_assert_msg(strstr(fasco_last_error(), needle), "%s", fasco_last_error()); \
	} while (0)

	MUTATE(0, 'X', -EBADMSG, "bad magic at offset 0");
	MUTATE(4, 2, FASCO_E_UNSUPPORTED, "version 2 unsupported");
	MUTATE(5, 1, FASCO_E_UNSUPPORTED, "version 257 unsupported");
	MUTATE(6, 9, -EBADMSG, "unknown profile");
	MUTATE(7, 9, -EBADMSG, "unknown RTT policy");
	MUTATE(0x15, 5, -EBADMSG, "hash algorithm 5 unsupported");
	MUTATE(0x12, 0, -EBADMSG, "num_bps field 0");
	MUTATE(0x10, 60, -EBADMSG, "s2sz 60");
	MUTATE(0x16, 1, -EBADMSG, "reserved header field");
	MUTATE(0x1f, 1, -EBADMSG, "reserved header field");
	MUTATE(0x1b, 0xff, -EBADMSG, "records announced");        /* huge count */
	MUTATE(0x18, p[0x18] - 1, -EBADMSG, "bytes after record"); /* one too few */
	MUTATE(0x18, p[0x18] + 1, -EBADMSG, "truncated after");   /* one too many */
	MUTATE(32, 0x7f, -EBADMSG, "record 0 has unknown type 127 at offset 32");
	MUTATE(32 + 1, 0x01, -EBADMSG, "record 0 at offset 32: rmm: RIPAS"); /* unaligned */
	MUTATE(32 + 8, 0x80, -EBADMSG, "protected IPA range");               /* base >= PAR */

	/* count 0xffffffff with no room at all */
	memcpy(p, log, 32);
	memset(p + 0x18, 0xff, 4);
	ck_assert_int_eq(replay(p, 32), -EBADMSG);
	ck_assert_str_eq(fasco_last_error(),
			 "rmm: oplog: 4294967295 records announced, 0 bytes hold at most 0 (limit 67108864)");
	/* a trailing byte */
	memcpy(p, log, len);
	p[len] = 0;
	ck_assert_int_eq(replay(p, len + 1), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "1 bytes after record"));
#undef MUTATE
	free(p);
	free(log);
	rmm_realm_free(r);
}
END_TEST

/* Random byte flips: any outcome but a crash (run under ASan/valgrind). */
START_TEST(random_corruption)
{
	struct rmm_realm *r = build_realm(&variants[1], 8);
	uint64_t seed = 99;
	size_t len;
	uint8_t *log = copy_log(r, &len), *p = malloc(len);
	unsigned ok = 0;

	for (unsigned iter = 0; iter < 3000; iter++) {
		unsigned flips = 1 + t_rand(&seed) % 4;
		int ret;

		memcpy(p, log, len);
		for (unsigned f = 0; f < flips; f++)
			p[t_rand(&seed) % len] ^= (uint8_t)(1 + t_rand(&seed) % 255);
		ret = replay(p, len);
		ck_assert(ret == 0 || ret == -EBADMSG || ret == FASCO_E_UNSUPPORTED);
		ok += ret == 0;
	}
	ck_assert_uint_gt(ok, 0); /* digest and gpr bytes are free to change */
	free(p);
	free(log);
	rmm_realm_free(r);
}
END_TEST

static Suite *oplog_suite(void)
{
	Suite *s = suite_create("rmm-oplog");
	TCase *tc = tcase_create("oplog");

	tcase_add_loop_test(tc, round_trip, 0, sizeof(variants) / sizeof(variants[0]));
	tcase_add_test(tc, format_layout);
	tcase_add_test(tc, truncation_everywhere);
	tcase_add_test(tc, malformed_headers_and_records);
	tcase_add_test(tc, random_corruption);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(oplog_suite());
}
