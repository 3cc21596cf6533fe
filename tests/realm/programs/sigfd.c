/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signalfd and the waits that take a signal mask (ppoll, pselect6,
 * epoll_pwait), run in a realm and natively: the outputs must match.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_signal(int sig)
{
	(void)sig;
	hits++;
}

static const char *err(long r)
{
	return r >= 0 ? "ok" : errno == EAGAIN ? "EAGAIN" : errno == EINTR ? "EINTR" :
	       errno == EINVAL ? "EINVAL" : errno == EBADF ? "EBADF" : errno == EFAULT ? "EFAULT" : "?";
}

static sigset_t set_of(int a, int b)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static void print_records(int fd, size_t cap)
{
	struct signalfd_siginfo si[4];
	ssize_t n = read(fd, si, cap * sizeof(si[0]));

	printf("  read %zd %s:", n, err(n));
	for (ssize_t i = 0; n > 0 && i < n / (ssize_t)sizeof(si[0]); i++)
		printf(" [sig %u code %d self %d]", si[i].ssi_signo, si[i].ssi_code,
		       si[i].ssi_pid == (uint32_t)getpid());
	printf("\n");
}

static void after_ms(int ms)
{
	struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void basics(void)
{
	sigset_t both = set_of(SIGUSR1, SIGUSR2);
	struct pollfd p;
	int fd;

	sigprocmask(SIG_BLOCK, &both, NULL);
	fd = signalfd(-1, &both, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %s cloexec %d nonblock %d\n", err(fd), fcntl(fd, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	print_records(fd, 1);
	raise(SIGUSR1);
	p = (struct pollfd){ fd, POLLIN, 0 };
	int n = poll(&p, 1, 1000);
	printf("poll after raise: %d revents %#x\n", n, p.revents);
	print_records(fd, 1);
	printf("poll after read: %d\n", poll(&p, 1, 0));
	/* the thread's own signal first, then the process's; lowest first */
	kill(getpid(), SIGUSR2);
	raise(SIGUSR1);
	print_records(fd, 4);
	/* a new mask: SIGUSR1 is no longer reported, and stays pending */
	sigset_t two = set_of(SIGUSR2, 0), pending;
	printf("new mask: %d\n", signalfd(fd, &two, 0) == fd);
	raise(SIGUSR1);
	print_records(fd, 1);
	sigpending(&pending);
	printf("still pending: %d\n", sigismember(&pending, SIGUSR1));
	sigwaitinfo(&both, NULL);
	close(fd);
}

/* Blocking reads woken by a timer and by another process's kill. */
static void blocking(void)
{
	sigset_t set = set_of(SIGALRM, SIGUSR1);
	int fd;
	pid_t child;

	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, 0);
	after_ms(50);
	print_records(fd, 1);
	if ((child = fork()) == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	struct signalfd_siginfo si;
	ssize_t n = read(fd, &si, sizeof(si));
	printf("from child: %zd sig %u code %d pid is child %d\n", n, si.ssi_signo, si.ssi_code,
	       si.ssi_pid == (uint32_t)child);
	waitpid(child, NULL, 0);
	/* a child's signalfd reads the child's signals only */
	raise(SIGUSR1);
	if ((child = fork()) == 0) {
		int fl = fcntl(fd, F_GETFL);

		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		print_records(fd, 1);
		raise(SIGALRM);
		print_records(fd, 1);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	print_records(fd, 1);
	close(fd);
}

/* In one epoll set with a pipe: event loops watch signalfds this way. */
static void in_epoll(void)
{
	sigset_t set = set_of(SIGUSR2, SIGALRM);
	struct epoll_event ev, out[4];
	int fd, ep, pipefd[2];

	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	pipe(pipefd);
	ep = epoll_create1(0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1 };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &ev);
	printf("epoll idle: %d\n", epoll_wait(ep, out, 4, 0));
	after_ms(30);
	int n = epoll_wait(ep, out, 4, 2000);
	printf("epoll timer: %d tag %u\n", n, n > 0 ? out[0].data.u32 : 0);
	print_records(fd, 2);
	write(pipefd[1], "x", 1);
	raise(SIGUSR2);
	n = epoll_wait(ep, out, 4, 2000);
	printf("epoll both: %d tags %u\n", n, n == 2 ? out[0].data.u32 + out[1].data.u32 : 0);
	print_records(fd, 2);
	read(pipefd[0], out, 1);
	printf("epoll after: %d\n", epoll_wait(ep, out, 4, 0));
	close(ep);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void bad_input(void)
{
	sigset_t set = set_of(SIGUSR1, 0);
	char small[64];
	int pipefd[2], fd = signalfd(-1, &set, 0);
	long r;

	pipe(pipefd);
	r = syscall(SYS_signalfd4, -1, &set, 4, 0);
	printf("mask size 4: %s\n", err(r));
	r = syscall(SYS_signalfd4, -1, &set, 8, 0x1234);
	printf("bad flags: %s\n", err(r));
	r = syscall(SYS_signalfd4, 999, &set, 8, 0);
	printf("bad fd: %s\n", err(r));
	r = syscall(SYS_signalfd4, pipefd[0], &set, 8, 0);
	printf("not a signalfd: %s\n", err(r));
	r = syscall(SYS_signalfd4, -1, NULL, 8, 0);
	printf("no mask: %s\n", err(r));
	r = syscall(SYS_signalfd, -1, (void *)16, 8);
	printf("bad mask: %s\n", err(r));
	r = read(fd, small, sizeof(small));
	printf("short read: %s\n", err(r));
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* ppoll, pselect6, epoll_pwait: the mask holds for the wait only. */
static void masked_waits(void)
{
	sigset_t alrm = set_of(SIGALRM, 0), none = set_of(0, 0), now;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts = { 5, 0 };
	struct pollfd p;
	int pipefd[2], ep, r;
	struct epoll_event ev = { .events = EPOLLIN }, out;

	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	pipe(pipefd);
	p = (struct pollfd){ pipefd[0], POLLIN, 0 };
	hits = 0;
	after_ms(50);
	r = ppoll(&p, 1, &ts, &none);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("ppoll: %d %s hits %d still blocked %d\n", r, err(r), hits, sigismember(&now, SIGALRM));
	/* pending before the call: at once */
	raise(SIGALRM);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(pipefd[0], &rd);
	r = pselect(pipefd[0] + 1, &rd, NULL, NULL, &ts, &none);
	printf("pselect: %d %s hits %d\n", r, err(r), hits);
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &ev);
	after_ms(50);
	r = epoll_pwait(ep, &out, 1, 5000, &none);
	printf("epoll_pwait: %d %s hits %d\n", r, err(r), hits);
	/* a ready descriptor wins; the signal stays pending under the old mask */
	write(pipefd[1], "x", 1);
	raise(SIGALRM);
	r = ppoll(&p, 1, &ts, &none);
	printf("ppoll ready: %d hits %d\n", r, hits);
	r = epoll_pwait(ep, &out, 1, 5000, &none);
	printf("epoll_pwait ready: %d hits %d\n", r, hits);
	sigset_t pending;
	sigpending(&pending);
	printf("pending: %d\n", sigismember(&pending, SIGALRM));
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	printf("unblocked: hits %d\n", hits);
	/* a mask that blocks: the signal waits until the call returns */
	struct timespec short_ts = { 0, 100000000 };
	char c;
	read(pipefd[0], &c, 1);
	after_ms(20);
	r = ppoll(&p, 1, &short_ts, &alrm);
	printf("ppoll blocking mask: %d hits %d\n", r, hits);
	/* hostile: a mask of the wrong size, a bad pointer */
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	r = (int)syscall(SYS_ppoll, &p, 1, &ts, &none, 4);
	printf("ppoll size 4: %s\n", err(r));
	r = (int)syscall(SYS_epoll_pwait, ep, &out, 1, 0, &none, 16);
	printf("epoll_pwait size 16: %s\n", err(r));
	r = (int)syscall(SYS_pselect6, 1, NULL, NULL, NULL, &ts, (void *)16);
	printf("pselect6 bad pack: %s\n", err(r));
	r = (int)syscall(SYS_epoll_pwait, 999, &out, 1, 0, &none, 8);
	printf("epoll_pwait bad fd: %s\n", err(r));
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	basics();
	blocking();
	in_epoll();
	bad_input();
	masked_waits();
	return 0;
}
