/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Sign1 decode, verify and sign. */
#include <string.h>

#include "attest/cose.h"
#include "common/cleanup.h"
#include "common/error.h"

#define HDR_ALG 1
#define HDR_CRIT 2

/* Read alg from the protected header map (a bstr holding a CBOR map). */
static int parse_protected(const uint8_t *buf, size_t len, unsigned flags,
			   const struct attest_alg **ret)
{
	struct cbor_container map;
	struct cbor_dec d;
	int64_t label, alg = 0;
	bool have_alg = false;
	int r;

	if (len == 0)
		return fasco_fail(FASCO_E_COSE, "cose: empty protected header (no alg)");
	cbor_dec_init(&d, buf, len, flags);
	r = cbor_enter_map(&d, &map);
	for (size_t i = 0; r >= 0 && i < map.count; i++) {
		struct cbor_item key;

		r = cbor_peek_item(&d, &key);
		if (r < 0)
			break;
		if (key.major != CBOR_UINT && key.major != CBOR_NINT) {
			r = cbor_skip(&d); /* text labels: private use, ignored */
			if (r >= 0)
				r = cbor_skip(&d);
			continue;
		}
		r = cbor_read_int(&d, &label);
		if (r < 0)
			break;
		if (label == HDR_CRIT)
			return fasco_fail(FASCO_E_COSE, "cose: critical header parameters are not supported");
		if (label == HDR_ALG) {
			r = cbor_read_int(&d, &alg);
			have_alg = r >= 0;
		} else {
			r = cbor_skip(&d);
		}
	}
	if (r >= 0)
		r = cbor_leave(&d, &map);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	if (r < 0)
		return fasco_fail_wrap(r, "cose: protected header");
	if (!have_alg)
		return fasco_fail(FASCO_E_COSE, "cose: protected header has no alg");
	*ret = attest_alg_by_cose(alg);
	if (!*ret)
		return fasco_fail(FASCO_E_COSE, "cose: unsupported alg %lld (want ES256, ES384 or ES512)",
				  (long long)alg);
	return 0;
}

/* The unprotected bucket must be a map and must not carry alg. */
static int check_unprotected(struct cbor_dec *d)
{
	struct cbor_container map;
	int r = cbor_enter_map(d, &map);

	for (size_t i = 0; r >= 0 && i < map.count; i++) {
		struct cbor_item key;

		r = cbor_peek_item(d, &key);
		if (r >= 0 && key.major == CBOR_UINT && (key.val == HDR_ALG || key.val == HDR_CRIT))
			return fasco_fail(FASCO_E_COSE, "cose: header %llu must be protected",
					  (unsigned long long)key.val);
		if (r >= 0)
			r = cbor_skip(d);
		if (r >= 0)
			r = cbor_skip(d);
	}
	return r < 0 ? fasco_fail_wrap(r, "cose: unprotected header") : cbor_leave(d, &map);
}

int cose_sign1_decode(const uint8_t *buf, size_t len, unsigned flags, struct cose_sign1 *ret)
{
	struct cose_sign1 msg = { 0 };
	struct cbor_container arr;
	struct cbor_item head;
	struct cbor_dec d;
	uint64_t tag;
	int r;

	cbor_dec_init(&d, buf, len, flags & CBOR_STRICT);
	r = cbor_peek_item(&d, &head);
	if (r < 0)
		return r;
	if (head.major == CBOR_TAG) {
		r = cbor_read_tag(&d, &tag);
		if (r < 0)
			return r;
		if (tag != COSE_TAG_SIGN1)
			return fasco_fail(FASCO_E_COSE, "cose: tag %llu, expected COSE_Sign1 (18)",
					  (unsigned long long)tag);
		msg.tagged = true;
	} else if (flags & COSE_REQUIRE_TAG) {
		return fasco_fail(FASCO_E_COSE, "cose: COSE_Sign1 tag (18) missing");
	}
	r = cbor_enter_array(&d, &arr);
	if (r < 0)
		return r;
	if (arr.count != 4)
		return fasco_fail(FASCO_E_COSE, "cose: COSE_Sign1 has %zu members, expected 4", arr.count);
	r = cbor_read_bstr(&d, &msg.protected_hdr, &msg.protected_len);
	if (r >= 0)
		r = check_unprotected(&d);
	if (r >= 0)
		r = cbor_read_bstr(&d, &msg.payload, &msg.payload_len);
	if (r >= 0)
		r = cbor_read_bstr(&d, &msg.sig, &msg.sig_len);
	if (r >= 0)
		r = cbor_leave(&d, &arr);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	if (r >= 0)
		r = parse_protected(msg.protected_hdr, msg.protected_len, flags & CBOR_STRICT, &msg.alg);
	if (r < 0)
		return r;
	if (msg.sig_len != 2 * msg.alg->coord_len)
		return fasco_fail(FASCO_E_COSE, "cose: %s signature must be %zu bytes, got %zu",
				  msg.alg->name, 2 * msg.alg->coord_len, msg.sig_len);
	*ret = msg;
	return 0;
}

