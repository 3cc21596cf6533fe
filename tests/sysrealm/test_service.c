/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the service refuses: slot headers that break the protocol, unknown
 * call numbers, lengths beyond the slot, unterminated or oversized strings,
 * descriptors outside the realm's table, ioctl/fcntl commands outside the
 * table. Each gives its precise error and has no effect on the host.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/syscall_layout.h"
#include "service_test.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Bytes waiting in the realm pipe's read end, asked through the service. */
static int pending(int rfd)
{
	int n;

	ck_assert_int_eq(SERVE(SYS_ioctl, 0x4, (uint64_t)rfd, FIONREAD, 0x1000), 0);
	memcpy(&n, data, sizeof(n));
	return n;
}

START_TEST(header_protocol)
{
	struct fasco_slot_header h = { .magic = FASCO_SLOT_MAGIC, .op = FASCO_OP_SYSCALL };
	const uint32_t bad_ops[] = { 0, FASCO_OP_THREAD_EXIT + 1, 0x100, UINT32_MAX };

	for (uint32_t op = FASCO_OP_SYSCALL; op <= FASCO_OP_THREAD_EXIT; op++) {
		h.op = op;
		ck_assert_int_eq(service_check_header(&h), 0);
	}
	for (unsigned i = 0; i < NELEM(bad_ops); i++) {
		char needle[48];

		h.op = bad_ops[i];
		snprintf(needle, sizeof(needle), "unknown operation %u", bad_ops[i]);
		ck_assert_fails(service_check_header(&h), FASCO_E_PROTOCOL, needle);
	}
	h.op = FASCO_OP_SYSCALL;
	h.magic = 0xdeadbeef;
	ck_assert_fails(service_check_header(&h), FASCO_E_PROTOCOL, "bad slot magic 0xdeadbeef");
	h.magic = 0;
	ck_assert_fails(service_check_header(&h), FASCO_E_PROTOCOL, "bad slot magic 0x0");
}
END_TEST

START_TEST(unknown_numbers)
{
	const uint64_t nrs[] = { 512, 1ull << 32, UINT64_MAX, SYS_execve, SYS_ptrace, SYS_mmap };

	for (unsigned i = 0; i < NELEM(nrs); i++)
		ck_assert_int_eq(SERVE(nrs[i], 0x3f, 1, 2, 3, 4, 5, 6), -ENOSYS);
	ck_assert_uint_eq(svc->unsupported, NELEM(nrs));
	ck_assert_uint_eq(svc->forwarded, 0);
	ck_assert_uint_eq(svc->per_syscall[SYS_execve], 1);
	ck_assert_uint_eq(svc->per_syscall[SYS_mmap], 1);
}
END_TEST

/* Lengths in the header that reach past the slot: refused, nothing done. */
START_TEST(lengths_beyond_the_slot)
{
	const uint64_t counts[] = { FASCO_SLOT_DATA_MAX + 1, FASCO_SLOT_SIZE, 1ull << 32,
				    UINT64_MAX, (uint64_t)-1 };
	int p[2];

	realm_pipe(p);
	for (unsigned i = 0; i < NELEM(counts); i++) {
		ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[1], 0x1000, counts[i]), -E2BIG);
		ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)p[0], 0x1000, counts[i]), -E2BIG);
		ck_assert_int_eq(SERVE(SYS_getdents64, 0x2, (uint64_t)p[0], 0x1000, counts[i]), -E2BIG);
		ck_assert_int_eq(SERVE(SYS_getgroups, 0x2, counts[i], 0x1000), -E2BIG);
		ck_assert_int_eq(SERVE(SYS_poll, 0x1, 0x1000, counts[i], 0), -E2BIG);
		ck_assert_int_eq(pending(p[0]), 0);
	}
	/* the whole data area is fine */
	ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)p[1], 0x1000, 4096), 4096);
	ck_assert_int_eq(pending(p[0]), 4096);
}
END_TEST

START_TEST(strings_refused)
{
	const uint64_t bad_len[] = { 0, FASCO_PATH_MAX + 1, FASCO_SLOT_DATA_MAX, UINT64_MAX };

	/* no NUL where the length says it ends */
	memset(data, 'a', 64);
	ck_assert_int_eq(SERVE(SYS_chdir, 0x1, 16), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_openat, 0x2, (uint64_t)AT_FDCWD, 16, O_RDONLY, 0), -EINVAL);
	for (unsigned i = 0; i < NELEM(bad_len); i++)
		ck_assert_int_eq(SERVE(SYS_chdir, 0x1, bad_len[i]), -EINVAL);
	/* a NUL inside is only a shorter path */
	memcpy(data, "/\0zzz", 6);
	ck_assert_int_eq(SERVE(SYS_chdir, 0x1, 6), 0);
}
END_TEST

