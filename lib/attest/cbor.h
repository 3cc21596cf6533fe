/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded CBOR (RFC 8949) reader and writer for attestation tokens.
 *
 * The reader is a cursor over the caller's buffer: it never allocates and
 * never copies; strings come back as views that live as long as the input.
 * Every length is checked against the bytes that remain before it is used,
 * nesting is bounded by CBOR_MAX_DEPTH, and a container is validated in full
 * (well-formed, within depth, unique map keys) when it is entered, so code
 * walking its members never sees a half-valid structure.
 *
 * With CBOR_STRICT the reader accepts only the deterministic subset that
 * CCA tokens use (RFC 8949 §4.2.1: shortest heads, no indefinite lengths)
 * and checks that text strings are UTF-8. Without it, indefinite-length
 * arrays and maps and non-shortest heads are accepted; indefinite-length
 * strings are rejected in both modes because they cannot be viewed in place.
 *
 * The writer emits shortest-form heads into a caller buffer. It keeps
 * counting once the buffer is full, so one pass with a NULL buffer sizes
 * the output and cbor_enc_finish() reports FASCO_E_BUFFER with the size.
 */
#ifndef FASCO_ATTEST_CBOR_H
#define FASCO_ATTEST_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CBOR_MAX_DEPTH 16     /* nested arrays/maps/tags below the cursor */
#define CBOR_MAX_MAP_PAIRS 64 /* pairs per map (bounds duplicate checks) */

enum cbor_major {
	CBOR_UINT = 0,
	CBOR_NINT = 1,
	CBOR_BSTR = 2,
	CBOR_TSTR = 3,
	CBOR_ARRAY = 4,
	CBOR_MAP = 5,
	CBOR_TAG = 6,
	CBOR_SIMPLE = 7, /* simple values and floats */
};

enum cbor_flags {
	CBOR_STRICT = 1u << 0, /* deterministic encoding only (see above) */
};

struct cbor_dec {
	const uint8_t *buf;
	size_t len;
	size_t off;
	unsigned depth; /* containers entered and not yet left */
	unsigned flags;
};

/* One data item head; for strings also the content view. */
struct cbor_item {
	uint8_t major;       /* enum cbor_major */
	uint8_t ai;          /* additional information (low 5 bits) */
	bool indefinite;     /* array/map with break-terminated length */
	uint64_t val;        /* integer argument, length, count, tag or simple */
	const uint8_t *data; /* BSTR/TSTR content */
	size_t len;          /* BSTR/TSTR content length */
	size_t off;          /* offset of the head in the buffer */
};

/* A container that was entered; pass it back to cbor_leave(). */
struct cbor_container {
	size_t count; /* members (pairs for a map) */
	size_t end;   /* offset just past the container */
	bool indefinite;
};

void cbor_dec_init(struct cbor_dec *d, const uint8_t *buf, size_t len, unsigned flags);

/* Read the next item's head (and string content); the cursor moves past it. */
int cbor_read_item(struct cbor_dec *d, struct cbor_item *ret);
/* Look at the next item's head without moving the cursor. */
int cbor_peek_item(const struct cbor_dec *d, struct cbor_item *ret);

/*
 * Typed reads: a different type is FASCO_E_CBOR naming what was found.
 * On any failure the cursor stays where it was.
 */
int cbor_read_uint(struct cbor_dec *d, uint64_t *ret);
int cbor_read_int(struct cbor_dec *d, int64_t *ret);
int cbor_read_bstr(struct cbor_dec *d, const uint8_t **ret, size_t *ret_len);
int cbor_read_tstr(struct cbor_dec *d, const char **ret, size_t *ret_len);
int cbor_read_tag(struct cbor_dec *d, uint64_t *ret);

/* Enter a container after validating all of it; maps also get unique keys. */
int cbor_enter_array(struct cbor_dec *d, struct cbor_container *ret);
int cbor_enter_map(struct cbor_dec *d, struct cbor_container *ret);
/* Leave a container; members not read are skipped. */
int cbor_leave(struct cbor_dec *d, const struct cbor_container *c);

/* Skip one complete data item (bounded by CBOR_MAX_DEPTH). */
int cbor_skip(struct cbor_dec *d);
/* Fail unless the whole buffer has been consumed. */
int cbor_dec_finish(const struct cbor_dec *d);

/* Name of a major type for messages. */
const char *cbor_major_name(uint8_t major);

struct cbor_enc {
	uint8_t *buf; /* may be NULL to size the output */
	size_t cap;
	size_t off;   /* bytes needed so far (may exceed cap) */
};

void cbor_enc_init(struct cbor_enc *e, uint8_t *buf, size_t cap);
void cbor_put_uint(struct cbor_enc *e, uint64_t v);
void cbor_put_int(struct cbor_enc *e, int64_t v);
void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t len);
void cbor_put_tstr(struct cbor_enc *e, const char *s);
void cbor_put_head(struct cbor_enc *e, uint8_t major, uint64_t val);
void cbor_put_raw(struct cbor_enc *e, const void *p, size_t len);
#define cbor_put_array(e, n) cbor_put_head((e), CBOR_ARRAY, (n))
#define cbor_put_map(e, n) cbor_put_head((e), CBOR_MAP, (n))
#define cbor_put_tag(e, t) cbor_put_head((e), CBOR_TAG, (t))
/* 0 with the length written, or FASCO_E_BUFFER with the length needed. */
int cbor_enc_finish(const struct cbor_enc *e, size_t *ret_len);

#endif
