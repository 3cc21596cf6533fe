/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ABI between the in-realm shim and the host: guest memory layout, the
 * shared request slot, the doorbell and the shim image header. Compiled into
 * both sides (the shim is freestanding: only fixed-width types here).
 *
 * The host treats every byte the realm can write (the slot, the doorbell
 * value) as hostile: it copies the header once and validates it.
 */
#ifndef FASCO_ABI_REALM_ABI_H
#define FASCO_ABI_REALM_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define FASCO_ABI_VERSION 1u

/* ---- Guest virtual layout (x86-64, 4-level paging, all in the lower half,
 * which kvm-pvm requires of user-accessible shim pages) ---- */
#define FASCO_GVA_SHIM 0x00007f0000000000ull    /* shim image, per-vCPU data */
#define FASCO_GVA_PHYSMAP 0x00007f4000000000ull /* all private memory, linear */
#define FASCO_GVA_SHARED 0x00007f7f00000000ull  /* the shared region */
#define FASCO_GVA_MMAP_TOP 0x00007ef000000000ull /* mmap grows down from here */
#define FASCO_GVA_MMAP_MIN 0x0000000000010000ull
#define FASCO_GVA_STACK_TOP 0x00007ffffffff000ull
#define FASCO_GVA_PIE_BASE 0x0000555555554000ull /* PIE load address */
#define FASCO_GVA_INTERP_BASE 0x00007ee000000000ull /* the dynamic loader (AT_BASE) */

/* ---- Guest physical layout: private memory low, shared in the top half ---- */
#define FASCO_GPA_SHIM 0x1000ull /* shim image starts here */
#define FASCO_PAGE_SIZE 4096ull
#define FASCO_LARGE_PAGE_SIZE (2ull << 20)

/*
 * Doorbell: a write to this page exits to the host. Its guest-physical page
 * (just above the shared region) has no memory behind it, so the write
 * becomes an MMIO exit from any privilege level. (Port I/O from the
 * system-call handler raised #GP on kvm-pvm, whose handler runs
 * unprivileged and which masks IOPL.)
 */
#define FASCO_GVA_DOORBELL (FASCO_GVA_SHARED - 0x1000ull)

/* ---- The shared request slot (one per vCPU) ---- */
#define FASCO_SLOT_MAGIC 0x534c4f54u /* "SLOT" */
#define FASCO_SLOT_SIZE (1u << 20)
#define FASCO_SLOT_HEADER_SIZE 256u
#define FASCO_SLOT_DATA_MAX (FASCO_SLOT_SIZE - FASCO_SLOT_HEADER_SIZE)

#ifndef __ASSEMBLER__
enum fasco_op {
	FASCO_OP_SYSCALL = 1, /* forward a system call */
	FASCO_OP_EXIT = 2,    /* the program exited: args[0] = status */
	FASCO_OP_FAULT = 3,   /* unhandled fault: see struct fasco_fault_report */
	FASCO_OP_FLUSH = 4,   /* only flush the TLB (page-table entries removed) */
	FASCO_OP_PANIC = 5,   /* the shim hit an internal error: args[0] = code */
	FASCO_OP_FORK = 6,    /* fork the realm: result = child pid, 0 in the child */
	FASCO_OP_EXEC = 7,    /* replace the image: struct fasco_exec_request */
	/* threads (shim/thread.c, lib/core/threads.c): start vCPU args[0] at the
	 * start frame in its per-vCPU area, after writing the thread's id to
	 * the u32 at args[1] if not 0 (CLONE_PARENT_SETTID); result = the id */
	FASCO_OP_THREAD_START = 8,
	/* this thread ended: args[0] = clear-child-tid address (the host zeroes
	 * and futex-wakes it once the vCPU is parked), args[1] = status;
	 * answered only when the vCPU is started again for a new thread */
	FASCO_OP_THREAD_EXIT = 9,
	/* signals (shim/sigqueue.c, lib/core/signals.c): args[0] = one of
	 * enum fasco_signal_cmd */
	FASCO_OP_SIGNALS = 16,
	/* code mapped executable from a file: struct fasco_exec_event in the
	 * data area (abi/exec_event.h), args[0] = its descriptor; the monitor
	 * extends REM[0] and logs it; result 0 or -errno */
	FASCO_OP_MEASURE_EXEC = 24,
	/* back these guest-physical ranges of private memory with host memory
	 * now (a hint, CCA's granule delegation in spirit): the data area holds
	 * args[0] struct fasco_populate_run; result 0 or -errno. Polled. */
	FASCO_OP_POPULATE = 25,
};

