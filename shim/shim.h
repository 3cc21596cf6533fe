/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the shim (freestanding; runs inside the realm). */
#ifndef FASCO_SHIM_H
#define FASCO_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

#include "abi/realm_abi.h"
#include "abi/syscall_layout.h"
#include "rmm/sha256.h"

#define noreturn __attribute__((noreturn))
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE 4096ull
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* Saved program state; the layout is the push order of entry.S. */
struct shim_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error_code; /* vector -1: a system call */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Per-vCPU area at the GS base; the first fields are read by entry.S. */
struct shim_percpu {
	uint64_t syscall_stack_top; /* FASCO_PERCPU_SYSCALL_STACK */
	uint64_t user_rsp;          /* FASCO_PERCPU_USER_RSP */
	uint64_t self;              /* FASCO_PERCPU_SELF */
	volatile struct fasco_slot_header *slot;
	uint8_t *slot_data;
	uint32_t cpu;
	uint64_t scratch;           /* FASCO_PERCPU_SCRATCH */
	uint64_t fault_addr;        /* FASCO_PERCPU_FAULT_ADDR */
	uint64_t frame;             /* FASCO_PERCPU_FRAME */
	uint64_t fault_stack;       /* FASCO_PERCPU_FAULT_STACK */
	uint64_t fault_stack_lo;    /* FASCO_PERCPU_FAULT_STACK_LO */
	uint32_t poll_skip;         /* calls to ring before posting again */
	uint32_t poll_penalty;      /* grows while the poller keeps missing */
	/* the thread on this vCPU (thread.c) */
	uint32_t tid;
	uint32_t start_flags;       /* CLONE_* the thread was started with */
	uint64_t clear_child_tid;   /* set_tid_address, CLONE_CHILD_CLEARTID */
	uint64_t child_tid;         /* CLONE_CHILD_SETTID */
	uint64_t start_fs;          /* FS base the thread starts with */
	uint64_t robust_list;       /* set_robust_list (recorded) */
	struct shim_regs start;     /* where a started thread enters the program */
	uint64_t sigmask;           /* the thread's blocked signals (signal.c) */
	uint8_t altstack[24];       /* its sigaltstack */
};

_Static_assert(__builtin_offsetof(struct shim_percpu, syscall_stack_top) == FASCO_PERCPU_SYSCALL_STACK, "entry.S");
_Static_assert(__builtin_offsetof(struct shim_percpu, user_rsp) == FASCO_PERCPU_USER_RSP, "entry.S");
_Static_assert(__builtin_offsetof(struct shim_percpu, self) == FASCO_PERCPU_SELF, "entry.S");
_Static_assert(__builtin_offsetof(struct shim_percpu, slot) == FASCO_PERCPU_SLOT, "host");
_Static_assert(__builtin_offsetof(struct shim_percpu, slot_data) == FASCO_PERCPU_SLOT_DATA, "host");
_Static_assert(__builtin_offsetof(struct shim_percpu, cpu) == FASCO_PERCPU_CPU, "host");
_Static_assert(__builtin_offsetof(struct shim_percpu, fault_addr) == FASCO_PERCPU_FAULT_ADDR, "entry.S");
_Static_assert(__builtin_offsetof(struct shim_percpu, fault_stack_lo) == FASCO_PERCPU_FAULT_STACK_LO, "entry.S");

static inline struct shim_percpu *this_cpu(void)
{
	struct shim_percpu *p;

	__asm__ volatile("mov %%gs:" "16" ", %0" : "=r"(p));
	return p;
}

/* A lock the same vCPU may take again (a fault while it holds the lock):
 * spins with pause, never sleeps (the holder is on another vCPU). */
struct shim_lock {
	uint32_t owner; /* vCPU index + 1, 0: free */
	uint32_t depth;
};
void shim_lock(struct shim_lock *l);
void shim_unlock(struct shim_lock *l);
/* the address space's (mm.c) and the clocks' (clock.c); sig_lock: signals.h */
extern struct shim_lock mm_lock, clock_lock;

/* lib.c: what the compiler may call on its own, plus bounded helpers */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t shim_strnlen(const char *s, size_t max);
int shim_streq(const char *a, const char *b);

/* fdt.c: read the boot manifest */
int fdt_check(const void *blob, uint64_t max_size);
const void *fdt_prop(const void *blob, const char *node, const char *name, uint32_t *len);
uint64_t fdt_u64(const void *blob, const char *node, const char *name, uint64_t dflt);

/* host.c: talk to the host through the slot and the doorbell */
int64_t host_call(uint32_t op);
noreturn void host_exit(int status);
noreturn void host_exit_signal(int sig); /* ended by a signal's default action */
noreturn void host_panic(uint64_t code, uint64_t detail);

/* platform.c: the thin layer between kvm-pvm and hardware KVM */
extern uint32_t shim_platform;
uint64_t plat_pte_user_bit(void);           /* U bit for shim pages */
void plat_flush_tlb(void);                  /* after removing mappings */
void plat_invalidate_page(uint64_t va);     /* drop one stale translation */
void plat_set_fs_base(uint64_t base);
uint64_t plat_get_fs_base(void);

