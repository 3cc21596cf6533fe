/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded CBOR reader: see cbor.h for the contract. */
#include <string.h>

#include "attest/cbor.h"
#include "common/error.h"

#define AI_INDEFINITE 31
#define BREAK_BYTE 0xff

static const char *const major_names[] = {
	[CBOR_UINT] = "unsigned integer", [CBOR_NINT] = "negative integer",
	[CBOR_BSTR] = "byte string",      [CBOR_TSTR] = "text string",
	[CBOR_ARRAY] = "array",           [CBOR_MAP] = "map",
	[CBOR_TAG] = "tag",               [CBOR_SIMPLE] = "simple value",
};

const char *cbor_major_name(uint8_t major)
{
	return major < 8 ? major_names[major] : "?";
}

void cbor_dec_init(struct cbor_dec *d, const uint8_t *buf, size_t len, unsigned flags)
{
	*d = (struct cbor_dec){ .buf = buf, .len = len, .flags = flags };
}

static bool is_break(const struct cbor_item *it)
{
	return it->major == CBOR_SIMPLE && it->ai == AI_INDEFINITE;
}

/* RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			n = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if (n >= len - i)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* Shortest-form rule of RFC 8949 §4.2.1 for an integer argument. */
static bool argument_minimal(uint8_t ai, uint64_t val)
{
	switch (ai) {
	case 24: return val >= 24;
	case 25: return val > UINT8_MAX;
	case 26: return val > UINT16_MAX;
	case 27: return val > UINT32_MAX;
	default: return true;
	}
}

static int read_argument(const struct cbor_dec *d, size_t off, struct cbor_item *it, size_t *next)
{
	size_t n = (size_t)1 << (it->ai - 24);

	if (n > d->len - off)
		return fasco_fail(FASCO_E_CBOR, "cbor: truncated head at offset %zu", it->off);
	it->val = 0;
	for (size_t i = 0; i < n; i++)
		it->val = (it->val << 8) | d->buf[off + i];
	*next = off + n;
	/* Floats (major 7, ai 25..27) follow their own preferred-size rules. */
	if ((d->flags & CBOR_STRICT) && it->major != CBOR_SIMPLE &&
	    !argument_minimal(it->ai, it->val))
		return fasco_fail(FASCO_E_CBOR, "cbor: non-minimal encoding of %s at offset %zu",
				  cbor_major_name(it->major), it->off);
	if (it->major == CBOR_SIMPLE && it->ai == 24 && it->val < 32)
		return fasco_fail(FASCO_E_CBOR, "cbor: invalid two-byte simple value %u at offset %zu",
				  (unsigned)it->val, it->off);
	return 0;
}

static int check_indefinite(const struct cbor_dec *d, const struct cbor_item *it)
{
	switch (it->major) {
	case CBOR_ARRAY:
	case CBOR_MAP:
		if (d->flags & CBOR_STRICT)
			return fasco_fail(FASCO_E_CBOR,
					  "cbor: indefinite-length %s at offset %zu (deterministic encoding required)",
					  cbor_major_name(it->major), it->off);
		return 0;
	case CBOR_BSTR:
	case CBOR_TSTR:
		return fasco_fail(FASCO_E_CBOR, "cbor: indefinite-length %s at offset %zu is not supported",
				  cbor_major_name(it->major), it->off);
	case CBOR_SIMPLE:
		return 0; /* break: the caller decides whether one is expected */
	default:
		return fasco_fail(FASCO_E_CBOR, "cbor: %s with indefinite length at offset %zu",
				  cbor_major_name(it->major), it->off);
	}
}

