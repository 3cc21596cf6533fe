/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event log of a realm's REM extensions, kept by its monitor (the RMM's
 * stand-in): one entry per extension, in order, so that a verifier replays
 * the log and compares with the REMs of a token. Run-time code events (the
 * shim's, REM[0]) carry their record's fields and what the host believes
 * the file was (path in the container root, device, inode: untrusted, for
 * people and reference-value lookup); a program's own writes to a REM file
 * carry their value only. The log goes to the library with the realm's end
 * and is exported as JSON (fasco_realm_event_log()).
 */
#ifndef FASCO_CORE_EVENT_LOG_H
#define FASCO_CORE_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "abi/exec_event.h"

#define EVENT_LOG_MAX 65536      /* entries; a realm past it cannot extend */
#define EVENT_LOG_JSON_MAX (64u << 20)

enum event_kind {
	EVENT_EXEC = 1,   /* run-time code (abi/exec_event.h) */
	EVENT_EXTEND = 2, /* a program wrote a REM file */
};

struct event_entry {
	uint32_t rem;     /* 0..3 */
	uint32_t kind;    /* enum event_kind */
	uint8_t value[64];
	uint32_t value_len;
	struct fasco_exec_event exec; /* EVENT_EXEC */
	uint64_t dev, ino;            /* EVENT_EXEC: the host's view of the file */
	char *path;                   /* EVENT_EXEC: NULL if unknown */
};

struct event_log {
	struct event_entry *v;
	size_t n, cap;
	uint64_t exec_count; /* EVENT_EXEC entries: the next exec index */
};

/* Forget every entry (a new image after execve starts a new log). */
void event_log_reset(struct event_log *l);
/* Room for one more entry, so that recording after an extension cannot
 * fail: the entry to fill, or NULL (-ENOSPC / -ENOMEM in *err). */
struct event_entry *event_log_reserve(struct event_log *l, int *err);
/* A program's own extension of REM rem (0..3) by value[0..len), len <= 64. */
void event_entry_set_write(struct event_entry *e, unsigned rem, const uint8_t *value, size_t len);
/* Count the reserved entry in (after the REM was extended). */
void event_log_commit(struct event_log *l);

/* The log as JSON (hash_algo: enum rmm_hash_algo; rem_mode: enum
 * rmm_rem_mode); *ret is malloc'ed and NUL-terminated. */
int event_log_json(const struct event_log *l, unsigned hash_algo, unsigned rem_mode, char **ret);

/* Monitor -> library after MSG_END: a u64 length, then the JSON (length 0:
 * the realm was not measured). receive gives NULL then. */
void event_log_send(int fd, const char *json);
int event_log_receive(int fd, char **ret);

#endif