/* Descriptor numbers outside the realm's table, or not open in it. */
START_TEST(fds_outside_the_table)
{
	const uint64_t fds[] = { 3, 100, SERVICE_MAX_FDS - 1, SERVICE_MAX_FDS, 4096, INT_MAX,
				 (uint64_t)-1, (uint64_t)INT_MIN, 1ull << 32 /* 0 in 32 bits */,
				 (1ull << 32) | 1, UINT64_MAX - 1 };

	for (unsigned i = 0; i < NELEM(fds); i++) {
		uint64_t fd = fds[i];

		ck_assert_int_eq(SERVE(SYS_write, 0x2, fd, 0x1000, 1), -EBADF);
		ck_assert_int_eq(SERVE(SYS_read, 0x2, fd, 0x1000, 1), -EBADF);
		ck_assert_int_eq(SERVE(SYS_fstat, 0x2, fd, 0x1000), -EBADF);
		ck_assert_int_eq(SERVE(SYS_close, 0, fd), -EBADF);
		ck_assert_int_eq(SERVE(SYS_dup, 0, fd), -EBADF);
		ck_assert_int_eq(SERVE(SYS_fchdir, 0, fd), -EBADF);
		ck_assert_int_eq(SERVE(SYS_dup2, 0, fd, 1), -EBADF);
		ck_assert_int_eq(SERVE(SYS_fcntl, 0, fd, F_GETFD, 0), -EBADF);
		ck_assert_int_eq(SERVE(SYS_sendfile, 0, 1, fd, 0, 1), -EBADF);
		memcpy(data, ".", 2);
		ck_assert_int_eq(SERVE(SYS_openat, 0x2, fd, 2, O_RDONLY, 0), -EBADF);
		/* as a target: dup2/dup3 name it, F_DUPFD bounds it */
		if (fd < SERVICE_MAX_FDS)
			continue;
		ck_assert_int_eq(SERVE(SYS_dup2, 0, 1, fd), -EBADF);
		ck_assert_int_eq(SERVE(SYS_dup3, 0, 1, fd, 0), -EBADF);
		ck_assert_int_eq(SERVE(SYS_fcntl, 0, 1, F_DUPFD, fd), -EINVAL);
	}
	/* AT_FDCWD is the one negative descriptor that passes */
	ck_assert_int_eq(SERVE(SYS_faccessat, 0x2, (uint64_t)AT_FDCWD, 2, F_OK), 0);
}
END_TEST

/*
 * The host's own descriptors are not in the realm's table: writing to one,
 * or polling it, reaches nothing of the host.
 */
START_TEST(host_descriptors_unreachable)
{
	int hp[2];
	char c;
	struct pollfd *pfd = (struct pollfd *)data;

	ck_assert_int_eq(pipe2(hp, O_NONBLOCK | O_CLOEXEC), 0);
	ck_assert_int_eq(write(hp[1], "!", 1), 1);
	for (int i = 0; i < 2; i++) {
		memset(data, 0, 64);
		ck_assert_int_eq(SERVE(SYS_write, 0x2, (uint64_t)hp[1], 0x1000, 1), -EBADF);
		ck_assert_int_eq(SERVE(SYS_read, 0x2, (uint64_t)hp[0], 0x1000, 1), -EBADF);
		pfd[0] = (struct pollfd){ .fd = hp[i], .events = POLLIN | POLLOUT };
		ck_assert_int_eq(SERVE(SYS_poll, 0x1, 0x1000, 1, 0), 1);
		ck_assert_int_eq(pfd[0].revents, POLLNVAL);
		ck_assert_int_eq(pfd[0].fd, hp[i]);
	}
	/* the host pipe holds its one byte, nothing more, nothing less */
	ck_assert_int_eq(read(hp[0], &c, 1), 1);
	ck_assert_int_eq(read(hp[0], &c, 1), -1);
	close(hp[0]);
	close(hp[1]);
}
END_TEST

START_TEST(commands_outside_the_table)
{
	const uint64_t ioctls[] = { 0x5412 /* TIOCSTI */, 0x5422 /* TIOCNOTTY */, 0x540e /* TIOCSCTTY */, 0, UINT64_MAX };
	const uint64_t fcntls[] = { F_SETOWN, F_SETSIG, F_SETLEASE, F_NOTIFY, F_ADD_SEALS,
				    (1ull << 32) | F_GETLK, UINT64_MAX };

	int before[SERVICE_MAX_FDS];

	memcpy(before, svc->fds, sizeof(before));
	for (unsigned i = 0; i < NELEM(ioctls); i++)
		ck_assert_int_eq(SERVE(SYS_ioctl, 0x4, 1, ioctls[i], 0x1000), -ENOTTY);
	for (unsigned i = 0; i < NELEM(fcntls); i++)
		ck_assert_int_eq(SERVE(SYS_fcntl, 0x4, 1, fcntls[i], 0x1000), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 3, 2, 0), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 0, ~0u, 1u << 1 /* UNSHARE */), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 0, ~0u, 1u << 3), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_prlimit64, 0x4, 1, RLIMIT_NOFILE, 0x1000, 0), -EPERM);
	ck_assert_int_eq(SERVE(SYS_dup3, 0, 1, 1, 0), -EINVAL);
	ck_assert_int_eq(SERVE(SYS_dup3, 0, 1, 5, ~(uint64_t)O_CLOEXEC), -EINVAL);
	/* nothing above happened to the table */
	ck_assert_mem_eq(before, svc->fds, sizeof(before));
}
END_TEST

int main(void)
{
	return RUN_TESTS("sysrealm-service", service_setup, service_teardown,
			 header_protocol, unknown_numbers, lengths_beyond_the_slot, strings_refused,
			 fds_outside_the_table, host_descriptors_unreachable, commands_outside_the_table);
}
