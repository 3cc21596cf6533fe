/* SPDX-License-Identifier: Apache-2.0 */
/* Build and sign a CCA token with the software root of trust. */
#include <string.h>

#include "attest/claims.h"
#include "attest/cose.h"
#include "attest/token.h"
#include "common/cleanup.h"
#include "common/error.h"

#define COSE_KEY_MAX 160 /* {1:2,-1:crv,-2:x,-3:y} for P-521 is 145 bytes */

struct build {
	const struct attest_token_inputs *in;
	const struct attest_keys *keys;
	const char *hash_name;  /* realm hash algorithm */
	size_t digest_len;
	uint8_t rak[COSE_KEY_MAX]; /* realm key claim, exactly as hashed */
	size_t rak_len;
	uint8_t platform_challenge[32];
	uint8_t instance_id[33];
};

static int realm_hash_algo(uint32_t rha, struct build *b)
{
	static const char *const names[] = { "sha-256", "sha-512", "sha-384" };

	if (rha >= ARRAY_SIZE(names))
		return fasco_fail(-EINVAL, "token: realm hash algorithm %u is not 0, 1 or 2", rha);
	b->hash_name = names[rha];
	b->digest_len = attest_hash_len(attest_hash_by_name(b->hash_name, strlen(b->hash_name)));
	return 0;
}

/* The RAK claim, the platform challenge that binds it, and the instance id. */
static int derive_binding(struct build *b)
{
	struct attest_pubkey rak, cpak;
	uint8_t digest[32];
	struct cbor_enc e;
	int r;

	r = attest_privkey_public(b->keys->realm, &rak);
	if (r >= 0)
		r = attest_privkey_public(b->keys->platform, &cpak);
	if (r < 0)
		return r;
	cbor_enc_init(&e, b->rak, sizeof(b->rak));
	attest_pubkey_put_cose(&e, &rak);
	r = cbor_enc_finish(&e, &b->rak_len);
	if (r >= 0)
		r = attest_hash(MBEDTLS_MD_SHA256, b->rak, b->rak_len, b->platform_challenge);
	if (r >= 0)
		r = attest_hash(MBEDTLS_MD_SHA256, cpak.point, cpak.point_len, digest);
	if (r < 0)
		return r;
	b->instance_id[0] = 0x01;
	memcpy(b->instance_id + 1, digest, sizeof(digest));
	return 0;
}

/* Realm claims in TF-RMM's order (CCA.md §2.4). */
static void put_realm_claims(struct cbor_enc *e, const struct build *b)
{
	const struct attest_token_inputs *in = b->in;

	cbor_put_map(e, 8);
	cbor_put_uint(e, 10);
	cbor_put_bstr(e, in->challenge, sizeof(in->challenge));
	cbor_put_uint(e, 44235);
	cbor_put_bstr(e, in->rpv, sizeof(in->rpv));
	cbor_put_uint(e, 44237);
	cbor_put_bstr(e, b->rak, b->rak_len);
	cbor_put_uint(e, 44236);
	cbor_put_tstr(e, b->hash_name);
	cbor_put_uint(e, 44240);
	cbor_put_tstr(e, "sha-256");
	cbor_put_uint(e, 265);
	cbor_put_tstr(e, CCA_REALM_PROFILE_1_0);
	cbor_put_uint(e, 44238);
	cbor_put_bstr(e, in->rim, b->digest_len);
	cbor_put_uint(e, 44239);
	cbor_put_array(e, 4);
	for (size_t i = 0; i < 4; i++)
		cbor_put_bstr(e, in->rem[i], b->digest_len);
}

static void put_sw_component(struct cbor_enc *e, const struct attest_sw_component *c)
{
	cbor_put_map(e, 2 + !!c->type + !!c->version + !!c->hash_algo);
	if (c->type) {
		cbor_put_uint(e, 1);
		cbor_put_tstr(e, c->type);
	}
	cbor_put_uint(e, 2);
	cbor_put_bstr(e, c->measurement, c->measurement_len);
	if (c->version) {
		cbor_put_uint(e, 4);
		cbor_put_tstr(e, c->version);
	}
	cbor_put_uint(e, 5);
	cbor_put_bstr(e, c->signer_id, c->signer_id_len);
	if (c->hash_algo) {
		cbor_put_uint(e, 6);
		cbor_put_tstr(e, c->hash_algo);
	}
}

