/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process.terminal: a pseudo-terminal whose master is sent over the
 * --console-socket (SCM_RIGHTS, with the pty's name as data, as runc
 * does); the slave becomes the container's stdio and controlling tty.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "common/error.h"

static int send_fd(int sock, int fd, const char *name)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? fasco_fail_errno("send the console") : 0;
}

int console_setup(const char *socket_path, int *ret_slave)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_close_ int sock = -1, master = -1, slave = -1;
	char name[128];
	int r;

	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return fasco_fail(-ENAMETOOLONG, "%s: path too long", socket_path);
	strcpy(addr.sun_path, socket_path);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return fasco_fail_errno("connect to %s", socket_path);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, name, sizeof(name)) != 0)
		return fasco_fail_errno("pseudo-terminal");
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return fasco_fail_errno("open %s", name);
	if ((r = send_fd(sock, master, name)) < 0)
		return r;
	*ret_slave = take_fd(slave);
	return 0;
}
