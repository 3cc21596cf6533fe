/* SPDX-License-Identifier: Apache-2.0 */
/* Public keys from JWK (RFC 7517/7518) and Veraison trust-anchor JSON. */
#include <stddef.h>
#include <string.h>

#include "attest/keys.h"
#include "common/error.h"
#include "common/hex.h"
#include "common/json.h"

/* Longest member value we keep: base64url of a P-521 coordinate is 88. */
#define JWK_VALUE_MAX 128

static int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Unpadded canonical base64url of exactly want bytes. */
static int b64url_decode(const char *s, size_t len, uint8_t *out, size_t want, const char *what)
{
	uint32_t acc = 0;
	size_t n = 0;
	unsigned bits = 0;

	if (len != (want * 4 + 2) / 3)
		return fasco_fail(FASCO_E_KEY, "jwk: \"%s\" must encode %zu bytes", what, want);
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value(s[i]);

		if (v < 0)
			return fasco_fail(FASCO_E_KEY, "jwk: \"%s\" is not unpadded base64url", what);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))
		return fasco_fail(FASCO_E_KEY, "jwk: \"%s\" has non-zero padding bits", what);
	return 0;
}

static int anchor_hex(const char *s, size_t len, uint8_t *out, size_t want, const char *what)
{
	if (len != 2 * want)
		return fasco_fail(FASCO_E_KEY, "anchor: \"%s\" must be %zu hex digits", what, 2 * want);
	if (hex_decode(s, out, want, NULL) < 0)
		return fasco_fail(FASCO_E_KEY, "anchor: \"%s\" is not hex", what);
	return 0;
}

struct jwk_fields {
	char kty[16], crv[16], x[JWK_VALUE_MAX], y[JWK_VALUE_MAX];
	size_t x_len, y_len;
	bool has_d;
};

static int jwk_member(struct json *j, const char *key, struct jwk_fields *f)
{
	static const struct {
		const char *name;
		size_t off, cap, len_off;
	} fields[] = {
		{ "kty", offsetof(struct jwk_fields, kty), 16, 0 },
		{ "crv", offsetof(struct jwk_fields, crv), 16, 0 },
		{ "x", offsetof(struct jwk_fields, x), JWK_VALUE_MAX, offsetof(struct jwk_fields, x_len) },
		{ "y", offsetof(struct jwk_fields, y), JWK_VALUE_MAX, offsetof(struct jwk_fields, y_len) },
	};

	if (!strcmp(key, "d"))
		f->has_d = true;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *dst = (char *)f + fields[i].off;

		if (strcmp(key, fields[i].name))
			continue;
		if (dst[0])
			return fasco_fail(FASCO_E_KEY, "jwk: duplicate \"%s\"", key);
		return json_read_string(j, dst, fields[i].cap,
					fields[i].len_off ? (size_t *)((char *)f + fields[i].len_off) : NULL);
	}
	return json_skip(j);
}

static int curve_by_jwk_name(const char *crv)
{
	for (int c = ATTEST_CURVE_P256; c <= ATTEST_CURVE_P521; c++)
		if (!strcmp(crv, attest_curve_name(c)))
			return c;
	return 0;
}

/* Read one JWK object at the reader's position. */
static int jwk_read(struct json *j, struct attest_pubkey *ret)
{
	struct jwk_fields f = { 0 };
	uint8_t point[ATTEST_MAX_POINT];
	const struct attest_alg *alg;
	char key[32];
	int r = json_object_begin(j);

	while (r >= 0 && (r = json_object_next(j, key, sizeof(key))) > 0)
		r = jwk_member(j, key, &f);
	if (r < 0)
		return r;
	if (f.has_d)
		return fasco_fail(FASCO_E_KEY, "jwk: holds a private key (\"d\")");
	if (strcmp(f.kty, "EC"))
		return fasco_fail(FASCO_E_KEY, "jwk: kty \"%s\", expected \"EC\"", f.kty);
	alg = attest_alg_by_curve(curve_by_jwk_name(f.crv));
	if (!alg)
		return fasco_fail(FASCO_E_KEY, "jwk: crv \"%s\" is not P-256, P-384 or P-521", f.crv);
	point[0] = 0x04;
	r = b64url_decode(f.x, f.x_len, point + 1, alg->coord_len, "x");
	if (r >= 0)
		r = b64url_decode(f.y, f.y_len, point + 1 + alg->coord_len, alg->coord_len, "y");
	if (r < 0)
		return r;
	return attest_pubkey_from_point(alg->curve, point, 1 + 2 * alg->coord_len, ret);
}

int attest_pubkey_from_jwk(const char *json, size_t len, struct attest_pubkey *ret)
{
	struct json j;
	int r;

	json_init(&j, json, len, FASCO_E_KEY);
	r = jwk_read(&j, ret);
	return r < 0 ? r : json_finish(&j);
}

static int anchor_id(struct json *j, uint8_t *out, size_t want, bool *has, const char *what)
{
	char hex[2 * 33 + 2];
	size_t n;
	int r;

	if (*has)
		return fasco_fail(FASCO_E_KEY, "anchor: duplicate \"%s\"", what);
	r = json_read_string(j, hex, sizeof(hex), &n);
	if (r < 0)
		return r;
	*has = true;
	return anchor_hex(hex, n, out, want, what);
}

/* One {"pkey": JWK, "implementation-id": hex, "instance-id": hex} object. */
static int anchor_read(struct json *j, struct attest_anchor *a)
{
	bool has_key = false;
	char key[32];
	int r = json_object_begin(j);

	*a = (struct attest_anchor){ 0 };
	while (r >= 0 && (r = json_object_next(j, key, sizeof(key))) > 0) {
		if (!strcmp(key, "pkey")) {
			if (has_key)
				return fasco_fail(FASCO_E_KEY, "anchor: duplicate \"pkey\"");
			r = jwk_read(j, &a->key);
			has_key = true;
		} else if (!strcmp(key, "implementation-id")) {
			r = anchor_id(j, a->implementation_id, 32, &a->has_implementation_id, key);
		} else if (!strcmp(key, "instance-id")) {
			r = anchor_id(j, a->instance_id, 33, &a->has_instance_id, key);
		} else {
			r = json_skip(j);
		}
	}
	if (r < 0)
		return r;
	if (!has_key)
		return fasco_fail(FASCO_E_KEY, "anchor: no \"pkey\"");
	return 0;
}

int attest_anchors_parse(const char *json, size_t len, struct attest_anchor *out, size_t cap,
			 size_t *ret_count)
{
	struct json j;
	size_t n = 0;
	int r;

	json_init(&j, json, len, FASCO_E_KEY);
	if (json_peek(&j) == '{') {
		r = cap ? anchor_read(&j, &out[0]) : fasco_fail(-EINVAL, "anchor: no room");
		n = 1;
	} else {
		r = json_array_begin(&j);
		while (r >= 0 && (r = json_array_next(&j)) > 0) {
			if (n == cap)
				return fasco_fail(FASCO_E_KEY, "anchor: more than %zu trust anchors", cap);
			r = anchor_read(&j, &out[n++]);
		}
	}
	if (r >= 0)
		r = json_finish(&j);
	if (r < 0)
		return r;
	if (n == 0)
		return fasco_fail(FASCO_E_KEY, "anchor: no trust anchor in the document");
	*ret_count = n;
	return 0;
}
