/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict, bounded pull reader for JSON documents (RFC 8259): keys (JWK,
 * trust anchors) and OCI bundle configurations. It never allocates: strings
 * are decoded into caller buffers of fixed size, nesting is limited to
 * JSON_MAX_DEPTH, and anything outside the grammar is an error naming the
 * offset, returned as the code given to json_init().
 */
#ifndef FASCO_COMMON_JSON_H
#define FASCO_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

struct json {
	const char *s;
	size_t len;
	size_t off;
	unsigned depth;
	uint32_t first;  /* bit n: the container at depth n has no member yet */
	int code;        /* error code of every failure */
};

/* code: the negative status failures return (FASCO_E_KEY, FASCO_E_CONFIG). */
void json_init(struct json *j, const char *s, size_t len, int code);

/* Next value's first character (after blanks), or 0 at the end. */
char json_peek(struct json *j);

/* Objects: begin, then next() gives 1 and the key until it gives 0 ('}' read). */
int json_object_begin(struct json *j);
int json_object_next(struct json *j, char *key, size_t key_cap);
/* Arrays: begin, then next() gives 1 per element until 0 (']' read). */
int json_array_begin(struct json *j);
int json_array_next(struct json *j);

/* A string value into out (NUL-terminated); too long is an error. */
int json_read_string(struct json *j, char *out, size_t cap, size_t *ret_len);
/* Integers only (no fraction or exponent); out of range is an error. */
int json_read_u64(struct json *j, uint64_t *ret);
int json_read_i64(struct json *j, int64_t *ret);
/* true or false. */
int json_read_bool(struct json *j, bool *ret);
/* Skip any value. */
int json_skip(struct json *j);
/* Only blanks may remain. */
int json_finish(struct json *j);

#endif
