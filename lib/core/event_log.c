/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/hex.h"
#include "common/json_out.h"
#include "core/event_log.h"

void event_log_reset(struct event_log *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	*l = (struct event_log){ 0 };
}

struct event_entry *event_log_reserve(struct event_log *l, int *err)
{
	if (l->n == EVENT_LOG_MAX) {
		*err = -ENOSPC;
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct event_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			*err = -ENOMEM;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	return &l->v[l->n];
}

void event_entry_set_write(struct event_entry *e, unsigned rem, const uint8_t *value, size_t len)
{
	e->rem = rem;
	e->kind = EVENT_EXTEND;
	memcpy(e->value, value, len);
	e->value_len = (uint32_t)len;
}

void event_log_commit(struct event_log *l)
{
	if (l->v[l->n].kind == EVENT_EXEC)
		l->exec_count++;
	l->n++;
}

static void put_hex(FILE *f, const char *key, const uint8_t *b, size_t n)
{
	char text[2 * 64 + 1];

	hex_encode(b, n, text);
	fprintf(f, ",\"%s\":\"%s\"", key, text);
}

static void put_exec(FILE *f, const struct event_entry *e)
{
	const struct fasco_exec_event *x = &e->exec;

	put_hex(f, "content_sha256", x->content, sizeof(x->content));
	fprintf(f, ",\"offset\":%llu,\"length\":%llu,\"prot\":%u,\"source\":\"%s\",\"exec_index\":%llu",
		(unsigned long long)x->offset, (unsigned long long)x->length, x->prot,
		x->source == FASCO_EXEC_MMAP ? "mmap" : "mprotect", (unsigned long long)x->index);
	fputs(",\"path\":", f);
	if (e->path)
		json_write_string(f, e->path);
	else
		fputs("null", f);
	fprintf(f, ",\"dev\":%llu,\"ino\":%llu", (unsigned long long)e->dev,
		(unsigned long long)e->ino);
}

int event_log_json(const struct event_log *l, unsigned hash_algo, unsigned rem_mode, char **ret)
{
	static const char *const algos[] = { "sha-256", "sha-512", "sha-384" };
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "{\"version\":1,\"hash_algo\":\"%s\",\"rem_mode\":\"%s\",\"entries\":[",
		hash_algo < 3 ? algos[hash_algo] : "unknown", rem_mode ? "spec" : "tf-rmm");
	for (size_t i = 0; i < l->n; i++) {
		const struct event_entry *e = &l->v[i];

		fprintf(f, "%s\n{\"index\":%zu,\"rem\":%u,\"kind\":\"%s\"", i ? "," : "", i, e->rem,
			e->kind == EVENT_EXEC ? "exec" : "extend");
		put_hex(f, "value", e->value, e->value_len);
		if (e->kind == EVENT_EXEC)
			put_exec(f, e);
		fputc('}', f);
	}
	fputs("]}\n", f);
	if (fclose(f) != 0) {
		free(doc);
		return -ENOMEM;
	}
	*ret = doc;
	return 0;
}

/* A pipe: no pread, so io_pread_full() does not apply. */
static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void event_log_send(int fd, const char *json)
{
	uint64_t len = json ? strlen(json) : 0;

	if (io_write_all(fd, &len, sizeof(len)) == 0 && len)
		(void)io_write_all(fd, json, len);
}

int event_log_receive(int fd, char **ret)
{
	_cleanup_free_ char *doc = NULL;
	uint64_t len;
	int r;

	*ret = NULL;
	if ((r = read_all(fd, &len, sizeof(len))) < 0)
		return fasco_fail(r, "event log: the monitor ended before sending it");
	if (!len)
		return 0;
	if (len > EVENT_LOG_JSON_MAX)
		return fasco_fail(-EPROTO, "event log of %llu bytes", (unsigned long long)len);
	if (!(doc = malloc(len + 1)))
		return -ENOMEM;
	if ((r = read_all(fd, doc, len)) < 0)
		return fasco_fail(r, "event log: truncated");
	doc[len] = 0;
	*ret = take_ptr(doc);
	return 0;
}
