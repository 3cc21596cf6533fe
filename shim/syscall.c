/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System-call dispatch: calls that concern only the realm are served here
 * without leaving it (about 1 µs on kvm-pvm); everything else is forwarded
 * (an exit, about 26 µs).
 */
#include "shim.h"

#define E_INVAL 22
#define E_FAULT 14
#define E_NOSYS 38
#define E_AGAIN 11

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define NSIG 64
#define SIGSET_SIZE 8

uint64_t shim_pid;

/* Signal dispositions are recorded so programs see their own settings;
 * delivery comes with the signals work (only SIGCHLD in sigsuspend now:
 * sigchld.c). */
struct k_sigaction sigactions[NSIG];
uint64_t sigmask;
static uint8_t altstack[24];

static int64_t sys_rt_sigaction(uint64_t sig, uint64_t act, uint64_t oact, uint64_t size)
{
	struct k_sigaction n;

	if (size != SIGSET_SIZE || sig < 1 || sig > NSIG)
		return -E_INVAL;
	if (act && copy_from_user(&n, act, sizeof(n)) < 0)
		return -E_FAULT;
	if (oact && copy_to_user(oact, &sigactions[sig - 1], sizeof(n)) < 0)
		return -E_FAULT;
	if (act) {
		if (sig == 9 || sig == 19)
			return -E_INVAL; /* SIGKILL, SIGSTOP */
		sigactions[sig - 1] = n;
	}
	return 0;
}

static int64_t sys_rt_sigprocmask(uint64_t how, uint64_t set, uint64_t oset, uint64_t size)
{
	uint64_t n;

	if (size != SIGSET_SIZE)
		return -E_INVAL;
	if (oset && copy_to_user(oset, &sigmask, sizeof(sigmask)) < 0)
		return -E_FAULT;
	if (!set)
		return 0;
	if (copy_from_user(&n, set, sizeof(n)) < 0)
		return -E_FAULT;
	switch (how) {
	case 0: sigmask |= n; break;  /* SIG_BLOCK */
	case 1: sigmask &= ~n; break; /* SIG_UNBLOCK */
	case 2: sigmask = n; break;   /* SIG_SETMASK */
	default: return -E_INVAL;
	}
	sigmask &= ~((1ull << 8) | (1ull << 18)); /* SIGKILL, SIGSTOP */
	return 0;
}

static int64_t sys_sigaltstack(uint64_t ss, uint64_t old)
{
	if (old && copy_to_user(old, altstack, sizeof(altstack)) < 0)
		return -E_FAULT;
	if (ss && copy_from_user(altstack, ss, sizeof(altstack)) < 0)
		return -E_FAULT;
	return 0;
}

static int64_t sys_arch_prctl(uint64_t code, uint64_t addr)
{
	uint64_t v;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= FASCO_GVA_SHIM)
			return -1; /* EPERM: not a user address */
		plat_set_fs_base(addr);
		return 0;
	case ARCH_GET_FS:
		v = plat_get_fs_base();
		return copy_to_user(addr, &v, sizeof(v));
	case ARCH_GET_GS:
		v = 0;
		return copy_to_user(addr, &v, sizeof(v));
	case ARCH_SET_GS:
		return -1; /* EPERM: the GS base locates the shim's per-vCPU data */
	default:
		return -E_INVAL;
	}
}

/* One thread per realm in this release: a wait on a matching value could
 * never be woken, so it reports EAGAIN like a lost race. */
static int64_t sys_futex(uint64_t uaddr, uint64_t op)
{
	uint32_t v;

	switch (op & 0x7f) {
	case 0: /* FUTEX_WAIT */
	case 9: /* FUTEX_WAIT_BITSET */
		if (copy_from_user(&v, uaddr, sizeof(v)) < 0)
			return -E_FAULT;
		return -E_AGAIN;
	case 1:  /* FUTEX_WAKE */
	case 10: /* FUTEX_WAKE_BITSET */
		return 0;
	default:
		return -E_NOSYS;
	}
}

static int64_t local_syscall(uint64_t nr, const uint64_t a[6])
{
	switch (nr) {
	case __NR_brk: return (int64_t)mm_brk(a[0]);
	case __NR_mmap: return mm_mmap(a[0], a[1], a[2], a[3], (int64_t)a[4], a[5]);
	case __NR_munmap: return mm_munmap(a[0], a[1]);
	case __NR_mprotect: return mm_mprotect(a[0], a[1], a[2]);
	case __NR_mremap: return mm_mremap(a[0], a[1], a[2], a[3], a[4]);
	case __NR_madvise: return mm_madvise(a[0], a[1], a[2]);
	case __NR_msync: return 0;
	case __NR_arch_prctl: return sys_arch_prctl(a[0], a[1]);
	case __NR_set_tid_address: return (int64_t)shim_pid;
	case __NR_set_robust_list: return a[1] == 24 ? 0 : -E_INVAL;
	case __NR_rseq: return -E_NOSYS;
	case __NR_rt_sigaction: return sys_rt_sigaction(a[0], a[1], a[2], a[3]);
	case __NR_rt_sigprocmask: return sys_rt_sigprocmask(a[0], a[1], a[2], a[3]);
	case __NR_sigaltstack: return sys_sigaltstack(a[0], a[1]);
	case __NR_futex: return sys_futex(a[0], a[1]);
	case __NR_sched_yield: return 0;
	case __NR_getpid:
	case __NR_gettid: return (int64_t)shim_pid;
	case __NR_readv: return shim_readv(a[0], a[1], a[2]);
	case __NR_writev: return shim_writev(a[0], a[1], a[2]);
	case __NR_sendmsg: return shim_sendmsg(a[0], a[1], a[2]);
	case __NR_recvmsg: return shim_recvmsg(a[0], a[1], a[2]);
	case __NR_exit:
	case __NR_exit_group: host_exit((int)(a[0] & 0xff));
	default: return -E_NOSYS;
	}
}

void shim_syscall(struct shim_regs *r)
{
	uint64_t nr = r->rax;
	uint64_t a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	const struct fasco_sys_spec *spec = fasco_sys_spec(nr);

	int64_t ret;

	if (shim_process_call(r, nr, a, &ret))
		;
	else if (spec && spec->kind == FASCO_SYS_LOCAL)
		ret = local_syscall(nr, a);
	else if (!shim_clock_call(nr, a, &ret))
		ret = forward_syscall(nr, a);
	r->rax = (uint64_t)ret;
	/* the syscall instruction's own clobbers, as Linux leaves them */
	r->rcx = r->rip;
	r->r11 = r->rflags;
}
