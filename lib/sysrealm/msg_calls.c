/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sendmsg and recvmsg as the shim flattens them (abi/msg_wire.h). The meta
 * buffer is the host-private copy; its lengths are checked against the
 * buffer the layout gave before anything is read. Descriptors passed in
 * SCM_RIGHTS are realm numbers in the realm and host descriptors here: a
 * sent one must name a descriptor of the realm's own table, a received one
 * is installed in that table (and closed when it cannot be).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "abi/msg_wire.h"
#include "sysrealm/fdtable.h"
#include "sysrealm/msg_calls.h"

/* The meta buffer of meta_len bytes, or NULL when its lengths do not fit it. */
static struct fasco_msg_meta *meta_checked(long meta, uint64_t meta_len)
{
	struct fasco_msg_meta *m = (struct fasco_msg_meta *)meta;

	if (!m || meta_len < FASCO_MSG_META_SIZE || m->name_len > FASCO_MSG_NAME_MAX ||
	    m->control_len > FASCO_MSG_CONTROL_MAX || m->reserved ||
	    meta_len != FASCO_MSG_META_SIZE + m->control_len)
		return NULL;
	return m;
}

static void msghdr_of(struct msghdr *h, struct iovec *iov, struct fasco_msg_meta *m, long payload,
		      uint64_t payload_len)
{
	iov->iov_base = (void *)payload;
	iov->iov_len = payload_len;
	*h = (struct msghdr){
		.msg_name = m->name_len ? m->name : NULL,
		.msg_namelen = m->name_len,
		.msg_iov = iov,
		.msg_iovlen = 1,
		.msg_control = m->control_len ? (void *)(m + 1) : NULL,
		.msg_controllen = m->control_len,
	};
}

static int is_rights(const struct cmsghdr *c)
{
	return c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS;
}

static int rights_count(const struct cmsghdr *c)
{
	return (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
}

/* Realm numbers in SCM_RIGHTS become host descriptors (the kernel checks
 * the rest of the control data as it would for the program). */
static int64_t rights_to_host(struct service *svc, struct msghdr *h)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		int *fds = (int *)CMSG_DATA(c);

		if (c->cmsg_len < CMSG_LEN(0) ||
		    c->cmsg_len > h->msg_controllen - ((uint8_t *)c - (uint8_t *)h->msg_control))
			return -EINVAL;
		if (!is_rights(c))
			continue;
		for (int i = 0; i < rights_count(c); i++) {
			int host = fd_host(svc, fds[i]);

			if (host < 0)
				return -EBADF;
			fds[i] = host;
		}
	}
	return 0;
}

/*
 * Received host descriptors become realm numbers. One that does not fit the
 * table is closed with the rest of its message, which is cut there and
 * flagged MSG_CTRUNC, as the kernel does when the program's space runs out.
 */
static void rights_to_realm(struct service *svc, struct msghdr *h)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		int *fds = (int *)CMSG_DATA(c), n;

		if (!is_rights(c))
			continue;
		n = rights_count(c);
		for (int i = 0; i < n; i++) {
			int fd = fd_install(svc, fds[i], 0);

			if (fd >= 0) {
				fds[i] = fd;
				continue;
			}
			for (int j = i + 1; j < n; j++)
				close(fds[j]);
			c->cmsg_len = CMSG_LEN((size_t)i * sizeof(int));
			h->msg_controllen = (size_t)((uint8_t *)c - (uint8_t *)h->msg_control) + c->cmsg_len;
			h->msg_flags |= MSG_CTRUNC;
			return;
		}
	}
}

int64_t msg_call(struct service *svc, uint64_t nr, const uint64_t args[6], const long a[6])
{
	struct fasco_msg_meta *m = meta_checked(a[1], args[2]);
	struct msghdr h;
	struct iovec iov;
	ssize_t r;

	if (!m)
		return -EINVAL;
	msghdr_of(&h, &iov, m, a[3], args[4]);
	if (nr == SYS_sendmsg) {
		int64_t ret = rights_to_host(svc, &h);

		if (ret < 0)
			return ret;
		r = sendmsg((int)a[0], &h, (int)args[5]);
		return r < 0 ? -errno : r;
	}
	r = recvmsg((int)a[0], &h, (int)args[5]);
	if (r < 0)
		return -errno;
	rights_to_realm(svc, &h);
	m->name_len = h.msg_namelen;
	m->control_len = (uint32_t)h.msg_controllen;
	m->msg_flags = (uint32_t)h.msg_flags;
	return r;
}
