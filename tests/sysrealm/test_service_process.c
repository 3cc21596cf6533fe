/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process calls through the service: signals reach only the realm's own
 * tree (never this test process, which stands in for the library's
 * caller), P_PIDFD is refused, and execve closes exactly the descriptors
 * the realm marked close-on-exec.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "service_test.h"

#define P_PIDFD_ID 3

/* The realm's FD_CLOEXEC of realm descriptor fd, asked through the service. */
static int64_t getfd(int fd)
{
	return SERVE(SYS_fcntl, 0, (uint64_t)fd, F_GETFD, 0);
}

START_TEST(signals_stay_in_the_tree)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	/* this process is the realm's "monitor": its first realm is pid 1 */
	svc->tree_root = 1;
	svc->tree_parent = 0;
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)getppid(), SIGTERM), -ESRCH);
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)-1, SIGTERM), -EPERM);
	/* our own group is the realm's only if we lead it (check's fork mode does) */
	ck_assert_int_eq(SERVE(SYS_kill, 0, 0, 0), getpgrp() == getpid() ? 0 : -EPERM);
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)-(int64_t)getppid(), SIGTERM), -EPERM);
	ck_assert_int_eq(SERVE(SYS_tgkill, 0, (uint64_t)getppid(), 1, SIGTERM), -ESRCH);
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)getpid(), 0), 0);
	/* a child of the realm's monitor is the realm's */
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	ck_assert_int_eq(SERVE(SYS_kill, 0, (uint64_t)child, SIGKILL), -ESRCH);
	ck_assert_int_eq(SERVE(SYS_waitid, 0x4, P_PIDFD_ID, 0, 0, WEXITED, 0), -EINVAL);
}
END_TEST

START_TEST(exec_closes_close_on_exec_only)
{
	int plain[2], cloexec[2];

	realm_pipe(plain);
	ck_assert_int_eq(SERVE(SYS_pipe2, 0x1, 0x1000, O_CLOEXEC), 0);
	memcpy(cloexec, data, sizeof(cloexec));
	ck_assert_int_eq(getfd(plain[0]), 0);
	ck_assert_int_eq(getfd(cloexec[0]), FD_CLOEXEC);
	ck_assert_int_eq(SERVE(SYS_dup3, 0, (uint64_t)plain[0], 40, O_CLOEXEC), 40);
	ck_assert_int_eq(SERVE(SYS_dup2, 0, (uint64_t)cloexec[0], 41), 41);
	ck_assert_int_eq(getfd(40), FD_CLOEXEC);
	ck_assert_int_eq(getfd(41), 0);
	ck_assert_int_eq(SERVE(SYS_fcntl, 0, (uint64_t)plain[1], F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(getfd(0), 0); /* stdio is not close-on-exec */
	service_exec(svc);
	ck_assert_int_eq(getfd(plain[0]), 0);
	ck_assert_int_eq(getfd(41), 0);
	ck_assert_int_eq(getfd(plain[1]), -EBADF);
	ck_assert_int_eq(getfd(cloexec[0]), -EBADF);
	ck_assert_int_eq(getfd(cloexec[1]), -EBADF);
	ck_assert_int_eq(getfd(40), -EBADF);
}
END_TEST

int main(void)
{
	return RUN_TESTS("sysrealm-process", service_setup, service_teardown,
			 signals_stay_in_the_tree, exec_closes_close_on_exec_only);
}
