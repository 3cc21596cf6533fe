/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Realm measurement model: the RIM known answers of CCA.md §1.2, one
 * hand-built descriptor per type (DATA measured/unmeasured, RIPAS, REC),
 * REM extension, RTT geometry, population, profiles, state machine.
 */
#include "common/error.h"
#include "rmm/rmm.h"
#include "testutil.h"

/* CCA.md §1.2: flags 0, s2sz 48, sve_vl 0, num_bps 1, num_wps 1, pmu 0. */
static const char rim_kat_256[] =
	"6739dfb22b75ee1268d08dfa8369f501bc0b066243553f069f560d1fa1172973";
static const char rim_kat_512[] =
	"799e434048fb57eb9d4f0e2a2b98158720377252deab2bdfcd69b5a8f82237f4"
	"34bd6bb1c75bf160a2d49382f733b3439a3ff769e4ea5dd9a6f72239d44bbbab";

static struct rmm_realm_config kat_config(unsigned algo)
{
	struct rmm_realm_config c;

	rmm_realm_config_init(&c);
	c.params.s2sz = 48;
	c.params.hash_algo = (uint8_t)algo;
	memset(c.params.rpv, 0xa5, sizeof(c.params.rpv)); /* not measured */
	return c;
}

static struct rmm_realm *new_realm(const struct rmm_realm_config *c)
{
	struct rmm_realm *r = NULL;

	ck_assert_int_eq(rmm_realm_new(c, &r), 0);
	return r;
}

static void rim_of(const struct rmm_realm *r, uint8_t slot[64])
{
	size_t len = 0;

	ck_assert_int_eq(rmm_realm_measurement(r, 0, slot, &len), 0);
	ck_assert_uint_eq(len, rmm_realm_digest_len(r));
}

/* An independently built descriptor: type, len 0x100, the 64-byte RIM. */
static void t_desc(uint8_t d[256], uint8_t type, const uint8_t rim[64])
{
	memset(d, 0, 256);
	d[0x00] = type;
	d[0x08] = 0x00;
	d[0x09] = 0x01; /* 0x100 little-endian */
	memcpy(d + 0x10, rim, 64);
}

START_TEST(rim_known_answers)
{
	uint8_t want[64] = { 0 }, got[64];
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256);
	struct rmm_realm *r = new_realm(&c);

	t_unhex(rim_kat_256, want);
	rim_of(r, got);
	ck_assert_mem_eq(got, want, 64); /* zero tail included */
	rmm_realm_free(r);

	c = kat_config(RMM_HASH_SHA512);
	r = new_realm(&c);
	t_unhex(rim_kat_512, want);
	rim_of(r, got);
	ck_assert_mem_eq(got, want, 64);
	rmm_realm_free(r);
}
END_TEST

/* The same answer from an independently built 4096-byte params granule. */
START_TEST(rim_params_layout)
{
	static uint8_t g[4096];
	uint8_t want[64], got[64];
	struct rmm_realm_config c;
	struct rmm_realm *r;

	rmm_realm_config_init(&c);
	c.params = (struct rmm_realm_params){ .flags = RMM_REALM_FLAG_SVE | RMM_REALM_FLAG_PMU,
					      .s2sz = 44, .sve_vl = 3, .num_bps = 5,
					      .num_wps = 3, .pmu_num_ctrs = 6,
					      .hash_algo = RMM_HASH_SHA512 };
	memset(g, 0, sizeof(g));
	t_le64(g + 0x00, 6);
	g[0x08] = 44;
	g[0x10] = 3;
	g[0x18] = 5;
	g[0x20] = 3;
	g[0x28] = 6;
	g[0x30] = 1;
	t_hash(1, g, sizeof(g), want);
	r = new_realm(&c);
	rim_of(r, got);
	ck_assert_mem_eq(got, want, 64);
	rmm_realm_free(r);
}
END_TEST

/* DATA measured then unmeasured, over the SHA-256 and SHA-512 KAT RIMs. */
START_TEST(desc_data)
{
	unsigned algo = _i ? RMM_HASH_SHA512 : RMM_HASH_SHA256;
	struct rmm_realm_config c = kat_config(algo);
	struct rmm_realm *r = new_realm(&c);
	static uint8_t page[4096];
	uint8_t rim[64] = { 0 }, d[256], content[64], got[64];
	size_t dlen;

	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i ^ (i >> 8));
	t_unhex(algo ? rim_kat_512 : rim_kat_256, rim);

	/* measured at 0x80000000: content = RHA(page) */
	dlen = t_hash(algo, page, sizeof(page), content);
	t_desc(d, 0, rim);
	t_le64(d + 0x50, 0x80000000);
	d[0x58] = 1;
	memcpy(d + 0x60, content, dlen);
	t_hash(algo, d, sizeof(d), rim);
	ck_assert_int_eq(rmm_data_create(r, 0x80000000, page, true), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);

	/* unmeasured at 0x80001000: flags 0, content zero, IPA still hashed */
	t_desc(d, 0, rim);
	t_le64(d + 0x50, 0x80001000);
	t_hash(algo, d, sizeof(d), rim);
	ck_assert_int_eq(rmm_data_create(r, 0x80001000, page, false), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);
	rmm_realm_free(r);
}
END_TEST

