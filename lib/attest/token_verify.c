/* SPDX-License-Identifier: Apache-2.0 */
/* CCA token verification in the order of CCA.md §2.6. */
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "attest/cose.h"
#include "attest/token.h"
#include "common/cleanup.h"
#include "common/error.h"

struct verify {
	struct attest_collection col;
	struct cose_sign1 platform, realm;
	struct claims_view pv, rv;
};

/* 2. Both COSE_Sign1 (tag 18 required) and their claims maps. */
static int decode_tokens(struct verify *v)
{
	const unsigned flags = CBOR_STRICT | COSE_REQUIRE_TAG;
	int r;

	r = cose_sign1_decode(v->col.platform, v->col.platform_len, flags, &v->platform);
	if (r < 0)
		return fasco_fail_wrap(r, "platform token");
	r = cose_sign1_decode(v->col.realm, v->col.realm_len, flags, &v->realm);
	if (r < 0)
		return fasco_fail_wrap(r, "realm token");
	r = attest_platform_view_decode(&v->pv, v->platform.payload, v->platform.payload_len);
	return r < 0 ? r : attest_realm_view_decode(&v->rv, v->realm.payload, v->realm.payload_len);
}

static bool anchor_matches(const struct verify *v, const struct attest_anchor *a)
{
	const uint8_t *p;
	size_t len;
	size_t size33 = 33, size32 = 32;

	/* Ids are only read when the anchor names them; bad claims never match. */
	if (a->has_instance_id &&
	    (claim_bstr(&v->pv, PC_INSTANCE_ID, &size33, 1, &p, &len) < 0 ||
	     memcmp(p, a->instance_id, 33)))
		return false;
	if (a->has_implementation_id &&
	    (claim_bstr(&v->pv, PC_IMPLEMENTATION_ID, &size32, 1, &p, &len) < 0 ||
	     memcmp(p, a->implementation_id, 32)))
		return false;
	return true;
}

/* 3. The platform signature, with the anchor for this platform's ids. */
static int verify_platform(const struct verify *v, const struct attest_anchor *anchors, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++) {
		if (!anchor_matches(v, &anchors[i]))
			continue;
		r = cose_sign1_verify(&v->platform, &anchors[i].key);
		return r < 0 ? fasco_fail_wrap(r, "platform token") : 0;
	}
	return fasco_fail(FASCO_E_KEY,
			  "platform token: no trust anchor matches its instance and implementation ids");
}

/* 4. The realm signature, with the key the realm token carries. */
static int verify_realm(const struct verify *v)
{
	struct attest_pubkey rak;
	int r = attest_realm_rak(&v->rv, &rak);

	if (r < 0)
		return r;
	r = cose_sign1_verify(&v->realm, &rak);
	return r < 0 ? fasco_fail_wrap(r, "realm token") : 0;
}

/* 5. Platform challenge == hash (named by 44240) of claim 44237 as transmitted. */
static int check_binding(const struct verify *v)
{
	const uint8_t *rak, *challenge;
	size_t rak_len, challenge_len;
	uint8_t digest[ATTEST_MAX_HASH];
	mbedtls_md_type_t md;
	char name[16];
	int r;

	r = claim_hash(&v->rv, RC_RAK_HASH_ALGO, &md, name, sizeof(name));
	if (r >= 0)
		r = claim_bstr(&v->rv, RC_RAK, NULL, 0, &rak, &rak_len);
	if (r >= 0)
		r = claim_bstr(&v->pv, PC_CHALLENGE, NULL, 0, &challenge, &challenge_len);
	if (r >= 0)
		r = attest_hash(md, rak, rak_len, digest);
	if (r < 0)
		return r;
	if (challenge_len != attest_hash_len(md) || memcmp(challenge, digest, challenge_len))
		return fasco_fail(FASCO_E_BINDING,
				  "binding: platform challenge is not the %s of the realm public key claim",
				  name);
	return 0;
}

static int expect_equal(int code, const char *what, const uint8_t *want, size_t want_len,
			const uint8_t *got, size_t got_len)
{
	if (!want)
		return 0;
	if (want_len != got_len || memcmp(want, got, got_len))
		return fasco_fail(code, "realm token: %s differs from the expected value", what);
	return 0;
}

/* 6b. Appraise against the caller's expected values. */
static int appraise(const struct fasco_realm_claims *c, const struct fasco_verify_opts *o)
{
	static const char *const rem_names[] = { "REM[0]", "REM[1]", "REM[2]", "REM[3]" };
	int r;

	if (!o)
		return 0;
	r = expect_equal(FASCO_E_CHALLENGE, "challenge", o->challenge, o->challenge_len,
			 c->challenge, sizeof(c->challenge));
	if (r >= 0)
		r = expect_equal(FASCO_E_REFERENCE, "personalization value", o->rpv, o->rpv_len,
				 c->rpv, sizeof(c->rpv));
	if (r >= 0)
		r = expect_equal(FASCO_E_REFERENCE, "initial measurement", o->rim, o->rim_len, c->rim,
				 c->measurement_len);
	for (size_t i = 0; r >= 0 && i < 4; i++)
		r = expect_equal(FASCO_E_REFERENCE, rem_names[i], o->rem[i], o->rem_len[i], c->rem[i],
				 c->measurement_len);
	return r;
}

int attest_token_verify(const uint8_t *token, size_t len, const struct attest_anchor *anchors,
			size_t n, const struct fasco_verify_opts *opts,
			struct fasco_token_claims *out)
{
	bool skip = opts && (opts->flags & FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE);
	_cleanup_free_ struct fasco_token_claims *c = calloc(1, sizeof(*c));
	struct verify v;
	int r;

	if (!c)
		return fasco_fail(-ENOMEM, "token: out of memory");
	if (!n && !skip)
		return fasco_fail(FASCO_E_KEY, "token: no trust anchor for the platform signature");
	r = attest_collection_decode(token, len, &v.col);
	if (r >= 0)
		r = decode_tokens(&v);
	if (r >= 0 && !skip)
		r = verify_platform(&v, anchors, n);
	if (r >= 0)
		r = verify_realm(&v);
	if (r >= 0)
		r = check_binding(&v);
	if (r >= 0)
		r = attest_platform_claims_check(&v.pv, &c->platform);
	if (r >= 0)
		r = attest_realm_claims_check(&v.rv, &c->realm);
	if (r >= 0)
		r = appraise(&c->realm, opts);
	if (r < 0)
		return r;
	c->size = sizeof(*c);
	c->collection_tag = (uint32_t)v.col.tag;
	c->platform_verified = !skip;
	c->platform.alg = (int32_t)v.platform.alg->cose_alg;
	c->realm.alg = (int32_t)v.realm.alg->cose_alg;
	if (out)
		*out = *c;
	return 0;
}
