/* SPDX-License-Identifier: Apache-2.0 */
/* Platform token claims (CCA.md §2.3). */
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "common/cleanup.h"
#include "common/error.h"

const struct claim_def platform_claim_defs[PC_COUNT] = {
	[PC_CHALLENGE] = { 10, "challenge" },
	[PC_INSTANCE_ID] = { 256, "instance id" },
	[PC_PROFILE] = { 265, "profile" },
	[PC_CLIENT_ID] = { 2394, "client id" },
	[PC_LIFECYCLE] = { 2395, "security lifecycle" },
	[PC_IMPLEMENTATION_ID] = { 2396, "implementation id" },
	[PC_SW_COMPONENTS] = { 2399, "software components" },
	[PC_VERIFICATION_SERVICE] = { 2400, "verification service" },
	[PC_CONFIG] = { 2401, "platform config" },
	[PC_HASH_ALGO] = { 2402, "platform hash algorithm" },
};

/* Software component map keys. */
enum {
	SW_TYPE = 1,
	SW_MEASUREMENT = 2,
	SW_VERSION = 4,
	SW_SIGNER_ID = 5,
	SW_HASH_ALGO = 6,
};

int attest_platform_view_decode(struct claims_view *v, const uint8_t *payload, size_t len)
{
	return claims_view_decode(v, "platform token", platform_claim_defs, PC_COUNT, payload, len);
}

/* 1 for the 2.0 profile, 0 for 1.0 and the legacy name. */
static int platform_profile(const struct claims_view *v, char *out, size_t cap)
{
	static const char *const known[] = { CCA_PLATFORM_PROFILE_1_0, CCA_PLATFORM_PROFILE_LEGACY,
					      CCA_PLATFORM_PROFILE_2_0 };
	const char *s;
	size_t len;
	int r = claim_tstr(v, PC_PROFILE, &s, &len);

	if (r < 0)
		return r;
	claim_copy_text(out, cap, s, len);
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (len == strlen(known[i]) && !memcmp(s, known[i], len))
			return i == 2;
	return claim_invalid(v, PC_PROFILE, "is not a known platform profile");
}

/* Ranges xx00..xxFF for states 0x00, 0x10 ... 0x60 (CCA.md §2.3). */
static bool lifecycle_valid(uint64_t lc)
{
	return lc <= 0x60ff && ((lc >> 8) & 0x0f) == 0;
}

static int sw_field_bstr(struct cbor_dec *d, uint8_t *dst, uint32_t *dst_len)
{
	const uint8_t *p;
	size_t len;
	int r = cbor_read_bstr(d, &p, &len);

	if (r < 0 || len == 0 || len > 64)
		return -1;
	memcpy(dst, p, len);
	*dst_len = (uint32_t)len;
	return 0;
}

static int sw_field_tstr(struct cbor_dec *d, char *dst, size_t cap)
{
	const char *s;
	size_t len;
	int r = cbor_read_tstr(d, &s, &len);

	if (r < 0)
		return -1;
	claim_copy_text(dst, cap, s, len);
	return 0;
}

static int sw_field(struct cbor_dec *d, struct fasco_sw_component *c)
{
	struct cbor_item head;
	int64_t key;

	if (cbor_peek_item(d, &head) < 0)
		return -1;
	if (head.major != CBOR_UINT) /* other keys: ignored */
		return cbor_skip(d) < 0 || cbor_skip(d) < 0 ? -1 : 0;
	if (cbor_read_int(d, &key) < 0)
		return -1;
	switch (key) {
	case SW_TYPE: return sw_field_tstr(d, c->type, sizeof(c->type));
	case SW_MEASUREMENT: return sw_field_bstr(d, c->measurement, &c->measurement_len);
	case SW_VERSION: return sw_field_tstr(d, c->version, sizeof(c->version));
	case SW_SIGNER_ID: return sw_field_bstr(d, c->signer_id, &c->signer_id_len);
	case SW_HASH_ALGO: return sw_field_tstr(d, c->hash_algo, sizeof(c->hash_algo));
	default: return cbor_skip(d) < 0 ? -1 : 0;
	}
}

static int sw_component(const struct claims_view *v, struct cbor_dec *d, size_t i,
			struct fasco_sw_component *c)
{
	struct cbor_container map;
	char why[96];

	memset(c, 0, sizeof(*c));
	if (cbor_enter_map(d, &map) < 0)
		goto bad;
	for (size_t k = 0; k < map.count; k++)
		if (sw_field(d, c) < 0)
			goto bad;
	if (!c->measurement_len || !c->signer_id_len)
		goto bad;
	return cbor_leave(d, &map);
bad:
	snprintf(why, sizeof(why),
		 "entry %zu is not a map with a measurement (2) and signer id (5) of 1..64 bytes", i);
	return claim_invalid(v, PC_SW_COMPONENTS, why);
}

