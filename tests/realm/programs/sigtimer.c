/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX timers that signal one thread (SIGEV_THREAD_ID, what glibc's and
 * musl's SIGEV_THREAD timers use) and the process (SIGEV_SIGNAL), run in a
 * realm and natively: the outputs must match.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static volatile pid_t handler_tid;
static volatile int handler_code;
static pid_t worker_tid;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int fired, stop;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	handler_tid = (pid_t)syscall(SYS_gettid);
	handler_code = si->si_code;
}

/* The thread the timers aim at: it takes SIGUSR2 by handler, SIGRTMIN+3
 * by sigwaitinfo; the main thread blocks both. */
static void *worker(void *arg)
{
	sigset_t set;
	siginfo_t si;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	pthread_mutex_lock(&lock);
	worker_tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	int sig = sigwaitinfo(&set, &si);
	printf("worker took %d code %d value %d\n", sig - SIGRTMIN, si.si_code, si.si_value.sival_int);
	pthread_mutex_lock(&lock);
	while (!stop) {
		struct timespec ts = { 0, 10000000 };

		pthread_mutex_unlock(&lock);
		nanosleep(&ts, NULL); /* a handler may land here */
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static long make_timer(int notify, int signo, pid_t tid, int value, timer_t *t)
{
	struct sigevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = notify;
	ev.sigev_signo = signo;
	ev.sigev_value.sival_int = value;
	ev.sigev_notify_thread_id = tid;
	return syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, t);
}

static void arm(timer_t t, long ns)
{
	struct itimerspec its = { { 0, 0 }, { 0, ns } };

	syscall(SYS_timer_settime, t, 0, &its, NULL);
}

static void thread_id_timers(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	sigset_t set;
	pthread_t th;
	int t1, t2; /* the kernel's timer ids */

	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 3);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&th, NULL, worker, NULL);
	pthread_mutex_lock(&lock);
	while (!worker_tid)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	/* sigwaitinfo in the worker */
	printf("create: %ld\n", make_timer(SIGEV_THREAD_ID | SIGEV_SIGNAL, SIGRTMIN + 3, worker_tid, 7, (timer_t *)&t1));
	arm((timer_t)(long)t1, 30000000);
	/* a handler on the worker, not on the main thread */
	make_timer(SIGEV_THREAD_ID, SIGUSR2, worker_tid, 9, (timer_t *)&t2);
	arm((timer_t)(long)t2, 60000000);
	for (int i = 0; i < 200 && !handler_tid; i++)
		usleep(5000);
	printf("handler on the worker %d code %d\n", handler_tid == worker_tid, handler_code);
	pthread_mutex_lock(&lock);
	stop = 1;
	pthread_mutex_unlock(&lock);
	pthread_join(th, NULL);
	syscall(SYS_timer_delete, t1);
	syscall(SYS_timer_delete, t2);
	/* hostile: a thread of another process, no such kind, a bad signal */
	long r = make_timer(SIGEV_THREAD_ID, SIGUSR2, 1, 0, (timer_t *)&t1);
	printf("other process's thread: %ld %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "?");
	r = make_timer(99, SIGUSR2, 0, 0, (timer_t *)&t1);
	printf("bad kind: %ld %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "?");
	r = make_timer(SIGEV_THREAD_ID, 0, worker_tid, 0, (timer_t *)&t1);
	printf("dead thread: %ld %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "?");
	r = make_timer(SIGEV_SIGNAL, 65, 0, 0, (timer_t *)&t1);
	printf("bad signal: %ld %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "?");
}

static void on_expiry(union sigval v)
{
	pthread_mutex_lock(&lock);
	fired = v.sival_int;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

/* The C library's SIGEV_THREAD: a helper thread it signals by thread id. */
static void library_thread_timer(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_expiry };
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	timer_t t;

	ev.sigev_value.sival_int = 5;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t) < 0) {
		printf("SIGEV_THREAD: %s\n", strerror(errno));
		return;
	}
	timer_settime(t, 0, &its, NULL);
	pthread_mutex_lock(&lock);
	while (!fired)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	printf("SIGEV_THREAD callback: %d\n", fired);
	timer_delete(t);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	thread_id_timers();
	library_thread_timer();
	return 0;
}
