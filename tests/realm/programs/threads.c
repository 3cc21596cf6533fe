/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads inside a realm, compared with the same program run natively: the
 * output must be identical (it prints only what does not depend on timing).
 * Modes: stress (8 threads x 100k increments under one mutex), pingpong
 * (condition variables), ids (gettid, TLS, join), timeout (a timed wait
 * that expires), idle (blocked threads use no CPU), many (thread ids reused
 * over 200 create/join rounds), exit (exit() while threads block in a futex
 * wait and in a read), kill (tgkill to a live thread with signal 0),
 * fault (a thread dereferences NULL: the process ends with SIGSEGV),
 * abort (a thread calls abort(): SIGABRT's default action ends it),
 * limit N (how many threads can be started at once, at most N).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define STRESS_THREADS 8
#define STRESS_ROUNDS 100000
#define PINGPONG_ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static __thread int tls_value = 7;

static void *stress_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static int stress(void)
{
	pthread_t t[STRESS_THREADS];

	for (int i = 0; i < STRESS_THREADS; i++)
		if (pthread_create(&t[i], NULL, stress_worker, NULL))
			return 1;
	for (int i = 0; i < STRESS_THREADS; i++)
		pthread_join(t[i], NULL);
	printf("counter %ld (expected %ld)\n", counter, (long)STRESS_THREADS * STRESS_ROUNDS);
	return counter != (long)STRESS_THREADS * STRESS_ROUNDS;
}

static void *pong(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		while (turn != 1)
			pthread_cond_wait(&cond, &lock);
		turn = 0;
		counter++;
		pthread_cond_broadcast(&cond);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int pingpong(void)
{
	pthread_t t;

	pthread_create(&t, NULL, pong, NULL);
	pthread_mutex_lock(&lock);
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		while (turn != 0)
			pthread_cond_wait(&cond, &lock);
		turn = 1;
		pthread_cond_broadcast(&cond);
	}
	while (turn != 0)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	printf("pongs %ld\n", counter);
	return 0;
}

struct ids {
	pid_t tid;
	int tls;
};

static void *report_ids(void *arg)
{
	struct ids *r = arg;

	tls_value += (int)(r - (struct ids *)0) % 1000; /* differs per thread */
	r->tid = (pid_t)syscall(SYS_gettid);
	r->tls = tls_value;
	return arg;
}

static int ids(void)
{
	struct ids r[4];
	pthread_t t[4];
	void *ret;
	int distinct = 1;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, report_ids, &r[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		if (ret != &r[i])
			printf("join %d returned the wrong value\n", i);
	}
	for (int i = 0; i < 4; i++) {
		distinct &= r[i].tid != getpid() && r[i].tid > 0;
		for (int j = 0; j < i; j++)
			distinct &= r[i].tid != r[j].tid;
	}
	printf("main gettid == getpid: %d\n", (pid_t)syscall(SYS_gettid) == getpid());
	printf("thread ids distinct and not the pid: %d\n", distinct);
	printf("main's tls untouched: %d\n", tls_value);
	return 0;
}

static int timeout(void)
{
	struct timespec start, until, end;
	int r;

	clock_gettime(CLOCK_REALTIME, &start);
	until = start;
	until.tv_nsec += 50 * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	r = pthread_cond_timedwait(&cond, &lock, &until);
	pthread_mutex_unlock(&lock);
	clock_gettime(CLOCK_REALTIME, &end);
	printf("timedwait: %s\n", strerror(r));
	printf("waited at least 50 ms: %d\n",
	       (end.tv_sec - start.tv_sec) * 1000000000L + end.tv_nsec - start.tv_nsec >= 50000000L);
	return 0;
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&lock);
	turn = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Blocked threads must sleep: the process uses far less CPU than it waits. */
static int idle(void)
{
	struct rusage ru;
	pthread_t t;
	long us;

	pthread_create(&t, NULL, sleeper, NULL);
	pthread_mutex_lock(&lock);
	while (!turn)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	getrusage(RUSAGE_SELF, &ru);
	us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L +
	     ru.ru_stime.tv_usec;
	printf("woken; cpu time under 100 ms while waiting 200 ms: %d\n", us < 100000);
	if (us >= 100000)
		fprintf(stderr, "cpu time %ld us\n", us);
	return 0;
}

static void *nothing(void *arg)
{
	return arg;
}

static int many(void)
{
	long sum = 0;

	for (long i = 0; i < 200; i++) {
		pthread_t t;
		void *r;

		if (pthread_create(&t, NULL, nothing, (void *)i)) {
			printf("create %ld failed\n", i);
			return 1;
		}
		pthread_join(t, &r);
		sum += (long)r;
	}
	printf("200 threads joined, sum %ld\n", sum);
	return 0;
}

static int pipe_fds[2];

static void *block_in_futex(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;)
		pthread_cond_wait(&cond, &lock);
	return NULL;
}

