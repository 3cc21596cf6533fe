/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A realm's event log (fasco_realm_event_log()) read back by a verifier:
 * parsed strictly and boundedly from untrusted JSON (event_log_parse.c),
 * then checked and replayed (event_log_verify.c).
 */
#ifndef FASCO_ATTEST_EVENT_LOG_H
#define FASCO_ATTEST_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "abi/exec_event.h"

#define EVLOG_MAX_ENTRIES 65536
#define EVLOG_PATH_MAX 4096

enum evlog_kind { EVLOG_EXEC = 1, EVLOG_EXTEND = 2 };

struct evlog_entry {
	uint64_t index;
	uint32_t rem, kind;
	uint8_t value[64];
	size_t value_len;
	struct fasco_exec_event exec; /* EVLOG_EXEC: value holds the claimed value too */
	char *path;                   /* NULL if null or absent */
};

struct evlog {
	char hash_algo[16]; /* "sha-256" ... */
	int rem_mode;       /* enum rmm_rem_mode */
	struct evlog_entry *v;
	size_t n;
};

/* Parse; FASCO_E_EVENT_LOG naming the offset or entry on any error. */
int evlog_parse(const char *text, size_t len, struct evlog *ret);
void evlog_free(struct evlog *l);

#endif
