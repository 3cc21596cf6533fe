/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process creation latency, timed inside the process so the same binary
 * runs natively and in a realm:
 *   spawn_rt [ITERATIONS] [PROGRAM]
 * prints "<name> <median ns>" for fork + _exit + waitpid, fork + execve of
 * this program (which exits at once) + waitpid, and fork + execve of
 * PROGRAM (default /bin/busybox true) + waitpid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One fork (+ exec of argv when given) + wait; its time in ns, <0 on error. */
static double once(char *const argv[])
{
	double t = now_ns();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (argv)
			execv(argv[0], argv);
		_exit(argv ? 127 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now_ns() - t;
}

static int measure(const char *name, long n, char *const argv[])
{
	double *t = calloc((size_t)n, sizeof(*t));

	if (!t)
		return 1;
	for (long i = 0; i < n; i++)
		if ((t[i] = once(argv)) < 0) {
			fprintf(stderr, "%s: a child failed\n", name);
			return 1;
		}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%s %.0f\n", name, t[n / 2]);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 50;
	char *self[] = { argv[0], "exit", NULL };
	char *prog[] = { argc > 2 ? argv[2] : "/bin/busybox", "true", NULL };

	if (argc > 1 && strcmp(argv[1], "exit") == 0)
		return 0;
	if (n <= 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	return measure("fork_wait", n, NULL) || measure("fork_exec_self_wait", n, self) ||
	       measure("fork_exec_busybox_wait", n, prog);
}
