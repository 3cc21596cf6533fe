/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The calls that wait for signals: rt_sigsuspend and pause (until a handler
 * runs), rt_sigtimedwait (take a signal of a set without its handler),
 * rt_sigpending. A waiting thread sleeps in its monitor (FASCO_SIG_WAIT)
 * until a signal reaches the host or another vCPU queued one and kicked
 * it; the queue's sequence word closes the race between looking and
 * sleeping for signals queued inside the realm.
 */
#include "signals.h"

#define E_TIMEDOUT 110
#define NS_PER_SEC 1000000000ll

/* Sleep in the host unless a signal was queued since seen. */
static int64_t wait_host(uint32_t seen, uint64_t timeout_ns)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	if (__atomic_load_n(&sigq_seq, __ATOMIC_ACQUIRE) != seen)
		return 0;
	slot->args[0] = FASCO_SIG_WAIT;
	slot->args[1] = timeout_ns;
	return host_call_blocking(FASCO_OP_SIGNALS);
}

int sig_interrupt(struct shim_regs *r, uint64_t oldmask)
{
	r->rax = (uint64_t)-E_INTR;
	r->rcx = r->rip;
	r->r11 = r->rflags;
	return sig_deliver_pending(r, -1, oldmask);
}

/* Wait with the thread's mask set to mask until a handler is entered;
 * the frame restores the mask of before. */
static int suspend(struct shim_regs *r, uint64_t mask)
{
	uint64_t old = this_cpu()->sigmask;

	sig_set_mask(mask);
	for (;;) {
		uint32_t seen = __atomic_load_n(&sigq_seq, __ATOMIC_ACQUIRE);

		if (sig_interrupt(r, old))
			return SHIM_FRAME_REPLACED;
		wait_host(seen, 0);
	}
}

static int64_t timeout_of(uint64_t uts, uint64_t *ns)
{
	int64_t ts[2];

	*ns = 0;
	if (!uts)
		return 0;
	if (copy_from_user(ts, uts, sizeof(ts)) < 0)
		return -E_FAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= NS_PER_SEC)
		return -E_INVAL;
	*ns = (uint64_t)ts[0] * NS_PER_SEC + (uint64_t)ts[1];
	return *ns ? 0 : 1; /* 1: do not wait at all */
}

static int64_t timedwait(uint64_t uset, uint64_t uinfo, uint64_t uts, uint64_t size)
{
	struct shim_percpu *me = this_cpu();
	uint8_t info[SIGINFO_SIZE];
	uint64_t set, ns;
	int64_t poll_only, ret;
	int sig;

	if (size != 8)
		return -E_INVAL;
	if (copy_from_user(&set, uset, sizeof(set)) < 0)
		return -E_FAULT;
	if ((poll_only = timeout_of(uts, &ns)) < 0)
		return poll_only;
	set &= ~UNBLOCKABLE;
	for (;;) {
		uint32_t seen = __atomic_load_n(&sigq_seq, __ATOMIC_ACQUIRE);

		sigq_drain_host();
		if ((sig = sigq_take((int)me->cpu, set, info))) {
			if (uinfo && copy_to_user(uinfo, info, SIGINFO_SIZE) < 0)
				return -E_FAULT;
			return sig;
		}
		/* an unblocked signal outside the set interrupts the wait */
		if (sigq_pending((int)me->cpu) & ~me->sigmask & ~set)
			return -E_INTR;
		if (poll_only)
			return -E_AGAIN;
		ret = wait_host(seen, ns);
		if (ret == -E_TIMEDOUT)
			return -E_AGAIN;
	}
}

int sig_wait_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	uint64_t mask;

	switch (nr) {
	case __NR_rt_sigsuspend:
		if (a[1] != 8)
			return *ret = -E_INVAL, 1;
		if (copy_from_user(&mask, a[0], sizeof(mask)) < 0)
			return *ret = -E_FAULT, 1;
		return suspend(r, mask & ~UNBLOCKABLE);
	case __NR_pause:
		return suspend(r, this_cpu()->sigmask);
	case __NR_rt_sigtimedwait:
		*ret = timedwait(a[0], a[1], a[2], a[3]);
		return 1;
	case __NR_rt_sigpending:
		if (a[1] != 8)
			return *ret = -E_INVAL, 1;
		sigq_drain_host();
		mask = sigq_pending((int)this_cpu()->cpu) & this_cpu()->sigmask;
		*ret = copy_to_user(a[0], &mask, sizeof(mask));
		return 1;
	default:
		return 0;
	}
}
