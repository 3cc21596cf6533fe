/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serving a forwarded call. The layout is recomputed from the shared table
 * and the copied header, never taken from the realm; every byte the host
 * interprets (paths, structures) is copied once into host-private memory
 * before use; plain data buffers the host never reads (the payload of read
 * and write) are handed to the kernel in place. Descriptors are translated
 * through the realm's own table.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/syscall_layout.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "sysrealm/fdtable.h"
#include "sysrealm/fdwait.h"
#include "sysrealm/msg_calls.h"
#include "sysrealm/raw.h"
#include "sysrealm/service.h"

int service_init(struct service *svc)
{
	pthread_mutex_init(&svc->fd_lock, NULL);
	sigfd_init(&svc->sigfds);
	for (int i = 0; i < SERVICE_MAX_FDS; i++)
		svc->fds[i] = -1;
	for (int i = 0; i < 3; i++) {
		/* a host descriptor's FD_CLOEXEC is the realm's own flag (execve) */
		int h = fcntl(i, F_DUPFD, 3);

		/* a closed stdio stays closed in the realm too */
		if (h >= 0)
			svc->fds[i] = h;
	}
	return 0;
}

void service_fini(struct service *svc)
{
	for (int i = 0; i < SERVICE_MAX_FDS; i++)
		if (svc->fds[i] >= 0)
			close(svc->fds[i]);
	sigfd_fini(&svc->sigfds);
}

static int64_t dup_to(struct service *svc, long host, int64_t target, int cloexec)
{
	int h;

	if (target < 0 || target >= SERVICE_MAX_FDS)
		return -EBADF;
	h = fcntl((int)host, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 3);
	if (h < 0)
		return -errno;
	return fd_install_at(svc, h, (int)target);
}

/* Two new host descriptors into the realm's table, renumbered in place. */
static int64_t install_pair(struct service *svc, int fds[2])
{
	int r0, r1;

	r0 = fd_install(svc, fds[0], 0);
	if (r0 < 0) {
		close(fds[1]);
		return r0;
	}
	r1 = fd_install(svc, fds[1], 0);
	if (r1 < 0) {
		fd_close(svc, r0);
		return r1;
	}
	fds[0] = r0;
	fds[1] = r1;
	return 0;
}

static int64_t do_pipe(struct service *svc, uint64_t nr, const long a[6])
{
	int *fds = (int *)a[0];
	long flags = nr == SYS_pipe2 ? a[1] : 0; /* pipe() has no second argument */

	if (syscall(SYS_pipe2, fds, (int)flags) < 0)
		return -errno;
	return install_pair(svc, fds);
}

static int64_t do_socketpair(struct service *svc, const long a[6])
{
	int *fds = (int *)a[3];

	if (syscall(SYS_socketpair, a[0], a[1], a[2], fds) < 0)
		return -errno;
	return install_pair(svc, fds);
}

static int64_t close_range_realm(struct service *svc, uint64_t first, uint64_t last, uint64_t flags)
{
	if (first > last || (flags & ~(uint64_t)(1u << 2))) /* only CLOSE_RANGE_CLOEXEC */
		return -EINVAL;
	for (uint64_t fd = first; fd <= last && fd < SERVICE_MAX_FDS; fd++) {
		int h = fd_host(svc, (int64_t)fd);

		if (h < 0)
			continue;
		if (flags)
			fcntl(h, F_SETFD, FD_CLOEXEC);
		else
			fd_close(svc, (int64_t)fd);
	}
	return 0;
}

/* Calls that touch the descriptor table itself or could reach past the realm. */
static int64_t dispatch(struct service *svc, uint64_t nr, const uint64_t args[6], long a[6])
{
	int64_t served;
	long r;

	if (service_process_call(svc, nr, args, &served))
		return served;
	switch (nr) {
	case SYS_close:
		return fd_close(svc, (int64_t)args[0]);
	case SYS_dup2:
		if (args[0] == args[1])
			return (int64_t)args[1];
		return dup_to(svc, a[0], (int64_t)args[1], 0);
	case SYS_dup3:
		if (args[0] == args[1] || (args[2] & ~(uint64_t)O_CLOEXEC))
			return -EINVAL;
		return dup_to(svc, a[0], (int64_t)args[1], args[2] & O_CLOEXEC);
	case SYS_fcntl:
		if (args[1] == F_DUPFD || args[1] == F_DUPFD_CLOEXEC) {
			int h;

			if (args[2] >= SERVICE_MAX_FDS)
				return -EINVAL;
			h = fcntl((int)a[0], (int)args[1], 3);
			return h < 0 ? -errno : fd_install(svc, h, (int)args[2]);
		}
		break;
	case SYS_pipe:
	case SYS_pipe2:
		return do_pipe(svc, nr, a);
	case SYS_socketpair:
		return do_socketpair(svc, a);
	case SYS_poll:
	case SYS_ppoll:
		return fdwait_poll(svc, nr, args[1], a);
	case SYS_select:
	case SYS_pselect6:
		return fdwait_select(svc, nr, args[0], a);
	case SYS_sendmsg:
	case SYS_recvmsg:
		return msg_call(svc, nr, args, a);
	case SYS_close_range:
		return close_range_realm(svc, args[0], args[1], args[2]);
	case SYS_signalfd:
	case SYS_signalfd4:
		return sigfd_call(svc, nr, args, a);
	case SYS_read:
		if (sigfd_read_reply(svc, a[0], args[2], (uint8_t *)a[1], &served))
			return served;
		break;
	case SYS_prlimit64:
	case SYS_getpgid:
	case SYS_getsid:
	case SYS_sched_getaffinity:
		/* about the realm itself only: other host processes are not its business */
		if (args[0] != 0 && (pid_t)args[0] != getpid())
			return nr == SYS_prlimit64 ? -EPERM : -ESRCH;
		break;
	default:
		break;
	}
	r = sys_raw(nr, a);
	if (r >= 0 && (fasco_sys_spec(nr)->flags & FASCO_SYSF_RET_FD))
		return fd_install(svc, (int)r, 0);
	return r;
}