enum fasco_signal_cmd {
	/* move the host's pending signals into the realm: result = count of
	 * 128-byte siginfo records (Linux layout) in the data area */
	FASCO_SIG_TAKE = 0,
	/* make vCPU args[1] look at its pending signals soon (kick it) */
	FASCO_SIG_KICK = 1,
	/* wait until kicked, a signal reaches the host or args[1] ns pass
	 * (0: no limit): result 0, -ETIMEDOUT or -EINTR */
	FASCO_SIG_WAIT = 2,
	/* args[1] = the signals pending in the realm (all its threads): every
	 * signalfd of the realm becomes readable iff its mask meets these or
	 * the signals the host holds (shim/signalfd.c, sysrealm/signalfd.c) */
	FASCO_SIG_SIGFD_SYNC = 3,
	/* give args[1] siginfo records of the data area back to the host, which
	 * holds them as received (an execve keeps what is pending) */
	FASCO_SIG_REQUEUE = 4,
};
#define FASCO_SIG_TAKE_MAX 64

/*
 * A forwarded read of a signalfd: its signals are the realm's, so the host
 * answers with this result and puts a struct fasco_sigfd_reply at the start
 * of the data area (the read's buffer, at least 128 bytes); the shim then
 * serves the read from its own queue.
 */
#define FASCO_RESULT_SIGNALFD (-0x10000ll)
struct fasco_sigfd_reply {
	uint64_t mask;     /* the signals the signalfd reports */
	uint32_t nonblock; /* O_NONBLOCK is set on it */
	uint32_t reserved;
};

struct fasco_populate_run {
	uint64_t gpa, len; /* page-aligned, inside private memory */
};
#define FASCO_POPULATE_MAX_RUNS 256u

/*
 * FASCO_OP_EXEC: the data area holds this header, then the path, the argc
 * arguments and the envc environment strings, each NUL-terminated, in
 * `total` bytes (header included). On success the old image is gone; on
 * failure result is -errno and the old image carries on.
 */
struct fasco_exec_request {
	uint32_t total, argc, envc, reserved;
	/* what the new image keeps of the signal state (POSIX): the mask and
	 * the ignored signals (handled ones become default); the host writes
	 * them to the new image's first slot (FASCO_SLOT_AUX_SIG*) */
	uint64_t sig_blocked, sig_ignored;
};

#endif
/* Slot flags set by the shim. */
#define FASCO_SLOT_FLUSH_TLB 0x1u /* flush stale translations before resuming */
/* FASCO_OP_FLUSH: args[0] = this value when only the calling vCPU needs it
 * (a stale translation it faulted on); otherwise every vCPU is flushed
 * before the call returns (mappings were removed or narrowed) */
#define FASCO_FLUSH_SELF 1u
/* Where the host writes the ids the realm reports (shared, unmeasured). */
#define FASCO_SLOT_AUX_TID 6
#define FASCO_SLOT_AUX_PID 7
/* Read by the shim of an exec'd image at boot (the carried signal state). */
#define FASCO_SLOT_AUX_SIGMASK 4
#define FASCO_SLOT_AUX_SIGIGN 5

/*
 * How a request travels (state, changed atomically). An exit costs far more
 * than a shared-memory round trip, so while the program is busy the host
 * polls: the shim posts a system call (POSTED) and spins for its answer;
 * the host's poller takes it (TAKEN), serves it and marks it DONE. If no
 * answer comes in spin_cycles, the shim withdraws it (POSTED -> RANG) and
 * rings the doorbell; if the host took it meanwhile, the shim rings only to
 * wait in the host instead of spinning. Everything else always rings (RANG).
 * The state is a hint: the host serialises serving with its own lock, so a
 * realm that forges states can only confuse its own answers.
 */
#define FASCO_SLOT_IDLE 0u
#define FASCO_SLOT_POSTED 1u
#define FASCO_SLOT_RANG 2u
#define FASCO_SLOT_TAKEN 3u
#define FASCO_SLOT_DONE 4u

#ifndef __ASSEMBLER__
struct fasco_slot_header {
	uint32_t magic;
	uint32_t op;       /* enum fasco_op */
	uint64_t seq;      /* incremented by the shim per request */
	uint64_t nr;       /* system call number */
	uint64_t args[6];  /* values; for pointer args see fasco_sys_layout() */
	uint32_t ptr_mask; /* bit i: args[i] was a non-NULL pointer */
	uint32_t flags;    /* FASCO_SLOT_* */
	int64_t result;    /* written by the host: return value or -errno */
	uint64_t aux[8];   /* op-specific (fault report) */
	uint32_t state;    /* FASCO_SLOT_IDLE..DONE */
	uint32_t host_polling; /* set by the host while it polls this slot */
	uint64_t spin_cycles;  /* TSC cycles the shim may spin for a polled answer */
	uint32_t tsc_khz;      /* the guest TSC's rate: clocks served in the realm */
	uint32_t reserved;
	/* signals: the host sets sig_hint when it holds signals for the realm
	 * (or asks this vCPU to look); the shim publishes the signals its
	 * thread blocks (the host picks whom to interrupt) and the entry the
	 * host diverts a vCPU interrupted in the program to, with the
	 * interrupted instruction in divert_ip */
	uint32_t sig_hint;
	uint32_t sig_reserved;
	uint64_t sig_blocked;
	uint64_t divert_entry;
	uint64_t divert_ip;
};

