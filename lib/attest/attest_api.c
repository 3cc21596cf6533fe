/* SPDX-License-Identifier: Apache-2.0 */
/* Public entry points of <fasco/attest.h>: argument checks, then the layer. */
#include <string.h>

#include "attest/claims.h"
#include "attest/keys.h"
#include "attest/token.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "core/internal.h"

static int put_point(const struct attest_pubkey *key, uint8_t *point, size_t cap, size_t *ret_len)
{
	if (key->point_len > cap) {
		*ret_len = key->point_len;
		return fasco_fail(FASCO_E_BUFFER, "key: %zu bytes needed", key->point_len);
	}
	memcpy(point, key->point, key->point_len);
	*ret_len = key->point_len;
	return 0;
}

int fasco_key_parse(const uint8_t *data, size_t len, int format, uint8_t *point,
			      size_t cap, size_t *ret_len)
{
	struct attest_pubkey key;
	int r;

	fasco_error_clear();
	fasco_check_arg(data || !len);
	fasco_check_arg(point || !cap);
	fasco_check_arg(ret_len);
	r = attest_pubkey_parse(data, len, format, &key);
	return r < 0 ? r : put_point(&key, point, cap, ret_len);
}

int fasco_key_parse_file(const char *path, int format, uint8_t *point, size_t cap,
				   size_t *ret_len)
{
	_cleanup_free_ uint8_t *data = NULL;
	struct attest_pubkey key;
	size_t len;
	int r;

	fasco_error_clear();
	fasco_check_arg(path);
	fasco_check_arg(point || !cap);
	fasco_check_arg(ret_len);
	r = attest_read_file(path, &data, &len);
	if (r >= 0)
		r = attest_pubkey_parse(data, len, format, &key);
	return r < 0 ? r : put_point(&key, point, cap, ret_len);
}

int fasco_key_to_pem(const uint8_t *point, size_t len, char *out, size_t cap,
			       size_t *ret_len)
{
	struct attest_pubkey key;
	int r;

	fasco_error_clear();
	fasco_check_arg(point);
	fasco_check_arg(out || !cap);
	fasco_check_arg(ret_len);
	r = attest_pubkey_from_raw(point, len, &key);
	if (r >= 0)
		r = attest_pubkey_to_pem(&key, out, cap);
	if (r < 0)
		return r;
	*ret_len = strlen(out);
	return 0;
}

/* The trust anchors named by opts (none when the platform check is skipped). */
static int load_anchors(const struct fasco_verify_opts *opts, struct attest_anchor *anchors,
			size_t *ret_n)
{
	*ret_n = 0;
	if (!opts || !opts->anchor)
		return 0;
	if (opts->anchor_format == FASCO_KEY_TA_JSON ||
	    (opts->anchor_format == FASCO_KEY_AUTO &&
	     attest_key_format_guess(opts->anchor, opts->anchor_len) == FASCO_KEY_TA_JSON))
		return attest_anchors_parse((const char *)opts->anchor, opts->anchor_len, anchors,
					    ATTEST_MAX_ANCHORS, ret_n);
	anchors[0] = (struct attest_anchor){ 0 };
	*ret_n = 1;
	return attest_pubkey_parse(opts->anchor, opts->anchor_len, (int)opts->anchor_format,
				   &anchors[0].key);
}

int fasco_token_verify(const uint8_t *token, size_t len,
				 const struct fasco_verify_opts *opts,
				 struct fasco_token_claims *ret_claims)
{
	_cleanup_free_ struct attest_anchor *anchors = NULL;
	size_t n;
	int r;

	fasco_error_clear();
	fasco_check_arg(token || !len);
	fasco_check_arg(!opts || opts->size == sizeof(*opts));
	fasco_check_arg(!ret_claims || ret_claims->size == sizeof(*ret_claims));
	anchors = calloc(ATTEST_MAX_ANCHORS, sizeof(*anchors));
	if (!anchors)
		return fasco_fail(-ENOMEM, "out of memory");
	r = load_anchors(opts, anchors, &n);
	if (r < 0)
		return fasco_fail_wrap(r, "trust anchor");
	return attest_token_verify(token, len, anchors, n, opts, ret_claims);
}

int fasco_token_show_json(const uint8_t *token, size_t len, char **ret_json)
{
	fasco_error_clear();
	fasco_check_arg(token || !len);
	fasco_check_arg(ret_json);
	return attest_token_json(token, len, ret_json);
}

int fasco_anchor_count(const uint8_t *data, size_t len, int format)
{
	_cleanup_free_ struct attest_anchor *anchors = NULL;
	struct fasco_verify_opts opts = { .size = sizeof(opts), .anchor = data, .anchor_len = len,
					  .anchor_format = (uint32_t)format };
	size_t n;
	int r;

	fasco_error_clear();
	fasco_check_arg(data || !len);
	fasco_check_arg(format >= FASCO_KEY_AUTO && format <= FASCO_KEY_RAW);
	anchors = calloc(ATTEST_MAX_ANCHORS, sizeof(*anchors));
	if (!anchors)
		return fasco_fail(-ENOMEM, "out of memory");
	r = load_anchors(&opts, anchors, &n);
	if (r < 0)
		return fasco_fail_wrap(r, "trust anchor");
	return (int)n;
}

int fasco_claims_check(const uint8_t *claims, size_t len, int kind,
		       struct fasco_token_claims *ret_claims)
{
	_cleanup_free_ struct fasco_token_claims *c = calloc(1, sizeof(*c));
	int r;

	fasco_error_clear();
	fasco_check_arg(claims || !len);
	fasco_check_arg(kind == FASCO_CLAIMS_REALM || kind == FASCO_CLAIMS_PLATFORM);
	fasco_check_arg(!ret_claims || ret_claims->size == sizeof(*ret_claims));
	if (!c)
		return fasco_fail(-ENOMEM, "out of memory");
	if (kind == FASCO_CLAIMS_REALM)
		r = attest_realm_claims_parse(claims, len, &c->realm);
	else
		r = attest_platform_claims_parse(claims, len, &c->platform);
	if (r < 0)
		return r;
	c->size = sizeof(*c);
	if (ret_claims)
		*ret_claims = *c;
	return 0;
}

int fasco_platform_key_pem(fasco_ctx *ctx, char *out, size_t cap, size_t *ret_len)
{
	struct attest_privkey key _cleanup_privkey_;
	struct attest_pubkey pub;
	int r;

	fasco_error_clear();
	fasco_check_arg(ctx);
	fasco_check_arg(out || !cap);
	fasco_check_arg(ret_len);
	if (ctx->backend_id != FASCO_BACKEND_KVM)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "platform key: only the kvm backend has a software platform key");
	attest_privkey_init(&key);
	r = attest_platform_key_load_or_create(ctx->state_dir, &key);
	if (r >= 0)
		r = attest_privkey_public(&key, &pub);
	if (r >= 0)
		r = attest_pubkey_to_pem(&pub, out, cap);
	if (r < 0)
		return r;
	*ret_len = strlen(out);
	return 0;
}
