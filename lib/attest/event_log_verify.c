/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco_event_log_verify(): replay a realm's event log against the REMs of
 * a token. Each exec entry is checked on its own first (its value must be
 * the hash of its record, and the record's exec index its place), so a
 * changed, dropped, added or reordered entry is named precisely; then the
 * replay of every REM must give the token's value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fasco/attest.h>

#include "attest/event_log.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/hex.h"
#include "common/json_out.h"
#include "rmm/rmm.h"

#define BAD FASCO_E_EVENT_LOG

static int algo_of(const char *name)
{
	static const char *const names[] = { "sha-256", "sha-512", "sha-384" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/* An entry on its own: its place, and for code its value against its record. */
static int check_entry(const struct evlog_entry *e, size_t pos, uint64_t exec_seen)
{
	uint8_t record[FASCO_EXEC_RECORD_SIZE], value[RMM_SLOT_SIZE];

	if (e->index != pos)
		return fasco_fail(BAD, "entry %zu says it is entry %llu: entries were dropped, added or reordered",
				  pos, (unsigned long long)e->index);
	if (e->kind != EVLOG_EXEC)
		return 0;
	if (e->rem != FASCO_EXEC_REM)
		return fasco_fail(BAD, "entry %zu: code extends REM[%u], not REM[%d]", pos, e->rem,
				  FASCO_EXEC_REM);
	if (e->exec.index != exec_seen)
		return fasco_fail(BAD, "entry %zu: exec event %llu where %llu comes next: an exec entry was dropped, added or reordered",
				  pos, (unsigned long long)e->exec.index, (unsigned long long)exec_seen);
	fasco_exec_record(&e->exec, record);
	(void)rmm_hash(RMM_HASH_SHA256, record, sizeof(record), value);
	if (memcmp(value, e->exec.value, sizeof(e->exec.value)) != 0)
		return fasco_fail(BAD, "entry %zu (%s): its value is not the SHA-256 of its record: content, offset, length, protection or index changed",
				  pos, e->path ? e->path : "no path");
	return 0;
}

/* Replay the entries of REM rem; *prefix gets how many of them (from the
 * first) reproduce want, or -1 if no prefix does. */
static int replay_rem(const struct evlog *l, int algo, unsigned rem, const uint8_t *want,
		      size_t dlen, uint8_t out[RMM_SLOT_SIZE], long *prefix, size_t *count)
{
	int r;

	memset(out, 0, RMM_SLOT_SIZE);
	*count = 0;
	*prefix = memcmp(out, want, dlen) == 0 ? 0 : -1;
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].rem != rem)
			continue;
		r = rmm_rem_compute((unsigned)algo, (enum rmm_rem_mode)l->rem_mode, out, l->v[i].value,
				    l->v[i].value_len, out);
		if (r < 0)
			return r;
		++*count;
		if (memcmp(out, want, dlen) == 0)
			*prefix = (long)*count;
	}
	return 0;
}

static int check_rem(const struct evlog *l, int algo, unsigned rem,
		     const struct fasco_realm_claims *claims)
{
	uint8_t got[RMM_SLOT_SIZE];
	char got_hex[129], want_hex[129];
	size_t dlen = claims->measurement_len, count;
	long prefix;
	int r = replay_rem(l, algo, rem, claims->rem[rem], dlen, got, &prefix, &count);

	if (r < 0 || memcmp(got, claims->rem[rem], dlen) == 0)
		return r;
	hex_encode(got, dlen, got_hex);
	hex_encode(claims->rem[rem], dlen, want_hex);
	if (prefix >= 0)
		return fasco_fail(BAD, "REM[%u]: the log's %zu entries for it replay to %s, the token has %s; only its first %ld reproduce the token: later entries were added, or came after the token was made",
				  rem, count, got_hex, want_hex, prefix);
	return fasco_fail(BAD, "REM[%u]: the log's %zu entries for it replay to %s, the token has %s: an entry was changed, dropped, added or reordered",
			  rem, count, got_hex, want_hex);
}

/* Does file ref hold, at [offset, offset + length), bytes whose SHA-256
 * (zeros past its end) is content? */
