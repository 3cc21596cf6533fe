/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-oci ps, events, pause/resume and update, end to end on busybox
 * containers, with their errors and malformed input. What each command
 * reports is checked against the host: ps's pids against /proc (the
 * keeper, the realm's monitor, an exec's), a paused container's processes
 * are really stopped (state 'T') and a spinning program makes no progress,
 * update's CPU list is the affinity the monitor's threads really have.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* The state letter of pid in /proc/<pid>/stat. */
static char proc_state(int pid)
{
	char path[64], buf[512], *c;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	c = strrchr(buf, ')');
	ck_assert_ptr_nonnull(c);
	return c[2];
}

/* The pids in ps --format json's array; their count. */
static size_t ps_pids(const char *id, int *pids, size_t cap)
{
	struct result r;
	const char *s;
	size_t n = 0;

	OCI(&r, "ps", "--format", "json", id);
	expect_ok(&r, "ps");
	ck_assert_msg(r.out[0] == '[', "ps: %s", r.out);
	for (s = r.out + 1; *s && *s != ']' && n < cap; s++) {
		pids[n++] = (int)strtol(s, (char **)&s, 10);
		if (*s == ']')
			break;
	}
	return n;
}

static int child_of(int parent, const int *pids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[64], buf[512];
		FILE *f;
		int ppid = 0;

		snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
			sscanf(strrchr(buf, ')') + 3, "%d", &ppid);
		fclose(f);
		if (ppid == parent)
			return pids[i];
	}
	return 0;
}

START_TEST(test_ps)
{
	int pids[64], keeper, monitor, exec_pid;
	char pidfile[256];
	struct result r;
	size_t n;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "p");
	keeper = pid_of("p");
	n = ps_pids("p", pids, 64);
	/* the keeper and the realm's monitor it forked */
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(pids[0], keeper);
	monitor = child_of(keeper, pids, n);
	ck_assert_int_gt(monitor, 0);
	/* an exec's keeper and monitor join the list */
	snprintf(pidfile, sizeof(pidfile), "%s/exec.pid", dir);
	OCI_OK("exec", "-d", "--pid-file", pidfile, "p", "sleep", "100");
	exec_pid = atoi(read_file(pidfile));
	n = ps_pids("p", pids, 64);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_gt(child_of(exec_pid, pids, n), 0);
	OCI(&r, "ps", "p");
	expect_ok(&r, "ps table");
	ck_assert_ptr_nonnull(strstr(r.out, "PID"));
	ck_assert_ptr_nonnull(strstr(r.out, "fasco-oci"));
	OCI_ERR("--format: expected table or json", "ps", "--format", "yaml", "p");
	OCI_ERR("ps options (\"-ef\") are not supported", "ps", "p", "-ef");
	OCI_ERR("expected a container id", "ps");
	OCI_ERR("container does not exist: nope", "ps", "nope");
	OCI_OK("delete", "--force", "p");
	reap_all();
}
END_TEST

START_TEST(test_pause_resume)
{
	int pids[64], keeper, pid2;
	struct result r;
	size_t n;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "z");
	OCI_ERR("container z is created, not running", "pause", "z");
	OCI_OK("start", "z");
	OCI_ERR("container z is running, not paused", "resume", "z");
	keeper = pid_of("z");
	OCI_OK("pause", "z");
	ck_assert_str_eq(status_of("z"), "paused");
	/* every process of the container is stopped, the monitor with its vCPU too */
	n = ps_pids("z", pids, 64);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(proc_state(pids[i]), 'T');
	OCI_ERR("container z is already paused", "pause", "z");
	OCI_ERR("cannot delete container z that is not stopped: paused", "delete", "z");
	OCI_ERR("cannot exec in container z: it is paused, not running", "exec", "z", "true");
	OCI_OK("resume", "z");
	ck_assert_str_eq(status_of("z"), "running");
	for (size_t i = 0; i < n; i++)
		ck_assert_int_ne(proc_state(pids[i]), 'T');
	/* a signal sent while paused waits for resume, then ends the container */
	OCI_OK("pause", "z");
	OCI_OK("kill", "z", "TERM");
	ck_assert_str_eq(status_of("z"), "paused");
	OCI_OK("resume", "z");
	ck_assert_int_eq(reap(keeper), 128 + SIGTERM);
	OCI_ERR("container z is stopped, not running", "pause", "z");
	OCI_OK("delete", "z");
	/* SIGKILL and delete --force reach a paused container's stopped monitor */
	OCI_OK("run", "-d", "--bundle", bundle, "z");
	pid2 = pid_of("z");
	OCI_OK("pause", "z");
	OCI_OK("delete", "--force", "z");
	ck_assert_int_eq(reap(pid2), 128 + SIGKILL);
	ck_assert_uint_eq(root_entries(), 0);
	OCI_ERR("expected exactly one container id", "pause");
	OCI_ERR("container does not exist: nope", "resume", "nope");
	(void)r;
	reap_all();
}
END_TEST

