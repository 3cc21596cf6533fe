/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signal state: dispositions (one table per realm, as threads share them),
 * each thread's mask and alternate stack (in its per-vCPU area), and the
 * signals the realm sends itself (kill of its own pid, tgkill, raise).
 * Queueing and delivery are in sigqueue.c and sigdeliver.c.
 */
#include "signals.h"

#define SIGSET_SIZE 8
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048
#define E_PERM 1
#define E_NOMEM 12

struct k_sigaction sigactions[NSIG];

/* The mask, and its copy the host reads to choose whom to interrupt. */
void sig_set_mask(uint64_t mask)
{
	struct shim_percpu *me = this_cpu();

	me->sigmask = mask & ~UNBLOCKABLE;
	__atomic_store_n(&me->slot->sig_blocked, me->sigmask, __ATOMIC_SEQ_CST);
	/* published before the caller looks for the host's hint: the host
	 * sets the hint before it reads the masks (no signal is missed) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void shim_signal_thread_init(void)
{
	extern char shim_signal_entry[];
	struct shim_percpu *me = this_cpu();

	me->slot->divert_entry = (uint64_t)shim_signal_entry;
	me->slot->sig_blocked = me->sigmask;
}

/* The uid a signal's sender reports (the realm cannot change its own). */
uint64_t sig_uid(void)
{
	static int64_t uid = -1;
	uint64_t none[6] = { 0 };

	if (uid < 0)
		uid = forward_syscall(__NR_getuid, none);
	return (uint64_t)uid;
}

int sig_on_altstack(uint64_t sp)
{
	const uint8_t *as = this_cpu()->altstack;
	uint64_t ss_sp, ss_size;

	memcpy(&ss_sp, as, 8);
	memcpy(&ss_size, as + 16, 8);
	return ss_size && sp > ss_sp && sp - ss_sp <= ss_size;
}

/* The vCPU to interrupt for a signal: the target thread, or for the
 * process one that does not block it (none: it waits until one unblocks). */
static int wake_target(int sig, int cpu)
{
	struct shim_percpu *me = this_cpu();

	if (cpu != CPU_PROCESS)
		return cpu;
	if (!(me->sigmask & SIGBIT(sig)))
		return (int)me->cpu;
	for (unsigned i = 0; i < shim_vcpus; i++)
		if (thread_running(i) && !(thread_percpu(i)->sigmask & SIGBIT(sig)))
			return (int)i;
	return -1;
}

int64_t sig_send(int sig, int cpu, int32_t code)
{
	struct siginfo_head h = { .signo = sig, .code = code, .pid = (uint32_t)shim_pid,
				  .uid = (uint32_t)sig_uid() };
	uint8_t info[SIGINFO_SIZE] = { 0 };
	int64_t ret;

	memcpy(info, &h, sizeof(h));
	if ((ret = sigq_post(sig, cpu, info)) < 0)
		return ret;
	if (SIGBIT(sig) & sigfd_watch)
		sigfd_sync(); /* a signalfd reports it: readable now */
	sig_kick(wake_target(sig, cpu));
	return 0;
}

void sig_kick(int cpu)
{
	if (cpu < 0 || cpu == (int)this_cpu()->cpu)
		return;
	this_cpu()->slot->args[0] = FASCO_SIG_KICK;
	this_cpu()->slot->args[1] = (uint64_t)cpu;
	host_call(FASCO_OP_SIGNALS);
}

/* tgkill/tkill of a thread of this realm (thread.c found its vCPU). */
int64_t shim_signal_thread(unsigned cpu, int sig)
{
	return sig_send(sig, (int)cpu, SI_TKILL);
}

static int64_t sys_rt_sigaction(uint64_t sig, uint64_t act, uint64_t oact, uint64_t size)
{
	struct k_sigaction n = { 0 }, old;

	if (size != SIGSET_SIZE || sig < 1 || sig > NSIG)
		return -E_INVAL;
	if (act && copy_from_user(&n, act, sizeof(n)) < 0)
		return -E_FAULT;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -E_INVAL;
	n.mask &= ~UNBLOCKABLE;
	shim_lock(&sig_lock);
	old = sigactions[sig - 1];
	if (act)
		sigactions[sig - 1] = n;
	shim_unlock(&sig_lock);
	/* ignoring a signal drops it where it is pending */
	if (act && (n.handler == SIG_IGN ||
		    (n.handler == SIG_DFL && (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH))))
		sigq_discard((int)sig);
	if (oact && copy_to_user(oact, &old, sizeof(old)) < 0)
		return -E_FAULT;
	return 0;
}

static int64_t sys_rt_sigprocmask(uint64_t how, uint64_t set, uint64_t oset, uint64_t size)
{
	uint64_t n, mask = this_cpu()->sigmask;

	if (size != SIGSET_SIZE)
		return -E_INVAL;
	if (set && copy_from_user(&n, set, sizeof(n)) < 0)
		return -E_FAULT;
	if (set) {
		switch (how) {
		case 0: mask |= n; break;  /* SIG_BLOCK */
		case 1: mask &= ~n; break; /* SIG_UNBLOCK */
		case 2: mask = n; break;   /* SIG_SETMASK */
		default: return -E_INVAL;
		}
	}
	if (oset && copy_to_user(oset, &this_cpu()->sigmask, sizeof(n)) < 0)
		return -E_FAULT;
	sig_set_mask(mask); /* what it unblocked is delivered on the way out */
	return 0;
}

static int64_t sys_sigaltstack(uint64_t ss, uint64_t old)
{
	struct shim_percpu *me = this_cpu();
	uint8_t cur[24], n[24];
	int32_t flags;
	uint64_t size;
	int on = sig_on_altstack(me->user_rsp);

	memcpy(cur, me->altstack, sizeof(cur));
	memcpy(&flags, cur + 8, 4);
	memcpy(&size, cur + 16, 8);
	/* never set (a new image's): disabled, as Linux starts a process */
	if (!size)
		flags = SS_DISABLE;
	flags = on ? SS_ONSTACK : (flags & SS_DISABLE) ? SS_DISABLE : (flags & (int32_t)SS_AUTODISARM);
	memcpy(cur + 8, &flags, 4);
	if (ss) {
		if (copy_from_user(n, ss, sizeof(n)) < 0)
			return -E_FAULT;
		if (on)
			return -E_PERM;
		memcpy(&flags, n + 8, 4);
		memcpy(&size, n + 16, 8);
		if ((uint32_t)flags & ~(SS_DISABLE | SS_AUTODISARM | SS_ONSTACK))
			return -E_INVAL;
		if (flags & SS_DISABLE)
			memset(n, 0, sizeof(n)), flags = SS_DISABLE, memcpy(n + 8, &flags, 4);
		else if (size < MINSIGSTKSZ)
			return -E_NOMEM;
	}
	if (old && copy_to_user(old, cur, sizeof(cur)) < 0)
		return -E_FAULT;
	if (ss)
		memcpy(me->altstack, n, sizeof(n));
	return 0;
}

int shim_signal_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	int own;

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
	case __NR_rt_sigreturn:
		*ret = sigframe_return(r);
		r->rax = (uint64_t)*ret;
		return SHIM_FRAME_REPLACED;
	case __NR_kill: /* this realm process itself: queued here, at once */
		if ((int32_t)a[0] != (int32_t)shim_pid)
			return 0;
		*ret = a[1] > NSIG ? -E_INVAL : a[1] ? sig_send((int)a[1], CPU_PROCESS, SI_USER) : 0;
		return 1;
	default:
		break;
	}
	if ((own = sig_wait_call(r, nr, a, ret)) || (own = sigfd_call(nr, a, ret)) ||
	    (own = sig_timer_call(nr, a, ret)))
		return own;
	return sig_pwait_call(r, nr, a, ret);
}