/* RIPAS over [0x3fe00000, 0x80201000) at s2sz 48: 2 MiB, 1 GiB, 2 MiB, 4 KiB. */
START_TEST(desc_ripas)
{
	static const uint64_t entries[][2] = {
		{ 0x3fe00000, 0x40000000 },
		{ 0x40000000, 0x80000000 },
		{ 0x80000000, 0x80200000 },
		{ 0x80200000, 0x80201000 },
	};
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256);
	struct rmm_realm *r = new_realm(&c);
	uint8_t rim[64] = { 0 }, d[256], got[64];

	t_unhex(rim_kat_256, rim);
	for (size_t i = 0; i < 4; i++) {
		t_desc(d, 2, rim);
		t_le64(d + 0x50, entries[i][0]);
		t_le64(d + 0x58, entries[i][1]);
		t_hash(0, d, sizeof(d), rim);
	}
	ck_assert_int_eq(rmm_ripas_init(r, 0x3fe00000, 0x80201000), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);
	rmm_realm_free(r);
}
END_TEST

START_TEST(desc_rec)
{
	struct rmm_rec_params rp = { .flags = RMM_REC_FLAG_RUNNABLE, .mpidr = 0x81000000,
				     .pc = 0x80080000 };
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256);
	struct rmm_realm *r = new_realm(&c);
	static uint8_t g[4096];
	uint8_t rim[64] = { 0 }, d[256], content[64], got[64];

	for (unsigned i = 0; i < 8; i++)
		rp.gprs[i] = UINT64_C(0x1111111111111111) * (i + 1);
	t_unhex(rim_kat_256, rim);
	memset(g, 0, sizeof(g));
	g[0] = 1;
	t_le64(g + 0x200, rp.pc);
	for (unsigned i = 0; i < 8; i++)
		t_le64(g + 0x300 + 8 * i, rp.gprs[i]);
	t_hash(0, g, sizeof(g), content);
	t_desc(d, 1, rim);
	memcpy(d + 0x50, content, 32);
	t_hash(0, d, sizeof(d), rim);

	ck_assert_int_eq(rmm_rec_create(r, &rp), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);

	/* a secondary, non-runnable REC leaves the RIM alone */
	rp.flags = 0;
	ck_assert_int_eq(rmm_rec_create(r, &rp), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);
	rp.flags = 2;
	ck_assert_int_eq(rmm_rec_create(r, &rp), FASCO_E_CONFIG);
	rmm_realm_free(r);
}
END_TEST

START_TEST(rtt_geometry)
{
	const uint64_t G = UINT64_C(1) << 30, M2 = UINT64_C(1) << 21, K4 = 4096;

	/* s2sz 40: start level 1 (concatenated), 1 GiB blocks allowed */
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 40, 0, 4 * G), G);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 40, 0, G - K4), M2);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 40, M2, 4 * G), M2);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 40, K4, 4 * G), K4);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 40, 0, M2 - K4), K4);
	/* s2sz 32..34: start level 2, so never 1 GiB */
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 32, 0, 2 * G), M2);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 34, 0, 2 * G), M2);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 35, 0, 2 * G), G);
	/* s2sz 48: start level 0, but no level-0 blocks */
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_LARGEST_BLOCK, 48, 0, UINT64_C(1) << 46), G);
	ck_assert_uint_eq(rmm_rtt_entry_size(RMM_RTT_PAGES, 48, 0, 4 * G), K4);
}
END_TEST

START_TEST(ripas_pages_policy)
{
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256);
	struct rmm_realm *r;
	uint8_t rim[64] = { 0 }, d[256], got[64];

	c.rtt_policy = RMM_RTT_PAGES;
	r = new_realm(&c);
	t_unhex(rim_kat_256, rim);
	for (uint64_t a = 0x200000; a < 0x203000; a += 0x1000) {
		t_desc(d, 2, rim);
		t_le64(d + 0x50, a);
		t_le64(d + 0x58, a + 0x1000);
		t_hash(0, d, sizeof(d), rim);
	}
	ck_assert_int_eq(rmm_ripas_init(r, 0x200000, 0x203000), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);
	rmm_realm_free(r);
}
END_TEST

