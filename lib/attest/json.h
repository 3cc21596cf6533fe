/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict, bounded pull reader for the small JSON documents keys come in
 * (RFC 8259: JWK, trust anchors). It never allocates: strings are decoded
 * into caller buffers of fixed size, nesting is limited to JSON_MAX_DEPTH,
 * and anything outside the grammar is an error naming the offset.
 */
#ifndef FASCO_ATTEST_JSON_H
#define FASCO_ATTEST_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

struct json {
	const char *s;
	size_t len;
	size_t off;
	unsigned depth;
	uint32_t first;  /* bit n: the container at depth n has no member yet */
};

void json_init(struct json *j, const char *s, size_t len);

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
/* Skip any value. */
int json_skip(struct json *j);
/* Only blanks may remain. */
int json_finish(struct json *j);

#endif
