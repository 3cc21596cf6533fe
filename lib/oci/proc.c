/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/proc.h"

int oci_proc_info(pid_t pid, struct oci_proc_info *ret)
{
	char path[64], buf[1024], *c, *end;
	unsigned long long v[OCI_STAT_FIELDS] = { 0 };
	_cleanup_close_ int fd = -1;
	const char *name;
	ssize_t n;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	/* the command name may hold anything, ')' included: fields follow the last ')' */
	name = strchr(buf, '(');
	c = strrchr(buf, ')');
	if (!name || !c || c < name || c[1] != ' ' || !c[2])
		return -EIO;
	*ret = (struct oci_proc_info){ .state = c[2] };
	snprintf(ret->comm, sizeof(ret->comm), "%.*s", (int)(c - name - 1), name + 1);
	/* fields 4 (ppid) .. 24 (rss), numbered as in proc(5) */
	c += 3;
	for (int field = 4; field < 4 + OCI_STAT_FIELDS; field++) {
		v[field - 4] = strtoull(c, &end, 10);
		if (end == c)
			return -EIO;
		c = end;
	}
	ret->ppid = (pid_t)v[4 - 4];
	ret->pgrp = (pid_t)v[5 - 4];
	ret->utime = v[14 - 4];
	ret->stime = v[15 - 4];
	ret->threads = v[20 - 4];
	ret->start_time = v[22 - 4];
	ret->rss_pages = v[24 - 4];
	return 0;
}

int oci_proc_stat(pid_t pid, uint64_t *ret_start_time, char *ret_state)
{
	struct oci_proc_info info;
	int r = oci_proc_info(pid, &info);

	if (r < 0)
		return r;
	*ret_start_time = info.start_time;
	*ret_state = info.state;
	return 0;
}

bool oci_proc_alive(pid_t pid, uint64_t start_time)
{
	uint64_t st;
	char state;

	if (oci_proc_stat(pid, &st, &state) < 0)
		return false;
	if (state == 'Z' || state == 'X')
		return false;
	return start_time == 0 || st == start_time;
}

int oci_proc_pidfd(pid_t pid, uint64_t start_time, int *ret_fd)
{
	_cleanup_close_ int fd = -1;

	if (pid <= 0)
		return -ESRCH;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	/* checked after opening: the pidfd now pins this very process */
	if (!oci_proc_alive(pid, start_time))
		return -ESRCH;
	*ret_fd = take_fd(fd);
	return 0;
}

int oci_pidfd_kill_wait(int pidfd, int timeout_ms)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	/* a pidfd is readable once the process has exited, reaped or not */
	return poll(&pfd, 1, timeout_ms) > 0 ? 0 : -ETIMEDOUT;
}

int oci_proc_kill_wait(pid_t pid, uint64_t start_time, int timeout_ms)
{
	_cleanup_close_ int pidfd = -1;

	if (oci_proc_pidfd(pid, start_time, &pidfd) < 0)
		return 0; /* already gone */
	return oci_pidfd_kill_wait(pidfd, timeout_ms);
}
