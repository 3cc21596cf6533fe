/* SPDX-License-Identifier: Apache-2.0 */
/* Public keys from SEC1, COSE_Key and PEM/DER SubjectPublicKeyInfo. */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>

#include "attest/keys.h"
#include "common/cleanup.h"
#include "common/error.h"

/* COSE_Key labels and values (RFC 9052 §7, RFC 9053 §7.1). */
#define COSE_KEY_KTY 1
#define COSE_KEY_CRV (-1)
#define COSE_KEY_X (-2)
#define COSE_KEY_Y (-3)
#define COSE_KEY_D (-4)
#define COSE_KTY_EC2 2

int attest_pubkey_from_raw(const uint8_t *buf, size_t len, struct attest_pubkey *ret)
{
	for (int curve = ATTEST_CURVE_P256; curve <= ATTEST_CURVE_P521; curve++)
		if (len == 1 + 2 * attest_alg_by_curve(curve)->coord_len)
			return attest_pubkey_from_point(curve, buf, len, ret);
	return fasco_fail(FASCO_E_KEY, "key: %zu bytes is no SEC1 uncompressed P-256/384/521 point",
			  len);
}

struct cose_key_fields {
	int64_t kty, crv;
	const uint8_t *x, *y;
	size_t x_len, y_len;
	bool has_d;
};

static int read_cose_key_field(struct cbor_dec *d, struct cose_key_fields *f)
{
	struct cbor_item key;
	int64_t label;
	int r = cbor_peek_item(d, &key);

	if (r < 0)
		return r;
	if (key.major != CBOR_UINT && key.major != CBOR_NINT) {
		r = cbor_skip(d);
		return r < 0 ? r : cbor_skip(d);
	}
	r = cbor_read_int(d, &label);
	if (r < 0)
		return r;
	switch (label) {
	case COSE_KEY_KTY: return cbor_read_int(d, &f->kty);
	case COSE_KEY_CRV: return cbor_read_int(d, &f->crv);
	case COSE_KEY_X: return cbor_read_bstr(d, &f->x, &f->x_len);
	case COSE_KEY_Y: return cbor_read_bstr(d, &f->y, &f->y_len); /* bool = compressed */
	case COSE_KEY_D: f->has_d = true; return cbor_skip(d);
	default: return cbor_skip(d);
	}
}

int attest_pubkey_from_cose_key(const uint8_t *buf, size_t len, struct attest_pubkey *ret)
{
	struct cose_key_fields f = { 0 };
	uint8_t point[ATTEST_MAX_POINT];
	const struct attest_alg *alg;
	struct cbor_container map;
	struct cbor_dec d;
	int r;

	cbor_dec_init(&d, buf, len, CBOR_STRICT);
	r = cbor_enter_map(&d, &map);
	for (size_t i = 0; r >= 0 && i < map.count; i++)
		r = read_cose_key_field(&d, &f);
	if (r >= 0)
		r = cbor_leave(&d, &map);
	if (r >= 0)
		r = cbor_dec_finish(&d);
	if (r < 0)
		return fasco_fail_wrap(r == FASCO_E_DUPLICATE ? r : FASCO_E_KEY, "key: COSE_Key");
	if (f.has_d)
		return fasco_fail(FASCO_E_KEY, "key: COSE_Key holds a private key");
	if (f.kty != COSE_KTY_EC2)
		return fasco_fail(FASCO_E_KEY, "key: COSE_Key kty %lld, expected 2 (EC2)",
				  (long long)f.kty);
	alg = attest_alg_by_curve(f.crv >= 1 && f.crv <= 3 ? (int)f.crv : 0);
	if (!alg)
		return fasco_fail(FASCO_E_KEY, "key: COSE_Key crv %lld is not P-256/384/521",
				  (long long)f.crv);
	if (!f.x || !f.y || f.x_len != alg->coord_len || f.y_len != alg->coord_len)
		return fasco_fail(FASCO_E_KEY, "key: COSE_Key needs x and y of %zu bytes each",
				  alg->coord_len);
	point[0] = 0x04;
	memcpy(point + 1, f.x, alg->coord_len);
	memcpy(point + 1 + alg->coord_len, f.y, alg->coord_len);
	return attest_pubkey_from_point(alg->curve, point, 1 + 2 * alg->coord_len, ret);
}

void attest_pubkey_put_cose(struct cbor_enc *e, const struct attest_pubkey *key)
{
	size_t coord = (key->point_len - 1) / 2;

	cbor_put_map(e, 4);
	cbor_put_int(e, COSE_KEY_KTY);
	cbor_put_int(e, COSE_KTY_EC2);
	cbor_put_int(e, COSE_KEY_CRV);
	cbor_put_int(e, key->curve);
	cbor_put_int(e, COSE_KEY_X);
	cbor_put_bstr(e, key->point + 1, coord);
	cbor_put_int(e, COSE_KEY_Y);
	cbor_put_bstr(e, key->point + 1 + coord, coord);
}