/* Check an item's length or count against what remains; take string views. */
static int check_extent(const struct cbor_dec *d, struct cbor_item *it, size_t *next)
{
	size_t left = d->len - *next;

	switch (it->major) {
	case CBOR_BSTR:
	case CBOR_TSTR:
		if (it->val > left)
			return fasco_fail(FASCO_E_CBOR,
					  "cbor: %s at offset %zu claims %llu bytes, %zu remain",
					  cbor_major_name(it->major), it->off,
					  (unsigned long long)it->val, left);
		it->data = d->buf + *next;
		it->len = (size_t)it->val;
		*next += it->len;
		if (it->major == CBOR_TSTR && (d->flags & CBOR_STRICT) &&
		    !utf8_valid(it->data, it->len))
			return fasco_fail(FASCO_E_CBOR, "cbor: text string at offset %zu is not UTF-8",
					  it->off);
		return 0;
	case CBOR_ARRAY:
	case CBOR_MAP:
		/* Every member takes at least one byte. */
		if (!it->indefinite && it->val > left / (it->major == CBOR_MAP ? 2 : 1))
			return fasco_fail(FASCO_E_CBOR,
					  "cbor: %s at offset %zu claims %llu members, only %zu bytes remain",
					  cbor_major_name(it->major), it->off,
					  (unsigned long long)it->val, left);
		return 0;
	default:
		return 0;
	}
}

/* Decode the head at off without touching the cursor. */
static int head_at(const struct cbor_dec *d, size_t off, struct cbor_item *it, size_t *next)
{
	int r;

	if (off >= d->len)
		return fasco_fail(FASCO_E_CBOR, "cbor: truncated: item expected at offset %zu", off);
	*it = (struct cbor_item){ .major = d->buf[off] >> 5, .ai = d->buf[off] & 0x1f, .off = off };
	*next = off + 1;
	if (it->ai < 24) {
		it->val = it->ai;
	} else if (it->ai <= 27) {
		r = read_argument(d, off + 1, it, next);
		if (r < 0)
			return r;
	} else if (it->ai < AI_INDEFINITE) {
		return fasco_fail(FASCO_E_CBOR, "cbor: reserved additional information %u at offset %zu",
				  it->ai, off);
	} else {
		it->indefinite = true;
		r = check_indefinite(d, it);
		if (r < 0)
			return r;
	}
	return check_extent(d, it, next);
}

int cbor_peek_item(const struct cbor_dec *d, struct cbor_item *ret)
{
	size_t next;

	return head_at(d, d->off, ret, &next);
}

int cbor_read_item(struct cbor_dec *d, struct cbor_item *ret)
{
	size_t next;
	int r = head_at(d, d->off, ret, &next);

	if (r < 0)
		return r;
	if (is_break(ret))
		return fasco_fail(FASCO_E_CBOR, "cbor: unexpected break at offset %zu", ret->off);
	d->off = next;
	return 0;
}

static int skip_at(const struct cbor_dec *d, size_t *off, unsigned depth);

/* Skip the members of the container headed by it; *off is just past its head. */
static int skip_members(const struct cbor_dec *d, const struct cbor_item *it, size_t *off,
			unsigned depth, size_t *ret_count)
{
	uint64_t n = it->major == CBOR_MAP ? 2 * it->val : it->val;
	uint64_t seen = 0;
	struct cbor_item peek;
	size_t next;
	int r;

	for (;;) {
		if (!it->indefinite && seen == n)
			break;
		r = head_at(d, *off, &peek, &next);
		if (r < 0)
			return r;
		if (is_break(&peek)) {
			if (!it->indefinite)
				return fasco_fail(FASCO_E_CBOR, "cbor: unexpected break at offset %zu", *off);
			if (it->major == CBOR_MAP && seen % 2)
				return fasco_fail(FASCO_E_CBOR, "cbor: map at offset %zu ends after a key",
						  it->off);
			*off = next;
			break;
		}
		r = skip_at(d, off, depth);
		if (r < 0)
			return r;
		seen++;
	}
	*ret_count = (size_t)(it->major == CBOR_MAP ? seen / 2 : seen);
	return 0;
}

