/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Delivery: before every return to the program (from a system call, a
 * fault, or an interruption the host diverted here) the shim takes the
 * first pending signal the thread does not block and carries out its
 * action: ignore it, end or stop the realm, or enter the handler through a
 * signal frame. A forwarded call the host broke off for a signal (EINTR)
 * is restarted when no handler ran, or when the handler has SA_RESTART and
 * the call is one Linux restarts.
 */
#include "signals.h"

#define VECTOR_DIVERTED ((uint64_t)-2)
#define SYSCALL_INSN_LEN 2

static int default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

static int default_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

noreturn void sig_default_end(int sig)
{
	host_exit_signal(sig);
}

/* Stopping is the host kernel's: the realm's monitor stops as a whole. */
static void stop_realm(void)
{
	uint64_t args[6] = { shim_pid, SIGSTOP };

	forward_syscall(__NR_kill, args);
}

/* Calls Linux never restarts after a handler ran (ERESTARTNOHAND and
 * restart-block calls): they return EINTR even with SA_RESTART. */
static int restarts_after_handler(int64_t nr)
{
	switch (nr) {
	case __NR_poll: case __NR_ppoll: case __NR_select: case __NR_pselect6:
	case __NR_epoll_wait: case __NR_epoll_pwait: case __NR_epoll_pwait2:
	case __NR_nanosleep: case __NR_clock_nanosleep: case __NR_pause:
	case __NR_rt_sigsuspend: case __NR_rt_sigtimedwait: case __NR_io_getevents:
		return 0;
	default:
		return 1;
	}
}

static void restart(struct shim_regs *r, int64_t nr)
{
	r->rax = (uint64_t)nr;
	r->rip -= SYSCALL_INSN_LEN;
}

/* The action of sig, read once (another thread may change it). */
static struct k_sigaction action_of(int sig)
{
	struct k_sigaction sa;

	shim_lock(&sig_lock);
	sa = sigactions[sig - 1];
	if (sa.handler > SIG_IGN && (sa.flags & SA_RESETHAND))
		sigactions[sig - 1].handler = SIG_DFL;
	shim_unlock(&sig_lock);
	return sa;
}

/* Take pending signals until one has a handler, carrying out the others'
 * actions; enter that handler with a frame that restores oldmask. */
static int deliver_next(struct shim_regs *r, int64_t nr, uint64_t oldmask, int interrupted)
{
	struct shim_percpu *me = this_cpu();
	uint8_t info[SIGINFO_SIZE];
	struct k_sigaction sa;
	int sig;

	while ((sig = sigq_take((int)me->cpu, ~me->sigmask, info))) {
		sa = action_of(sig);
		if (sa.handler == SIG_IGN || (sa.handler == SIG_DFL && default_ignored(sig)))
			continue;
		if (sa.handler == SIG_DFL && default_stops(sig)) {
			stop_realm();
			continue;
		}
		if (sa.handler == SIG_DFL)
			sig_default_end(sig);
		if (interrupted && (sa.flags & SA_RESTART) && restarts_after_handler(nr))
			restart(r, nr);
		if (sigframe_setup(r, sig, &sa, info, oldmask) < 0)
			sig_default_end(SIGSEGV); /* no room for the frame: Linux's force_sigsegv */ /* no room for the frame: Linux's force_sigsegv */
		sig_set_mask(oldmask | sa.mask | ((sa.flags & SA_NODEFER) ? 0 : SIGBIT(sig)));
		return 1;
	}
	return 0;
}

int sig_deliver_pending(struct shim_regs *r, int64_t nr, uint64_t oldmask)
{
	sigq_drain_host();
	return deliver_next(r, nr, oldmask, 0);
}

/* What a forwarded write's EPIPE raises, unless the call said MSG_NOSIGNAL. */
static void raise_sigpipe(struct shim_regs *r, int64_t nr)
{
	const uint64_t msg_nosignal = 0x4000;
	uint64_t flags;

	switch (nr) {
	case __NR_write: case __NR_writev: case __NR_pwritev: case __NR_pwritev2:
	case __NR_sendfile: case __NR_splice: case __NR_vmsplice:
		flags = 0;
		break;
	case __NR_sendto: flags = r->r10; break;
	case __NR_sendmsg: flags = r->rdx; break;
	case __NR_sendmmsg: flags = r->r10; break;
	default: return;
	}
	if (!(flags & msg_nosignal))
		sig_send(SIGPIPE, (int)this_cpu()->cpu, SI_USER);
}

void sig_deliver(struct shim_regs *r, int64_t nr)
{
	int interrupted = nr >= 0 && (int64_t)r->rax == -E_INTR;
	int handled = 0;

	if (nr >= 0 && (int64_t)r->rax == -E_PIPE)
		raise_sigpipe(r, nr);
	if (sigq_maybe()) {
		sigq_drain_host();
		handled = deliver_next(r, nr, this_cpu()->sigmask, interrupted);
	}
	/* broken off for a signal another thread took, or one that was
	 * ignored: the program never sees it */
	if (interrupted && !handled)
		restart(r, nr);
}

int sig_fault(struct shim_regs *r, int sig, int32_t code, uint64_t addr)
{
	struct siginfo_head h = { .signo = sig, .code = code };
	uint8_t info[SIGINFO_SIZE] = { 0 };
	uint64_t handler;

	shim_lock(&sig_lock);
	handler = sigactions[sig - 1].handler;
	shim_unlock(&sig_lock);
	/* blocked or not handled: the default action, with the fault report */
	if (handler <= SIG_IGN || (this_cpu()->sigmask & SIGBIT(sig)))
		return 0;
	memcpy(info, &h, sizeof(h));
	memcpy(info + 16, &addr, sizeof(addr)); /* si_addr */
	if (sigq_post(sig, (int)this_cpu()->cpu, info) < 0)
		return 0;
	return deliver_next(r, -1, this_cpu()->sigmask, 0);
}

/* The host stopped the vCPU in the program and sent it here (entry.S):
 * the interrupted instruction is in the slot. */
void shim_signal_diverted(struct shim_regs *r)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	r->rip = slot->divert_ip;
	r->vector = VECTOR_DIVERTED;
	sig_deliver(r, -1);
}