#endif
/* FASCO_OP_FAULT: aux[] holds these. */
#ifndef __ASSEMBLER__
enum fasco_fault_aux {
	FASCO_FAULT_VECTOR = 0,
	FASCO_FAULT_ERROR_CODE = 1,
	FASCO_FAULT_ADDRESS = 2,
	FASCO_FAULT_IP = 3,
	FASCO_FAULT_SP = 4,
	FASCO_FAULT_IN_SHIM = 5, /* 1 if the shim itself faulted */
};

_Static_assert(sizeof(struct fasco_slot_header) <= FASCO_SLOT_HEADER_SIZE,
	       "slot header must fit its reserved space");
#endif

/* ---- The shim image header: the first bytes of the shim blob ---- */
#define FASCO_SHIM_MAGIC 0x4d494853u /* "SHIM" */

#ifndef __ASSEMBLER__
struct fasco_shim_header {
	uint32_t magic;
	uint32_t abi_version;
	uint64_t link_base;     /* virtual address the blob is linked at */
	uint64_t image_size;    /* bytes of the blob (text + data) */
	uint64_t memory_size;   /* image plus zero-initialised data (bss) */
	uint64_t entry;         /* boot entry, virtual */
	uint64_t syscall_entry; /* LSTAR target, virtual */
	uint64_t vectors;       /* 32 exception stubs, FASCO_SHIM_VECTOR_STRIDE apart */
};
#endif

#define FASCO_SHIM_VECTOR_STRIDE 16

/* ---- Per-vCPU area, found through the GS base (set by the host) ---- */
#define FASCO_PERCPU_SIZE 4096
#define FASCO_PERCPU_SYSCALL_STACK 0   /* top of the syscall stack */
#define FASCO_PERCPU_USER_RSP 8        /* the program's RSP at syscall entry */
#define FASCO_PERCPU_SELF 16           /* virtual address of this area */
#define FASCO_PERCPU_SLOT 24           /* virtual address of this vCPU's slot */
#define FASCO_PERCPU_SLOT_DATA 32      /* ... and of its data area */
#define FASCO_PERCPU_CPU 40            /* vCPU index */
/* kvm-pvm emulates every ring-0 instruction (about 0.6 µs each), so an
 * exception is bounced at once to a handler at user privilege; these fields
 * carry what only ring 0 can see across the bounce. */
#define FASCO_PERCPU_SCRATCH 48        /* the interrupted RAX */
#define FASCO_PERCPU_FAULT_ADDR 56     /* CR2 of the exception */
#define FASCO_PERCPU_FRAME 64          /* the ring-0 exception frame */
#define FASCO_PERCPU_FAULT_STACK 72    /* top of the bounced handler's stack */
#define FASCO_PERCPU_FAULT_STACK_LO 80 /* ... and its lowest address */
/* vCPU i's area, stacks and descriptor tables: PERCPU_STRIDE bytes from
 * vCPU 0's (the shim finds a sibling's area to leave it a start frame) */
#define FASCO_PERCPU_STRIDE (FASCO_PERCPU_SIZE + FASCO_SYSCALL_STACK_SIZE + \
			     FASCO_EXCEPTION_STACK_SIZE + 2 * 4096u)
#define FASCO_SYSCALL_STACK_SIZE (32u << 10)
/* The top page of the exception stack takes ring-0 frames; the rest is the
 * stack of the bounced handler. */
#define FASCO_EXCEPTION_STACK_SIZE (32u << 10)
#define FASCO_RING0_STACK_SIZE 4096u

/* ---- Segment selectors of the GDT the host builds ---- */
#define FASCO_SEL_KERNEL_CS 0x08
#define FASCO_SEL_KERNEL_DS 0x10
#define FASCO_SEL_USER_CS32 0x23
#define FASCO_SEL_USER_DS 0x2b
#define FASCO_SEL_USER_CS 0x33
#define FASCO_SEL_TSS 0x38

/* ---- Platform the shim runs on (told by the manifest, never probed) ---- */
#define FASCO_PLATFORM_KVM_PVM 1u /* shadow-paging KVM without VMX/SVM */
#define FASCO_PLATFORM_KVM_HW 2u  /* VMX/SVM hardware KVM (untested here) */
#define FASCO_PLATFORM_CCA 3u     /* Arm CCA realm (compile-checked only, never run) */

#endif
