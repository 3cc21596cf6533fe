/* SPDX-License-Identifier: Apache-2.0 */
/* CBOR writer: shortest-form heads, definite lengths, caller buffer. */
#include <string.h>

#include "attest/cbor.h"
#include "common/error.h"

void cbor_enc_init(struct cbor_enc *e, uint8_t *buf, size_t cap)
{
	*e = (struct cbor_enc){ .buf = buf, .cap = buf ? cap : 0 };
}

/* Append bytes if they fit; always account for them. */
void cbor_put_raw(struct cbor_enc *e, const void *p, size_t len)
{
	if (e->off <= e->cap && len <= e->cap - e->off && len)
		memcpy(e->buf + e->off, p, len);
	e->off = len > SIZE_MAX - e->off ? SIZE_MAX : e->off + len;
}

void cbor_put_head(struct cbor_enc *e, uint8_t major, uint64_t val)
{
	uint8_t head[9];
	size_t n;

	if (val < 24) {
		head[0] = (uint8_t)(major << 5 | val);
		n = 1;
	} else {
		unsigned bytes = val <= UINT8_MAX ? 1 : val <= UINT16_MAX ? 2 : val <= UINT32_MAX ? 4 : 8;
		uint8_t ai = bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27;

		head[0] = (uint8_t)(major << 5 | ai);
		for (unsigned i = 0; i < bytes; i++)
			head[1 + i] = (uint8_t)(val >> (8 * (bytes - 1 - i)));
		n = 1 + bytes;
	}
	cbor_put_raw(e, head, n);
}

void cbor_put_uint(struct cbor_enc *e, uint64_t v)
{
	cbor_put_head(e, CBOR_UINT, v);
}

void cbor_put_int(struct cbor_enc *e, int64_t v)
{
	if (v >= 0)
		cbor_put_head(e, CBOR_UINT, (uint64_t)v);
	else
		cbor_put_head(e, CBOR_NINT, (uint64_t)(-1 - v));
}

void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t len)
{
	cbor_put_head(e, CBOR_BSTR, len);
	cbor_put_raw(e, p, len);
}

void cbor_put_tstr(struct cbor_enc *e, const char *s)
{
	size_t len = strlen(s);

	cbor_put_head(e, CBOR_TSTR, len);
	cbor_put_raw(e, s, len);
}

int cbor_enc_finish(const struct cbor_enc *e, size_t *ret_len)
{
	*ret_len = e->off;
	if (e->off > e->cap)
		return fasco_fail(FASCO_E_BUFFER, "cbor: %zu bytes needed, buffer holds %zu",
				  e->off, e->cap);
	return 0;
}
