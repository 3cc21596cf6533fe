/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads: clone(CLONE_VM|CLONE_THREAD) runs the new thread on a vCPU of its
 * own. All vCPUs were created (and measured) before the realm started; the
 * shim picks a free one, leaves it a start frame in its per-vCPU area
 * (private memory: the host never sees or chooses the thread's registers)
 * and asks the host to run it. A thread that exits parks its vCPU in the
 * host until a later clone starts it again. vCPU 0 belongs to the first
 * thread, whose id is the process id, and is never handed to another.
 */
#include "shim.h"

#define CLONE_VM 0x100ull
#define CLONE_SIGHAND 0x800ull
#define CLONE_THREAD 0x10000ull
#define CLONE_SETTLS 0x80000ull
#define CLONE_PARENT_SETTID 0x100000ull
#define CLONE_CHILD_CLEARTID 0x200000ull
#define CLONE_CHILD_SETTID 0x1000000ull

#define E_SRCH 3
#define E_AGAIN 11
#define E_FAULT 14
#define E_INVAL 22

#define MAX_VCPUS 64

static uint64_t busy = 1; /* bit i: vCPU i runs a thread; bit 0 the first */
unsigned shim_vcpus = 1;  /* from the manifest (boot.c) */

static struct shim_percpu *percpu_of(unsigned cpu)
{
	struct shim_percpu *me = this_cpu();

	return (struct shim_percpu *)(me->self - (uint64_t)me->cpu * FASCO_PERCPU_STRIDE +
				      (uint64_t)cpu * FASCO_PERCPU_STRIDE);
}

struct shim_percpu *thread_percpu(unsigned cpu)
{
	return percpu_of(cpu);
}

int thread_running(unsigned cpu)
{
	return cpu < MAX_VCPUS && (__atomic_load_n(&busy, __ATOMIC_ACQUIRE) >> cpu & 1);
}

static int cpu_alloc(void)
{
	for (unsigned i = 1; i < shim_vcpus && i < MAX_VCPUS; i++) {
		uint64_t bit = 1ull << i;

		if (!(__atomic_fetch_or(&busy, bit, __ATOMIC_ACQ_REL) & bit))
			return (int)i;
	}
	return -1;
}

static void cpu_free(unsigned cpu)
{
	__atomic_fetch_and(&busy, ~(1ull << cpu), __ATOMIC_RELEASE);
}

void threads_after_fork(void)
{
	__atomic_store_n(&busy, 1ull << this_cpu()->cpu, __ATOMIC_RELEASE);
}

int threads_others_alive(void)
{
	return (__atomic_load_n(&busy, __ATOMIC_ACQUIRE) & ~(1ull << this_cpu()->cpu)) != 0;
}

/* Where a started thread enters the program: CLONE_CHILD_SETTID written, as
 * the kernel does, before its first instruction. */
static struct shim_regs *thread_enter(void)
{
	struct shim_percpu *me = this_cpu();
	uint32_t tid = (uint32_t)me->slot->aux[FASCO_SLOT_AUX_TID];

	me->tid = tid;
	if (me->start_flags & CLONE_CHILD_SETTID)
		copy_to_user(me->child_tid, &tid, sizeof(tid));
	plat_set_fs_base(me->start_fs);
	shim_signal_thread_init();
	return &me->start;
}

struct shim_regs *thread_first_entry(void)
{
	return thread_enter();
}

static int64_t thread_clone(const struct shim_regs *r, uint64_t flags, uint64_t stack,
			    uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	const uint64_t need = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	struct shim_percpu *child;
	int64_t tid;
	int cpu;

	if ((flags & need) != need || ((flags & CLONE_SETTLS) && tls >= FASCO_GVA_SHIM))
		return -E_INVAL;
	if (((flags & CLONE_PARENT_SETTID) && !mm_user_ok(ptid, 4, PROT_W)) ||
	    ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) && !mm_user_ok(ctid, 4, PROT_W)))
		return -E_FAULT;
	if ((cpu = cpu_alloc()) < 0)
		return -E_AGAIN; /* as Linux when a thread limit is reached */
	child = percpu_of((unsigned)cpu);
	child->start = *r;
	child->start.rax = 0;
	child->start.rcx = r->rip;
	child->start.r11 = r->rflags;
	if (stack)
		child->start.rsp = stack;
	child->start_fs = (flags & CLONE_SETTLS) ? tls : plat_get_fs_base();
	child->start_flags = (uint32_t)flags;
	child->child_tid = ctid;
	child->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? ctid : 0;
	child->robust_list = 0;
	child->sigmask = this_cpu()->sigmask; /* inherited; the alternate stack is not */
	memset(child->altstack, 0, sizeof(child->altstack));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	/* the host writes the parent's copy of the id before the thread runs:
	 * written here afterwards, it could land after the thread's exit
	 * cleared the same word (glibc passes one word for both) */
	this_cpu()->slot->args[0] = (uint64_t)cpu;
	this_cpu()->slot->args[1] = (flags & CLONE_PARENT_SETTID) ? ptid : 0;
	tid = host_call(FASCO_OP_THREAD_START);
	if (tid < 0)
		cpu_free((unsigned)cpu);
	return tid;
}

