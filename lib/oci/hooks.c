/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/hooks.h"

/* The state as a file the hook reads from its start: no pipe to block on. */
static int state_memfd(const char *state, size_t len)
{
	int fd = memfd_create("oci-state", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return fasco_fail_errno("memfd_create");
	while (off < len) {
		ssize_t n = write(fd, state + off, len - off);

		if (n <= 0) {
			close(fd);
			return fasco_fail_errno("write hook state");
		}
		off += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

__attribute__((noreturn)) static void exec_hook(const struct oci_hook *h, int stdin_fd)
{
	char *default_argv[] = { h->path, NULL };
	char *empty_env[] = { NULL };
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(stdin_fd, 0) < 0 || dup2(2, 1) < 0)
		_exit(127);
	syscall(SYS_close_range, 3, ~0u, 0);
	execve(h->path, h->args.n ? h->args.v : default_argv, h->env.n ? h->env.v : empty_env);
	dprintf(2, "hook %s: %s\n", h->path, strerror(errno));
	_exit(127);
}

/* Wait for the hook, killing it at the deadline; returns its wait status. */
static int wait_hook(pid_t pid, int64_t timeout_s, int *ret_status)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct timespec start, now;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int64_t waited_ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		waited_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited_ms >= timeout_s * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -ETIMEDOUT;
		}
		if (pidfd < 0 || poll(&pfd, 1, (int)(timeout_s * 1000 - waited_ms)) > 0) {
			/* without a pidfd the wait cannot time out; it still ends */
			if (waitpid(pid, &status, 0) == pid)
				break;
			if (errno != EINTR)
				return fasco_fail_errno("wait for hook");
		}
	}
	*ret_status = status;
	return 0;
}

static int run_one(const struct oci_hook *h, const char *kind, const char *state, size_t len)
{
	_cleanup_close_ int fd = state_memfd(state, len);
	int64_t timeout = h->timeout > 0 ? h->timeout : OCI_HOOK_DEFAULT_TIMEOUT_S;
	int status, r;
	pid_t pid;

	if (fd < 0)
		return fd;
	pid = fork();
	if (pid < 0)
		return fasco_fail_errno("fork %s hook", kind);
	if (pid == 0)
		exec_hook(h, fd);
	r = wait_hook(pid, timeout, &status);
	if (r == -ETIMEDOUT)
		return fasco_fail(r, "%s hook %s: timed out after %lld s", kind, h->path,
				  (long long)timeout);
	if (r < 0)
		return r;
	if (WIFSIGNALED(status))
		return fasco_fail(-ECHILD, "%s hook %s: killed by signal %d", kind, h->path,
				  WTERMSIG(status));
	if (WEXITSTATUS(status))
		return fasco_fail(-ECHILD, "%s hook %s: exited with status %d", kind, h->path,
				  WEXITSTATUS(status));
	return 0;
}

int oci_hooks_run(const struct oci_hook_list *hooks, enum oci_hook_kind kind, const char *state,
		  size_t state_len)
{
	const struct oci_hook_list *list = &hooks[kind];

	for (size_t i = 0; i < list->n; i++) {
		int r = run_one(&list->v[i], oci_hook_kind_name(kind), state, state_len);

		if (r < 0)
			return r;
	}
	return 0;
}