START_TEST(rem_formulas)
{
	struct rmm_realm_config c = kat_config(_i ? RMM_HASH_SHA512 : RMM_HASH_SHA256);
	const uint8_t v1[5] = { 1, 2, 3, 4, 5 };
	uint8_t v2[64], want[64] = { 0 }, buf[128], got[64];
	size_t dlen = _i ? 64 : 32, len;
	struct rmm_realm *r;

	memset(v2, 0xee, sizeof(v2));
	/* TF-RMM: RHA(old[0..dlen) || value[0..size)) */
	r = new_realm(&c);
	ck_assert_int_eq(rmm_realm_activate(r), 0);
	memset(buf, 0, sizeof(buf));
	memcpy(buf + dlen, v1, sizeof(v1));
	t_hash(_i, buf, dlen + sizeof(v1), want);
	ck_assert_int_eq(rmm_rem_extend(r, 2, v1, sizeof(v1)), 0);
	ck_assert_int_eq(rmm_realm_measurement(r, 2, got, &len), 0);
	ck_assert_uint_eq(len, dlen);
	ck_assert_mem_eq(got, want, 64);
	memcpy(buf, want, dlen);
	memcpy(buf + dlen, v2, 64);
	t_hash(_i, buf, dlen + 64, want);
	ck_assert_int_eq(rmm_rem_extend(r, 2, v2, 64), 0);
	ck_assert_int_eq(rmm_realm_measurement(r, 2, got, NULL), 0);
	ck_assert_mem_eq(got, want, 64);
	/* other REMs untouched */
	ck_assert_int_eq(rmm_realm_measurement(r, 1, got, NULL), 0);
	memset(want, 0, sizeof(want));
	ck_assert_mem_eq(got, want, 64);
	ck_assert_int_eq(rmm_rem_extend(r, 0, v1, 1), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_rem_extend(r, 5, v1, 1), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_rem_extend(r, 1, v2, 65), FASCO_E_CONFIG);
	rmm_realm_free(r);

	/* spec text: RHA(old 64 bytes || value zero-padded to 64) */
	c.rem_mode = RMM_REM_SPEC;
	r = new_realm(&c);
	ck_assert_int_eq(rmm_realm_activate(r), 0);
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 64, v1, sizeof(v1));
	t_hash(_i, buf, 128, want);
	ck_assert_int_eq(rmm_rem_extend(r, 4, v1, sizeof(v1)), 0);
	ck_assert_int_eq(rmm_realm_measurement(r, 4, got, NULL), 0);
	ck_assert_mem_eq(got, want, 64);
	rmm_realm_free(r);
}
END_TEST

START_TEST(state_machine)
{
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256);
	struct rmm_rec_params rp = { .flags = RMM_REC_FLAG_RUNNABLE };
	struct rmm_realm *r = new_realm(&c);
	uint8_t page[4096] = { 0 }, before[64], after[64], v = 1;

	ck_assert_int_eq(rmm_realm_state(r), RMM_REALM_NEW);
	ck_assert_int_eq(rmm_rem_extend(r, 1, &v, 1), FASCO_E_STATE);
	ck_assert_int_eq(rmm_realm_system_off(r), FASCO_E_STATE);
	ck_assert_str_eq(fasco_last_error(), "rmm: system off needs the realm active, it is new");
	ck_assert_int_eq(rmm_realm_activate(r), 0);
	ck_assert_int_eq(rmm_realm_state(r), RMM_REALM_ACTIVE);

	rim_of(r, before);
	ck_assert_int_eq(rmm_data_create(r, 0, page, true), FASCO_E_STATE);
	ck_assert_int_eq(rmm_populate(r, 0, page, 100, false), FASCO_E_STATE);
	ck_assert_int_eq(rmm_populate_digest(r, 0, page, true), FASCO_E_STATE);
	ck_assert_int_eq(rmm_ripas_init(r, 0, 4096), FASCO_E_STATE);
	ck_assert_int_eq(rmm_rec_create(r, &rp), FASCO_E_STATE);
	ck_assert_int_eq(rmm_realm_activate(r), FASCO_E_STATE);
	rim_of(r, after);
	ck_assert_mem_eq(before, after, 64); /* RIM frozen */
	ck_assert_int_eq(rmm_rem_extend(r, 1, &v, 1), 0);

	ck_assert_int_eq(rmm_realm_system_off(r), 0);
	ck_assert_int_eq(rmm_realm_state(r), RMM_REALM_SYSTEM_OFF);
	ck_assert_int_eq(rmm_rem_extend(r, 1, &v, 1), FASCO_E_STATE);
	ck_assert_int_eq(rmm_realm_activate(r), FASCO_E_STATE);
	ck_assert_int_eq(rmm_realm_system_off(r), FASCO_E_STATE);
	ck_assert_int_eq(rmm_realm_measurement(r, 1, after, NULL), 0); /* reads still work */
	ck_assert_int_eq(rmm_realm_measurement(r, 5, after, NULL), FASCO_E_CONFIG);
	rmm_realm_free(r);
}
END_TEST

