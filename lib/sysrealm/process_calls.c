/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process calls served for a realm. The host's process tree mirrors the
 * realm's (one monitor per realm process), so wait4, waitid, getppid and
 * setpgid are the host kernel's own. Signals are not left to it: the
 * monitor runs with the library caller's credentials and could reach any
 * of its processes, so a realm may signal only realms of its own tree:
 * itself, the first realm, its parent and its children (and the process
 * groups they lead). Descriptor numbers (P_PIDFD) are the realm's, not
 * the host's: refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysrealm/service.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* Is pid a child of this monitor (waited for by nobody yet)? */
static int is_child(pid_t pid)
{
	siginfo_t si;

	return waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT) == 0;
}

static int in_tree(const struct service *svc, pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (pid == getpid() || pid == svc->tree_root)
		return 1;
	if (svc->tree_parent && pid == svc->tree_parent && pid == getppid())
		return 1;
	return is_child(pid);
}

static int64_t realm_kill(const struct service *svc, int64_t pid, int sig)
{
	pid_t target = pid == 0 ? getpgrp() : (pid_t)(pid < 0 ? -pid : pid);

	if (pid == -1 || pid < -(int64_t)0x7fffffff || pid > 0x7fffffff)
		return -EPERM; /* every process the caller may signal: not a realm's */
	if (!in_tree(svc, target))
		return pid > 0 ? -ESRCH : -EPERM;
	/* a group is the realm's when a realm of the tree leads it */
	if (pid <= 0 && getpgid(target) != target)
		return -EPERM;
	return kill(pid == 0 ? 0 : (pid_t)pid, sig) < 0 ? -errno : 0;
}

int service_process_call(struct service *svc, uint64_t nr, const uint64_t args[6], int64_t *ret)
{
	switch (nr) {
	case SYS_kill:
		*ret = realm_kill(svc, (int64_t)args[0], (int)args[1]);
		return 1;
	case SYS_tkill:
	case SYS_tgkill: {
		/* one thread per realm process: its thread id is its pid */
		uint64_t tid = nr == SYS_tkill ? args[0] : args[1];

		if (nr == SYS_tgkill && args[0] != tid)
			*ret = -ESRCH;
		else
			*ret = realm_kill(svc, (int64_t)(int32_t)tid > 0 ? (int64_t)(int32_t)tid : -1,
					  (int)(nr == SYS_tkill ? args[1] : args[2]));
		return 1;
	}
	case SYS_waitid:
		if (args[0] == P_PIDFD) {
			*ret = -EINVAL;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

void service_exec(struct service *svc)
{
	for (int fd = 0; fd < SERVICE_MAX_FDS; fd++) {
		int flags = svc->fds[fd] >= 0 ? fcntl(svc->fds[fd], F_GETFD) : 0;

		if (flags > 0 && (flags & FD_CLOEXEC)) {
			close(svc->fds[fd]);
			svc->fds[fd] = -1;
		}
	}
}
