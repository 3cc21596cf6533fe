/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm monitor's state (monitor.c), shared with the files that serve
 * parts of its exit loop (process.c: fork, execve and the end of a realm).
 */
#ifndef FASCO_CORE_MONITOR_H
#define FASCO_CORE_MONITOR_H

#include <pthread.h>
#include <stdint.h>

#include "core/internal.h"
#include "core/poller.h"
#include "core/realm_attest.h"
#include "core/tsm.h"
#include "sysrealm/service.h"

struct monitor {
	fasco_realm *realm;
	const struct realm_backend_ops *be;
	struct realm_vm *vm;
	uint8_t *shared;
	struct service svc;
	pthread_mutex_t serving; /* the vCPU thread and the poller take turns */
	struct poller poller;
	struct fasco_exit_info exit;
	struct fasco_realm_stats stats;
	struct rmm_realm *rmm; /* the realm's measurements (NULL: not measured) */
	struct realm_attester attester;
	struct tsm tsm;        /* configfs-tsm, served here, not by the system realm */
	uint64_t t_start, t_run;
	uint32_t platform;
	int status_fd;         /* to the library; -1 in a forked realm's monitor */
	int owner_pidfd;       /* the library's process: a realm never outlives it */
	int root_pidfd;        /* the first realm of this tree (-1 in the first) */
};

/* Slots, sealed memory and vCPUs of a freshly built image. */
int monitor_boot_vcpus(struct monitor *m, const struct vcpu_boot *boot);
/* The threads beside the vCPU's: the poller, the watch of owner and root. */
int monitor_start_poller(struct monitor *m);
int monitor_start_watch(struct monitor *m);
void monitor_end_crash(struct monitor *m, const char *why, uint64_t detail);

#endif
