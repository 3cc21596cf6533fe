/* SPDX-License-Identifier: Apache-2.0 */
/* Render a CCA token as JSON for people (no signature checks). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "attest/cose.h"
#include "attest/token.h"
#include "common/cleanup.h"
#include "common/error.h"

#define JSON_OUT_MAX (16u << 20)

struct out {
	char *p;
	size_t len, cap;
	bool failed;
};

static void out_free(struct out *o)
{
	free(o->p);
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (n >= o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 1024;
		char *p;

		while (n >= cap - o->len && cap <= JSON_OUT_MAX)
			cap *= 2;
		p = cap <= JSON_OUT_MAX ? realloc(o->p, cap) : NULL;
		if (!p) {
			o->failed = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void putf(struct out *o, const char *fmt, ...) FASCO_PRINTF(2, 3);
static void putf(struct out *o, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(o, buf, n < 0 ? 0 : (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void put_string(struct out *o, const uint8_t *s, size_t len)
{
	put(o, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			putf(o, "\\%c", s[i]);
		else if (s[i] < 0x20)
			putf(o, "\\u%04x", s[i]);
		else
			put(o, (const char *)&s[i], 1);
	}
	put(o, "\"", 1);
}

static void put_hex(struct out *o, const uint8_t *p, size_t len)
{
	put(o, "\"", 1);
	for (size_t i = 0; i < len; i++)
		putf(o, "%02x", p[i]);
	put(o, "\"", 1);
}

static int put_item(struct out *o, struct cbor_dec *d, const struct claim_def *names, size_t n);

static int put_key(struct out *o, struct cbor_dec *d, const struct claim_def *names, size_t n)
{
	struct cbor_item it;
	int r = cbor_peek_item(d, &it);

	if (r < 0)
		return r;
	if (it.major == CBOR_TSTR)
		return put_item(o, d, NULL, 0);
	if (it.major != CBOR_UINT && it.major != CBOR_NINT) {
		putf(o, "\"(%s key)\"", cbor_major_name(it.major));
		return cbor_skip(d);
	}
	for (size_t i = 0; it.major == CBOR_UINT && i < n; i++)
		if ((uint64_t)names[i].label == it.val) {
			put_string(o, (const uint8_t *)names[i].name, strlen(names[i].name));
			return cbor_skip(d);
		}
	if (it.major == CBOR_UINT)
		putf(o, "\"%llu\"", (unsigned long long)it.val);
	else
		putf(o, "\"-%llu\"", (unsigned long long)it.val + (it.val < UINT64_MAX));
	return cbor_skip(d);
}

static int put_container(struct out *o, struct cbor_dec *d, bool map,
			 const struct claim_def *names, size_t n)
{
	struct cbor_container c;
	int r = map ? cbor_enter_map(d, &c) : cbor_enter_array(d, &c);

	put(o, map ? "{" : "[", 1);
	for (size_t i = 0; r >= 0 && i < c.count; i++) {
		if (i)
			put(o, ",", 1);
		if (map) {
			r = put_key(o, d, names, n);
			put(o, ":", 1);
		}
		if (r >= 0)
			r = put_item(o, d, NULL, 0);
	}
	put(o, map ? "}" : "]", 1);
	return r < 0 ? r : cbor_leave(d, &c);
}

static int put_item(struct out *o, struct cbor_dec *d, const struct claim_def *names, size_t n)
{
	struct cbor_item it;
	int r = cbor_peek_item(d, &it);

	if (r < 0)
		return r;
	if (it.major == CBOR_ARRAY || it.major == CBOR_MAP)
		return put_container(o, d, it.major == CBOR_MAP, names, n);
	if (it.major == CBOR_TAG) {
		/* Bounded like containers: the decoder counts tags into the depth. */
		if (d->depth >= CBOR_MAX_DEPTH)
			return fasco_fail(FASCO_E_CBOR, "cbor: nesting too deep at offset %zu", d->off);
		r = cbor_read_item(d, &it);
		putf(o, "{\"tag\":%llu,\"value\":", (unsigned long long)it.val);
		d->depth++;
		if (r >= 0)
			r = put_item(o, d, NULL, 0);
		d->depth--;
		put(o, "}", 1);
		return r;
	}
	r = cbor_read_item(d, &it);
	if (r < 0)
		return r;
	switch (it.major) {
	case CBOR_UINT: putf(o, "%llu", (unsigned long long)it.val); break;
	case CBOR_NINT:
		if (it.val < UINT64_MAX)
			putf(o, "-%llu", (unsigned long long)it.val + 1);
		else
			put(o, "\"-18446744073709551616\"", 23);
		break;
	case CBOR_BSTR: put_hex(o, it.data, it.len); break;
	case CBOR_TSTR: put_string(o, it.data, it.len); break;
	default:
		if (it.ai == 20 || it.ai == 21)
			putf(o, "%s", it.ai == 21 ? "true" : "false");
		else if (it.ai == 22 || it.ai == 23)
			putf(o, "null");
		else
			putf(o, "\"(simple %llu)\"", (unsigned long long)it.val);
	}
	return 0;
}

static int put_signed(struct out *o, const char *name, const uint8_t *p, size_t len,
		      const struct claim_def *names, size_t n)
{
	struct cose_sign1 msg;
	struct cbor_dec d;
	int r = cose_sign1_decode(p, len, CBOR_STRICT, &msg);

	if (r < 0)
		return fasco_fail_wrap(r, "%s", name);
	putf(o, "\"%s\":{\"alg\":\"%s\",\"claims\":", name, msg.alg->name);
	cbor_dec_init(&d, msg.payload, msg.payload_len, CBOR_STRICT);
	r = put_item(o, &d, names, n);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	put(o, "}", 1);
	return r < 0 ? fasco_fail_wrap(r, "%s claims", name) : 0;
}

int attest_token_json(const uint8_t *token, size_t len, char **ret)
{
	struct out o __attribute__((cleanup(out_free))) = { 0 };
	struct attest_collection col;
	int r = attest_collection_decode(token, len, &col);

	if (r < 0)
		return r;
	putf(&o, "{\"tag\":%llu,", (unsigned long long)col.tag);
	r = put_signed(&o, "platform", col.platform, col.platform_len, platform_claim_defs,
		       PC_COUNT);
	put(&o, ",", 1);
	if (r >= 0)
		r = put_signed(&o, "realm", col.realm, col.realm_len, realm_claim_defs, RC_COUNT);
	put(&o, "}", 1);
	if (r < 0)
		return r;
	if (o.failed)
		return fasco_fail(-ENOMEM, "token: out of memory rendering JSON");
	*ret = take_ptr(o.p);
	return 0;
}
