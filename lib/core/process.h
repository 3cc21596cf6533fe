/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Realm processes, served by the monitor. The host's process tree mirrors
 * the realm's: fork forks the monitor (its child serves the child realm,
 * on a copy-on-write copy of the realm's memory), execve replaces the
 * realm's image in place, and every monitor ends as its realm ended, so
 * wait4/waitid forwarded to the host kernel report the realm's statuses.
 */
#ifndef FASCO_CORE_PROCESS_H
#define FASCO_CORE_PROCESS_H

#include <stdint.h>

#include "core/monitor.h"

/* The first realm of a tree: adopt orphaned realms, as a container's init. */
int process_init(struct monitor *m);

/* FASCO_OP_FORK: the result for the realm that asked, the child's pid in
 * the parent and 0 in the child (which returns here in a new process). */
int64_t process_fork(struct monitor *m, struct vcpu_host *cpu);

/*
 * FASCO_OP_EXEC. A request that fails before the old image is released
 * (ENOENT, EACCES, ENOEXEC, E2BIG, ...) is answered through answer() and
 * the old image carries on; otherwise the new image is in place and its
 * vCPU runs next. Returns 1 when the realm ended (a failure after the
 * point of no return), else 0.
 */
int process_exec(struct monitor *m, struct vcpu_host *cpu,
		 void (*answer)(struct vcpu_host *cpu, int64_t ret));

/* End the monitor as its realm ended: the exit code, or its fatal signal. */
__attribute__((noreturn)) void process_end(const struct fasco_exit_info *e);

#endif
