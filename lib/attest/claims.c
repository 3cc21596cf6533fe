/* SPDX-License-Identifier: Apache-2.0 */
/* Claims maps: decode into a view, typed getters with precise errors. */
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "common/error.h"

static int find_def(const struct claims_view *v, int64_t label)
{
	for (size_t i = 0; i < v->count; i++)
		if (v->defs[i].label == label)
			return (int)i;
	return -1;
}

int claims_view_decode(struct claims_view *v, const char *token, const struct claim_def *defs,
		       size_t count, const uint8_t *payload, size_t len)
{
	struct cbor_container map;
	struct cbor_dec d;
	int r;

	*v = (struct claims_view){ .token = token, .defs = defs, .count = count };
	cbor_dec_init(&d, payload, len, CBOR_STRICT);
	r = cbor_enter_map(&d, &map);
	for (size_t i = 0; r >= 0 && i < map.count; i++) {
		struct cbor_item key;
		int idx = -1;
		size_t start;

		r = cbor_peek_item(&d, &key);
		if (r < 0)
			break;
		/* Text keys and other labels are unknown claims: ignored. */
		if (key.major == CBOR_UINT && key.val <= INT64_MAX)
			idx = find_def(v, (int64_t)key.val);
		r = cbor_skip(&d);
		if (r < 0)
			break;
		start = d.off;
		r = cbor_skip(&d);
		if (r >= 0 && idx >= 0) {
			v->span[idx].p = payload + start;
			v->span[idx].len = d.off - start;
		}
	}
	if (r >= 0)
		r = cbor_leave(&d, &map);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	return r < 0 ? fasco_fail_wrap(r, "%s: claims", token) : 0;
}

bool claim_present(const struct claims_view *v, int idx)
{
	return v->span[idx].p != NULL;
}

int claim_invalid(const struct claims_view *v, int idx, const char *why)
{
	return fasco_fail(FASCO_E_CLAIM_INVALID, "%s: claim %lld (%s) %s", v->token,
			  (long long)v->defs[idx].label, v->defs[idx].name, why);
}

/* Read the claim's single item, which must have the given major type. */
static int claim_item(const struct claims_view *v, int idx, uint8_t major, struct cbor_item *ret)
{
	struct cbor_dec d;
	char why[64];

	if (!claim_present(v, idx))
		return fasco_fail(FASCO_E_CLAIM_MISSING, "%s: mandatory claim %lld (%s) is missing",
				  v->token, (long long)v->defs[idx].label, v->defs[idx].name);
	cbor_dec_init(&d, v->span[idx].p, v->span[idx].len, CBOR_STRICT);
	if (cbor_read_item(&d, ret) < 0 || ret->major != major) {
		snprintf(why, sizeof(why), "is not a %s", cbor_major_name(major));
		return claim_invalid(v, idx, why);
	}
	return 0;
}

int claim_bstr(const struct claims_view *v, int idx, const size_t *sizes, size_t n,
	       const uint8_t **ret, size_t *ret_len)
{
	struct cbor_item it;
	bool ok = n == 0;
	char why[64];
	int r = claim_item(v, idx, CBOR_BSTR, &it);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		ok |= it.len == sizes[i];
	if (!ok) {
		snprintf(why, sizeof(why), "has %zu bytes, expected %zu%s", it.len, sizes[0],
			 n > 1 ? " or another digest size" : "");
		return claim_invalid(v, idx, why);
	}
	*ret = it.data;
	*ret_len = it.len;
	return 0;
}

int claim_tstr(const struct claims_view *v, int idx, const char **ret, size_t *ret_len)
{
	struct cbor_item it;
	int r = claim_item(v, idx, CBOR_TSTR, &it);

	if (r < 0)
		return r;
	*ret = (const char *)it.data;
	*ret_len = it.len;
	return 0;
}

int claim_uint(const struct claims_view *v, int idx, uint64_t *ret)
{
	struct cbor_item it;
	int r = claim_item(v, idx, CBOR_UINT, &it);

	if (r < 0)
		return r;
	*ret = it.val;
	return 0;
}

int claim_hash(const struct claims_view *v, int idx, mbedtls_md_type_t *ret, char *name_out,
	       size_t cap)
{
	const char *name;
	size_t len;
	int r = claim_tstr(v, idx, &name, &len);

	if (r < 0)
		return r;
	*ret = attest_hash_by_name(name, len);
	if (*ret == MBEDTLS_MD_NONE)
		return claim_invalid(v, idx, "names no supported hash (sha-256, sha-384, sha-512)");
	claim_copy_text(name_out, cap, name, len);
	return 0;
}

void claim_copy_text(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}