/* Skip the item at *off; depth counts the containers around it. */
static int skip_at(const struct cbor_dec *d, size_t *off, unsigned depth)
{
	struct cbor_item it;
	size_t next, count;
	int r = head_at(d, *off, &it, &next);

	if (r < 0)
		return r;
	if (is_break(&it))
		return fasco_fail(FASCO_E_CBOR, "cbor: unexpected break at offset %zu", it.off);
	*off = next;
	if (it.major != CBOR_ARRAY && it.major != CBOR_MAP && it.major != CBOR_TAG)
		return 0;
	if (depth >= CBOR_MAX_DEPTH)
		return fasco_fail(FASCO_E_CBOR, "cbor: nesting deeper than %d at offset %zu",
				  CBOR_MAX_DEPTH, it.off);
	if (it.major == CBOR_TAG)
		return skip_at(d, off, depth + 1);
	return skip_members(d, &it, off, depth + 1, &count);
}

int cbor_skip(struct cbor_dec *d)
{
	size_t off = d->off;
	int r = skip_at(d, &off, d->depth);

	if (r < 0)
		return r;
	d->off = off;
	return 0;
}

int cbor_dec_finish(const struct cbor_dec *d)
{
	if (d->off != d->len)
		return fasco_fail(FASCO_E_CBOR, "cbor: %zu trailing bytes after offset %zu",
				  d->len - d->off, d->off);
	return 0;
}

static int wrong_type(const struct cbor_item *it, uint8_t want)
{
	return fasco_fail(FASCO_E_CBOR, "cbor: expected %s at offset %zu, found %s",
			  cbor_major_name(want), it->off, cbor_major_name(it->major));
}

/* On failure the cursor does not move. */
static int read_typed(struct cbor_dec *d, struct cbor_item *it, uint8_t major)
{
	int r = cbor_peek_item(d, it);

	if (r < 0)
		return r;
	if (it->major != major)
		return wrong_type(it, major);
	return cbor_read_item(d, it);
}

int cbor_read_uint(struct cbor_dec *d, uint64_t *ret)
{
	struct cbor_item it;
	int r = read_typed(d, &it, CBOR_UINT);

	if (r < 0)
		return r;
	*ret = it.val;
	return 0;
}

int cbor_read_int(struct cbor_dec *d, int64_t *ret)
{
	struct cbor_item it;
	int r = cbor_peek_item(d, &it);

	if (r < 0)
		return r;
	if (it.major != CBOR_UINT && it.major != CBOR_NINT)
		return fasco_fail(FASCO_E_CBOR, "cbor: expected integer at offset %zu, found %s",
				  it.off, cbor_major_name(it.major));
	if (it.val > INT64_MAX)
		return fasco_fail(FASCO_E_CBOR, "cbor: integer at offset %zu does not fit 64 bits",
				  it.off);
	r = cbor_read_item(d, &it);
	if (r < 0)
		return r;
	*ret = it.major == CBOR_UINT ? (int64_t)it.val : -1 - (int64_t)it.val;
	return 0;
}

int cbor_read_bstr(struct cbor_dec *d, const uint8_t **ret, size_t *ret_len)
{
	struct cbor_item it;
	int r = read_typed(d, &it, CBOR_BSTR);

	if (r < 0)
		return r;
	*ret = it.data;
	*ret_len = it.len;
	return 0;
}

int cbor_read_tstr(struct cbor_dec *d, const char **ret, size_t *ret_len)
{
	struct cbor_item it;
	int r = read_typed(d, &it, CBOR_TSTR);

	if (r < 0)
		return r;
	*ret = (const char *)it.data;
	*ret_len = it.len;
	return 0;
}

int cbor_read_tag(struct cbor_dec *d, uint64_t *ret)
{
	struct cbor_item it;
	int r = read_typed(d, &it, CBOR_TAG);

	if (r < 0)
		return r;
	*ret = it.val;
	return 0;
}

