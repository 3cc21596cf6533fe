/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <unistd.h>

#include "sysrealm/fdtable.h"

int fd_host(const struct service *svc, int64_t fd)
{
	if (fd < 0 || fd >= SERVICE_MAX_FDS || svc->fds[fd] < 0)
		return -EBADF;
	return svc->fds[fd];
}

int fd_install(struct service *svc, int h, int min)
{
	for (int fd = min < 0 ? 0 : min; fd < SERVICE_MAX_FDS; fd++) {
		if (svc->fds[fd] < 0) {
			svc->fds[fd] = h;
			return fd;
		}
	}
	close(h);
	return -EMFILE;
}

int fd_install_at(struct service *svc, int h, int fd)
{
	if (fd < 0 || fd >= SERVICE_MAX_FDS) {
		close(h);
		return -EBADF;
	}
	if (svc->fds[fd] >= 0)
		close(svc->fds[fd]);
	svc->fds[fd] = h;
	return fd;
}

int fd_close(struct service *svc, int64_t fd)
{
	int h = fd_host(svc, fd);

	if (h < 0)
		return h;
	svc->fds[fd] = -1;
	return close(h) < 0 && errno != EINTR ? -errno : 0;
}
