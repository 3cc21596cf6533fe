/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's descriptor table at work: pipes, reads and writes through
 * realm numbers, poll() translated both ways, output buffers that never
 * carry host memory, failures that write nothing back, a full table, and no
 * host descriptor leaked on any path.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "service_test.h"
#include "sysrealm/fdtable.h"

START_TEST(pipe_round_trip)
{
	int p[2];

	realm_pipe(p);
	ck_assert_int_ge(fd_host(svc, p[0]), 0);
	memcpy(data, "hello", 5);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[1], 0x1000, 5), 5);
	memset(data, 0, 16);
	ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)p[0], 0x1000, 16), 5);
	ck_assert_mem_eq(data, "hello", 5);
	ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)p[0], 0x1000, 16), -EAGAIN);
	ck_assert_int_eq(SERVE(SYS_close, 0, (uint64_t)p[0]), 0);
	ck_assert_int_eq(SERVE(SYS_close, 0, (uint64_t)p[0]), -EBADF);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[1], 0x1000, 1), -EPIPE);
}
END_TEST

/* Realm numbers go in, realm numbers come back, unknown ones are POLLNVAL. */
START_TEST(poll_translates)
{
	struct pollfd *pfd = (struct pollfd *)data;
	int p[2], q[2];

	realm_pipe(p);
	realm_pipe(q); /* a second pipe: its numbers differ from the host's */
	memcpy(data, "x", 1);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)q[1], 0x1000, 1), 1);
	pfd[0] = (struct pollfd){ .fd = q[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = q[1], .events = POLLOUT };
	pfd[3] = (struct pollfd){ .fd = -1, .events = POLLIN };
	pfd[4] = (struct pollfd){ .fd = 777, .events = POLLIN };
	pfd[5] = (struct pollfd){ .fd = SERVICE_MAX_FDS + 5, .events = POLLIN };
	ck_assert_int_eq(SERVE(SYS_poll, 0x1, 0x1000, 6, 0), 4);
	ck_assert_int_eq(pfd[0].revents, POLLIN);
	ck_assert_int_eq(pfd[1].revents, 0);
	ck_assert_int_eq(pfd[2].revents, POLLOUT);
	ck_assert_int_eq(pfd[3].revents, 0);
	ck_assert_int_eq(pfd[4].revents, POLLNVAL);
	ck_assert_int_eq(pfd[5].revents, POLLNVAL);
	ck_assert_int_eq(pfd[0].fd, q[0]);
	ck_assert_int_eq(pfd[1].fd, p[0]);
	ck_assert_int_eq(pfd[2].fd, q[1]);
	ck_assert_int_eq(pfd[3].fd, -1);
	ck_assert_int_eq(pfd[4].fd, 777);
	ck_assert_int_eq(pfd[5].fd, SERVICE_MAX_FDS + 5);
	/* no array, or none with entries: the kernel decides */
	ck_assert_int_eq(SERVE(SYS_poll, 0, 0, 1, 0), -EFAULT);
	ck_assert_int_eq(SERVE(SYS_poll, 0x1, 0x1000, 0, 0), 0);
}
END_TEST

/* An output buffer comes back zeroed where the kernel did not write. */
START_TEST(output_never_carries_host_memory)
{
	int64_t n;

	memset(svc->priv, 0xaa, sizeof(svc->priv));
	memset(data, 0x55, 8192);
	n = SERVE(SYS_getcwd, 0x1, 0x1000, 4096);
	ck_assert_int_gt(n, 1);
	ck_assert_uint_eq(strlen((char *)data) + 1, (size_t)n);
	for (size_t i = (size_t)n; i < 4096; i++)
		ck_assert_msg(data[i] == 0, "byte %zu is 0x%x", i, data[i]);
	ck_assert_int_eq(data[4096], 0x55);
}
END_TEST

/* fstat through a realm number is the host file's, and a failure leaves
 * the data area untouched. */