/* Platform claims in the order of the draft's example (CCA.md §2.3). */
static void put_platform_claims(struct cbor_enc *e, const struct build *b)
{
	const struct attest_token_inputs *in = b->in;

	cbor_put_map(e, 8 + !!in->verification_service);
	cbor_put_uint(e, 265);
	cbor_put_tstr(e, CCA_PLATFORM_PROFILE_1_0);
	cbor_put_uint(e, 10);
	cbor_put_bstr(e, b->platform_challenge, sizeof(b->platform_challenge));
	cbor_put_uint(e, 2396);
	cbor_put_bstr(e, in->implementation_id, sizeof(in->implementation_id));
	cbor_put_uint(e, 256);
	cbor_put_bstr(e, b->instance_id, sizeof(b->instance_id));
	cbor_put_uint(e, 2401);
	cbor_put_bstr(e, in->config, in->config_len);
	cbor_put_uint(e, 2395);
	cbor_put_uint(e, ATTEST_LIFECYCLE_SOFTWARE);
	cbor_put_uint(e, 2402);
	cbor_put_tstr(e, "sha-256");
	if (in->verification_service) {
		cbor_put_uint(e, 2400);
		cbor_put_tstr(e, in->verification_service);
	}
	cbor_put_uint(e, 2399);
	cbor_put_array(e, in->sw_count);
	for (size_t i = 0; i < in->sw_count; i++)
		put_sw_component(e, &in->sw[i]);
}

typedef void (*put_claims_fn)(struct cbor_enc *e, const struct build *b);

/* Encode a claims map and sign it: a tagged COSE_Sign1 in a new buffer. */
static int sign_claims(const struct build *b, put_claims_fn put, const struct attest_privkey *key,
		       uint8_t **ret, size_t *ret_len)
{
	_cleanup_free_ uint8_t *payload = NULL, *msg = NULL;
	struct cbor_enc e;
	size_t n;
	int r;

	cbor_enc_init(&e, NULL, 0);
	put(&e, b);
	payload = malloc(e.off);
	if (!payload)
		return fasco_fail(-ENOMEM, "token: out of memory");
	n = e.off;
	cbor_enc_init(&e, payload, n);
	put(&e, b);
	cbor_enc_init(&e, NULL, 0);
	r = cose_sign1_encode(&e, key, payload, n);
	if (r < 0)
		return r;
	msg = malloc(e.off);
	if (!msg)
		return fasco_fail(-ENOMEM, "token: out of memory");
	cbor_enc_init(&e, msg, e.off);
	r = cose_sign1_encode(&e, key, payload, n);
	if (r < 0)
		return r;
	*ret = take_ptr(msg);
	*ret_len = e.off;
	return 0;
}

static void put_entry(struct cbor_enc *e, uint32_t tag, uint64_t label, const uint8_t *p,
		      size_t len)
{
	cbor_put_uint(e, label);
	if (tag == CCA_TAG_CMW_COLLECTION) {
		cbor_put_array(e, 2);
		cbor_put_uint(e, CCA_CMW_EAT_CWT);
	}
	cbor_put_bstr(e, p, len);
}

static int check_inputs(const struct attest_token_inputs *in, const struct attest_keys *keys)
{
	if (!keys->platform || !keys->realm || !attest_privkey_curve(keys->platform) ||
	    !attest_privkey_curve(keys->realm))
		return fasco_fail(FASCO_E_KEY, "token: platform and realm keys are required");
	if (in->sw_count == 0 || !in->sw || (in->config_len && !in->config))
		return fasco_fail(-EINVAL, "token: at least one software component is required");
	for (size_t i = 0; i < in->sw_count; i++)
		if (in->sw[i].measurement_len - 1 >= 64 || in->sw[i].signer_id_len - 1 >= 64)
			return fasco_fail(-EINVAL, "token: software component %zu: bad sizes", i);
	if (in->collection_tag && in->collection_tag != CCA_TAG_COLLECTION &&
	    in->collection_tag != CCA_TAG_CMW_COLLECTION)
		return fasco_fail(-EINVAL, "token: collection tag %u", in->collection_tag);
	return 0;
}

int attest_token_build(const struct attest_token_inputs *in, const struct attest_keys *keys,
		       uint8_t *out, size_t cap, size_t *ret_len)
{
	_cleanup_free_ uint8_t *realm = NULL, *platform = NULL;
	uint32_t tag = in->collection_tag ? in->collection_tag : CCA_TAG_COLLECTION;
	struct build b = { .in = in, .keys = keys };
	size_t realm_len, platform_len;
	struct cbor_enc e;
	int r;

	r = check_inputs(in, keys);
	if (r >= 0)
		r = realm_hash_algo(in->hash_algo, &b);
	if (r >= 0)
		r = derive_binding(&b);
	if (r >= 0)
		r = sign_claims(&b, put_realm_claims, keys->realm, &realm, &realm_len);
	if (r >= 0)
		r = sign_claims(&b, put_platform_claims, keys->platform, &platform, &platform_len);
	if (r < 0)
		return r;
	cbor_enc_init(&e, out, cap);
	cbor_put_tag(&e, tag);
	cbor_put_map(&e, 2);
	put_entry(&e, tag, CCA_LABEL_PLATFORM, platform, platform_len);
	put_entry(&e, tag, CCA_LABEL_REALM, realm, realm_len);
	return cbor_enc_finish(&e, ret_len);
}
