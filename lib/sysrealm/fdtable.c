/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's descriptor table. The realm's threads are served at once, so
 * every change holds the table's lock. A descriptor closed by one thread
 * while another's call uses it is the realm's own race, as on Linux: the
 * number may meanwhile name another of its files, or a vCPU the monitor
 * made for a new thread, on which the calls a realm can forward (no ioctl
 * beyond terminal requests, no mmap) do nothing; at worst the monitor
 * loses that vCPU and the realm ends.
 */
#include <errno.h>
#include <unistd.h>

#include "sysrealm/fdtable.h"

int fd_host(const struct service *svc, int64_t fd)
{
	int h;

	if (fd < 0 || fd >= SERVICE_MAX_FDS)
		return -EBADF;
	h = __atomic_load_n(&svc->fds[fd], __ATOMIC_ACQUIRE);
	return h < 0 ? -EBADF : h;
}

int fd_install(struct service *svc, int h, int min)
{
	pthread_mutex_lock(&svc->fd_lock);
	for (int fd = min < 0 ? 0 : min; fd < SERVICE_MAX_FDS; fd++) {
		if (svc->fds[fd] < 0) {
			__atomic_store_n(&svc->fds[fd], h, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&svc->fd_lock);
			return fd;
		}
	}
	pthread_mutex_unlock(&svc->fd_lock);
	close(h);
	return -EMFILE;
}

int fd_install_at(struct service *svc, int h, int fd)
{
	int old;

	if (fd < 0 || fd >= SERVICE_MAX_FDS) {
		close(h);
		return -EBADF;
	}
	pthread_mutex_lock(&svc->fd_lock);
	old = svc->fds[fd];
	__atomic_store_n(&svc->fds[fd], h, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&svc->fd_lock);
	if (old >= 0)
		close(old);
	return fd;
}

int fd_close(struct service *svc, int64_t fd)
{
	int h;

	if (fd < 0 || fd >= SERVICE_MAX_FDS)
		return -EBADF;
	pthread_mutex_lock(&svc->fd_lock);
	h = svc->fds[fd];
	__atomic_store_n(&svc->fds[fd], -1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&svc->fd_lock);
	if (h < 0)
		return -EBADF;
	return close(h) < 0 && errno != EINTR ? -errno : 0;
}
