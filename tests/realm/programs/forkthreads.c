/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fork and execve from a process with several threads: the child of a fork
 * has only the thread that forked (from the main thread or another), can
 * start threads of its own, allocate and print, or execve a new image (as
 * subprocess modules do from a threaded program). Prints the same natively
 * and in a realm.
 *   forkthreads fork-main|fork-thread|spawn-thread
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released;
static char *self;

static void *sleeper(void *arg)
{
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *child_worker(void *arg)
{
	char *buf = malloc(1 << 20);

	memset(buf, 'c', 1 << 20);
	*(long *)arg = buf[12345] == 'c';
	free(buf);
	return NULL;
}

/* In a fork's child: only this thread, which can start and join another. */
static int child_body(void)
{
	pthread_t t;
	long ok = 0;

	if (pthread_create(&t, NULL, child_worker, &ok) != 0 || pthread_join(t, NULL) != 0)
		return 3;
	printf("child: a thread of its own %s\n", ok ? "ran" : "failed");
	fflush(stdout);
	return 5;
}

static int spawn;

static int fork_and_wait(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0 && spawn) {
		execl(self, self, "after-exec", (char *)NULL);
		_exit(9);
	}
	if (pid == 0)
		_exit(child_body());
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void *forking_thread(void *arg)
{
	*(int *)arg = fork_and_wait();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_t sleepers[3], t;
	int status = -1;

	self = argv[0];
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "after-exec")) {
		printf("child: the new image runs\n");
		return 6;
	}
	for (int i = 0; i < 3; i++)
		pthread_create(&sleepers[i], NULL, sleeper, NULL);
	if (!strcmp(mode, "fork-main")) {
		status = fork_and_wait();
	} else if (!strcmp(mode, "fork-thread") || !strcmp(mode, "spawn-thread")) {
		spawn = mode[0] == 's';
		pthread_create(&t, NULL, forking_thread, &status);
		pthread_join(t, NULL);
	} else {
		fprintf(stderr, "usage: forkthreads fork-main|fork-thread|spawn-thread\n");
		return 2;
	}
	printf("parent: child exited %d\n", status);
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < 3; i++)
		pthread_join(sleepers[i], NULL);
	printf("parent: its threads joined\n");
	return 0;
}
