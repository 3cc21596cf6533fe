/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ppoll, pselect6 and epoll_pwait with a signal mask. The realm's signals
 * live in the shim, so the mask becomes the thread's own for the wait (the
 * host, which picks whom to interrupt by it, sees it at once) and the host
 * waits without one: nothing of the host's process mask changes. As on
 * Linux, a signal the mask lets through breaks the wait with EINTR and its
 * handler runs with the mask of before the call restored by its frame;
 * when the wait ends otherwise the mask of before comes back at once, and
 * what it blocks stays pending. Descriptors already ready win over a signal
 * already pending (ppoll and epoll_pwait look once without waiting).
 */
#include "signals.h"

#define TIMESPEC_SIZE 16

/* The call with its mask taken out (fwd); 1 with the mask, 0 without one. */
static int64_t split_mask(uint64_t nr, const uint64_t a[6], uint64_t fwd[6], uint64_t *mask)
{
	uint64_t ptr, size, pack[2];

	memcpy(fwd, a, 6 * sizeof(a[0]));
	switch (nr) {
	case __NR_ppoll: /* the kernel reads the timeout first */
		if (a[2] && !mm_user_ok(a[2], TIMESPEC_SIZE, PROT_R))
			return -E_FAULT;
		ptr = a[3], size = a[4], fwd[3] = 0;
		break;
	case __NR_epoll_pwait:
		ptr = a[4], size = a[5], fwd[4] = 0;
		break;
	default: /* pselect6: the sixth argument points to { mask, size } */
		fwd[5] = 0;
		if (!a[5])
			return 0;
		if (copy_from_user(pack, a[5], sizeof(pack)) < 0)
			return -E_FAULT;
		ptr = pack[0], size = pack[1];
		break;
	}
	if (!ptr)
		return 0;
	if (size != sizeof(*mask))
		return -E_INVAL;
	if (copy_from_user(mask, ptr, sizeof(*mask)) < 0)
		return -E_FAULT;
	return 1;
}

/* One look without waiting: what is ready now (0: nothing, or pselect6). */
static int64_t look_now(uint64_t nr, const uint64_t a[6])
{
	uint64_t p[6] = { a[0], a[1], a[2], 0, 0, 0 };

	if (nr == __NR_ppoll) {
		p[2] = 0;
		return forward_syscall(__NR_poll, p);
	}
	if (nr == __NR_epoll_pwait)
		return forward_syscall(__NR_epoll_wait, p);
	return 0;
}

static int deliverable(void)
{
	struct shim_percpu *me = this_cpu();

	sigq_drain_host();
	return (sigq_pending((int)me->cpu) & ~me->sigmask) != 0;
}

/* Wait with the thread's mask set to mask; *ret when no handler ran. */
static int masked_wait(struct shim_regs *r, uint64_t nr, const uint64_t fwd[6], uint64_t mask,
		       int64_t *ret)
{
	uint64_t old = this_cpu()->sigmask;

	sig_set_mask(mask);
	for (;;) {
		if (deliverable()) {
			if ((*ret = look_now(nr, fwd)) == 0 && sig_interrupt(r, old))
				return SHIM_FRAME_REPLACED;
			if (*ret != 0)
				break;
		}
		*ret = forward_syscall(nr, fwd);
		/* EINTR for a signal another thread took or that is ignored:
		 * the program never sees it, the wait goes on */
		if (*ret != -E_INTR)
			break;
	}
	sig_set_mask(old);
	return 1;
}

int sig_pwait_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	uint64_t fwd[6], mask;
	int64_t has;

	if (nr != __NR_ppoll && nr != __NR_pselect6 && nr != __NR_epoll_pwait)
		return 0;
	if ((has = split_mask(nr, a, fwd, &mask)) < 0)
		*ret = has;
	else if (has == 0)
		*ret = forward_syscall(nr, fwd);
	else
		return masked_wait(r, nr, fwd, mask & ~UNBLOCKABLE, ret);
	return 1;
}
