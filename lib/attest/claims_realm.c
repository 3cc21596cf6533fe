/* SPDX-License-Identifier: Apache-2.0 */
/* Realm token claims (CCA.md §2.4). */
#include <string.h>

#include "attest/claims.h"
#include "attest/keys.h"
#include "common/cleanup.h"
#include "common/error.h"

const struct claim_def realm_claim_defs[RC_COUNT] = {
	[RC_CHALLENGE] = { 10, "challenge" },
	[RC_PROFILE] = { 265, "profile" },
	[RC_INSTANCE_ID] = { 256, "realm instance id" },
	[RC_RPV] = { 44235, "personalization value" },
	[RC_HASH_ALGO] = { 44236, "realm hash algorithm" },
	[RC_RAK] = { 44237, "realm public key" },
	[RC_RIM] = { 44238, "initial measurement" },
	[RC_REM] = { 44239, "extensible measurements" },
	[RC_RAK_HASH_ALGO] = { 44240, "realm public key hash algorithm" },
};

int attest_realm_view_decode(struct claims_view *v, const uint8_t *payload, size_t len)
{
	return claims_view_decode(v, "realm token", realm_claim_defs, RC_COUNT, payload, len);
}

/* 1 for the 2.0 profile, 0 for 1.0 or none; unknown profiles are invalid. */
static int realm_profile(const struct claims_view *v, char *out, size_t cap)
{
	const char *s;
	size_t len;
	int r;

	out[0] = '\0';
	if (!claim_present(v, RC_PROFILE))
		return 0;
	r = claim_tstr(v, RC_PROFILE, &s, &len);
	if (r < 0)
		return r;
	claim_copy_text(out, cap, s, len);
	if (len == strlen(CCA_REALM_PROFILE_1_0) && !memcmp(s, CCA_REALM_PROFILE_1_0, len))
		return 0;
	if (len == strlen(CCA_REALM_PROFILE_2_0) && !memcmp(s, CCA_REALM_PROFILE_2_0, len))
		return 1;
	return claim_invalid(v, RC_PROFILE, "is not a known realm profile");
}

int attest_realm_rak(const struct claims_view *v, struct attest_pubkey *ret)
{
	const uint8_t *p;
	size_t len;
	int r = claim_bstr(v, RC_RAK, NULL, 0, &p, &len);

	if (r < 0)
		return r;
	/* Legacy tokens (no profile) carry a raw point, profiled ones a COSE_Key. */
	r = claim_present(v, RC_PROFILE) ? attest_pubkey_from_cose_key(p, len, ret)
					 : attest_pubkey_from_raw(p, len, ret);
	if (r < 0)
		return fasco_fail_wrap(FASCO_E_KEY, "%s: claim 44237 (realm public key)", v->token);
	return 0;
}

static int check_measurements(const struct claims_view *v, size_t digest,
			      struct fasco_realm_claims *out)
{
	struct cbor_container arr;
	const uint8_t *p;
	struct cbor_dec d;
	size_t len;
	int r;

	r = claim_bstr(v, RC_RIM, &digest, 1, &p, &len);
	if (r < 0)
		return r;
	memcpy(out->rim, p, len);
	out->measurement_len = (uint32_t)len;
	if (!claim_present(v, RC_REM))
		return claim_bstr(v, RC_REM, NULL, 0, &p, &len); /* reports it missing */
	cbor_dec_init(&d, v->span[RC_REM].p, v->span[RC_REM].len, CBOR_STRICT);
	if (cbor_enter_array(&d, &arr) < 0 || arr.count != 4)
		return claim_invalid(v, RC_REM, "is not an array of 4 measurements");
	for (size_t i = 0; i < 4; i++) {
		if (cbor_read_bstr(&d, &p, &len) < 0 || len != digest)
			return claim_invalid(v, RC_REM, "holds a measurement that is not a digest-sized bstr");
		memcpy(out->rem[i], p, len);
	}
	return 0;
}

int attest_realm_claims_check(const struct claims_view *v, struct fasco_realm_claims *out)
{
	static const size_t size64 = 64, size33 = 33;
	struct attest_pubkey rak;
	mbedtls_md_type_t md;
	const uint8_t *p;
	size_t len;
	int v2, r;

	memset(out, 0, sizeof(*out));
	v2 = realm_profile(v, out->profile, sizeof(out->profile));
	if (v2 < 0)
		return v2;
	r = claim_bstr(v, RC_CHALLENGE, &size64, 1, &p, &len);
	if (r < 0)
		return r;
	memcpy(out->challenge, p, len);
	if (v2 || claim_present(v, RC_INSTANCE_ID)) {
		r = claim_bstr(v, RC_INSTANCE_ID, &size33, 1, &p, &len);
		if (r < 0)
			return r;
		if (p[0] != 0x01)
			return claim_invalid(v, RC_INSTANCE_ID, "does not start with 0x01");
	}
	r = claim_bstr(v, RC_RPV, &size64, 1, &p, &len);
	if (r < 0)
		return r;
	memcpy(out->rpv, p, len);
	r = claim_hash(v, RC_HASH_ALGO, &md, out->hash_algo, sizeof(out->hash_algo));
	if (r < 0)
		return r;
	r = check_measurements(v, attest_hash_len(md), out);
	if (r < 0)
		return r;
	r = claim_hash(v, RC_RAK_HASH_ALGO, &md, out->rak_hash_algo, sizeof(out->rak_hash_algo));
	if (r < 0)
		return r;
	r = attest_realm_rak(v, &rak);
	if (r < 0)
		return r;
	memcpy(out->rak, rak.point, rak.point_len);
	out->rak_len = (uint32_t)rak.point_len;
	return 0;
}

int attest_realm_claims_parse(const uint8_t *payload, size_t len, struct fasco_realm_claims *out)
{
	struct claims_view v;
	int r = attest_realm_view_decode(&v, payload, len);

	return r < 0 ? r : attest_realm_claims_check(&v, out);
}