static void md_freep(mbedtls_md_context_t *ctx)
{
	mbedtls_md_free(ctx);
}

/* Hash Sig_structure ["Signature1", protected, h'', payload] without building it. */
static int hash_sig_structure(const struct attest_alg *alg, const uint8_t *prot, size_t prot_len,
			      const uint8_t *payload, size_t payload_len, uint8_t *out)
{
	mbedtls_md_context_t ctx __attribute__((cleanup(md_freep)));
	uint8_t head[32], mid[16];
	struct cbor_enc e, m;

	cbor_enc_init(&e, head, sizeof(head));
	cbor_put_array(&e, 4);
	cbor_put_tstr(&e, "Signature1");
	cbor_put_head(&e, CBOR_BSTR, prot_len);
	cbor_enc_init(&m, mid, sizeof(mid));
	cbor_put_bstr(&m, NULL, 0); /* external_aad */
	cbor_put_head(&m, CBOR_BSTR, payload_len);

	mbedtls_md_init(&ctx);
	if (mbedtls_md_setup(&ctx, mbedtls_md_info_from_type(alg->md), 0) != 0 ||
	    mbedtls_md_starts(&ctx) != 0 || mbedtls_md_update(&ctx, head, e.off) != 0 ||
	    mbedtls_md_update(&ctx, prot, prot_len) != 0 || mbedtls_md_update(&ctx, mid, m.off) != 0 ||
	    mbedtls_md_update(&ctx, payload, payload_len) != 0 || mbedtls_md_finish(&ctx, out) != 0)
		return fasco_fail(FASCO_E_INTERNAL, "cose: hashing the Sig_structure failed");
	return 0;
}

int cose_sign1_verify(const struct cose_sign1 *msg, const struct attest_pubkey *key)
{
	uint8_t hash[ATTEST_MAX_HASH];
	int r;

	if (key->curve != msg->alg->curve)
		return fasco_fail(FASCO_E_KEY, "cose: %s signature but the key is on %s",
				  msg->alg->name, attest_curve_name(key->curve));
	r = hash_sig_structure(msg->alg, msg->protected_hdr, msg->protected_len, msg->payload,
			       msg->payload_len, hash);
	if (r < 0)
		return r;
	return attest_ecdsa_verify(key, hash, attest_hash_len(msg->alg->md), msg->sig, msg->sig_len);
}

int cose_sign1_encode(struct cbor_enc *e, const struct attest_privkey *key,
		      const uint8_t *payload, size_t payload_len)
{
	const struct attest_alg *alg = attest_alg_by_curve(attest_privkey_curve(key));
	uint8_t prot[8], hash[ATTEST_MAX_HASH], sig[ATTEST_MAX_SIG] = { 0 };
	struct cbor_enc p;
	int r;

	if (!alg)
		return fasco_fail(FASCO_E_KEY, "cose: signing key is not on P-256, P-384 or P-521");
	cbor_enc_init(&p, prot, sizeof(prot));
	cbor_put_map(&p, 1);
	cbor_put_int(&p, HDR_ALG);
	cbor_put_int(&p, alg->cose_alg);
	if (e->buf) {
		r = hash_sig_structure(alg, prot, p.off, payload, payload_len, hash);
		if (r < 0)
			return r;
		r = attest_ecdsa_sign(key, alg->md, hash, attest_hash_len(alg->md), sig,
				      2 * alg->coord_len);
		if (r < 0)
			return r;
	}
	cbor_put_tag(e, COSE_TAG_SIGN1);
	cbor_put_array(e, 4);
	cbor_put_bstr(e, prot, p.off);
	cbor_put_map(e, 0);
	cbor_put_bstr(e, payload, payload_len);
	cbor_put_bstr(e, sig, 2 * alg->coord_len);
	return 0;
}