/* A spinning program is frozen: its CPU time does not grow while paused. */
START_TEST(test_pause_freezes_cpu)
{
	char a[4096], b[4096];
	struct result r;

	NEED_KVM();
	set_config("\"sh\", \"-c\", \"while :; do :; done\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "spin");
	OCI_OK("pause", "spin");
	OCI(&r, "events", "--stats", "spin");
	expect_ok(&r, "events");
	snprintf(a, sizeof(a), "%s", strstr(r.out, "\"total\":"));
	usleep(200000);
	OCI(&r, "events", "--stats", "spin");
	snprintf(b, sizeof(b), "%s", strstr(r.out, "\"total\":"));
	ck_assert_int_eq(strtoull(a + 8, NULL, 10), strtoull(b + 8, NULL, 10));
	OCI_OK("resume", "spin");
	usleep(200000);
	OCI(&r, "events", "--stats", "spin");
	ck_assert_uint_gt(strtoull(strstr(r.out, "\"total\":") + 8, NULL, 10),
			  strtoull(b + 8, NULL, 10));
	OCI_OK("delete", "--force", "spin");
	reap_all();
}
END_TEST

START_TEST(test_events)
{
	struct result r;
	int keeper;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "ev");
	keeper = pid_of("ev");
	OCI(&r, "events", "--stats", "ev");
	expect_ok(&r, "events --stats");
	ck_assert_ptr_nonnull(strstr(r.out, "{\"type\":\"stats\",\"id\":\"ev\",\"data\":{\"cpu\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"pids\":{\"current\":2}"));
	/* resident pages of the keeper and the monitor (the kernel updates the counts lazily) */
	{
		static const char prefix[] = "\"memory\":{\"usage\":{\"usage\":";
		const char *at = strstr(r.out, prefix);

		ck_assert_ptr_nonnull(at);
		ck_assert_uint_gt(strtoull(at + sizeof(prefix) - 1, NULL, 10), 64u << 10);
	}
	ck_assert_ptr_nonnull(strchr(r.out, '\n'));
	ck_assert_ptr_null(strchr(strchr(r.out, '\n') + 1, '{'));
	OCI_ERR("--interval: \"0s\" is not a positive duration", "events", "--interval", "0s", "ev");
	OCI_ERR("--interval: \"5 parsecs\" is not a positive duration", "events", "--interval",
		"5 parsecs", "ev");
	OCI_ERR("--interval: \"10\" is not a positive duration", "events", "--interval", "10", "ev");
	OCI_ERR("expected exactly one container id", "events", "--stats");
	/* streaming: a line per interval until the container ends */
	OCI_OK("kill", "ev", "KILL");
	ck_assert_int_eq(reap(keeper), 128 + SIGKILL);
	OCI_ERR("container ev is not running", "events", "--stats", "ev");
	OCI_OK("delete", "ev");
	set_config("\"sleep\", \"1\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "ev2");
	OCI(&r, "events", "--interval", "100ms", "ev2");
	expect_ok(&r, "events --interval");
	/* about ten lines in the second the program sleeps */
	{
		unsigned lines = 0;

		for (const char *s = r.out; (s = strchr(s, '\n')); s++)
			lines++;
		ck_assert_uint_ge(lines, 5);
		ck_assert_uint_le(lines, 15);
	}
	OCI_OK("delete", "ev2");
	reap_all();
}
END_TEST

/* The CPUs every thread of pid may run on, as /proc lists them. */
static void allowed_cpus(int pid, char *out, size_t cap)
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cat /proc/%d/task/*/status | sed -n 's/^Cpus_allowed_list:\\s*//p' "
		 "| sort -u | tr '\\n' ' '", pid);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, (int)cap, p));
	pclose(p);
}

