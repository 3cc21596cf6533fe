/* SPDX-License-Identifier: Apache-2.0 */
/* Strict bounded JSON pull reader (see json.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/error.h"

#define JSON_ERR(j, what) \
	fasco_fail((j)->code, "json: %s at offset %zu", (what), (j)->off)

void json_init(struct json *j, const char *s, size_t len, int code)
{
	*j = (struct json){ .s = s, .len = len, .code = code };
}

char json_peek(struct json *j)
{
	while (j->off < j->len && strchr(" \t\r\n", j->s[j->off]) && j->s[j->off])
		j->off++;
	return j->off < j->len ? j->s[j->off] : 0;
}

static int expect(struct json *j, char c)
{
	if (json_peek(j) != c) {
		char what[32];

		snprintf(what, sizeof(what), "expected '%c'", c);
		return JSON_ERR(j, what);
	}
	j->off++;
	return 0;
}

static int begin(struct json *j, char open)
{
	int r = expect(j, open);

	if (r < 0)
		return r;
	if (j->depth >= JSON_MAX_DEPTH)
		return JSON_ERR(j, "nesting too deep");
	j->depth++;
	j->first |= 1u << j->depth;
	return 0;
}

/* 1 if another member follows (separator consumed), 0 at the close. */
static int next(struct json *j, char close)
{
	char c = json_peek(j);
	uint32_t bit = 1u << j->depth;

	if (c == close) {
		j->off++;
		j->first &= ~bit;
		j->depth--;
		return 0;
	}
	if (!(j->first & bit)) {
		if (c != ',')
			return JSON_ERR(j, "expected ',' or the end of the container");
		j->off++;
	}
	j->first &= ~bit;
	return 1;
}

int json_object_begin(struct json *j)
{
	return begin(j, '{');
}

int json_array_begin(struct json *j)
{
	return begin(j, '[');
}

int json_array_next(struct json *j)
{
	return next(j, ']');
}

int json_object_next(struct json *j, char *key, size_t key_cap)
{
	int r = next(j, '}');

	if (r <= 0)
		return r;
	r = json_read_string(j, key, key_cap, NULL);
	if (r < 0)
		return r;
	r = expect(j, ':');
	return r < 0 ? r : 1;
}

static int hex4(struct json *j, uint32_t *ret)
{
	uint32_t v = 0;

	if (j->len - j->off < 4)
		return JSON_ERR(j, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = j->s[j->off++];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return JSON_ERR(j, "bad \\u escape");
	}
	*ret = v;
	return 0;
}

