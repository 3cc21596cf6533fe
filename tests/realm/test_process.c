/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Processes in realms, compared with native runs: a C program that forks,
 * execs and waits (static and dynamic, glibc and musl), busybox shell
 * scripts with pipelines, subshells, command substitution, `&` and `wait`;
 * a realm cannot signal processes outside its tree, and its processes end
 * with its first one, as a container's end with its init.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"

static const char *const proc_variants[] = { "procs-glibc", "procs-musl", "procs-glibc-dynamic" };

START_TEST(fork_exec_wait_program)
{
	char path[512];

	program_path(path, sizeof(path), proc_variants[_i]);
	if (access(path, X_OK) != 0)
		ck_abort_msg("%s was not built (musl-tools missing?)", path);
	char *argv[] = { path, NULL };
	same_as_native(argv);
}
END_TEST

static const char *const scripts[] = {
	"ls / | wc -l; echo $(echo nested)",
	"echo b a c | tr ' ' '\\n' | sort -r | head -2",
	"(echo in a subshell; exit 3); echo status $?",
	"x=$(echo one; echo two | tr o 0); echo \"$x\" | wc -c",
	"sleep 0.1 & sleep 0.05 & wait; echo waited $?",
	"false | true; echo $?; true | false; echo $?",
	"a=$(sh -c 'echo $PPID'); [ \"$a\" = \"$$\" ] && echo ppid consistent",
	"sleep 5 & p=$!; kill $p; wait $p; echo killed $?",
	"for i in 1 2 3; do echo $i; done | while read x; do echo line $x; done",
	"grep root /etc/passwd | head -1 | cut -d: -f1,7",
	"sh -c 'exit 9'; echo nested shell $?; sh -c 'kill -9 $$'; echo killed $?",
	"find /etc/apt | sort | head -3 | xargs -n1 basename",
	"exec echo replaced by exec; echo never",
};

START_TEST(busybox_script)
{
	char *argv[] = { "/bin/busybox", "sh", "-c", (char *)scripts[_i], NULL };

	same_as_native(argv);
}
END_TEST

/* A background process does not outlive the first realm of its tree. */
START_TEST(children_end_with_the_first_realm)
{
	static struct result r;
	char *argv[] = { "/bin/busybox", "sh", "-c", "sleep 30 & echo started", NULL };
	time_t t0 = time(NULL);

	run(1, argv, &r); /* returns at EOF: when no realm holds stdout any more */
	ck_assert_str_eq(r.out, "started\n");
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(time(NULL) - t0 < 10, "the background realm outlived the first one");
}
END_TEST

/* The monitor runs with our credentials: a realm must not reach us. */
START_TEST(realm_cannot_signal_outside_its_tree)
{
	static struct result r;
	char script[128];

	snprintf(script, sizeof(script), "kill -TERM %d; echo kill status $?; kill -0 1; echo $?",
		 (int)getpid());
	char *argv[] = { "/bin/busybox", "sh", "-c", script, NULL };

	run(1, argv, &r);
	ck_assert_msg(strstr(r.out, "kill status 1\n1\n"), "out: %s err: %s", r.out, r.err);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_loop_test(tc, fork_exec_wait_program, 0,
			    sizeof(proc_variants) / sizeof(proc_variants[0]));
	tcase_add_loop_test(tc, busybox_script, 0, sizeof(scripts) / sizeof(scripts[0]));
	tcase_add_test(tc, children_end_with_the_first_realm);
	tcase_add_test(tc, realm_cannot_signal_outside_its_tree);
}

int main(void)
{
	return compare_main("process", add_tests);
}
