/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sendmsg/recvmsg as the shim flattens them (abi/msg_wire.h): descriptors
 * passed with SCM_RIGHTS are realm numbers on both sides, a meta buffer
 * whose lengths lie is refused before it is read, control data pointing
 * past its buffer or naming a descriptor the realm does not hold is
 * refused, and descriptors received into a full table are closed, flagged
 * MSG_CTRUNC, never leaked.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/msg_wire.h"
#include "abi/syscall_layout.h"
#include "service_test.h"
#include "sysrealm/fdtable.h"

/* Where the meta buffer and the payload go, as the shim lays them out. */
static struct fasco_layout lay;

static struct fasco_msg_meta *meta_at(uint64_t nr, uint32_t control_len, uint64_t payload, uint64_t args[6])
{
	args[2] = FASCO_MSG_META_SIZE + control_len;
	args[4] = payload;
	ck_assert_int_eq(fasco_sys_layout(nr, args, 0x1a, 1, &lay), 0);
	memset(data + lay.off[1], 0, args[2]);
	return (struct fasco_msg_meta *)(data + lay.off[1]);
}

/* sendmsg of one byte over realm socket s with SCM_RIGHTS of n realm fds. */
static int64_t send_rights(int s, const int *fds, int n)
{
	uint64_t args[6] = { (uint64_t)s, 0, 0, 0, 0, 0 };
	struct fasco_msg_meta *m = meta_at(SYS_sendmsg, CMSG_SPACE(n * sizeof(int)), 1, args);
	struct cmsghdr *c = (struct cmsghdr *)(m + 1);

	m->control_len = CMSG_SPACE(n * sizeof(int));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	data[lay.off[3]] = 'x';
	return serve(SYS_sendmsg, 0x1a, args);
}

/* recvmsg of one byte with room for `room` descriptors; the meta back. */
static struct fasco_msg_meta *recv_rights(int s, int room, int64_t *ret)
{
	uint64_t args[6] = { (uint64_t)s, 0, 0, 0, 0, 0 };
	struct fasco_msg_meta *m = meta_at(SYS_recvmsg, CMSG_SPACE(room * sizeof(int)), 1, args);

	m->control_len = CMSG_SPACE(room * sizeof(int));
	*ret = serve(SYS_recvmsg, 0x1a, args);
	return m;
}

static void realm_socketpair(int sv[2])
{
	ck_assert_int_eq(SERVE(SYS_socketpair, 0x8, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, 0x1000), 0);
	memcpy(sv, data, 2 * sizeof(int));
}

START_TEST(rights_are_realm_numbers_both_ways)
{
	unsigned before = host_fd_count();
	int sv[2], p[2];
	int64_t r;

	realm_socketpair(sv);
	realm_pipe(p);
	ck_assert_int_eq(send_rights(sv[0], &p[1], 1), 1);
	struct fasco_msg_meta *m = recv_rights(sv[1], 1, &r);
	ck_assert_int_eq(r, 1);
	ck_assert_uint_eq(m->control_len, CMSG_SPACE(sizeof(int)));
	ck_assert_uint_eq(m->msg_flags, 0);
	struct cmsghdr *c = (struct cmsghdr *)(m + 1);
	int got;
	memcpy(&got, CMSG_DATA(c), sizeof(got));
	/* a new realm number for the same pipe: what it writes, p[0] reads */
	ck_assert_int_ge(fd_host(svc, got), 0);
	ck_assert_int_ne(got, p[1]);
	memcpy(data, "q", 1);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)got, 0x1000, 1), 1);
	ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)p[0], 0x1000, 1), 1);
	ck_assert_int_eq(data[0], 'q');
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, SERVICE_MAX_FDS - 1, 0), 0);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

/* Metas whose lengths disagree with their buffer, or that name what the
 * realm does not hold: refused, nothing sent, nothing leaked. */
START_TEST(lying_meta_refused)
{
	unsigned before = host_fd_count();
	uint64_t args[6];
	int sv[2], bad = 777, own;
	struct fasco_msg_meta *m;
	int64_t r;

	realm_socketpair(sv);
	own = sv[0];
	args[0] = (uint64_t)sv[0];
	args[5] = 0;
	m = meta_at(SYS_sendmsg, 64, 1, args);
	m->control_len = 65; /* says more than the buffer holds */
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	m->control_len = 64;
	m->name_len = FASCO_MSG_NAME_MAX + 1;
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	m->name_len = 0;
	m->reserved = 1;
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	m->reserved = 0;
	struct cmsghdr *c = (struct cmsghdr *)(m + 1);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = 4096; /* past the control data */
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	c->cmsg_len = 4; /* shorter than its own header */
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	/* a meta buffer too short for its header */
	args[2] = 8;
	ck_assert_int_eq(serve(SYS_sendmsg, 0x1a, args), -EINVAL);
	/* a descriptor the realm does not hold (the host's own numbers neither) */
	ck_assert_int_eq(send_rights(sv[0], &bad, 1), -EBADF);
	int host_own = fd_host(svc, own);
	ck_assert_int_eq(send_rights(sv[0], &host_own, 1), host_own == own ? 1 : -EBADF);
	recv_rights(sv[1], 1, &r); /* nothing was sent by the refused calls */
	ck_assert_int_eq(r, host_own == own ? 1 : -EAGAIN);
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, SERVICE_MAX_FDS - 1, 0), 0);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

/* A full table: received descriptors are closed, the message cut and
 * flagged MSG_CTRUNC. */
START_TEST(full_table_truncates_rights)
{
	unsigned before = host_fd_count();
	int sv[2], p[2], three[3];
	int64_t r;

	realm_socketpair(sv);
	realm_pipe(p);
	three[0] = p[0], three[1] = p[1], three[2] = sv[0];
	ck_assert_int_eq(send_rights(sv[0], three, 3), 1);
	while (SERVE(SYS_dup, 0, 2) >= 0)
		;
	struct fasco_msg_meta *m = recv_rights(sv[1], 3, &r);
	ck_assert_int_eq(r, 1);
	ck_assert(m->msg_flags & MSG_CTRUNC);
	ck_assert_uint_eq(m->control_len, CMSG_LEN(0));
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, SERVICE_MAX_FDS - 1, 0), 0);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

int main(void)
{
	return RUN_TESTS("sysrealm-msg", service_setup, service_teardown,
			 rights_are_realm_numbers_both_ways, lying_meta_refused,
			 full_table_truncates_rights);
}