static void *block_in_read(void *arg)
{
	char c;

	(void)arg;
	return read(pipe_fds[0], &c, 1) < 0 ? NULL : arg;
}

static int exit_while_blocked(void)
{
	pthread_t a, b;
	struct timespec ts = { 0, 50 * 1000000 };

	if (pipe(pipe_fds) < 0)
		return 1;
	pthread_create(&a, NULL, block_in_futex, NULL);
	pthread_create(&b, NULL, block_in_read, NULL);
	nanosleep(&ts, NULL);
	printf("exiting with 3 while two threads block\n");
	fflush(stdout);
	exit(3);
}

static int kill_thread(void)
{
	pthread_t t;
	int r;

	pthread_mutex_lock(&lock);
	pthread_create(&t, NULL, block_in_futex, NULL);
	r = pthread_kill(t, 0);
	printf("pthread_kill(live thread, 0): %s\n", strerror(r));
	r = (int)syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), 0);
	printf("tgkill(self, 0): %d\n", r);
	r = (int)syscall(SYS_tgkill, getpid(), 0x7ffffff0, 0);
	printf("tgkill(no such thread, 0): %d %s\n", r, r ? strerror(errno) : "");
	fflush(stdout);
	_exit(0);
}

static void *crash(void *arg)
{
	printf("thread %s\n", (char *)arg);
	fflush(stdout);
	if (!strcmp(arg, "faults"))
		*(volatile int *)(uintptr_t)arg = *(volatile int *)0;
	abort();
}

/* A thread ends the whole process while the first thread waits. */
static int end_from_thread(const char *how)
{
	pthread_t t;

	pthread_mutex_lock(&lock);
	pthread_create(&t, NULL, crash, (void *)how);
	for (;;)
		pthread_cond_wait(&cond, &lock);
}

static void *hold(void *arg)
{
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

static int limit(int max)
{
	pthread_t t[64];
	int n = 0, r = 0;

	pthread_mutex_lock(&lock);
	while (n < max && n < 64 && (r = pthread_create(&t[n], NULL, hold, NULL)) == 0)
		n++;
	printf("started %d threads; next: %s\n", n, r ? strerror(r) : "not tried");
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "stress";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "stress"))
		return stress();
	if (!strcmp(mode, "pingpong"))
		return pingpong();
	if (!strcmp(mode, "ids"))
		return ids();
	if (!strcmp(mode, "timeout"))
		return timeout();
	if (!strcmp(mode, "idle"))
		return idle();
	if (!strcmp(mode, "many"))
		return many();
	if (!strcmp(mode, "exit"))
		return exit_while_blocked();
	if (!strcmp(mode, "kill"))
		return kill_thread();
	if (!strcmp(mode, "fault"))
		return end_from_thread("faults");
	if (!strcmp(mode, "abort"))
		return end_from_thread("aborts");
	if (!strcmp(mode, "limit"))
		return limit(argc > 2 ? atoi(argv[2]) : 64);
	fprintf(stderr, "unknown mode %s\n", mode);
	return 2;
}
