/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one signal delivery this release has: rt_sigsuspend woken by a child
 * realm's end, for shells (busybox ash's `wait` suspends until its SIGCHLD
 * handler ran). The monitor waits for a child without reaping it (waitid
 * WNOWAIT); the shim then enters the program's SIGCHLD handler through a
 * Linux rt_sigframe, and rt_sigreturn resumes sigsuspend's caller with
 * EINTR and its mask. The handler runs where a libc call returns, so the
 * vector registers it may clobber are dead there (no FP state is saved).
 * General delivery (any signal, at any instruction) is the signals work.
 */
#include "shim.h"

#define E_INTR 4
#define E_FAULT 14
#define E_INVAL 22
#define SIGCHLD 17
#define SA_RESTORER 0x04000000ull
#define SA_NODEFER 0x40000000ull
#define SA_RESETHAND 0x80000000ull
#define P_ALL 0
#define WEXITED 4
#define WNOWAIT 0x01000000
#define SIGINFO_SIZE 128
#define RED_ZONE 128
/* the flags a program may set in sigreturn (Linux's FIX_EFLAGS) */
#define USER_FLAGS 0x50dd5ull
#define UNBLOCKABLE ((1ull << 8) | (1ull << 18)) /* SIGKILL, SIGSTOP */

struct sigcontext_x86 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
};

struct ucontext_x86 {
	uint64_t flags, link, ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct sigcontext_x86 mc;
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode; /* the handler returns to sa_restorer */
	struct ucontext_x86 uc;
	uint8_t info[SIGINFO_SIZE];
};

_Static_assert(sizeof(struct sigcontext_x86) == 256, "Linux x86-64 sigcontext");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 312, "Linux x86-64 rt_sigframe");

/* Block in the monitor until a child realm ended; its siginfo into info. */
static int64_t wait_for_child(uint8_t info[SIGINFO_SIZE])
{
	uint64_t args[6] = { P_ALL, 0, 0, WEXITED | WNOWAIT, 0, 0 };
	struct fasco_layout lay;
	int64_t r;

	if ((r = fasco_sys_layout(__NR_waitid, args, 1u << 2, 1, &lay)) < 0 ||
	    (r = forward_prepared(__NR_waitid, args, 1u << 2)) < 0)
		return r;
	memcpy(info, this_cpu()->slot_data + lay.off[2], SIGINFO_SIZE);
	return 0;
}

static void save_context(struct sigcontext_x86 *mc, const struct shim_regs *r)
{
	*mc = (struct sigcontext_x86){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
		.r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
		.rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = (uint64_t)-E_INTR,
		.rcx = r->rcx, .rsp = r->rsp, .rip = r->rip, .eflags = r->rflags,
		.cs = FASCO_SEL_USER_CS, .ss = FASCO_SEL_USER_DS,
	};
}

/* Enter the handler of sig with a frame that resumes r; saved is the mask
 * sigreturn restores. */
static int64_t deliver(struct shim_regs *r, int sig, const uint8_t *info, uint64_t saved)
{
	struct k_sigaction *sa = &sigactions[sig - 1];
	uint64_t sp = ((r->rsp - RED_ZONE - sizeof(struct rt_sigframe)) & ~15ull) - 8;
	struct rt_sigframe f = { .pretcode = sa->restorer };

	save_context(&f.uc.mc, r);
	f.uc.mc.oldmask = saved;
	f.uc.sigmask = saved;
	memcpy(f.info, info, SIGINFO_SIZE);
	if (copy_to_user(sp, &f, sizeof(f)) < 0)
		return -E_FAULT;
	this_cpu()->sigmask = (saved | sa->mask | (sa->flags & SA_NODEFER ? 0 : 1ull << (sig - 1))) & ~UNBLOCKABLE;
	r->rsp = sp;
	r->rip = sa->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	r->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	r->rflags &= ~0x500ull; /* TF, DF */
	if (sa->flags & SA_RESETHAND)
		sa->handler = 0;
	return 0;
}

int64_t shim_sigsuspend(struct shim_regs *r, uint64_t mask, uint64_t size)
{
	const struct k_sigaction *sa = &sigactions[SIGCHLD - 1];
	uint8_t info[SIGINFO_SIZE];
	uint64_t wait_mask;
	uint64_t none[6] = { 0 };

	if (size != 8)
		return -E_INVAL;
	if (copy_from_user(&wait_mask, mask, sizeof(wait_mask)) < 0)
		return -E_FAULT;
	/* a handler that can run (x86-64 handlers return through sa_restorer) */
	if (sa->handler > 1 && (sa->flags & SA_RESTORER) &&
	    !(wait_mask & (1ull << (SIGCHLD - 1))) && wait_for_child(info) == 0)
		return deliver(r, SIGCHLD, info, this_cpu()->sigmask);
	/* nothing this release can deliver: only a fatal signal ends the wait */
	forward_prepared(__NR_pause, none, 0);
	return -E_INTR;
}

int64_t shim_sigreturn(struct shim_regs *r)
{
	struct ucontext_x86 uc;
	const struct sigcontext_x86 *c = &uc.mc;

	if (copy_from_user(&uc, r->rsp, sizeof(uc)) < 0)
		host_exit(128 + 11); /* Linux: SIGSEGV for a frame it cannot read */
	r->r8 = c->r8, r->r9 = c->r9, r->r10 = c->r10, r->r11 = c->r11, r->r12 = c->r12;
	r->r13 = c->r13, r->r14 = c->r14, r->r15 = c->r15, r->rdi = c->rdi, r->rsi = c->rsi;
	r->rbp = c->rbp, r->rbx = c->rbx, r->rdx = c->rdx, r->rcx = c->rcx;
	r->rsp = c->rsp;
	r->rip = c->rip;
	r->rflags = (r->rflags & ~USER_FLAGS) | (c->eflags & USER_FLAGS);
	this_cpu()->sigmask = uc.sigmask & ~UNBLOCKABLE;
	return (int64_t)c->rax;
}
