/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Integration tests: real programs in real KVM realms through fasco-run,
 * compared with the same programs run natively; hostile programs end their
 * own realm with a clear report while the host and other realms carry on.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"

static const char *const applets[][6] = {
	{ "echo", "hello", NULL },
	{ "cat", "/etc/passwd", NULL },
	{ "ls", "-l", "/etc/apt", NULL },
	{ "wc", "/etc/passwd", NULL },
	{ "head", "-n", "3", "/etc/passwd", NULL },
	{ "tail", "-n", "2", "/etc/passwd", NULL },
	{ "sha256sum", "/etc/passwd", NULL },
	{ "find", "/etc/apt", NULL },
	{ "sort", "/etc/passwd", NULL },
	{ "grep", "-n", "root", "/etc/passwd", NULL },
	{ "sh", "-c", "exit 3", NULL },
	{ "ls", "/no/such/dir", NULL },
};

START_TEST(busybox_applet)
{
	char *argv[8] = { "/bin/busybox" };

	for (int i = 0; applets[_i][i]; i++)
		argv[i + 1] = (char *)applets[_i][i];
	same_as_native(argv);
}
END_TEST

/* Unmodified dynamically linked programs from Debian packages. */
static const char *const dynamic_programs[][6] = {
	{ "/bin/echo", "hello", "from", "glibc", NULL },
	{ "/bin/ls", "-l", "/etc/apt", NULL },
	{ "/usr/bin/sha256sum", "/etc/passwd", NULL },
	{ "/usr/bin/sort", "-r", "/etc/passwd", NULL },
	{ "/usr/bin/python3", "-c",
	  "import json, hashlib, os, time\n"
	  "print(json.dumps({'h': hashlib.sha256(b'realm').hexdigest(), 'cwd': os.getcwd(),\n"
	  "                  'sane': time.time() > 1.6e9}, sort_keys=True))", NULL },
	{ "/usr/bin/python3", "-c", "import sys; sys.exit(7)", NULL },
};

START_TEST(debian_dynamic_program)
{
	same_as_native((char *const *)dynamic_programs[_i]);
}
END_TEST

/* TCP, UDP, Unix sockets and epoll through the system realm. */
START_TEST(sockets_and_epoll)
{
	static const char *const variants[] = { "sockets-glibc", "sockets-musl" };
	char path[512];

	program_path(path, sizeof(path), variants[_i]);
	char *argv[] = { path, NULL };
	same_as_native(argv);
}
END_TEST

/* sendmsg/recvmsg carry descriptors (SCM_RIGHTS), addresses and flags. */
START_TEST(messages_pass_descriptors)
{
	static const char *const variants[] = { "messages-glibc", "messages-musl" };
	char path[512];

	program_path(path, sizeof(path), variants[_i]);
	char *argv[] = { path, NULL };
	same_as_native(argv);
}
END_TEST

/* poll, ppoll, select and timerfd name realm descriptors, translated. */
START_TEST(waiting_on_descriptors)
{
	static const char *const variants[] = { "waiting-glibc", "waiting-musl" };
	char path[512];

	program_path(path, sizeof(path), variants[_i]);
	char *argv[] = { path, NULL };
	same_as_native(argv);
}
END_TEST

/* Clocks served inside the realm agree with the host's. */
START_TEST(clocks_agree_with_the_host)
{
	static const char *const variants[] = { "clock-glibc", "clock-musl" };
	char path[512], now[32];

	program_path(path, sizeof(path), variants[_i]);
	snprintf(now, sizeof(now), "%ld", (long)time(NULL));
	char *argv[] = { path, now, NULL };
	same_as_native(argv);
}
END_TEST

static const char *const c_variants[] = { "files-glibc", "files-musl", "files-glibc-dynamic",
					   "files-musl-dynamic" };

