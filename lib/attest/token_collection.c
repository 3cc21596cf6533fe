/* SPDX-License-Identifier: Apache-2.0 */
/* The top-level CCA token collection, tags 399 and 907 (CCA.md §2.1). */
#include "attest/token.h"
#include "common/error.h"

/* 907 entries are CMW arrays [263, bstr]. */
static int read_cmw(struct cbor_dec *d, const uint8_t **ret, size_t *ret_len)
{
	struct cbor_container arr;
	uint64_t type;
	int r = cbor_enter_array(d, &arr);

	if (r < 0)
		return r;
	if (arr.count != 2)
		return fasco_fail(FASCO_E_CBOR, "collection: CMW entry has %zu members, expected 2",
				  arr.count);
	r = cbor_read_uint(d, &type);
	if (r < 0)
		return r;
	if (type != CCA_CMW_EAT_CWT)
		return fasco_fail(FASCO_E_CBOR, "collection: CMW content type %llu, expected %d",
				  (unsigned long long)type, CCA_CMW_EAT_CWT);
	r = cbor_read_bstr(d, ret, ret_len);
	return r < 0 ? r : cbor_leave(d, &arr);
}

static int read_entry(struct cbor_dec *d, uint64_t tag, struct attest_collection *c)
{
	struct cbor_item key;
	const uint8_t **p;
	size_t *len;
	int r = cbor_peek_item(d, &key);

	if (r < 0)
		return r;
	if (key.major != CBOR_UINT || (key.val != CCA_LABEL_PLATFORM && key.val != CCA_LABEL_REALM)) {
		r = cbor_skip(d); /* other entries (e.g. 2.0 device token 44258): ignored */
		return r < 0 ? r : cbor_skip(d);
	}
	r = cbor_skip(d);
	if (r < 0)
		return r;
	p = key.val == CCA_LABEL_PLATFORM ? &c->platform : &c->realm;
	len = key.val == CCA_LABEL_PLATFORM ? &c->platform_len : &c->realm_len;
	return tag == CCA_TAG_CMW_COLLECTION ? read_cmw(d, p, len) : cbor_read_bstr(d, p, len);
}

int attest_collection_decode(const uint8_t *buf, size_t len, struct attest_collection *ret)
{
	struct attest_collection c = { 0 };
	struct cbor_container map;
	struct cbor_dec d;
	int r;

	cbor_dec_init(&d, buf, len, CBOR_STRICT);
	r = cbor_read_tag(&d, &c.tag);
	if (r >= 0 && c.tag != CCA_TAG_COLLECTION && c.tag != CCA_TAG_CMW_COLLECTION)
		return fasco_fail(FASCO_E_CBOR, "collection: tag %llu, expected 399 or 907",
				  (unsigned long long)c.tag);
	if (r >= 0)
		r = cbor_enter_map(&d, &map);
	for (size_t i = 0; r >= 0 && i < map.count; i++)
		r = read_entry(&d, c.tag, &c);
	if (r >= 0)
		r = cbor_leave(&d, &map);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	if (r < 0)
		return fasco_fail_wrap(r, "token collection");
	if (!c.platform || !c.realm)
		return fasco_fail(FASCO_E_CBOR, "token collection: no %s token (key %d)",
				  c.platform ? "realm" : "platform",
				  c.platform ? CCA_LABEL_REALM : CCA_LABEL_PLATFORM);
	*ret = c;
	return 0;
}