/* Resources documents update refuses, and the error each gets. */
static const struct {
	const char *doc, *error;
} refused[] = {
	{ "{\"pids\": {\"limit\": 99999999999}}", "linux.resources.pids.limit: pids.max = 99999999999: Invalid argument" },
	{ "{\"pids\": {\"limit\": 1.5}}", "linux.resources.pids.limit" },
	{ "{\"memory\": {\"limit\": \"lots\"}}", "linux.resources.memory.limit" },
	{ "{\"cpu\": {\"cpus\": 3}}", "linux.resources.cpu.cpus" },
	{ "[1]", "linux.resources" },
	{ "{\"cpu\": {} } trailing", "linux.resources: after the object" },
};

START_TEST(test_update)
{
	int pids[64], monitor, keeper;
	char cpus[128], path[256];
	size_t n;

	NEED_KVM();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("test_update: skipped: one CPU\n");
		return;
	}
	set_config_linux("\"sleep\", \"100\"", "\"resources\": { \"cpu\": { \"cpus\": \"1\" } }");
	OCI_OK("run", "-d", "--bundle", bundle, "u");
	keeper = pid_of("u");
	n = ps_pids("u", pids, 64);
	monitor = child_of(keeper, pids, n);
	ck_assert_int_gt(monitor, 0);
	/* create honours cpu.cpus: the monitor and its vCPU thread inherit it */
	allowed_cpus(monitor, cpus, sizeof(cpus));
	ck_assert_str_eq(cpus, "1 ");
	OCI_OK("update", "--cpuset-cpus", "0", "u");
	allowed_cpus(monitor, cpus, sizeof(cpus));
	ck_assert_str_eq(cpus, "0 ");
	snprintf(path, sizeof(path), "%s/res.json", dir);
	write_file(path, "{\"cpu\": {\"cpus\": \"0-1\"}, \"unknown\": 1}");
	OCI_OK("update", "--resources", path, "u");
	allowed_cpus(monitor, cpus, sizeof(cpus));
	ck_assert_str_eq(cpus, "0-1 ");
	/* a value the kernel refuses stops the update before the CPU list is applied */
	write_file(path, "{\"cpu\": {\"cpus\": \"0\", \"quota\": 10}}");
	OCI_ERR("linux.resources.cpu.quota: cpu.cfs_quota_us = 10: Invalid argument", "update", "-r",
		path, "u");
	allowed_cpus(monitor, cpus, sizeof(cpus));
	ck_assert_str_eq(cpus, "0-1 ");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		write_file(path, refused[i].doc);
		OCI_ERR(refused[i].error, "update", "-r", path, "u");
	}
	OCI_ERR("--kernel-memory: not applied by fasco-oci", "update", "--kernel-memory", "1G", "u");
	OCI_ERR("--memory: \"lots\" is not a size", "update", "--memory", "lots", "u");
	OCI_ERR("--pids-limit: \"5x\" is not an integer", "update", "--pids-limit", "5x", "u");
	OCI_ERR("--cpu-shares: \"-2\" is not a non-negative number", "update", "--cpu-shares", "-2",
		"u");
	OCI_ERR("cpus \"0-\": bad range", "update", "--cpuset-cpus", "0-", "u");
	OCI_ERR("cpus \"1,\": expected a CPU number", "update", "--cpuset-cpus", "1,", "u");
	OCI_ERR("cpus \"x\": expected a CPU number", "update", "--cpuset-cpus", "x", "u");
	OCI_ERR("cpus \"99999\": expected a CPU number", "update", "--cpuset-cpus", "99999", "u");
	OCI_ERR("--resources", "update", "-r", "/nonexistent.json", "u");
	OCI_ERR("expected exactly one container id", "update", "--cpuset-cpus", "0");
	OCI_OK("delete", "--force", "u");
	/* a malformed cpu list in config.json is refused at create, naming the field */
	set_config_linux("\"sleep\", \"100\"", "\"resources\": { \"cpu\": { \"cpus\": \"0-x\" } }");
	OCI_ERR("linux.resources.cpu: cpus \"0-x\"", "create", "--bundle", bundle, "bad");
	ck_assert_uint_eq(root_entries(), 0);
	reap_all();
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("commands");

	tcase_add_test(tc, test_ps);
	tcase_add_test(tc, test_pause_resume);
	tcase_add_test(tc, test_pause_freezes_cpu);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_update);
	return harness_run("oci-commands", tc);
}
