/* SPDX-License-Identifier: Apache-2.0 */
/* Typed JSON reading with the path of each value (see parse.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "oci/parse.h"

void oci_parser_init(struct oci_parser *p, const char *doc, size_t len)
{
	json_init(&p->j, doc, len, FASCO_E_CONFIG);
	p->path[0] = '\0';
	p->path_len = 0;
}

/* Account for an snprintf at the end of the path; a path too long is cut. */
static size_t path_grew(struct oci_parser *p, size_t old, int n)
{
	size_t room = sizeof(p->path) - old;

	p->path_len = n < 0 ? old : (size_t)n < room ? old + (size_t)n : sizeof(p->path) - 1;
	return old;
}

size_t oci_path_key(struct oci_parser *p, const char *key)
{
	size_t old = p->path_len, room = sizeof(p->path) - old;
	char *end = p->path + old;

	/* names that would read ambiguously are quoted: annotations["org.fasco.rpv"] */
	if (!*key || strcspn(key, ".[]\"") != strlen(key))
		return path_grew(p, old, snprintf(end, room, "[\"%s\"]", key));
	return path_grew(p, old, snprintf(end, room, "%s%s", old ? "." : "", key));
}

size_t oci_path_index(struct oci_parser *p, size_t index)
{
	size_t old = p->path_len;

	return path_grew(p, old, snprintf(p->path + old, sizeof(p->path) - old, "[%zu]", index));
}

void oci_path_pop(struct oci_parser *p, size_t len)
{
	p->path_len = len;
	p->path[len] = '\0';
}

int oci_fail(struct oci_parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fasco_fail(FASCO_E_CONFIG, "%s: %s", p->path_len ? p->path : "(document)", msg);
}

/* A syntax error from the reader, placed at the current path. */
static int at_path(struct oci_parser *p, int r)
{
	return r < 0 ? fasco_fail_wrap(r, "%s", p->path_len ? p->path : "(document)") : r;
}

/* The next value must begin with one of first (e.g. "\"" or "tf"). */
static int expect_kind(struct oci_parser *p, const char *first, const char *what)
{
	char c = json_peek(&p->j);

	if (!c || !strchr(first, c))
		return oci_fail(p, "expected %s", what);
	return 0;
}

int oci_read_string(struct oci_parser *p, void *dst)
{
	char **out = dst;
	size_t n;
	int r = expect_kind(p, "\"", "a string");

	if (r < 0)
		return r;
	if ((r = json_read_string(&p->j, p->scratch, sizeof(p->scratch), &n)) < 0)
		return at_path(p, r);
	if (strlen(p->scratch) != n)
		return oci_fail(p, "string contains a NUL character");
	free(*out);
	*out = strdup(p->scratch);
	return *out ? 0 : -ENOMEM;
}

int oci_read_bool(struct oci_parser *p, void *dst)
{
	int r = expect_kind(p, "tf", "true or false");

	return r < 0 ? r : at_path(p, json_read_bool(&p->j, dst));
}

int oci_read_u64(struct oci_parser *p, void *dst)
{
	int r = expect_kind(p, "-0123456789", "a number");

	return r < 0 ? r : at_path(p, json_read_u64(&p->j, dst));
}

int oci_read_i64(struct oci_parser *p, void *dst)
{
	int r = expect_kind(p, "-0123456789", "a number");

	return r < 0 ? r : at_path(p, json_read_i64(&p->j, dst));
}

int oci_read_u32(struct oci_parser *p, void *dst)
{
	uint64_t v;
	int r = oci_read_u64(p, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return oci_fail(p, "%llu is out of range (at most %u)", (unsigned long long)v,
				UINT32_MAX);
	*(uint32_t *)dst = (uint32_t)v;
	return 0;
}

void oci_strv_free(struct oci_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct oci_strv){ 0 };
}

int oci_read_array(struct oci_parser *p, void **items, size_t *count, size_t elem_size,
		   oci_read_fn read_item)
{
	uint8_t *v = *items;
	size_t n = *count, cap = n;
	int r = expect_kind(p, "[", "an array");

	if (r < 0 || (r = at_path(p, json_array_begin(&p->j))) < 0)
		return r;
	while ((r = at_path(p, json_array_next(&p->j))) > 0) {
		size_t mark;

		if (n == OCI_ITEMS_MAX)
			return oci_fail(p, "more than %d elements", OCI_ITEMS_MAX);
		if (n == cap) {
			size_t grown = cap ? 2 * cap : 4;
			/* one spare element keeps string vectors NULL-terminated */
			uint8_t *nv = realloc(v, (grown + 1) * elem_size);

			if (!nv)
				return -ENOMEM;
			v = nv;
			*items = v;
			cap = grown;
		}
		memset(v + n * elem_size, 0, 2 * elem_size);
		mark = oci_path_index(p, n);
		/* counted first: the caller's destructor then frees a half-read item */
		*count = ++n;
		r = read_item(p, v + (n - 1) * elem_size);
		if (r < 0)
			return r;
		oci_path_pop(p, mark);
	}
	return r;
}

int oci_read_strv(struct oci_parser *p, void *dst)
{
	struct oci_strv *s = dst;

	return oci_read_array(p, (void **)&s->v, &s->n, sizeof(char *), oci_read_string);
}

static int find_field(const struct oci_field *fields, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(fields[i].name, key))
			return (int)i;
	return -1;
}

int oci_read_object(struct oci_parser *p, const struct oci_field *fields, size_t n_fields,
		    void *base, uint64_t *ret_seen)
{
	char key[OCI_KEY_MAX];
	uint64_t seen = 0;
	int r = expect_kind(p, "{", "an object");

	if (r < 0 || (r = at_path(p, json_object_begin(&p->j))) < 0)
		return r;
	while ((r = at_path(p, json_object_next(&p->j, key, sizeof(key)))) > 0) {
		int i = find_field(fields, n_fields, key);
		size_t mark = oci_path_key(p, key);

		if (i < 0) {
			r = at_path(p, json_skip(&p->j));
		} else if (seen & (1ull << i)) {
			r = oci_fail(p, "given twice");
		} else if (json_peek(&p->j) == 'n') {
			r = at_path(p, json_skip(&p->j)); /* null: absent */
		} else {
			seen |= 1ull << i;
			r = fields[i].read(p, (uint8_t *)base + fields[i].offset);
		}
		if (r < 0)
			return r;
		oci_path_pop(p, mark);
	}
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_fields; i++) {
		if (fields[i].required && !(seen & (1ull << i))) {
			size_t mark = oci_path_key(p, fields[i].name);

			r = oci_fail(p, "required");
			oci_path_pop(p, mark);
			return r;
		}
	}
	if (ret_seen)
		*ret_seen = seen;
	return 0;
}

int oci_parse_part(const char *doc, size_t len, size_t max, const char *path, oci_read_fn read,
		   void *dst)
{
	_cleanup_free_ struct oci_parser *p = NULL;
	char key[OCI_PATH_MAX];
	int r;

	fasco_error_clear();
	if (len > max)
		return fasco_fail(FASCO_E_CONFIG, "%s: %zu bytes, more than the %zu allowed", path,
				  len, max);
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	oci_parser_init(p, doc, len);
	for (const char *k = path; *k; k += strcspn(k, ".") + (k[strcspn(k, ".")] == '.')) {
		size_t n = strcspn(k, ".");

		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, k, n);
		key[n] = '\0';
		oci_path_key(p, key);
	}
	if ((r = read(p, dst)) >= 0 && (r = json_finish(&p->j)) < 0)
		r = fasco_fail_wrap(r, "%s: after the object", path);
	return r < 0 ? r : 0;
}
