/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/exec_measure.h"
#include "rmm/rmm.h"
#include "sysrealm/fdtable.h"

#define PROT_EXEC_BIT 4u

/* What the shim sent, checked against what only it can be. */
static int check_event(const struct fasco_exec_event *e, uint64_t expected_index)
{
	uint8_t record[FASCO_EXEC_RECORD_SIZE], value[RMM_SLOT_SIZE];

	if (!e->length || (e->length | e->offset) % FASCO_PAGE_SIZE || !(e->prot & PROT_EXEC_BIT) ||
	    e->prot > 7 || (e->source != FASCO_EXEC_MMAP && e->source != FASCO_EXEC_MPROTECT))
		return -EINVAL;
	if (e->index != expected_index)
		return -EINVAL; /* the log's order is the realm's order */
	fasco_exec_record(e, record);
	(void)rmm_hash(RMM_HASH_SHA256, record, sizeof(record), value);
	return memcmp(value, e->value, sizeof(e->value)) == 0 ? 0 : -EINVAL;
}

/* The host's view of the realm's descriptor: untrusted metadata. */
static void describe_file(struct service *svc, uint64_t realm_fd, struct event_entry *e)
{
	char link[64], path[PATH_MAX];
	struct stat st;
	int host = fd_host(svc, (int64_t)realm_fd);
	ssize_t n;

	if (host < 0 || fstat(host, &st) < 0)
		return;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	/* names as seen from the container root; without /proc there, none */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", host);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = 0;
		e->path = strdup(path);
	}
}

static int64_t serve_locked(struct monitor *m, struct vcpu_host *cpu,
			    const struct fasco_slot_header *h)
{
	struct fasco_exec_event ev;
	struct event_entry *e;
	int err = 0;

	if (!m->rmm)
		return -EOPNOTSUPP; /* not measured: the shim does not ask */
	memcpy(&ev, cpu->data, sizeof(ev)); /* copy once */
	if ((err = check_event(&ev, m->events.exec_count)) < 0)
		return err;
	if (!(e = event_log_reserve(&m->events, &err)))
		return err;
	if (rmm_rem_extend(m->rmm, 1 + FASCO_EXEC_REM, ev.value, sizeof(ev.value)) < 0)
		return -EIO;
	e->rem = FASCO_EXEC_REM;
	e->kind = EVENT_EXEC;
	memcpy(e->value, ev.value, sizeof(ev.value));
	e->value_len = sizeof(ev.value);
	e->exec = ev;
	describe_file(&m->svc, h->args[0], e);
	event_log_commit(&m->events);
	return 0;
}

int64_t exec_measure_serve(struct monitor *m, struct vcpu_host *cpu,
			   const struct fasco_slot_header *h)
{
	int64_t ret;

	pthread_mutex_lock(&m->tsm_lock); /* the RMM model and its log */
	ret = serve_locked(m, cpu, h);
	pthread_mutex_unlock(&m->tsm_lock);
	return ret;
}

void exec_measure_send_log(struct monitor *m)
{
	char *json = NULL;

	if (m->rmm && event_log_json(&m->events, (unsigned)m->realm->config->hash_algo,
				     (unsigned)rmm_realm_config(m->rmm)->rem_mode, &json) < 0)
		json = NULL; /* out of memory: the library reports no log */
	event_log_send(m->status_fd, json);
	free(json);
}
