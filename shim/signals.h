/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals in the shim: the queue of pending signals (sigqueue.c), delivery
 * on every return to the program (sigdeliver.c), the Linux x86-64 signal
 * frame (sigframe.c) and the calls that wait for signals (sigwait.c).
 */
#ifndef FASCO_SHIM_SIGNALS_H
#define FASCO_SHIM_SIGNALS_H

#include "shim.h"

#define NSIG 64
#define SIGINFO_SIZE 128
#define SIGBIT(sig) (1ull << ((sig) - 1))

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGALRM 14
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGWINCH 28
#define SIGSYS 31
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

#define SIG_DFL 0
#define SIG_IGN 1
#define SA_SIGINFO 0x4ull
#define SA_ONSTACK 0x08000000ull
#define SA_RESTART 0x10000000ull
#define SA_RESTORER 0x04000000ull
#define SA_NODEFER 0x40000000ull
#define SA_RESETHAND 0x80000000ull

#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)

#define E_INTR 4
#define E_BADF 9
#define E_AGAIN 11
#define E_FAULT 14
#define E_INVAL 22
#define E_PIPE 32

/* The head of a Linux siginfo; the rest is the union of its kinds. */
struct siginfo_head {
	int32_t signo, errno_, code, pad;
	uint32_t pid, uid; /* kill, tgkill, sigqueue; si_addr is at pid */
	uint64_t value;    /* sigqueue's value, or SIGCHLD's status */
};

/* sigqueue.c: CPU_PROCESS targets the process (any thread not blocking) */
#define CPU_PROCESS (-1)
extern struct shim_lock sig_lock;
/* Queue a signal (info: a Linux siginfo, or NULL for SI_KERNEL). */
int sigq_post(int sig, int cpu, const uint8_t *info);
/* Signals pending for the thread on vCPU cpu (its own and the process's). */
uint64_t sigq_pending(int cpu);
/* Signals pending for the process or any of its threads. */
uint64_t sigq_pending_all(void);
/* Take the first pending signal in allowed for vCPU cpu into info: its
 * number, or 0. Synchronous signals (faults) come first, as on Linux. */
int sigq_take(int cpu, uint64_t allowed, uint8_t info[SIGINFO_SIZE]);
void sigq_discard(int sig);
void sigq_reset(void);
/* Is anything queued, or does the host hold signals for this vCPU? */
int sigq_maybe(void);
/* Move what the host holds into the queue. */
void sigq_drain_host(void);
/* A word that changes whenever a signal is queued (sigwait.c waits on it). */
extern uint32_t sigq_seq;

/* signal.c */
void sig_set_mask(uint64_t mask);
uint64_t sig_uid(void);
int sig_on_altstack(uint64_t sp);
/* A signal for thread cpu (or the process) from the realm itself. */
int64_t sig_send(int sig, int cpu, int32_t code);
/* Make the thread on vCPU cpu look at its signals soon (not this one's). */
void sig_kick(int cpu);

/* sigframe.c */
/* Enter handler sa of sig: the frame on the program's (or alternate)
 * stack, registers set for the handler. */
int sigframe_setup(struct shim_regs *r, int sig, const struct k_sigaction *sa,
		   const uint8_t info[SIGINFO_SIZE], uint64_t oldmask);
int64_t sigframe_return(struct shim_regs *r);

/* sigdeliver.c: before every return to the program; nr is the system call
 * the frame returns from (-1: a fault or an interruption) */
void sig_deliver(struct shim_regs *r, int64_t nr);
/* A fault the program may handle: 1 if a handler will run. */
int sig_fault(struct shim_regs *r, int sig, int32_t code, uint64_t addr);
noreturn void sig_default_end(int sig);
/* Drain the host and enter the first handler due, the frame restoring
 * oldmask (sigsuspend's): 1 if one was entered. */
int sig_deliver_pending(struct shim_regs *r, int64_t nr, uint64_t oldmask);
/* entry.S's shim_signal_entry: a vCPU the host diverted for a signal */
void shim_signal_diverted(struct shim_regs *r);

/* sigwait.c: the calls that wait for signals; 1 when served */
/* A call broken off by a signal: EINTR in the frame, and the first handler
 * due entered with a frame restoring oldmask (1), or none due (0). */
int sig_interrupt(struct shim_regs *r, uint64_t oldmask);
int sig_wait_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret);

/* signalfd.c: signalfds report the realm's own pending signals */
extern uint64_t sigfd_watch;
/* Tell the host what is pending, for the signalfds' readiness. */
void sigfd_sync(void);
/* signalfd, signalfd4: 1 when served */
int sigfd_call(uint64_t nr, const uint64_t a[6], int64_t *ret);
/* read() of a signalfd (the host's FASCO_RESULT_SIGNALFD, its reply in
 * reply_area): bytes of signalfd_siginfo records, or -errno. */
int64_t sigfd_read(uint64_t fd, uint64_t buf, uint64_t count, const uint8_t *reply_area);

/* sigmask_wait.c: ppoll, pselect6 and epoll_pwait with a signal mask */
int sig_pwait_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret);

/* sigexec.c: what an execve keeps of the signal state (POSIX) */
/* Before the call: fill the request, give what is pending to the host. */
void sig_exec_save(struct fasco_exec_request *req);
/* At the new image's boot: the mask and ignored signals the host carried. */
void sig_exec_restore(void);

/* sigtimer.c: timers that signal one thread (SIGEV_THREAD_ID) */
int sig_timer_call(uint64_t nr, const uint64_t a[6], int64_t *ret);
/* The vCPU a signal taken from the host is for: its timer's thread, or
 * CPU_PROCESS. */
int sig_timer_target(const uint8_t info[SIGINFO_SIZE]);

#endif
