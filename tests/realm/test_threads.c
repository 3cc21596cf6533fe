/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads in realms: programs/threads.c (glibc and musl, static and
 * dynamic) and python3's threading module, compared with native runs; the
 * realm's thread limit (its vCPUs) is reported as EAGAIN; fork from a
 * process with several threads (programs/forkthreads.c, python3's
 * subprocess beside a live thread).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static const char *const variants[] = { "threads-glibc", "threads-musl", "threads-glibc-dynamic",
					"threads-musl-dynamic" };
static const char *const modes[] = { "stress", "pingpong", "ids", "timeout",
				     "idle", "many", "exit", "kill", "fault", "abort" };
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))
#define N_MODES (sizeof(modes) / sizeof(modes[0]))

START_TEST(threads_same_as_native)
{
	char path[512];

	program_path(path, sizeof(path), variants[_i / N_MODES]);
	char *argv[] = { path, (char *)modes[_i % N_MODES], NULL };
	same_as_native(argv);
}
END_TEST

/* A realm runs at most one thread per vCPU: the next clone fails with
 * EAGAIN, as when Linux reaches a thread limit. */
START_TEST(thread_limit_is_eagain)
{
	static struct result r;
	char path[512];

	program_path(path, sizeof(path), variants[_i]);
	char *argv[] = { path, "limit", "64", NULL };
	realm_options[0] = "--vcpus";
	realm_options[1] = "4";
	run(1, argv, &r);
	realm_options[0] = NULL;
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "started 3 threads; next: Resource temporarily unavailable\n");
}
END_TEST

START_TEST(python_threading)
{
	char *argv[] = { "/usr/bin/python3", "-c",
		"import threading, queue, json, hashlib\n"
		"q = queue.Queue()\n"
		"def work(n):\n"
		"    q.put((n, hashlib.sha256(str(n).encode()).hexdigest()[:8]))\n"
		"ts = [threading.Thread(target=work, args=(i,)) for i in range(6)]\n"
		"[t.start() for t in ts]; [t.join() for t in ts]\n"
		"lock = threading.Lock(); total = [0]\n"
		"def add():\n"
		"    for _ in range(20000):\n"
		"        with lock: total[0] += 1\n"
		"ts = [threading.Thread(target=add) for _ in range(4)]\n"
		"[t.start() for t in ts]; [t.join() for t in ts]\n"
		"ev = threading.Event(); threading.Timer(0.05, ev.set).start()\n"
		"print(json.dumps(sorted(q.get() for _ in range(6))), total[0], ev.wait(5),\n"
		"      threading.active_count())\n", NULL };

	same_as_native(argv);
}
END_TEST

static const char *const fork_variants[] = { "forkthreads-glibc", "forkthreads-musl" };
static const char *const fork_modes[] = { "fork-main", "fork-thread", "spawn-thread" };

/* The child has only the forking thread (the main one or another), starts
 * threads of its own, or execs. */
START_TEST(fork_with_threads_same_as_native)
{
	char path[512];

	program_path(path, sizeof(path), fork_variants[_i / 3]);
	char *argv[] = { path, (char *)fork_modes[_i % 3], NULL };
	same_as_native(argv);
}
END_TEST

START_TEST(python_subprocess_beside_a_thread)
{
	char *argv[] = { "/usr/bin/python3", "-c",
		"import subprocess, threading\n"
		"ev = threading.Event()\n"
		"t = threading.Thread(target=ev.wait); t.start()\n"
		"print(subprocess.run(['/bin/sh', '-c', 'echo from a child; exit 4']).returncode)\n"
		"out = subprocess.check_output(['/bin/echo', 'captured'], text=True)\n"
		"ev.set(); t.join(); print(out.strip(), threading.active_count())\n", NULL };

	same_as_native(argv);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_loop_test(tc, threads_same_as_native, 0, N_VARIANTS * N_MODES);
	tcase_add_loop_test(tc, thread_limit_is_eagain, 0, N_VARIANTS);
	tcase_add_test(tc, python_threading);
	tcase_add_loop_test(tc, fork_with_threads_same_as_native, 0, 6);
	tcase_add_test(tc, python_subprocess_beside_a_thread);
}

int main(void)
{
	return compare_main("threads", add_tests);
}
