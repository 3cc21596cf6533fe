/* SPDX-License-Identifier: Apache-2.0 */
/* Public entry points of <fasco/attest.h>: argument checks, then the layer. */
#include <string.h>

#include "attest/keys.h"
#include "attest/token.h"
#include "common/cleanup.h"
#include "common/error.h"

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