/* \uXXXX (with surrogate pairs) as UTF-8 into buf; returns its length. */
static int unicode_escape(struct json *j, char buf[4])
{
	uint32_t cp, lo;
	int r = hex4(j, &cp);

	if (r < 0)
		return r;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return JSON_ERR(j, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (j->len - j->off < 2 || j->s[j->off] != '\\' || j->s[j->off + 1] != 'u')
			return JSON_ERR(j, "lone high surrogate");
		j->off += 2;
		r = hex4(j, &lo);
		if (r < 0)
			return r;
		if (lo < 0xdc00 || lo > 0xdfff)
			return JSON_ERR(j, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp < 0x80)
		return buf[0] = (char)cp, 1;
	if (cp < 0x800)
		return buf[0] = (char)(0xc0 | cp >> 6), buf[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return buf[0] = (char)(0xe0 | cp >> 12), buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		       buf[2] = (char)(0x80 | (cp & 0x3f)), 3;
	buf[0] = (char)(0xf0 | cp >> 18);
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One source character or escape into buf; returns the bytes produced. */
static int string_char(struct json *j, char buf[4])
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char c = j->s[j->off++];
	const char *p;

	if ((unsigned char)c < 0x20)
		return JSON_ERR(j, "control character in string");
	if (c != '\\')
		return buf[0] = c, 1;
	if (j->off == j->len)
		return JSON_ERR(j, "truncated escape");
	c = j->s[j->off++];
	if (c == 'u')
		return unicode_escape(j, buf);
	p = c ? strchr(from, c) : NULL;
	if (!p)
		return JSON_ERR(j, "bad escape");
	buf[0] = to[p - from];
	return 1;
}

/* out may be NULL to validate only. */
int json_read_string(struct json *j, char *out, size_t cap, size_t *ret_len)
{
	size_t n = 0;
	int r = expect(j, '"');

	if (r < 0)
		return r;
	for (;;) {
		char buf[4];

		if (j->off == j->len)
			return JSON_ERR(j, "unterminated string");
		if (j->s[j->off] == '"')
			break;
		r = string_char(j, buf);
		if (r < 0)
			return r;
		if (out && (size_t)r >= cap - n)
			return JSON_ERR(j, "string too long");
		if (out)
			memcpy(out + n, buf, (size_t)r);
		n += (size_t)r;
	}
	j->off++;
	if (out)
		out[n] = '\0';
	if (ret_len)
		*ret_len = n;
	return 0;
}

static size_t digits(struct json *j)
{
	size_t start = j->off;

	while (j->off < j->len && j->s[j->off] >= '0' && j->s[j->off] <= '9')
		j->off++;
	return j->off - start;
}

static bool accept(struct json *j, const char *set)
{
	if (j->off < j->len && j->s[j->off] && strchr(set, j->s[j->off])) {
		j->off++;
		return true;
	}
	return false;
}

static int skip_number(struct json *j)
{
	size_t start;

	accept(j, "-");
	start = j->off;
	if (!digits(j) || (j->s[start] == '0' && j->off - start > 1))
		return JSON_ERR(j, "bad number");
	if (accept(j, ".") && !digits(j))
		return JSON_ERR(j, "bad fraction");
	if (accept(j, "eE")) {
		accept(j, "+-");
		if (!digits(j))
			return JSON_ERR(j, "bad exponent");
	}
	return 0;
}

/* Index of the literal (true, false, null) at the offset, consumed; or an error. */
static int read_literal(struct json *j)
{
	static const char *const words[] = { "true", "false", "null" };

	json_peek(j);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (j->len - j->off >= n && !memcmp(j->s + j->off, words[i], n)) {
			j->off += n;
			return (int)i;
		}
	}
	return JSON_ERR(j, "unexpected character");
}

int json_read_bool(struct json *j, bool *ret)
{
	int r = read_literal(j);

	if (r < 0)
		return r;
	if (r > 1)
		return JSON_ERR(j, "expected true or false");
	*ret = r == 0;
	return 0;
}

/* Magnitude of an integer (sign consumed and reported), checked by skip_number. */
static int read_integer(struct json *j, bool *negative, uint64_t *ret)
{
	size_t start;
	uint64_t v = 0;
	int r;

	json_peek(j);
	start = j->off;
	if ((r = skip_number(j)) < 0)
		return r;
	*negative = j->s[start] == '-';
	for (size_t i = start + *negative; i < j->off; i++) {
		unsigned d = (unsigned)(j->s[i] - '0');

		if (d > 9) {
			j->off = start;
			return JSON_ERR(j, "expected an integer");
		}
		if (v > (UINT64_MAX - d) / 10) {
			j->off = start;
			return JSON_ERR(j, "integer out of range");
		}
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int json_read_u64(struct json *j, uint64_t *ret)
{
	bool negative;
	uint64_t v;
	int r = read_integer(j, &negative, &v);

	if (r < 0)
		return r;
	if (negative && v)
		return JSON_ERR(j, "negative integer");
	*ret = v;
	return 0;
}

int json_read_i64(struct json *j, int64_t *ret)
{
	bool negative;
	uint64_t v;
	int r = read_integer(j, &negative, &v);

	if (r < 0)
		return r;
	if (v > (uint64_t)INT64_MAX + negative)
		return JSON_ERR(j, "integer out of range");
	*ret = negative ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int json_skip(struct json *j)
{
	char c = json_peek(j);
	int r;

	if (c == '"')
		return json_read_string(j, NULL, 0, NULL);
	if (c == '-' || (c >= '0' && c <= '9'))
		return skip_number(j);
	if (c == '{') {
		r = json_object_begin(j);
		while (r >= 0 && (r = json_object_next(j, NULL, 0)) > 0)
			r = json_skip(j);
		return r;
	}
	if (c == '[') {
		r = json_array_begin(j);
		while (r >= 0 && (r = json_array_next(j)) > 0)
			r = json_skip(j);
		return r;
	}
	r = read_literal(j);
	return r < 0 ? r : 0;
}

int json_finish(struct json *j)
{
	if (json_peek(j) || j->off != j->len)
		return JSON_ERR(j, "trailing data");
	return 0;
}