static int file_range_matches(const char *ref, const struct fasco_exec_event *x)
{
	_cleanup_close_ int fd = open(ref, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ uint8_t *buf = NULL;
	uint8_t digest[RMM_SLOT_SIZE];
	size_t got = 0;

	if (fd < 0)
		return fasco_fail(-errno, "--lib-ref %s: %s", ref, strerror(errno));
	if (x->length > (1ull << 30) || !(buf = calloc(1, x->length)))
		return -ENOMEM;
	while (got < x->length) {
		ssize_t n = pread(fd, buf + got, x->length - got, (off_t)(x->offset + got));

		if (n < 0)
			return fasco_fail(-errno, "--lib-ref %s: %s", ref, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	(void)rmm_hash(RMM_HASH_SHA256, buf, x->length, digest);
	return memcmp(digest, x->content, sizeof(x->content)) == 0;
}

/* The reference an exec entry matches: its index in refs, or a failure. */
static int find_reference(const struct evlog_entry *e, size_t pos, const char *const *refs,
			  size_t n_refs)
{
	for (size_t i = 0; i < n_refs; i++) {
		int r = file_range_matches(refs[i], &e->exec);

		if (r != 0)
			return r < 0 ? r : (int)i;
	}
	return fasco_fail(FASCO_E_REFERENCE, "entry %zu (%s, offset %llu, %llu bytes): its code matches no reference file",
			  pos, e->path ? e->path : "no path", (unsigned long long)e->exec.offset,
			  (unsigned long long)e->exec.length);
}

static char *report_json(const struct evlog *l, const int *matched, const char *const *refs)
{
	char *doc = NULL, hex[65];
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	if (!f)
		return NULL;
	fputc('[', f);
	for (size_t i = 0; i < l->n; i++) {
		const struct evlog_entry *e = &l->v[i];

		hex_encode(e->kind == EVLOG_EXEC ? e->exec.content : e->value,
			   e->kind == EVLOG_EXEC ? 32 : e->value_len, hex);
		fprintf(f, "%s{\"index\":%zu,\"rem\":%u,\"kind\":\"%s\",\"%s\":\"%s\",\"path\":",
			i ? "," : "", i, e->rem, e->kind == EVLOG_EXEC ? "exec" : "extend",
			e->kind == EVLOG_EXEC ? "content_sha256" : "value", hex);
		json_write_string(f, e->path ? e->path : "");
		fputs(",\"reference\":", f);
		json_write_string(f, matched[i] >= 0 ? refs[matched[i]] : "");
		fputc('}', f);
	}
	fputs("]", f);
	if (fclose(f) != 0) {
		free(doc);
		return NULL;
	}
	return doc;
}

/* Every entry on its own, then every REM's replay. */
static int check_log(const struct evlog *l, const struct fasco_realm_claims *claims)
{
	int algo = algo_of(claims->hash_algo), r;
	uint64_t exec_seen = 0;

	if (algo < 0 || strcmp(l->hash_algo, claims->hash_algo) != 0)
		return fasco_fail(BAD, "the event log is for %s, the token's realm hashes with %s",
				  l->hash_algo, claims->hash_algo);
	for (size_t i = 0; i < l->n; i++) {
		if ((r = check_entry(&l->v[i], i, exec_seen)) < 0)
			return r;
		exec_seen += l->v[i].kind == EVLOG_EXEC;
	}
	for (unsigned rem = 0; rem < 4; rem++)
		if ((r = check_rem(l, algo, rem, claims)) < 0)
			return r;
	return 0;
}

int fasco_event_log_verify(const char *log, size_t len, const struct fasco_realm_claims *claims,
			   const char *const *refs, size_t n_refs, char **ret_report)
{
	_cleanup_free_ int *matched = NULL;
	struct evlog l;
	int r;

	fasco_error_clear();
	fasco_check_arg(log && claims && (refs || !n_refs));
	if ((r = evlog_parse(log, len, &l)) < 0)
		return r;
	if ((r = check_log(&l, claims)) < 0)
		goto out;
	if (!(matched = malloc((l.n ? l.n : 1) * sizeof(*matched)))) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		matched[i] = -1;
		if (n_refs && l.v[i].kind == EVLOG_EXEC &&
		    (r = matched[i] = find_reference(&l.v[i], i, refs, n_refs)) < 0)
			goto out;
	}
	r = 0;
	if (ret_report && !(*ret_report = report_json(&l, matched, refs)))
		r = -ENOMEM;
out:
	evlog_free(&l);
	return r;
}