START_TEST(fstat_and_failures)
{
	struct stat want, got;
	int p[2];
	uint8_t copy[256];

	realm_pipe(p);
	ck_assert_int_eq(fstat(fd_host(svc, p[0]), &want), 0);
	ck_assert_int_eq(SERVE(SYS_fstat, 0x2, (uint64_t)p[0], 0x1000), 0);
	memcpy(&got, data, sizeof(got));
	ck_assert_uint_eq(got.st_ino, want.st_ino);
	ck_assert(S_ISFIFO(got.st_mode));
	memset(data, 0x55, sizeof(copy));
	memcpy(copy, data, sizeof(copy));
	ck_assert_int_eq(SERVE(SYS_fstat, 0x2, 999, 0x1000), -EBADF);
	ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)p[0], 0x1000, 16), -EAGAIN);
	ck_assert_int_eq(SERVE(SYS_pipe2, 0x1, 0x1000, 0xffff), -EINVAL);
	ck_assert_mem_eq(data, copy, sizeof(copy));
}
END_TEST

/* pipe() ignores whatever the realm left in the second argument; without a
 * pointer it fails and leaks nothing. */
START_TEST(pipe_arguments)
{
	unsigned before = host_fd_count();
	int fds[2];

	ck_assert_int_eq(SERVE(SYS_pipe, 0x1, 0x1000, UINT64_MAX), 0);
	memcpy(fds, data, sizeof(fds));
	ck_assert_int_ge(fd_host(svc, fds[0]), 0);
	ck_assert_int_eq(SERVE(SYS_close, 0, (uint64_t)fds[0]), 0);
	ck_assert_int_eq(SERVE(SYS_close, 0, (uint64_t)fds[1]), 0);
	ck_assert_int_eq(SERVE(SYS_pipe, 0, 0), -EFAULT);
	ck_assert_int_eq(SERVE(SYS_pipe2, 0, 0, 0), -EFAULT);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

/* Duplicates until the table (or the host) is full: -EMFILE, then every
 * descriptor closes and the host holds exactly what it held before. */
START_TEST(full_table)
{
	unsigned before = host_fd_count(), made = 0;
	int64_t r;

	while ((r = SERVE(SYS_dup, 0, 2)) >= 0) {
		ck_assert_int_lt(r, SERVICE_MAX_FDS);
		made++;
	}
	ck_assert_int_eq(r, -EMFILE);
	ck_assert_uint_gt(made, 100);
	ck_assert_int_eq(SERVE(SYS_fcntl, 0, 2, F_DUPFD, 3), -EMFILE);
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, UINT64_MAX, 0), 0);
	for (int fd = 3; fd < SERVICE_MAX_FDS; fd++)
		ck_assert_int_eq(fd_host(svc, fd), -EBADF);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

/* dup2 over an open realm descriptor replaces it without leaking the old. */
START_TEST(dup2_replaces)
{
	unsigned before = host_fd_count();
	int p[2], q[2];

	realm_pipe(p);
	realm_pipe(q);
	/* p[0] becomes q's write end; p's read end is closed on the host */
	ck_assert_int_eq(SERVE(SYS_dup2, 0, (uint64_t)q[1], (uint64_t)p[0]), p[0]);
	ck_assert_int_eq(SERVE(SYS_dup2, 0, (uint64_t)q[1], (uint64_t)q[1]), q[1]);
	ck_assert_int_eq(SERVE(SYS_dup3, 0, (uint64_t)q[0], SERVICE_MAX_FDS - 1, O_CLOEXEC),
			 SERVICE_MAX_FDS - 1);
	memcpy(data, "z", 1);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[0], 0x1000, 1), 1);
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[1], 0x1000, 1), -EPIPE);
	memset(data, 0, 4);
	ck_assert_int_eq(SERVE(SYS_read, 0x2, SERVICE_MAX_FDS - 1, 0x1000, 4), 1);
	ck_assert_int_eq(data[0], 'z');
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, SERVICE_MAX_FDS - 1, 0), 0);
	ck_assert_uint_eq(host_fd_count(), before);
}
END_TEST

int main(void)
{
	return RUN_TESTS("sysrealm-fds", service_setup, service_teardown,
			 pipe_round_trip, poll_translates, output_never_carries_host_memory,
			 fstat_and_failures, pipe_arguments, full_table, dup2_replaces);
}
