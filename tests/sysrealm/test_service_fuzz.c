/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random hostile slots against the service: random call numbers from the
 * descriptor and data calls (paths are left out: they would touch the
 * host's files), random arguments biased to boundary values, random pointer
 * masks, random bytes in the data area. Every answer is a result or -errno,
 * the table only ever holds open host descriptors, and at the end the host
 * holds exactly the descriptors it held before. Run under ASan/UBSan.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/syscall.h>

#include "service_test.h"
#include "sysrealm/fdtable.h"

#define ROUNDS 200000

static uint64_t state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	return test_rand(&state);
}

static uint64_t value(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 5, 8, 16, 36, 4096, FASCO_SLOT_DATA_MAX, FASCO_SLOT_DATA_MAX + 1,
		SERVICE_MAX_FDS - 1, SERVICE_MAX_FDS, INT_MAX, (uint64_t)INT_MIN, 0xffffffff,
		1ull << 32, 1ull << 63, UINT64_MAX, (uint64_t)AT_FDCWD, 0x5401, 0x541b, 0x5451,
		F_GETLK, F_SETLK, F_DUPFD, F_GETFL, F_SETFL, O_NONBLOCK,
	};
	uint64_t r = rnd();

	return r % 3 == 0 ? v[r % (sizeof(v) / sizeof(v[0]))] : r % 3 == 1 ? r % 64 : r;
}

/* Calls that cannot block, sleep or touch the host's files. */
static const uint64_t calls[] = {
	SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_lseek, SYS_close, SYS_fstat,
	SYS_fstatfs, SYS_getdents64, SYS_dup, SYS_dup2, SYS_dup3, SYS_fcntl, SYS_ioctl,
	SYS_fsync, SYS_fdatasync, SYS_ftruncate, SYS_fadvise64, SYS_sendfile, SYS_pipe2,
	SYS_close_range, SYS_getcwd, SYS_uname, SYS_getrandom, SYS_clock_gettime,
	SYS_getresuid, SYS_getgroups, SYS_poll, SYS_times, SYS_sysinfo, SYS_getrlimit,
	SYS_sched_getaffinity, 600, SYS_execve, SYS_mmap,
};

START_TEST(random_slots)
{
	unsigned before = host_fd_count(), ok = 0, failed = 0;
	int nullfd;

	/* stdio becomes /dev/null, and every pipe is non-blocking: nothing waits */
	memcpy(data, "/dev/null", 10);
	nullfd = (int)SERVE(SYS_openat, 0x2, (uint64_t)AT_FDCWD, 10, O_RDWR, 0);
	ck_assert_int_ge(nullfd, 0);
	for (int fd = 0; fd < 3; fd++)
		ck_assert_int_eq(SERVE(SYS_dup2, 0, (uint64_t)nullfd, (uint64_t)fd), fd);
	for (unsigned round = 0; round < ROUNDS; round++) {
		uint64_t nr = calls[rnd() % (sizeof(calls) / sizeof(calls[0]))], args[6];
		uint32_t mask = (uint32_t)rnd();
		int64_t r;

		for (unsigned i = 0; i < 6; i++)
			args[i] = value();
		if (nr == SYS_pipe2)
			args[1] |= O_NONBLOCK;
		if (nr == SYS_poll)
			args[2] = 0; /* no waiting */
		if (nr == SYS_fcntl && (args[1] == F_SETLKW || args[1] == F_OFD_SETLKW))
			args[1] = F_SETLK;
		if (nr == SYS_fcntl && args[1] == F_SETFL)
			args[2] |= O_NONBLOCK;
		if (nr == SYS_ioctl && (uint32_t)args[1] == 0x5421) /* FIONBIO could clear it */
			args[1] = 0x541b;
		if (round % 64 == 0)
			for (size_t i = 0; i < 4096; i += 8) {
				uint64_t w = rnd();

				memcpy(data + i, &w, 8);
			}
		r = serve(nr, mask, args);
		ck_assert_msg(r >= -4095, "nr %llu returned %lld", (unsigned long long)nr, (long long)r);
		if (r < 0)
			failed++;
		else
			ok++;
	}
	ck_assert_uint_gt(ok, ROUNDS / 20);
	ck_assert_uint_gt(failed, ROUNDS / 20);
	/* every realm number names an open host descriptor */
	for (int fd = 0; fd < SERVICE_MAX_FDS; fd++) {
		int h = fd_host(svc, fd);

		if (h >= 0)
			ck_assert_int_ge(fcntl(h, F_GETFD), 0);
	}
	ck_assert_int_eq(SERVE(SYS_close_range, 0, 0, UINT64_MAX, 0), 0);
	/* the three stdio descriptors the setup made are gone as well */
	ck_assert_uint_eq(host_fd_count(), before - 3);
}
END_TEST

int main(void)
{
	return RUN_TESTS("sysrealm-fuzz", service_setup, service_teardown, random_slots);
}