/* Turn argument i into what the host kernel gets. */
static int64_t host_arg(struct service *svc, const struct fasco_layout *lay, unsigned i,
			uint64_t v, int present, uint8_t *data, uint8_t *priv, long *out)
{
	uint8_t *p;

	switch (lay->kind[i]) {
	case FASCO_ARG_VAL:
		*out = (long)v;
		return 0;
	case FASCO_ARG_DIRFD:
		if ((int)v == AT_FDCWD) {
			*out = AT_FDCWD;
			return 0;
		}
		/* fall through */
	case FASCO_ARG_FD:
		*out = fd_host(svc, (int64_t)v);
		return *out < 0 ? *out : 0;
	default:
		break;
	}
	if (!present) {
		*out = 0;
		return 0;
	}
	if (lay->flags[i] & FASCO_ARGF_OPAQUE) {
		*out = (long)(data + lay->off[i]);
		return 0;
	}
	p = priv + lay->off[i];
	if (lay->kind[i] == FASCO_ARG_OUT)
		memset(p, 0, lay->len[i]); /* never leak host memory into the realm */
	else
		memcpy(p, data + lay->off[i], lay->len[i]);
	if (lay->kind[i] == FASCO_ARG_STR && p[lay->len[i] - 1] != '\0')
		return -EINVAL;
	*out = (long)p;
	return 0;
}

int service_check_header(const struct fasco_slot_header *hdr)
{
	if (hdr->magic != FASCO_SLOT_MAGIC)
		return fasco_fail(FASCO_E_PROTOCOL, "bad slot magic 0x%x", hdr->magic);
	switch (hdr->op) {
	case FASCO_OP_SYSCALL:
	case FASCO_OP_EXIT:
	case FASCO_OP_FAULT:
	case FASCO_OP_FLUSH:
	case FASCO_OP_PANIC:
	case FASCO_OP_FORK:
	case FASCO_OP_EXEC:
	case FASCO_OP_THREAD_START:
	case FASCO_OP_THREAD_EXIT:
	case FASCO_OP_SIGNALS:
	case FASCO_OP_MEASURE_EXEC:
	case FASCO_OP_POPULATE:
		return 0;
	default:
		return fasco_fail(FASCO_E_PROTOCOL, "unknown operation %u", hdr->op);
	}
}

int64_t service_syscall(struct service *svc, const struct fasco_slot_header *hdr, uint8_t *data)
{
	return service_syscall_with(svc, hdr, data, svc->priv);
}

/* Threads of a realm are served at once, each with its own private copy. */
int64_t service_syscall_with(struct service *svc, const struct fasco_slot_header *hdr,
			     uint8_t *data, uint8_t *priv)
{
	const struct fasco_sys_spec *spec = fasco_sys_spec(hdr->nr);
	uint32_t mask = hdr->ptr_mask & 0x3f;
	struct fasco_layout lay;
	uint64_t args[6];
	long a[6];
	int64_t ret;

	if (!spec || spec->kind != FASCO_SYS_FORWARD) {
		__atomic_add_fetch(&svc->unsupported, 1, __ATOMIC_RELAXED);
		if (hdr->nr < 512)
			__atomic_add_fetch(&svc->per_syscall[hdr->nr], 1, __ATOMIC_RELAXED);
		return -ENOSYS;
	}
	__atomic_add_fetch(&svc->forwarded, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&svc->per_syscall[hdr->nr], 1, __ATOMIC_RELAXED);
	memcpy(args, hdr->args, sizeof(args));
	if ((ret = fasco_sys_layout(hdr->nr, args, mask, 0, &lay)) < 0)
		return ret;
	for (unsigned i = 0; i < 6; i++)
		if ((ret = host_arg(svc, &lay, i, args[i], (mask >> i) & 1, data, priv, &a[i])) < 0)
			return ret;

	ret = dispatch(svc, hdr->nr, args, a);
	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < 6; i++) {
		if (!((mask >> i) & 1) || lay.kind[i] < FASCO_ARG_OUT || (lay.flags[i] & FASCO_ARGF_OPAQUE))
			continue;
		memcpy(data + lay.off[i], priv + lay.off[i], lay.len[i]);
	}
	return ret;
}
