/* SPDX-License-Identifier: Apache-2.0 */
/* Signals, run in a realm and natively: the outputs must match. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_code, on_alt, nested;
static volatile int last_pid_ok;
static sigjmp_buf jump;
static volatile uintptr_t fault_addr;
static char altstack[65536];

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_code = si->si_code;
	last_pid_ok = si->si_pid == getpid();
	on_alt = (char *)&sig >= altstack && (char *)&sig < altstack + sizeof(altstack);
	(void)sig;
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_code = si->si_code;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(jump, sig);
}

static void on_nodefer(int sig)
{
	if (hits++ == 0)
		raise(sig); /* runs nested at once with SA_NODEFER */
	nested = hits;
}

static void set(int sig, void (*fn)(int), void (*info)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (info) {
		sa.sa_sigaction = info;
		flags |= SA_SIGINFO;
	} else {
		sa.sa_handler = fn;
	}
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void handlers(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	set(SIGUSR1, NULL, on_info, 0);
	raise(SIGUSR1);
	printf("raise: hits %d code %d pid %d\n", hits, last_code, last_pid_ok);
	kill(getpid(), SIGUSR1);
	printf("kill: hits %d code %d pid %d\n", hits, last_code, last_pid_ok);
	sigaltstack(&ss, NULL);
	set(SIGUSR2, NULL, on_info, SA_ONSTACK);
	raise(SIGUSR2);
	printf("onstack: %d\n", on_alt);
	hits = 0;
	set(SIGHUP, on_nodefer, NULL, SA_NODEFER);
	raise(SIGHUP);
	printf("nodefer: nested %d\n", nested);
	struct sigaction now;
	set(SIGWINCH, on_plain, NULL, SA_RESETHAND);
	raise(SIGWINCH);
	sigaction(SIGWINCH, NULL, &now);
	printf("resethand: reset to default %d\n", now.sa_handler == SIG_DFL);
}

static void masks(void)
{
	sigset_t block, pending, old;

	hits = 0;
	set(SIGUSR1, on_plain, NULL, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pending);
	printf("blocked: hits %d pending %d\n", hits, sigismember(&pending, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: hits %d\n", hits);

	/* sigwaitinfo takes a blocked signal without its handler */
	siginfo_t si;
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	int sig = sigwaitinfo(&block, &si);
	struct timespec zero = { 0, 0 };
	int again = sigtimedwait(&block, &si, &zero);
	printf("sigwaitinfo: %d code %d, then %d %s, hits %d\n", sig, si.si_code, again,
	       again < 0 && errno == EAGAIN ? "EAGAIN" : "?", hits);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void faults(void)
{
	volatile int zero = 0;
	int sig;

	set(SIGSEGV, NULL, on_fault, 0);
	if (!(sig = sigsetjmp(jump, 1)))
		*(volatile int *)16 = 1;
	printf("null write: sig %d code %d addr %#lx\n", sig, last_code, (unsigned long)fault_addr);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!(sig = sigsetjmp(jump, 1)))
		ro[8] = 1;
	printf("read-only write: sig %d code %d at offset %ld\n", sig, last_code,
	       (long)((char *)fault_addr - ro));
	set(SIGFPE, NULL, on_fault, 0);
	if (!(sig = sigsetjmp(jump, 1)))
		printf("%d\n", 1 / zero);
	printf("divide: sig %d code %d\n", sig, last_code);
	set(SIGILL, NULL, on_fault, 0);
	if (!(sig = sigsetjmp(jump, 1)))
		__asm__ volatile("ud2");
	printf("ud2: sig %d code %d\n", sig, last_code);
	set(SIGTRAP, NULL, on_fault, 0);
	if (!(sig = sigsetjmp(jump, 1)))
		__asm__ volatile("int3");
	printf("int3: sig %d code %d\n", sig, last_code);
	/* the mask siglongjmp restored: SIGSEGV is deliverable again */
	if (!(sig = sigsetjmp(jump, 1)))
		*(volatile int *)24 = 1;
	printf("again: sig %d\n", sig);
}

static void timers(void)
{
	int fds[2];
	char c;
	ssize_t n;

	hits = 0;
	set(SIGALRM, on_plain, NULL, 0);
	alarm(1);
	pause();
	printf("alarm+pause: hits %d\n", hits);
	/* a blocking read broken off by the signal: EINTR without SA_RESTART */
	pipe(fds);
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fds[0], &c, 1);
	printf("read interrupted: %zd %s hits %d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", hits);
	/* with SA_RESTART the read goes on and sees the data a later write puts */
	set(SIGALRM, on_plain, NULL, SA_RESTART);
	setitimer(ITIMER_REAL, &it, NULL);
	if (fork() == 0) {
		usleep(300000);
		write(fds[1], "x", 1);
		_exit(0);
	}
	n = read(fds[0], &c, 1);
	printf("read restarted: %zd hits %d\n", n, hits);
	/* a loop that makes no calls is interrupted too, FPU state intact */
	volatile double x = 1.0;
	int start = hits;
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits == start)
		x = x * 1.0000001;
	printf("loop interrupted: %d fpu %d\n", hits - start, x > 1.0);
	/* POSIX timer, SIGEV_SIGNAL */
	timer_t t;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec ts = { { 0, 0 }, { 0, 50000000 } };
	sigset_t block;
	siginfo_t si;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	ev.sigev_value.sival_int = 42;
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	timer_settime(t, 0, &ts, NULL);
	int sig = sigwaitinfo(&block, &si);
	printf("timer: sig %d code %d value %d\n", sig, si.si_code, si.si_value.sival_int);
	timer_delete(t);
}

static void pipes(void)
{
	int fds[2];

	signal(SIGPIPE, SIG_IGN);
	pipe(fds);
	close(fds[0]);
	ssize_t n = write(fds[1], "x", 1);
	printf("ignored SIGPIPE: %zd %s\n", n, n < 0 && errno == EPIPE ? "EPIPE" : "?");
	signal(SIGPIPE, SIG_DFL);
	fflush(stdout);
	write(fds[1], "x", 1); /* ends the program */
	printf("not reached\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "term")) {
		kill(getpid(), SIGTERM);
		printf("not reached\n");
		return 0;
	}
	handlers();
	masks();
	faults();
	timers();
	pipes();
	return 0;
}
