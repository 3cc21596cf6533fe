/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm monitor's state, shared by its parts: monitor.c (build the
 * realm, serve exits, report the end), process.c (fork, execve and the end
 * of a realm), threads.c (one host thread per running vCPU, thread start
 * and exit, TLB shootdowns) and futex.c (futex calls served on the
 * monitor's own mapping of realm memory).
 */
#ifndef FASCO_CORE_MONITOR_H
#define FASCO_CORE_MONITOR_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "abi/realm_abi.h"
#include "backend/backend.h"
#include "core/internal.h"
#include "core/poller.h"
#include "core/realm_attest.h"
#include "core/signals.h"
#include "core/tsm.h"
#include "sysrealm/service.h"

#define MONITOR_MAX_VCPUS 64
/* Interrupts a vCPU's thread (KVM_RUN, a blocking call); its handler does nothing. */
#define MONITOR_SIG_KICK (SIGRTMIN + 2)

enum vcpu_life {
	VCPU_IDLE = 0,    /* never started */
	VCPU_RUNNING = 1, /* runs a thread of the program (or serves its call) */
	VCPU_PARKED = 2,  /* its thread exited; waits to be started again */
};

/* One vCPU as the monitor sees it. */
struct vcpu_host {
	struct monitor *m;
	unsigned index;
	volatile struct fasco_slot_header *slot; /* shared, hostile */
	uint8_t *data;               /* the slot's data area (shared) */
	uint8_t *priv;               /* host-private copies of its requests */
	pthread_mutex_t serving;     /* its vCPU thread and the poller take turns */
	pthread_t thread;
	int32_t tid;                 /* host thread id: the realm thread's id */
	uint32_t state;              /* enum vcpu_life, under threads_lock */
	uint32_t go;                 /* futex: a parked vCPU was started again */
	uint32_t in_guest;           /* inside KVM_RUN: shootdowns wait for it */
	int flush;                   /* flush its TLB before it runs again */
	int ran;                     /* has left KVM_RUN once (its sync regs are valid) */
	int created;                 /* its KVM vCPU exists */
	uint64_t flushed_gen;        /* last shootdown generation it applied */
};

struct monitor {
	fasco_realm *realm;
	const struct realm_backend_ops *be;
	struct realm_vm *vm;
	uint8_t *shared;
	uint8_t *private_mem;  /* the monitor's mapping of realm memory */
	uint64_t private_size;
	uint64_t pt_root;      /* guest-physical root of the realm's page tables */
	struct service svc;
	struct poller poller;
	struct fasco_exit_info exit;
	struct fasco_realm_stats stats;
	struct rmm_realm *rmm; /* the realm's measurements (NULL: not measured) */
	struct realm_attester attester;
	struct tsm tsm;        /* configfs-tsm, served here, not by the system realm */
	struct event_log events; /* every REM extension (exec_measure.c, tsm.c) */
	pthread_mutex_t tsm_lock;
	pthread_mutex_t end_lock; /* taken (for good) by whoever ends the realm */
	uint64_t t_start, t_run;
	uint32_t platform;
	int owner_pidfd;       /* the library's process: a realm never outlives it */
	int root_pidfd;        /* the first realm of this tree (-1 in the first) */
	/* threads (threads.c) */
	struct vcpu_host cpu[MONITOR_MAX_VCPUS];
	struct vcpu_boot boot[MONITOR_MAX_VCPUS]; /* measured boot state of each */
	unsigned n_vcpus;
	pthread_mutex_t threads_lock;
	pthread_cond_t threads_changed;
	unsigned live;         /* threads of the program that have not exited */
	unsigned leader;       /* vCPU of the process's first thread: 0, or in
				* the child of a fork the forking thread's */
	unsigned started;      /* vCPUs ever started (the poller watches them) */
	int32_t leader_status; /* SYS_exit status of the first thread */
	uint64_t tlb_gen;      /* shootdown generation */
	int status_fd;         /* to the library; -1 in a forked realm's monitor */
	struct realm_signals sig; /* signals.c */
};

/* What serving one request asks of the vCPU's thread. */
enum serve_result {
	SERVE_RESUME = 0, /* run the vCPU again */
	SERVE_ENDED = 1,  /* the realm ended: m->end_lock is held, m->exit says how */
	SERVE_PARK = 2,   /* the thread exited: park the vCPU (threads.c) */
	SERVE_PARKED = 3, /* parked: the vCPU's host thread ends */
	SERVE_LEADER = 4, /* go on with the leader's vCPU (an execve from another) */
};

/* monitor_run_vcpu(): the vCPU's thread exited and its host thread ends. */
#define MONITOR_PARKED 1

/* monitor.c */
enum serve_result monitor_serve(struct monitor *m, struct vcpu_host *cpu);
/* Run one vCPU until the realm ends (0, or an error for monitor_finish())
 * or its thread exits (MONITOR_PARKED). */
int monitor_run_vcpu(struct monitor *m, struct vcpu_host *cpu);
/* Report the realm's end (or error ret) to the library and end the monitor. */
__attribute__((noreturn)) void monitor_finish(struct monitor *m, int ret);
/* Record an exit of the program with status (the caller holds end_lock). */
void monitor_end_exit(struct monitor *m, int status, int signo);
void monitor_end_crash(struct monitor *m, const char *why, uint64_t detail);
/* Slots, sealed memory and the first vCPU of a freshly built image. */
int monitor_boot_vcpus(struct monitor *m, const struct vcpu_boot *boot);
/* The threads beside the vCPUs': the poller, the watch of owner and root. */
int monitor_start_poller(struct monitor *m);
int monitor_start_watch(struct monitor *m);

/* threads.c */
int threads_init(struct monitor *m);
/* A forked realm (process.c): only the forking thread, on vCPU 0, lives on. */
/* The calling host thread runs vCPU leader, the process's only thread
 * (after a fork, or an execve from a thread on another vCPU). */
void threads_reset(struct monitor *m, unsigned leader);
int64_t threads_start(struct monitor *m, uint64_t index, uint64_t parent_tid);
/* A thread exited (THREAD_EXIT): park the vCPU until a later clone starts
 * it again (with a new host thread). Returns SERVE_PARKED, or SERVE_ENDED
 * when it was the last thread (the first thread's vCPU never returns). */
enum serve_result threads_park(struct monitor *m, struct vcpu_host *cpu, uint64_t clear_tid,
			       int status);
/* Stop every other vCPU running the realm and flush its TLB (after the
 * caller's realm removed or narrowed mappings); returns once none can use a
 * stale translation. */
void threads_shootdown(struct monitor *m, struct vcpu_host *self);
/* Before KVM_RUN: enter the guest, flushing first if asked or shot down. */
void threads_enter_guest(struct monitor *m, struct vcpu_host *cpu);
void threads_leave_guest(struct vcpu_host *cpu);

/* futex.c */
/* The monitor's address of a 4-byte-aligned u32 of the program at guest
 * virtual address va (user-accessible, writable if write), or NULL. */
uint32_t *guest_u32(struct monitor *m, uint64_t va, int write);
/* Serve a futex call (1, *ret) or leave the call to others (0). */
int futex_serve(struct monitor *m, const struct fasco_slot_header *h, const uint8_t *data,
		int64_t *ret);

#endif
