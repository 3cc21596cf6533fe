/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX timers that signal one thread (SIGEV_THREAD_ID, which glibc's and
 * musl's SIGEV_THREAD timers and language runtimes use). The timer is the
 * host kernel's, in the realm's monitor; aimed at a host thread, its signal
 * would stay pending on a vCPU's thread, which blocks every realm signal,
 * and never reach the realm. So the shim creates it as a timer of the
 * process (the monitor holds its signals for the realm, lib/core/signals.c)
 * and keeps which vCPU its thread runs on: a signal of the timer taken from
 * the host (si_code SI_TIMER, si_timerid) is queued for that thread, or
 * for the process once the thread is gone. As on Linux, the thread must be
 * one of the realm's own.
 */
#include "signals.h"

#define SIGEV_SIGNAL 0
#define SIGEV_THREAD_ID 4
#define SI_TIMER (-2)
#define TIMERS 1024
#define ARG_EVENT 1
#define ARG_ID 2

struct sigevent_k {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid; /* sigev_notify_thread_id */
	uint8_t rest[44];
};
_Static_assert(sizeof(struct sigevent_k) == 64, "struct sigevent is 64 bytes");

/* By the kernel's timer id: the vCPU + 1 of the thread it signals, 0 the
 * process. Every creation sets its id's entry, so one left by a deleted
 * timer (or the parent's, after a fork) is never read for another. */
static int8_t timer_cpu[TIMERS];

int sig_timer_target(const uint8_t info[SIGINFO_SIZE])
{
	struct siginfo_head h;
	int32_t id;
	int cpu;

	memcpy(&h, info, sizeof(h));
	memcpy(&id, info + 16, sizeof(id)); /* si_timerid */
	if (h.code != SI_TIMER || id < 0 || id >= TIMERS || !timer_cpu[id])
		return CPU_PROCESS;
	cpu = timer_cpu[id] - 1;
	return thread_running((unsigned)cpu) ? cpu : CPU_PROCESS;
}

/* Create the host's timer with ev: its id, or -errno. */
static int64_t create(uint64_t clock, const struct sigevent_k *ev, uint64_t uid_ptr)
{
	uint8_t *data = this_cpu()->slot_data;
	uint64_t args[6] = { clock, 1, uid_ptr, 0, 0, 0 };
	uint32_t mask = 1u << ARG_EVENT | (uid_ptr ? 1u << ARG_ID : 0);
	struct fasco_layout lay;
	int32_t id;
	int64_t ret;

	if ((ret = fasco_sys_layout(__NR_timer_create, args, mask, 1, &lay)) < 0)
		return ret;
	if (uid_ptr && !mm_user_ok(uid_ptr, sizeof(id), PROT_W))
		return -E_FAULT;
	memcpy(data + lay.off[ARG_EVENT], ev, sizeof(*ev));
	if ((ret = forward_prepared(__NR_timer_create, args, mask)) < 0)
		return ret;
	memcpy(&id, data + lay.off[ARG_ID], sizeof(id));
	return id;
}

static int64_t delete_timer(int64_t id)
{
	uint64_t args[6] = { (uint64_t)id, 0, 0, 0, 0, 0 };

	return forward_syscall(__NR_timer_delete, args);
}

static int64_t timer_create_call(const uint64_t a[6])
{
	struct sigevent_k ev;
	int cpu = CPU_PROCESS;
	int64_t id;
	int32_t id32;

	if (!a[ARG_EVENT])
		return forward_syscall(__NR_timer_create, a); /* SIGALRM to the process */
	if (copy_from_user(&ev, a[ARG_EVENT], sizeof(ev)) < 0)
		return -E_FAULT;
	if (ev.notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
		if ((cpu = thread_cpu((uint64_t)(uint32_t)ev.tid)) < 0)
			return -E_INVAL;
		ev.notify = SIGEV_SIGNAL;
	}
	if ((id = create(a[0], &ev, a[ARG_ID])) < 0)
		return id;
	if (id >= TIMERS) {
		if (cpu == CPU_PROCESS)
			return id; /* signals the process: nothing to keep */
		delete_timer(id);
		return -E_AGAIN; /* as when the process has too many timers */
	}
	__atomic_store_n(&timer_cpu[id], (int8_t)(cpu + 1), __ATOMIC_RELEASE);
	id32 = (int32_t)id;
	return copy_to_user(a[ARG_ID], &id32, sizeof(id32)) < 0 ? -E_FAULT : 0;
}

int sig_timer_call(uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	if (nr != __NR_timer_create)
		return 0;
	*ret = timer_create_call(a);
	return 1;
}
