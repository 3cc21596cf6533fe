/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exec processes in the container's directory: exec-<pid> holds
 * "<pid> <start time>" (the start time guards against pid reuse, as for the
 * container process). A record whose process is gone is stale: removed
 * when found. The directory's removal (delete) removes them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/proc.h"
#include "oci/store.h"

#define EXEC_PREFIX "exec-"
#define EXEC_KILL_TIMEOUT_MS 10000

int exec_record(int dirfd, pid_t pid)
{
	char name[32], text[64];
	uint64_t start;
	char st;
	int n, r;

	if ((r = oci_proc_stat(pid, &start, &st)) < 0)
		return r;
	snprintf(name, sizeof(name), EXEC_PREFIX "%d", (int)pid);
	n = snprintf(text, sizeof(text), "%d %" PRIu64 "\n", (int)pid, start);
	/* a crash of the machine ends the exec: only a killed fasco-oci matters */
	return oci_write_atomic_as(dirfd, name, text, (size_t)n, 0600, OCI_VOLATILE);
}

/* The record's process, or -ESRCH (and the record removed) if it is gone. */
static int exec_open(int dirfd, const char *name, int *ret_pidfd, pid_t *ret_pid)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long start;
	size_t len;
	int pid, r;

	if (oci_read_file(dirfd, name, 64, &text, &len) < 0 ||
	    sscanf(text, "%d %llu", &pid, &start) != 2 || pid <= 0 ||
	    (r = oci_proc_pidfd(pid, start, ret_pidfd)) < 0) {
		unlinkat(dirfd, name, 0);
		return -ESRCH;
	}
	*ret_pid = pid;
	return 0;
}

struct exec_visit {
	int (*fn)(int pidfd, pid_t pid, void *arg);
	void *arg;
	int first_error;
};

static int visit_exec(int dfd, const char *entry, void *arg)
{
	struct exec_visit *v = arg;
	int pidfd, r;
	pid_t pid;

	if (strncmp(entry, EXEC_PREFIX, strlen(EXEC_PREFIX)) || exec_open(dfd, entry, &pidfd, &pid) < 0)
		return 0;
	r = v->fn(pidfd, pid, v->arg);
	close(pidfd);
	if (r < 0 && !v->first_error)
		v->first_error = r;
	return 0;
}

/* Call fn on the pidfd of every live exec process; the first error is returned. */
static int execs_each(int dirfd, int (*fn)(int pidfd, pid_t pid, void *arg), void *arg)
{
	struct exec_visit v = { fn, arg, 0 };
	int r = oci_dir_each(dirfd, ".", visit_exec, &v);

	return r < 0 ? r : v.first_error;
}

static int send_signal(int pidfd, pid_t pid, void *arg)
{
	(void)pid;
	return syscall(SYS_pidfd_send_signal, pidfd, *(int *)arg, NULL, 0) < 0 ? -errno : 0;
}

void execs_signal(int dirfd, int signo)
{
	execs_each(dirfd, send_signal, &signo);
}

static int kill_wait(int pidfd, pid_t pid, void *arg)
{
	(void)pid;
	(void)arg;
	return oci_pidfd_kill_wait(pidfd, EXEC_KILL_TIMEOUT_MS);
}

int execs_kill_wait(int dirfd)
{
	return execs_each(dirfd, kill_wait, NULL);
}

struct pid_list {
	pid_t *v;
	size_t n, cap;
};

static int collect(int pidfd, pid_t pid, void *arg)
{
	struct pid_list *l = arg;

	(void)pidfd;
	if (l->n < l->cap)
		l->v[l->n++] = pid;
	return 0;
}

size_t execs_pids(int dirfd, pid_t *out, size_t cap)
{
	struct pid_list l = { out, 0, cap };

	execs_each(dirfd, collect, &l);
	return l.n;
}