/* mm.c: the realm's address space */
#define PROT_R 1u
#define PROT_W 2u
#define PROT_X 4u
int mm_init(const void *manifest);
uint64_t mm_brk(uint64_t addr);
int64_t mm_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd, uint64_t off);
int64_t mm_munmap(uint64_t addr, uint64_t len);
int64_t mm_mprotect(uint64_t addr, uint64_t len, uint64_t prot);
int64_t mm_mremap(uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr);
int64_t mm_madvise(uint64_t addr, uint64_t len, uint64_t advice);
/* Is [va, va+len) mapped for the program with at least this access? */
int mm_user_ok(uint64_t va, uint64_t len, unsigned need);
/* Resolve a page fault; returns 0 if the access may be retried. */
int mm_fault(uint64_t va, uint64_t error_code);

/* The bytes of the page at va as realm memory holds them, or NULL for a
 * page never filled (it reads as zeros). The caller holds the mm lock. */
const uint8_t *mm_page_bytes(uint64_t va);

/* exec_measure.c: code mapped at run time extends REM[0] (abi/exec_event.h) */
void exec_measure_init(const void *manifest);
int exec_measure_on(void);
void exec_hash_start(struct rmm_sha256 *h);
void exec_hash_zeros(struct rmm_sha256 *h, uint64_t len);
/* Fill [start, start + len) from the file at off through forwarded reads,
 * hashing what lands in realm memory into h (started here) unless NULL. */
int64_t exec_fill(uint64_t start, uint64_t len, int64_t fd, uint64_t off, struct rmm_sha256 *h);
/* Finish h and extend REM[0] by the event; 0 or -errno (the range must then
 * not become executable). */
int64_t exec_measure_extend(struct rmm_sha256 *h, int64_t fd, uint64_t off, uint64_t len,
			    uint32_t prot, uint32_t source);

/* uaccess: copies between the program and the shim, checked by mm_user_ok */
/* populate.c: frames about to be written, backed by the host first */
struct populate_req {
	uint32_t n; /* runs gathered in the slot's data area */
};
void populate_add(struct populate_req *r, uint64_t pa);
void populate_flush(struct populate_req *r);

int copy_from_user(void *dst, uint64_t src, uint64_t len);
int copy_to_user(uint64_t dst, const void *src, uint64_t len);
int64_t strlen_user(uint64_t src, uint64_t max);

/* syscall.c / forward.c / vector_io.c */
void shim_syscall(struct shim_regs *r);
int64_t forward_syscall(uint64_t nr, const uint64_t uargs[6]);
/* Clock calls served from the TSC (clock.c): 1 and *ret, or 0 to forward. */
int shim_clock_call(uint64_t nr, const uint64_t a[6], int64_t *ret);
/* Forward a call whose data the caller already placed in the slot. */
int64_t forward_prepared(uint64_t nr, const uint64_t args[6], uint32_t ptr_mask);
int64_t shim_readv(uint64_t fd, uint64_t iov, uint64_t cnt);
int64_t shim_writev(uint64_t fd, uint64_t iov, uint64_t cnt);
int64_t shim_sendmsg(uint64_t fd, uint64_t msg, uint64_t flags);
int64_t shim_recvmsg(uint64_t fd, uint64_t msg, uint64_t flags);
extern uint64_t shim_pid;
/* The program's signal dispositions (signal.c; each thread's mask is in its
 * per-vCPU area). */
struct k_sigaction {
	uint64_t handler, flags, restorer, mask;
};
extern struct k_sigaction sigactions[64];
/* signals (signals.h): calls, delivery before each return to the program */
int shim_signal_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret);
void sig_deliver(struct shim_regs *r, int64_t nr);
void shim_signal_thread_init(void); /* on each vCPU before it enters the program */

/* process.c: fork, vfork, clone of a process, execve; 1 when served */
int shim_process_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret);

/* thread.c: clone of threads, thread exit, thread ids */
#define SHIM_FRAME_REPLACED 2 /* the syscall frame now starts another thread */
int shim_thread_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret);
struct shim_regs *thread_first_entry(void); /* a secondary vCPU's first start */
int threads_others_alive(void);
/* In the child of a fork: the calling thread is the only one. */
void threads_after_fork(void);
struct shim_percpu *thread_percpu(unsigned cpu);
int thread_running(unsigned cpu);
/* The vCPU running the realm's thread tid, or -1. */
int thread_cpu(uint64_t tid);
extern unsigned shim_vcpus;
/* signal.c: a signal sent to the thread on vCPU cpu (tgkill, tkill) */
int64_t shim_signal_thread(unsigned cpu, int sig);
int64_t shim_futex(const uint64_t a[6]);
/* Forward without offering the call to the poller (it may block long). */
int64_t forward_prepared_blocking(uint64_t nr, const uint64_t args[6], uint32_t ptr_mask);
int64_t host_call_blocking(uint32_t op);

/* fault.c */
void shim_exception(struct shim_regs *r, uint64_t fault_addr);

/* boot.c */
uint64_t shim_main(uint64_t manifest_va);

#endif
