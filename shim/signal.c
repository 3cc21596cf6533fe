/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signal state: dispositions (one table per realm, as threads share them),
 * each thread's mask and alternate stack (in its per-vCPU area), and what a
 * signal sent inside the realm does. Delivery to a handler is not there yet:
 * a signal whose action is a handler is refused with ENOSYS rather than
 * dropped; a default action that terminates ends the realm with it.
 */
#include "shim.h"

#define E_INVAL 22
#define E_FAULT 14
#define E_NOSYS 38

#define NSIG 64
#define SIGSET_SIZE 8
#define SIG_DFL 0
#define SIG_IGN 1
#define SIGKILL 9
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

struct k_sigaction sigactions[NSIG];
static struct shim_lock sig_lock;

static int64_t sys_rt_sigaction(uint64_t sig, uint64_t act, uint64_t oact, uint64_t size)
{
	struct k_sigaction n, old;

	if (size != SIGSET_SIZE || sig < 1 || sig > NSIG)
		return -E_INVAL;
	if (act && copy_from_user(&n, act, sizeof(n)) < 0)
		return -E_FAULT;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -E_INVAL;
	shim_lock(&sig_lock);
	old = sigactions[sig - 1];
	if (act)
		sigactions[sig - 1] = n;
	shim_unlock(&sig_lock);
	if (oact && copy_to_user(oact, &old, sizeof(old)) < 0)
		return -E_FAULT;
	return 0;
}

static int64_t sys_rt_sigprocmask(uint64_t how, uint64_t set, uint64_t oset, uint64_t size)
{
	struct shim_percpu *me = this_cpu();
	uint64_t n;

	if (size != SIGSET_SIZE)
		return -E_INVAL;
	if (oset && copy_to_user(oset, &me->sigmask, sizeof(me->sigmask)) < 0)
		return -E_FAULT;
	if (!set)
		return 0;
	if (copy_from_user(&n, set, sizeof(n)) < 0)
		return -E_FAULT;
	switch (how) {
	case 0: me->sigmask |= n; break;  /* SIG_BLOCK */
	case 1: me->sigmask &= ~n; break; /* SIG_UNBLOCK */
	case 2: me->sigmask = n; break;   /* SIG_SETMASK */
	default: return -E_INVAL;
	}
	me->sigmask &= ~UNBLOCKABLE;
	return 0;
}

static int64_t sys_sigaltstack(uint64_t ss, uint64_t old)
{
	struct shim_percpu *me = this_cpu();

	if (old && copy_to_user(old, me->altstack, sizeof(me->altstack)) < 0)
		return -E_FAULT;
	if (ss && copy_from_user(me->altstack, ss, sizeof(me->altstack)) < 0)
		return -E_FAULT;
	return 0;
}

int shim_signal_call(uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	switch (nr) {
	case __NR_rt_sigaction:
		*ret = sys_rt_sigaction(a[0], a[1], a[2], a[3]);
		return 1;
	case __NR_rt_sigprocmask:
		*ret = sys_rt_sigprocmask(a[0], a[1], a[2], a[3]);
		return 1;
	case __NR_sigaltstack:
		*ret = sys_sigaltstack(a[0], a[1]);
		return 1;
	default:
		return 0;
	}
}

static int default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

int64_t shim_signal_thread(unsigned cpu, int sig)
{
	uint64_t handler;

	(void)cpu;
	shim_lock(&sig_lock);
	handler = sigactions[sig - 1].handler;
	shim_unlock(&sig_lock);
	if (handler == SIG_IGN || (handler == SIG_DFL && default_ignored(sig)))
		return 0;
	if (handler != SIG_DFL || (sig >= SIGSTOP && sig <= SIGTTOU))
		return -E_NOSYS; /* delivery to handlers and stopping: not yet */
	host_exit_signal(sig);
}