START_TEST(c_program_glibc_and_musl)
{
	static const char *const *variants = c_variants;
	char path[512];

	program_path(path, sizeof(path), variants[_i]);
	if (access(path, X_OK) != 0)
		ck_abort_msg("%s was not built (musl-tools missing?)", path);
	char *argv[] = { path, "/tmp/fasco-test-files", NULL };
	same_as_native(argv);
}
END_TEST

static void run_hostile(const char *mode, struct result *r)
{
	char path[512];

	program_path(path, sizeof(path), "hostile-glibc");
	char *argv[] = { path, (char *)mode, NULL };
	run(1, argv, r);
}

START_TEST(hostile_wild_pointers_get_efault)
{
	static struct result r;

	run_hostile("wild-pointer", &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "write from a wild pointer: -1 errno 14") &&
			      strstr(r.out, "read into the shim: -1 errno 14") &&
			      strstr(r.out, "open of a wild path: -1 errno 14"),
		      "got: %s", r.out);
}
END_TEST

START_TEST(hostile_huge_length_is_bounded)
{
	static struct result r;

	run_hostile("huge-length", &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "write of 1 TiB"));
}
END_TEST

START_TEST(hostile_cannot_reach_host_descriptors)
{
	static struct result r;

	run_hostile("bad-fd", &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "done\n");
}
END_TEST

START_TEST(hostile_slot_garbage_ends_realm)
{
	static struct result r;

	run_hostile("slot-garbage", &r);
	ck_assert_int_eq(r.status, 128 + 9);
	ck_assert_msg(strstr(r.err, "protocol violation"), "stderr: %s", r.err);
}
END_TEST

START_TEST(hostile_faults_are_reported)
{
	static const struct {
		const char *mode;
		int status;
		const char *report;
	} cases[] = {
		{ "segv", 128 + 11, "exception 14" },
		{ "ud", 128 + 4, "exception 6" },
	};
	static struct result r;

	run_hostile(cases[_i].mode, &r);
	ck_assert_int_eq(r.status, cases[_i].status);
	ck_assert_msg(strstr(r.err, cases[_i].report) && strstr(r.err, "ip 0x"), "stderr: %s", r.err);
}
END_TEST

START_TEST(hostile_smashed_shim_ends_only_its_realm)
{
	static struct result bad, good;
	char path[512];
	pid_t pid;
	int status;

	/* a well-behaved realm runs while the hostile one destroys its shim */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		run_hostile("smash-shim", &bad);
		_exit(bad.status >= 128 && bad.err[0] ? 0 : 1);
	}
	program_path(path, sizeof(path), "files-glibc");
	char *argv[] = { path, "/tmp/fasco-test-smash", NULL };
	same_as_native(argv);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hostile realm was not ended with a report");
	run(1, (char *[]){ "/bin/busybox", "echo", "still fine", NULL }, &good);
	ck_assert_str_eq(good.out, "still fine\n");
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_loop_test(tc, busybox_applet, 0, sizeof(applets) / sizeof(applets[0]));
	tcase_add_loop_test(tc, c_program_glibc_and_musl, 0, sizeof(c_variants) / sizeof(c_variants[0]));
	tcase_add_loop_test(tc, clocks_agree_with_the_host, 0, 2);
	tcase_add_loop_test(tc, sockets_and_epoll, 0, 2);
	tcase_add_loop_test(tc, waiting_on_descriptors, 0, 2);
	tcase_add_loop_test(tc, messages_pass_descriptors, 0, 2);
	tcase_add_loop_test(tc, debian_dynamic_program, 0,
			    sizeof(dynamic_programs) / sizeof(dynamic_programs[0]));
	tcase_add_test(tc, hostile_wild_pointers_get_efault);
	tcase_add_test(tc, hostile_huge_length_is_bounded);
	tcase_add_test(tc, hostile_cannot_reach_host_descriptors);
	tcase_add_test(tc, hostile_slot_garbage_ends_realm);
	tcase_add_loop_test(tc, hostile_faults_are_reported, 0, 2);
	tcase_add_test(tc, hostile_smashed_shim_ends_only_its_realm);
}

int main(void)
{
	return compare_main("realm", add_tests);
}
