/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed reading of a JSON document on top of the common pull reader, with
 * the JSON path of the value being read kept alongside, so that every
 * error names its field: "process.args[2]: expected a string".
 */
#ifndef FASCO_OCI_PARSE_H
#define FASCO_OCI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/json.h"

#define OCI_PATH_MAX 512
#define OCI_KEY_MAX 256        /* object keys, annotation names included */
#define OCI_STRING_MAX 32768   /* any one string value */
#define OCI_ITEMS_MAX 4096     /* any one array or map */

/* A NULL-terminated string vector with its count. */
struct oci_strv {
	char **v;
	size_t n;
};

void oci_strv_free(struct oci_strv *s);

struct oci_parser {
	struct json j;
	char path[OCI_PATH_MAX];
	size_t path_len;
	char scratch[OCI_STRING_MAX];
};

void oci_parser_init(struct oci_parser *p, const char *doc, size_t len);

/* Path edits: push returns the length to restore with oci_path_pop. */
size_t oci_path_key(struct oci_parser *p, const char *key);
size_t oci_path_index(struct oci_parser *p, size_t index);
void oci_path_pop(struct oci_parser *p, size_t len);

/* Fail with FASCO_E_CONFIG and "<path>: <message>". */
int oci_fail(struct oci_parser *p, const char *fmt, ...) FASCO_PRINTF(2, 3);

/* A value reader stores into dst (the field's address). */
typedef int (*oci_read_fn)(struct oci_parser *p, void *dst);

int oci_read_string(struct oci_parser *p, void *dst);   /* char ** (strdup) */
int oci_read_strv(struct oci_parser *p, void *dst);     /* struct oci_strv * */
int oci_read_bool(struct oci_parser *p, void *dst);     /* bool * */
int oci_read_u32(struct oci_parser *p, void *dst);      /* uint32_t * */
int oci_read_u64(struct oci_parser *p, void *dst);      /* uint64_t * */
int oci_read_i64(struct oci_parser *p, void *dst);      /* int64_t * */

/*
 * Objects: each known member is read by its field's reader into
 * base + offset; a member present sets bit i of *ret_seen (may be NULL).
 * Unknown members are skipped (the runtime specification requires it), a
 * known member given twice is an error, a required one missing too. null
 * counts as absent.
 */
struct oci_field {
	const char *name;
	oci_read_fn read;
	size_t offset;
	bool required;
};

int oci_read_object(struct oci_parser *p, const struct oci_field *fields, size_t n_fields,
		    void *base, uint64_t *ret_seen);

/*
 * One part of a configuration as a document of its own (runc's exec
 * --process, update --resources), read by read into dst; errors name the
 * field as in config.json: path "linux.resources" gives
 * "linux.resources.memory.limit: ...". On failure the caller frees dst.
 */
int oci_parse_part(const char *doc, size_t len, size_t max, const char *path, oci_read_fn read,
		   void *dst);

/* Arrays of elem_size items, grown as read into *items, counted in *count. */
int oci_read_array(struct oci_parser *p, void **items, size_t *count, size_t elem_size,
		   oci_read_fn read_item);

/* The structure that holds member at ptr (array readers get the member). */
#define oci_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define OCI_FIELD(name, read, type, member, required) \
	{ (name), (read), offsetof(type, member), (required) }

#endif