/* Equal map keys; without CBOR_STRICT one value may have several encodings. */
static bool keys_equal(const struct cbor_dec *d, size_t a, size_t a_end, size_t b, size_t b_end)
{
	struct cbor_item x, y;
	size_t nx, ny;

	if (a_end - a == b_end - b && !memcmp(d->buf + a, d->buf + b, a_end - a))
		return true;
	if (d->flags & CBOR_STRICT)
		return false;
	/* Both heads decoded before, so these cannot fail. */
	if (head_at(d, a, &x, &nx) < 0 || head_at(d, b, &y, &ny) < 0 || x.major != y.major)
		return false;
	switch (x.major) {
	case CBOR_UINT:
	case CBOR_NINT:
	case CBOR_SIMPLE:
		return x.val == y.val && nx == a_end && ny == b_end;
	case CBOR_BSTR:
	case CBOR_TSTR:
		return x.len == y.len && !memcmp(x.data, y.data, x.len);
	default:
		return false; /* composite keys: compared by encoding only */
	}
}

struct key_span {
	size_t start, end;
};

static int check_key_unique(const struct cbor_dec *d, const struct key_span *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keys_equal(d, keys[i].start, keys[i].end, keys[n].start, keys[n].end))
			return fasco_fail(FASCO_E_DUPLICATE,
					  "cbor: duplicate map key at offsets %zu and %zu",
					  keys[i].start, keys[n].start);
	return 0;
}

/* Walk a map's pairs once: well-formed, bounded, unique keys. */
static int walk_map(const struct cbor_dec *d, const struct cbor_item *it, size_t *off,
		    size_t *ret_count)
{
	struct key_span keys[CBOR_MAX_MAP_PAIRS];
	struct cbor_item peek;
	size_t n = 0, next;
	int r;

	for (;;) {
		if (!it->indefinite && n == it->val)
			break;
		r = head_at(d, *off, &peek, &next);
		if (r < 0)
			return r;
		if (it->indefinite && is_break(&peek)) {
			*off = next;
			break;
		}
		if (n == CBOR_MAX_MAP_PAIRS)
			return fasco_fail(FASCO_E_CBOR, "cbor: map at offset %zu has more than %d pairs",
					  it->off, CBOR_MAX_MAP_PAIRS);
		keys[n].start = *off;
		r = skip_at(d, off, d->depth + 1);
		if (r < 0)
			return r;
		keys[n].end = *off;
		r = check_key_unique(d, keys, n);
		if (r < 0)
			return r;
		r = skip_at(d, off, d->depth + 1);
		if (r < 0)
			return r;
		n++;
	}
	*ret_count = n;
	return 0;
}

static int enter(struct cbor_dec *d, uint8_t major, struct cbor_container *ret)
{
	struct cbor_item it;
	size_t head_end, end, count;
	int r;

	r = head_at(d, d->off, &it, &head_end);
	if (r < 0)
		return r;
	if (it.major != major)
		return wrong_type(&it, major);
	if (d->depth >= CBOR_MAX_DEPTH)
		return fasco_fail(FASCO_E_CBOR, "cbor: nesting deeper than %d at offset %zu",
				  CBOR_MAX_DEPTH, it.off);
	end = head_end;
	if (major == CBOR_MAP)
		r = walk_map(d, &it, &end, &count);
	else
		r = skip_members(d, &it, &end, d->depth + 1, &count);
	if (r < 0)
		return r;
	d->off = head_end;
	d->depth++;
	*ret = (struct cbor_container){ .count = count, .end = end, .indefinite = it.indefinite };
	return 0;
}

int cbor_enter_array(struct cbor_dec *d, struct cbor_container *ret)
{
	return enter(d, CBOR_ARRAY, ret);
}

int cbor_enter_map(struct cbor_dec *d, struct cbor_container *ret)
{
	return enter(d, CBOR_MAP, ret);
}

int cbor_leave(struct cbor_dec *d, const struct cbor_container *c)
{
	if (d->depth == 0 || d->off > c->end)
		return fasco_fail(FASCO_E_INTERNAL, "cbor: container left twice or overrun");
	d->off = c->end;
	d->depth--;
	return 0;
}