START_TEST(params_rejected)
{
	static const struct {
		const char *what;
		struct rmm_realm_params p;
	} bad[] = {
		{ "hash", { .s2sz = 40, .num_bps = 1, .num_wps = 1, .hash_algo = 3 } },
		{ "sha384 in 1.0", { .s2sz = 40, .num_bps = 1, .num_wps = 1, .hash_algo = 2 } },
		{ "flags", { .flags = 8, .s2sz = 40, .num_bps = 1, .num_wps = 1 } },
		{ "s2sz low", { .s2sz = 31, .num_bps = 1, .num_wps = 1 } },
		{ "s2sz high", { .s2sz = 49, .num_bps = 1, .num_wps = 1 } },
		{ "lpa2 high", { .flags = 1, .s2sz = 53, .num_bps = 1, .num_wps = 1 } },
		{ "sve off", { .s2sz = 40, .sve_vl = 1, .num_bps = 1, .num_wps = 1 } },
		{ "sve_vl", { .flags = 2, .s2sz = 40, .sve_vl = 16, .num_bps = 1, .num_wps = 1 } },
		{ "bps 0", { .s2sz = 40, .num_bps = 0, .num_wps = 1 } },
		{ "wps 64", { .s2sz = 40, .num_bps = 1, .num_wps = 64 } },
		{ "pmu off", { .s2sz = 40, .num_bps = 1, .num_wps = 1, .pmu_num_ctrs = 1 } },
		{ "pmu ctrs", { .flags = 4, .s2sz = 40, .num_bps = 1, .num_wps = 1, .pmu_num_ctrs = 32 } },
	};
	struct rmm_realm_config c;
	struct rmm_realm *r = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rmm_realm_config_init(&c);
		c.params = bad[i].p;
		ck_assert_msg(rmm_realm_new(&c, &r) == FASCO_E_CONFIG, "%s accepted", bad[i].what);
		ck_assert_ptr_null(r);
	}
	rmm_realm_config_init(&c);
	c.params.flags = 1;
	c.params.s2sz = 52;
	ck_assert_int_eq(rmm_realm_new(&c, &r), 0);
	rmm_realm_free(r);
	rmm_realm_config_init(&c);
	c.profile = 7;
	ck_assert_int_eq(rmm_realm_new(&c, &r), FASCO_E_CONFIG);
	rmm_realm_config_init(&c);
	c.rtt_policy = 2;
	ck_assert_int_eq(rmm_realm_new(&c, &r), FASCO_E_CONFIG);
	rmm_realm_config_init(&c);
	c.rem_mode = 2;
	ck_assert_int_eq(rmm_realm_new(&c, &r), FASCO_E_CONFIG);
}
END_TEST

/* populate == one data_create per page, the last zero padded; digests too. */
START_TEST(populate_splits_pages)
{
	struct rmm_realm_config c = kat_config(_i ? RMM_HASH_SHA512 : RMM_HASH_SHA256);
	size_t len = 37 * 4096 + 1234;
	uint8_t *data = malloc(len), page[4096], digest[64], a[64], b[64], d[64];
	struct rmm_realm *ra = new_realm(&c), *rb = new_realm(&c), *rc = new_realm(&c);
	uint64_t seed = 3, ipa = 0x40000000;

	ck_assert_ptr_nonnull(data);
	t_fill(&seed, data, len);
	ck_assert_int_eq(rmm_populate(ra, ipa, data, len, true), 0);
	ck_assert_int_eq(rmm_populate(ra, ipa + 0x100000, data, len, false), 0);
	for (size_t off = 0; off < len; off += 4096) {
		size_t n = len - off < 4096 ? len - off : 4096;

		memset(page, 0, sizeof(page));
		memcpy(page, data + off, n);
		ck_assert_int_eq(rmm_data_create(rb, ipa + off, page, true), 0);
		t_hash(c.params.hash_algo, page, sizeof(page), digest);
		ck_assert_int_eq(rmm_populate_digest(rc, ipa + off, digest, true), 0);
	}
	for (size_t off = 0; off < len; off += 4096) {
		ck_assert_int_eq(rmm_data_create(rb, ipa + 0x100000 + off, page, false), 0);
		ck_assert_int_eq(rmm_populate_digest(rc, ipa + 0x100000 + off, NULL, false), 0);
	}
	rim_of(ra, a);
	rim_of(rb, b);
	rim_of(rc, d);
	ck_assert_mem_eq(a, b, 64);
	ck_assert_mem_eq(a, d, 64);
	ck_assert_int_eq(rmm_populate_digest(rc, ipa, NULL, true), -EINVAL);
	free(data);
	rmm_realm_free(ra);
	rmm_realm_free(rb);
	rmm_realm_free(rc);
}
END_TEST