static int check_sw_components(const struct claims_view *v, struct fasco_platform_claims *out)
{
	struct fasco_sw_component spare;
	struct cbor_container arr;
	struct cbor_dec d;
	const uint8_t *p;
	size_t len;
	int r;

	if (!claim_present(v, PC_SW_COMPONENTS))
		return claim_bstr(v, PC_SW_COMPONENTS, NULL, 0, &p, &len); /* reports it missing */
	cbor_dec_init(&d, v->span[PC_SW_COMPONENTS].p, v->span[PC_SW_COMPONENTS].len, CBOR_STRICT);
	if (cbor_enter_array(&d, &arr) < 0 || arr.count == 0)
		return claim_invalid(v, PC_SW_COMPONENTS, "is not a non-empty array");
	for (size_t i = 0; i < arr.count; i++) {
		/* All entries are checked; the first FASCO_MAX_SW_COMPONENTS are kept. */
		r = sw_component(v, &d, i, i < FASCO_MAX_SW_COMPONENTS ? &out->sw[i] : &spare);
		if (r < 0)
			return r;
	}
	out->sw_count = (uint32_t)arr.count;
	return 0;
}

static int check_ids(const struct claims_view *v, struct fasco_platform_claims *out)
{
	static const size_t size32 = 32, size33 = 33;
	const uint8_t *p;
	size_t len;
	int r;

	r = claim_bstr(v, PC_IMPLEMENTATION_ID, &size32, 1, &p, &len);
	if (r < 0)
		return r;
	memcpy(out->implementation_id, p, len);
	r = claim_bstr(v, PC_INSTANCE_ID, &size33, 1, &p, &len);
	if (r < 0)
		return r;
	if (p[0] != 0x01)
		return claim_invalid(v, PC_INSTANCE_ID, "does not start with 0x01");
	memcpy(out->instance_id, p, len);
	return 0;
}

static int check_optional(const struct claims_view *v, int v2, struct fasco_platform_claims *out)
{
	const char *s;
	size_t len;
	uint64_t id;
	int r;

	if (claim_present(v, PC_VERIFICATION_SERVICE)) {
		r = claim_tstr(v, PC_VERIFICATION_SERVICE, &s, &len);
		if (r < 0)
			return r;
		claim_copy_text(out->verification_service, sizeof(out->verification_service), s, len);
	}
	if (!v2)
		return 0;
	r = claim_uint(v, PC_CLIENT_ID, &id);
	if (r < 0)
		return r;
	return id == 1 ? 0 : claim_invalid(v, PC_CLIENT_ID, "is not 1 (RMSD)");
}

int attest_platform_claims_check(const struct claims_view *v, struct fasco_platform_claims *out)
{
	static const size_t challenge_sizes[] = { 32, 48, 64 };
	mbedtls_md_type_t md;
	const uint8_t *p;
	uint64_t lc;
	size_t len;
	int v2, r;

	memset(out, 0, sizeof(*out));
	v2 = platform_profile(v, out->profile, sizeof(out->profile));
	if (v2 < 0)
		return v2;
	r = claim_bstr(v, PC_CHALLENGE, challenge_sizes, ARRAY_SIZE(challenge_sizes), &p, &len);
	if (r < 0)
		return r;
	memcpy(out->challenge, p, len);
	out->challenge_len = (uint32_t)len;
	r = check_ids(v, out);
	if (r < 0)
		return r;
	r = claim_bstr(v, PC_CONFIG, NULL, 0, &p, &len);
	if (r < 0)
		return r;
	out->config_len = (uint32_t)len;
	memcpy(out->config, p, len < sizeof(out->config) ? len : sizeof(out->config));
	r = claim_uint(v, PC_LIFECYCLE, &lc);
	if (r < 0)
		return r;
	if (!lifecycle_valid(lc))
		return claim_invalid(v, PC_LIFECYCLE, "is outside the defined lifecycle ranges");
	out->lifecycle = (uint32_t)lc;
	r = check_sw_components(v, out);
	if (r >= 0)
		r = claim_hash(v, PC_HASH_ALGO, &md, out->hash_algo, sizeof(out->hash_algo));
	return r < 0 ? r : check_optional(v, v2, out);
}

int attest_platform_claims_parse(const uint8_t *payload, size_t len,
				 struct fasco_platform_claims *out)
{
	struct claims_view v;
	int r = attest_platform_view_decode(&v, payload, len);

	return r < 0 ? r : attest_platform_claims_check(&v, out);
}