/* struct clone_args of clone3, as far as threads need it. */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int64_t thread_clone3(const struct shim_regs *r, const struct clone_args *ca)
{
	uint64_t sp = ca->stack ? ca->stack + ca->stack_size : 0;

	if (ca->exit_signal || (ca->stack && !ca->stack_size))
		return -E_INVAL;
	return thread_clone(r, ca->flags, sp, ca->parent_tid, ca->child_tid, ca->tls);
}

/* SYS_exit: the last thread's exit ends the realm (the host decides). The
 * frame is replaced once this vCPU is started again for another thread. */
static int thread_exit(struct shim_regs *r, uint64_t status)
{
	struct shim_percpu *me = this_cpu();

	if (me->cpu == 0 && !threads_others_alive())
		host_exit((int)(status & 0xff));
	me->slot->args[0] = me->clear_child_tid;
	me->slot->args[1] = status & 0xff;
	cpu_free(me->cpu);
	host_call(FASCO_OP_THREAD_EXIT);
	*r = *thread_enter();
	return SHIM_FRAME_REPLACED;
}

/* The vCPU running thread tid, or -1. The id the host gave the vCPU's
 * thread is in its slot before clone returns (the thread may not have run). */
int thread_cpu(uint64_t tid)
{
	uint64_t live = __atomic_load_n(&busy, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < MAX_VCPUS; i++)
		if ((live & (1ull << i)) && tid && percpu_of(i)->slot->aux[FASCO_SLOT_AUX_TID] == tid)
			return (int)i;
	return -1;
}

static int64_t thread_kill(uint64_t tgid, uint64_t tid, uint64_t sig)
{
	if (sig > 64)
		return -E_INVAL;
	(void)tgid; /* this realm's: checked by the caller */
	if (thread_cpu(tid) < 0)
		return -E_SRCH;
	if (sig == 0)
		return 0;
	return shim_signal_thread((unsigned)thread_cpu(tid), (int)sig);
}

int shim_thread_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	struct shim_percpu *me = this_cpu();
	struct clone_args ca = { 0 };

	switch (nr) {
	case __NR_clone:
		if (!(a[0] & CLONE_THREAD))
			return 0; /* a new process: not a thread */
		*ret = thread_clone(r, a[0], a[1], a[2], a[3], a[4]);
		return 1;
	case __NR_clone3:
		if (a[1] < 64 || a[1] > 4096)
			return *ret = -E_INVAL, 1;
		if (copy_from_user(&ca, a[0], sizeof(ca)) < 0)
			return *ret = -E_FAULT, 1;
		if (!(ca.flags & CLONE_THREAD))
			return 0;
		*ret = thread_clone3(r, &ca);
		return 1;
	case __NR_exit:
		return thread_exit(r, a[0]);
	case __NR_gettid:
		*ret = me->tid;
		return 1;
	case __NR_set_tid_address:
		me->clear_child_tid = a[0];
		*ret = me->tid;
		return 1;
	case __NR_set_robust_list:
		if (a[1] != 24)
			return *ret = -E_INVAL, 1;
		me->robust_list = a[0];
		return *ret = 0, 1;
	case __NR_tkill:
		if (thread_cpu(a[0]) < 0)
			return 0; /* another realm process's (its tid is its pid) */
		*ret = thread_kill(shim_pid, a[0], a[1]);
		return 1;
	case __NR_tgkill:
		if (a[0] != shim_pid)
			return 0;
		*ret = thread_kill(a[0], a[1], a[2]);
		return 1;
	case __NR_futex:
		*ret = shim_futex(a);
		return 1;
	default:
		return 0;
	}
}
