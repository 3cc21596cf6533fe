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

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

uint64_t shim_pid;

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
	case __NR_rseq: return -E_NOSYS;
	case __NR_sched_yield: return 0;
	case __NR_getpid: return (int64_t)shim_pid;
	case __NR_readv: return shim_readv(a[0], a[1], a[2]);
	case __NR_writev: return shim_writev(a[0], a[1], a[2]);
	case __NR_sendmsg: return shim_sendmsg(a[0], a[1], a[2]);
	case __NR_recvmsg: return shim_recvmsg(a[0], a[1], a[2]);
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
	int own = shim_thread_call(r, nr, a, &ret);

	if (!own)
		own = shim_process_call(r, nr, a, &ret);
	if (!own)
		own = shim_signal_call(r, nr, a, &ret);
	if (own == SHIM_FRAME_REPLACED) {
		/* another thread's start, a signal frame or sigreturn */
		sig_deliver(r, -1);
		return;
	}
	if (!own) {
		if (spec && (spec->kind == FASCO_SYS_LOCAL || (spec->flags & FASCO_SYSF_SHIM_MARSHALS)))
			ret = local_syscall(nr, a);
		else if (!shim_clock_call(nr, a, &ret))
			ret = forward_syscall(nr, a);
	}
	r->rax = (uint64_t)ret;
	/* the syscall instruction's own clobbers, as Linux leaves them */
	r->rcx = r->rip;
	r->r11 = r->rflags;
	sig_deliver(r, (int64_t)nr);
}