static void pk_freep(mbedtls_pk_context *pk)
{
	mbedtls_pk_free(pk);
}

/* The curve and point of an EC pk context. */
static int pubkey_from_pk(const mbedtls_pk_context *pk, struct attest_pubkey *ret)
{
	struct attest_privkey view = { .pk = *pk }; /* borrowed, not freed */

	return attest_privkey_public(&view, ret);
}

int attest_pubkey_from_pem(const uint8_t *buf, size_t len, struct attest_pubkey *ret)
{
	mbedtls_pk_context pk __attribute__((cleanup(pk_freep)));
	_cleanup_free_ uint8_t *text = NULL;
	int r;

	mbedtls_pk_init(&pk);
	/* mbedtls wants PEM NUL-terminated and counted with its NUL. */
	text = malloc(len + 1);
	if (!text)
		return fasco_fail(-ENOMEM, "key: out of memory");
	memcpy(text, buf, len);
	text[len] = '\0';
	r = mbedtls_pk_parse_public_key(&pk, text, memchr(buf, '\0', len) ? len : len + 1);
	if (r != 0)
		return fasco_fail(FASCO_E_KEY, "key: not a PEM/DER public key (mbedtls -0x%04x)", -r);
	if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY)
		return fasco_fail(FASCO_E_KEY, "key: not an EC public key");
	return pubkey_from_pk(&pk, ret);
}

int attest_pubkey_to_pem(const struct attest_pubkey *key, char *out, size_t cap)
{
	static const mbedtls_ecp_group_id ids[] = { MBEDTLS_ECP_DP_NONE, MBEDTLS_ECP_DP_SECP256R1,
						    MBEDTLS_ECP_DP_SECP384R1,
						    MBEDTLS_ECP_DP_SECP521R1 };
	mbedtls_pk_context pk __attribute__((cleanup(pk_freep)));
	mbedtls_ecp_keypair *ec;
	int r;

	mbedtls_pk_init(&pk);
	if (key->curve < ATTEST_CURVE_P256 || key->curve > ATTEST_CURVE_P521)
		return fasco_fail(FASCO_E_KEY, "key: unsupported curve %d", key->curve);
	if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0)
		return fasco_fail(-ENOMEM, "key: out of memory");
	ec = mbedtls_pk_ec(pk);
	if (mbedtls_ecp_group_load(&ec->grp, ids[key->curve]) != 0 ||
	    mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, key->point, key->point_len) != 0)
		return fasco_fail(FASCO_E_KEY, "key: bad %s point", attest_curve_name(key->curve));
	r = mbedtls_pk_write_pubkey_pem(&pk, (unsigned char *)out, cap);
	if (r == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || r == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL)
		return fasco_fail(FASCO_E_BUFFER, "key: PEM does not fit %zu bytes", cap);
	if (r != 0)
		return fasco_fail(FASCO_E_KEY, "key: PEM export failed (mbedtls -0x%04x)", -r);
	return 0;
}

int attest_key_format_guess(const uint8_t *buf, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", buf[i]) && buf[i])
		i++;
	if (i == len)
		return FASCO_KEY_AUTO;
	if (len - i >= 10 && !memcmp(buf + i, "-----BEGIN", 10))
		return FASCO_KEY_PEM;
	if (buf[i] == '[' || (buf[i] == '{' && memmem(buf, len, "\"pkey\"", 6)))
		return FASCO_KEY_TA_JSON;
	if (buf[i] == '{')
		return FASCO_KEY_JWK;
	if (buf[0] == 0x30)
		return FASCO_KEY_PEM; /* DER SEQUENCE */
	if (buf[0] == 0x04)
		return FASCO_KEY_RAW;
	if ((buf[0] >> 5) == CBOR_MAP)
		return FASCO_KEY_COSE;
	return FASCO_KEY_AUTO;
}

int attest_pubkey_parse(const uint8_t *buf, size_t len, int format, struct attest_pubkey *ret)
{
	struct attest_anchor anchor;
	size_t n;
	int r;

	if (format == FASCO_KEY_AUTO)
		format = attest_key_format_guess(buf, len);
	switch (format) {
	case FASCO_KEY_PEM: return attest_pubkey_from_pem(buf, len, ret);
	case FASCO_KEY_JWK: return attest_pubkey_from_jwk((const char *)buf, len, ret);
	case FASCO_KEY_COSE: return attest_pubkey_from_cose_key(buf, len, ret);
	case FASCO_KEY_RAW: return attest_pubkey_from_raw(buf, len, ret);
	case FASCO_KEY_TA_JSON:
		r = attest_anchors_parse((const char *)buf, len, &anchor, 1, &n);
		if (r < 0)
			return r;
		*ret = anchor.key;
		return 0;
	case FASCO_KEY_AUTO:
		return fasco_fail(FASCO_E_KEY, "key: format not recognised");
	default:
		return fasco_fail(-EINVAL, "key: unknown format %d", format);
	}
}
