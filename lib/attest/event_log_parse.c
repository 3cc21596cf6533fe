/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attest/event_log.h"
#include "common/error.h"
#include "common/hex.h"
#include "common/json.h"
#include "rmm/rmm.h"

#define BAD FASCO_E_EVENT_LOG

void evlog_free(struct evlog *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int read_hex(struct json *j, const char *key, uint8_t *out, size_t min, size_t max,
		    size_t *ret_len)
{
	char text[2 * 64 + 1];
	size_t len;
	int r;

	if ((r = json_read_string(j, text, sizeof(text), &len)) < 0)
		return r;
	if (len % 2 || len / 2 < min || len / 2 > max || hex_decode(text, out, len / 2, NULL) < 0)
		return fasco_fail(BAD, "event log: \"%s\" is not %zu..%zu bytes of hex", key, min, max);
	if (ret_len)
		*ret_len = len / 2;
	return 0;
}

static int read_word(struct json *j, const char *const *words, unsigned n, unsigned *ret)
{
	char text[16];
	int r;

	if ((r = json_read_string(j, text, sizeof(text), NULL)) < 0)
		return r;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(text, words[i]) == 0) {
			*ret = i;
			return 0;
		}
	return fasco_fail(BAD, "event log: unknown value \"%s\"", text);
}

static int read_u32(struct json *j, uint32_t *ret)
{
	uint64_t v;
	int r = json_read_u64(j, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return fasco_fail(BAD, "event log: %llu out of range", (unsigned long long)v);
	*ret = (uint32_t)v;
	return 0;
}

static int read_path(struct json *j, struct evlog_entry *e)
{
	static char text[EVLOG_PATH_MAX];
	int r;

	if (json_peek(j) == 'n')
		return json_skip(j);
	if ((r = json_read_string(j, text, sizeof(text), NULL)) < 0)
		return r;
	free(e->path);
	return (e->path = strdup(text)) ? 0 : -ENOMEM;
}

static int read_field(struct json *j, const char *key, struct evlog_entry *e)
{
	static const char *const kinds[] = { "", "exec", "extend" };
	static const char *const sources[] = { "", "mmap", "mprotect" };
	struct fasco_exec_event *x = &e->exec;
	unsigned w = 0;
	int r;

	if (!strcmp(key, "index"))
		return json_read_u64(j, &e->index);
	if (!strcmp(key, "rem"))
		return read_u32(j, &e->rem);
	if (!strcmp(key, "kind"))
		return (r = read_word(j, kinds, 3, &w)) < 0 ? r : (e->kind = w, 0);
	if (!strcmp(key, "value"))
		return read_hex(j, key, e->value, 1, 64, &e->value_len);
	if (!strcmp(key, "content_sha256"))
		return read_hex(j, key, x->content, 32, 32, NULL);
	if (!strcmp(key, "offset"))
		return json_read_u64(j, &x->offset);
	if (!strcmp(key, "length"))
		return json_read_u64(j, &x->length);
	if (!strcmp(key, "prot"))
		return read_u32(j, &x->prot);
	if (!strcmp(key, "source"))
		return (r = read_word(j, sources, 3, &w)) < 0 ? r : (x->source = w, 0);
	if (!strcmp(key, "exec_index"))
		return json_read_u64(j, &x->index);
	if (!strcmp(key, "path"))
		return read_path(j, e);
	return json_skip(j); /* dev, ino and what later versions add */
}

static int read_entry(struct json *j, struct evlog_entry *e)
{
	char key[32];
	int r;

	if ((r = json_object_begin(j)) < 0)
		return r;
	while ((r = json_object_next(j, key, sizeof(key))) == 1)
		if ((r = read_field(j, key, e)) < 0)
			return r;
	if (r < 0)
		return r;
	if (!e->kind || !e->value_len || e->rem > 3)
		return fasco_fail(BAD, "event log: an entry lacks its kind or value, or names REM %u",
				  e->rem);
	if (e->kind == EVLOG_EXEC && e->value_len != sizeof(e->exec.value))
		return fasco_fail(BAD, "event log: an exec entry's value is not 32 bytes");
	memcpy(e->exec.value, e->value, sizeof(e->exec.value));
	return 0;
}

static int read_entries(struct json *j, struct evlog *l)
{
	size_t cap = 0;
	int r;

	if ((r = json_array_begin(j)) < 0)
		return r;
	while ((r = json_array_next(j)) == 1) {
		if (l->n == EVLOG_MAX_ENTRIES)
			return fasco_fail(BAD, "event log: more than %d entries", EVLOG_MAX_ENTRIES);
		if (l->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct evlog_entry *v = realloc(l->v, ncap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			l->v = v;
			cap = ncap;
		}
		memset(&l->v[l->n], 0, sizeof(l->v[0]));
		r = read_entry(j, &l->v[l->n]);
		l->n++; /* counted even when broken: evlog_free() frees its path */
		if (r < 0)
			return fasco_fail(r, "entry %zu: %s", l->n - 1, fasco_last_error());
	}
	return r;
}

static int read_header(struct json *j, const char *key, struct evlog *l, int *have)
{
	static const char *const modes[] = { "tf-rmm", "spec" };
	uint64_t version;
	unsigned mode = 0;
	int r;

	if (!strcmp(key, "version")) {
		if ((r = json_read_u64(j, &version)) < 0)
			return r;
		*have |= 1;
		return version == 1 ? 0 : fasco_fail(FASCO_E_UNSUPPORTED, "event log version %llu",
						    (unsigned long long)version);
	}
	if (!strcmp(key, "hash_algo")) {
		*have |= 2;
		return json_read_string(j, l->hash_algo, sizeof(l->hash_algo), NULL);
	}
	if (!strcmp(key, "rem_mode")) {
		*have |= 4;
		return (r = read_word(j, modes, 2, &mode)) < 0 ? r : (l->rem_mode = (int)mode, 0);
	}
	if (!strcmp(key, "entries")) {
		*have |= 8;
		return read_entries(j, l);
	}
	return json_skip(j);
}

int evlog_parse(const char *text, size_t len, struct evlog *ret)
{
	struct json j;
	char key[32];
	int have = 0, r;

	memset(ret, 0, sizeof(*ret));
	json_init(&j, text, len, BAD);
	if ((r = json_object_begin(&j)) < 0)
		goto fail;
	while ((r = json_object_next(&j, key, sizeof(key))) == 1)
		if ((r = read_header(&j, key, ret, &have)) < 0)
			goto fail;
	if (r < 0 || (r = json_finish(&j)) < 0)
		goto fail;
	if (have != 15) {
		r = fasco_fail(BAD, "event log: version, hash_algo, rem_mode or entries missing");
		goto fail;
	}
	return 0;
fail:
	evlog_free(ret);
	return r;
}
