/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals on the host side of a realm (signals.c): every signal the
 * monitor process receives (from the library's fasco_realm_kill, another
 * realm's kill, its timers, a child realm's end) is the realm's. The
 * monitor's threads block them all; one thread takes them, keeps them
 * until a vCPU takes them (FASCO_OP_SIGNALS) and interrupts a vCPU that
 * does not block them: out of KVM_RUN (then diverted to the shim's signal
 * entry if it was in the program) or out of a blocking host call (EINTR).
 */
#ifndef FASCO_CORE_SIGNALS_H
#define FASCO_CORE_SIGNALS_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi/realm_abi.h"

#define SIGNALS_MAX_VCPUS 64
#define SIGINFO_BYTES 128

struct monitor;
struct vcpu_host;

struct realm_signals {
	pthread_mutex_t lock;
	uint8_t inbox[FASCO_SIG_TAKE_MAX][SIGINFO_BYTES];
	unsigned n;
	uint64_t want;      /* vCPUs interrupted again until they take */
	uint64_t asked;     /* vCPUs another vCPU asked to look (FASCO_SIG_KICK) */
	uint32_t woken[SIGNALS_MAX_VCPUS]; /* futex words of FASCO_SIG_WAIT */
	pid_t thread_tid;
};

/* Block the signals the realm receives (all threads of the monitor
 * inherit it); before any thread is created, and again first thing in
 * each thread: glibc's pthread_create unblocks SIGCANCEL (32) in every
 * thread it starts, and the kernel would hand the realm's signal 32 (the
 * SIGEV_THREAD timers of glibc and musl use it) to one of them, whose
 * default action ends the monitor. */
void signals_block(void);
/* Start taking signals (again in a forked monitor: nothing pending). */
int signals_start(struct monitor *m);
/* FASCO_OP_SIGNALS; the result for the slot. */
int64_t signals_serve(struct monitor *m, struct vcpu_host *cpu, const struct fasco_slot_header *h);
/* execve (exec.c): the new image's first slot gets the carried mask and
 * ignored set, and looks at once for the signals the host holds. */
void signals_exec_carry(struct monitor *m, uint64_t blocked, uint64_t ignored);
/* KVM_RUN was interrupted: divert the vCPU to the shim if a signal waits
 * for it and it was running the program. */
void signals_interrupted(struct monitor *m, struct vcpu_host *cpu);

#endif
