/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parent's side of the keeper (create's and exec's): fork it with its
 * pipes, read its reports, commit it. Until the commit the keeper dies
 * with its parent (PDEATHSIG), so a command killed early leaves nothing
 * running.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

/* Move fd to at least min (the keeper keeps fds below for --preserve-fds). */
static int lift_fd(int *fd, int min)
{
	int moved;

	if (!fd || *fd < 0 || *fd >= min)
		return 0;
	moved = fcntl(*fd, F_DUPFD_CLOEXEC, min);
	if (moved < 0)
		return -errno;
	close(*fd);
	*fd = moved;
	return 0;
}

void keeper_pipes_close(struct keeper_pipes *kp)
{
	int *fds[] = { &kp->report[0], &kp->report[1], &kp->commit[0], &kp->commit[1] };

	for (size_t i = 0; i < 4; i++)
		if (*fds[i] >= 0)
			close(*fds[i]), *fds[i] = -1;
}

pid_t keeper_spawn(struct keeper_args *a, int *dirfd, int *tty, struct keeper_pipes *kp)
{
	int min = 3 + a->preserve_fds;
	pid_t pid;

	*kp = (struct keeper_pipes){ { -1, -1 }, { -1, -1 } };
	if (pipe2(kp->report, O_CLOEXEC) < 0 || pipe2(kp->commit, O_CLOEXEC) < 0 ||
	    lift_fd(&kp->report[1], min) < 0 || lift_fd(&kp->commit[0], min) < 0 ||
	    lift_fd(dirfd, min) < 0 || lift_fd(tty, min) < 0) {
		pid = -errno;
		keeper_pipes_close(kp);
		return pid;
	}
	a->parent = getpid();
	a->dirfd = dirfd ? *dirfd : -1;
	a->tty_fd = tty ? *tty : -1;
	a->report_fd = kp->report[1];
	a->commit_fd = kp->commit[0];
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		keeper_main(a);
	if (pid < 0) {
		pid = -errno;
		keeper_pipes_close(kp);
		return pid;
	}
	close(kp->report[1]);
	close(kp->commit[0]);
	kp->report[1] = kp->commit[0] = -1;
	return pid;
}

int keeper_read_report(int fd, struct keeper_report *rep)
{
	size_t got = 0;

	while (got < sizeof(*rep)) {
		ssize_t n = read(fd, (char *)rep + got, sizeof(*rep) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		got += (size_t)n;
	}
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	return 0;
}

int keeper_commit(const struct keeper_pipes *kp)
{
	struct keeper_report rep;

	if (write(kp->commit[1], "c", 1) != 1 || keeper_read_report(kp->report[0], &rep) < 0 ||
	    rep.code < 0)
		return -EPIPE;
	return 0;
}
