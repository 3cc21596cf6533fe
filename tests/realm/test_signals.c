/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals in realms: programs/signals.c (glibc and musl) and python3's
 * signal module, compared with native runs: handlers with SA_SIGINFO,
 * SA_ONSTACK, SA_NODEFER, SA_RESETHAND and SA_RESTART, masks and pending
 * signals, sigwaitinfo, faults caught (siglongjmp out of SIGSEGV), alarm,
 * setitimer and POSIX timers, a loop without calls interrupted, SIGPIPE
 * ignored (EPIPE) and by default (the program ends by it); a signal sent
 * to fasco-run itself reaches the program's handler; signalfd (poll, epoll,
 * blocking reads, fork), ppoll/pselect6/epoll_pwait with a mask, what an
 * execve keeps (programs/sigfd.c, sigexec.c) and timers that signal one
 * thread (programs/sigtimer.c), with their hostile arguments.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static const char *const variants[] = { "signals-glibc", "signals-musl" };
static const char *const modes[] = { "all", "term" };
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))
#define N_MODES (sizeof(modes) / sizeof(modes[0]))

START_TEST(signals_same_as_native)
{
	char path[512];

	program_path(path, sizeof(path), variants[_i / N_MODES]);
	char *argv[] = { path, (char *)modes[_i % N_MODES], NULL };
	same_as_native(argv);
}
END_TEST

static const char *const programs[] = { "sigfd", "sigexec", "sigtimer" };
#define N_PROGRAMS (sizeof(programs) / sizeof(programs[0]))

START_TEST(signal_program_same_as_native)
{
	static const char *const libc[] = { "glibc", "musl" };
	char name[64], path[512];

	snprintf(name, sizeof(name), "%s-%s", programs[_i / 2], libc[_i % 2]);
	program_path(path, sizeof(path), name);
	char *argv[] = { path, NULL };
	same_as_native(argv);
}
END_TEST

START_TEST(python_signal)
{
	char *argv[] = { "/usr/bin/python3", "-c",
		"import signal,os; signal.signal(signal.SIGUSR1, lambda s,f: print(\"got\", s)); "
		"os.kill(os.getpid(), signal.SIGUSR1); "
		"signal.signal(signal.SIGALRM, lambda s,f: print(\"alarm\")); "
		"signal.alarm(1); signal.pause()", NULL };

	realm_options[0] = "--rootfs";
	realm_options[1] = "/";
	same_as_native(argv);
	realm_options[0] = NULL;
}
END_TEST

/* kill(1) of the fasco-run command (a supervisor's SIGTERM) reaches the
 * handler of the program in the realm, which decides the exit status. The
 * handler writes with os.write: a signal that lands right after the write
 * of "ready" returns (likelier in a realm, whose return from a call is
 * slower) would run a print() handler inside CPython's flush of stdout,
 * which refuses the reentrant call, natively as well. */
START_TEST(signal_to_fasco_run_reaches_the_handler)
{
	static struct result r;
	char script[1024];

	snprintf(script, sizeof(script),
		 "d=$(mktemp -d) && mkfifo $d/f || exit 99\n"
		 "%s --rootfs / -- /usr/bin/python3 -c '"
		 "import os, signal, sys, time\n"
		 "signal.signal(signal.SIGTERM, lambda s, f: (os.write(1, b\"got SIGTERM\\n\"), sys.exit(7)))\n"
		 "print(\"ready\", flush=True)\n"
		 "time.sleep(30)' >$d/f & p=$!\n"
		 "exec 3<$d/f; read line <&3; echo \"$line\"\n"
		 "kill -TERM $p; cat <&3; wait $p; echo \"status $?\"; rm -r $d\n",
		 getenv("FASCO_RUN"));
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	run(0, argv, &r);
	ck_assert_msg(strcmp(r.out, "ready\ngot SIGTERM\nstatus 7\n") == 0, "out: %s\nerr: %s", r.out,
		      r.err);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_loop_test(tc, signals_same_as_native, 0, N_VARIANTS * N_MODES);
	tcase_add_loop_test(tc, signal_program_same_as_native, 0, N_PROGRAMS * 2);
	tcase_add_test(tc, python_signal);
	tcase_add_test(tc, signal_to_fasco_run_reaches_the_handler);
}

int main(void)
{
	return compare_main("signals", add_tests);
}