START_TEST(populate_rejects_as_a_whole)
{
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA256); /* PAR = [0, 2^47) */
	struct rmm_realm *r = new_realm(&c);
	uint8_t before[64], after[64], *data = calloc(3, 4096);
	const uint64_t par = UINT64_C(1) << 47;
	size_t log_before, log_after;

	rim_of(r, before);
	ck_assert_ptr_nonnull(rmm_realm_oplog(r, &log_before));
	ck_assert_int_eq(rmm_populate(r, 0x1001, data, 4096, true), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_populate(r, par - 4096, data, 4097, true), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_populate(r, UINT64_MAX & ~UINT64_C(0xfff), data, 8192, true),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_populate(r, 0, NULL, 1, true), -EINVAL);
	ck_assert_int_eq(rmm_ripas_init(r, 0x2000, 0x2000), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_ripas_init(r, 0x2000, 0x1000), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_ripas_init(r, 0, par + 4096), FASCO_E_CONFIG);
	ck_assert_int_eq(rmm_ripas_init(r, 0, 0x1800), FASCO_E_CONFIG);
	rim_of(r, after);
	ck_assert_mem_eq(before, after, 64);
	rmm_realm_oplog(r, &log_after);
	ck_assert_uint_eq(log_before, log_after);
	ck_assert_int_eq(rmm_populate(r, par - 3 * 4096, data, 3 * 4096, true), 0);
	ck_assert_int_eq(rmm_populate(r, 0, data, 0, true), 0);
	free(data);
	rmm_realm_free(r);
}
END_TEST

/* RMM 2.0: RIM starts at zero, RIPAS is not measured, DATA is. */
START_TEST(profile_2_0)
{
	struct rmm_realm_config c = kat_config(RMM_HASH_SHA384);
	uint8_t rim[64] = { 0 }, got[64], d[256], content[64];
	static uint8_t page[4096];
	struct rmm_realm *r;
	size_t len;

	c.profile = RMM_PROFILE_2_0;
	r = new_realm(&c);
	ck_assert_int_eq(rmm_realm_measurement(r, 0, got, &len), 0);
	ck_assert_uint_eq(len, 48);
	ck_assert_mem_eq(got, rim, 64);
	ck_assert_int_eq(rmm_ripas_init(r, 0, 0x40000000), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);

	memset(page, 0x5a, sizeof(page));
	t_hash(2, page, sizeof(page), content);
	t_desc(d, 0, rim);
	t_le64(d + 0x50, 0x1000);
	d[0x58] = 1;
	memcpy(d + 0x60, content, 48);
	t_hash(2, d, sizeof(d), rim);
	ck_assert_int_eq(rmm_data_create(r, 0x1000, page, true), 0);
	rim_of(r, got);
	ck_assert_mem_eq(got, rim, 64);
	rmm_realm_free(r);
}
END_TEST

static Suite *realm_suite(void)
{
	Suite *s = suite_create("rmm-realm");
	TCase *kat = tcase_create("known-answers");
	TCase *model = tcase_create("model");

	tcase_add_test(kat, rim_known_answers);
	tcase_add_test(kat, rim_params_layout);
	tcase_add_loop_test(kat, desc_data, 0, 2);
	tcase_add_test(kat, desc_ripas);
	tcase_add_test(kat, desc_rec);
	tcase_add_test(kat, ripas_pages_policy);
	tcase_add_loop_test(kat, rem_formulas, 0, 2);
	tcase_add_test(kat, profile_2_0);
	suite_add_tcase(s, kat);

	tcase_add_test(model, rtt_geometry);
	tcase_add_test(model, state_machine);
	tcase_add_test(model, params_rejected);
	tcase_add_loop_test(model, populate_splits_pages, 0, 2);
	tcase_add_test(model, populate_rejects_as_a_whole);
	suite_add_tcase(s, model);
	return s;
}

int main(void)
{
	return t_run(realm_suite());
}
