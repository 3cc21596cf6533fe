/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system realm's service context for one attached realm: its own
 * descriptor table (realm descriptor numbers map to host descriptors, so a
 * realm can never name the monitor's own files) and the statistics of what
 * it asked for. service_syscall() serves one forwarded call.
 */
#ifndef FASCO_SYSREALM_SERVICE_H
#define FASCO_SYSREALM_SERVICE_H

#include <pthread.h>
#include <stdint.h>

#include "abi/realm_abi.h"
#include "sysrealm/signalfd.h"

#define SERVICE_MAX_FDS 1024

struct service {
	int fds[SERVICE_MAX_FDS];    /* realm fd -> host fd, -1 when free */
	pthread_mutex_t fd_lock;     /* the realm's threads change fds at once */
	uint8_t priv[FASCO_SLOT_DATA_MAX]; /* host-private copy of the request data */
	uint64_t forwarded, unsupported;
	uint64_t per_syscall[512];
	int tree_root;   /* pid of the first realm's monitor of this tree */
	int tree_parent; /* pid of the parent realm's monitor (0: none) */
	struct sigfd_set sigfds; /* the realm's signalfds (signalfd.c) */
};

/* Start with the realm's stdin, stdout and stderr = the host's 0, 1, 2. */
int service_init(struct service *svc);
void service_fini(struct service *svc);

/*
 * Validate a slot header (already copied out of shared memory once): its
 * magic and a known operation. Returns 0, or FASCO_E_PROTOCOL with a detail
 * naming the violation (the realm is then ended, not answered).
 */
int service_check_header(const struct fasco_slot_header *hdr);

/*
 * Serve the call described by the header hdr (already copied out of shared
 * memory once) whose data area is data (shared, hostile). Returns the value
 * for the program: a result or -errno.
 */
int64_t service_syscall(struct service *svc, const struct fasco_slot_header *hdr, uint8_t *data);
/* The same with the host-private copy in priv (FASCO_SLOT_DATA_MAX bytes,
 * one per thread serving calls at once) instead of svc->priv. */
int64_t service_syscall_with(struct service *svc, const struct fasco_slot_header *hdr,
			     uint8_t *data, uint8_t *priv);

/* execve: close the descriptors marked close-on-exec (process_calls.c). */
void service_exec(struct service *svc);
/* Process calls that must stay inside the realm's tree (kill, waitid, ...):
 * 1 with the result in *ret when served, 0 to forward as is. */
int service_process_call(struct service *svc, uint64_t nr, const uint64_t args[6], int64_t *ret);

#endif
