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

int oci_proc_stat(pid_t pid, uint64_t *ret_start_time, char *ret_state)
{
	char path[64], buf[1024];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	char *c;
	unsigned long long start;

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
	c = strrchr(buf, ')');
	if (!c || c[1] != ' ' || !c[2])
		return -EIO;
	*ret_state = c[2];
	/* after ") S": fields 4..21, then starttime (22) */
	c += 3;
	for (int field = 3; field < 22; field++) {
		c = strchr(c, ' ');
		if (!c)
			return -EIO;
		c++;
	}
	if (sscanf(c, "%llu", &start) != 1)
		return -EIO;
	*ret_start_time = start;
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
