/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.resources and linux.cgroupsPath through a real cgroup, end to end
 * on the host's layout (v1/hybrid here; v2 in test_cgroup_v2.c), checked
 * from the host: the cgroup exists with the limits written and the
 * keeper and the realm's monitor in it while the container is created and
 * running, update changes them, exec's keeper joins, delete removes it; a
 * create that fails (a value the kernel refuses, a fork the pids limit
 * stops, a create killed half-way) leaves no cgroup and no state; hostile
 * paths are refused; the systemd and relative forms land where they say;
 * a container that asks for nothing gets no cgroup.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_host.h"
#include "harness.h"

static const char *const ctrls[] = { "cpu", "cpuacct", "cpuset", "memory", "pids" };
#define N_CTRLS (sizeof(ctrls) / sizeof(ctrls[0]))

static char parent[64]; /* /fasco-test-<pid>: every cgroup of these tests is below it */

#define NEED_CGROUPS()                                                              \
	do {                                                                        \
		NEED_KVM();                                                         \
		if (!host_cgroup_version() || geteuid()) {                          \
			printf("%s: skipped: no writable cgroups\n", __func__);    \
			return;                                                     \
		}                                                                   \
	} while (0)

static const char *sub(const char *leaf)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s%s", parent, leaf);
	return path;
}

static void expect_gone(const char *path)
{
	for (size_t i = 0; i < N_CTRLS; i++)
		ck_assert_msg(!host_cgroup_exists(ctrls[i], path), "%s left behind",
			      host_cgroup_dir(ctrls[i], path));
}

/* The limits of test_limits as the host's layout spells them. */
static void expect_limits(const char *path, const char *mem, const char *pids,
			  const char *quota)
{
	bool v2 = host_cgroup_version() == 2;
	char max[64];

	ck_assert_str_eq(host_cgroup_value("memory", path, v2 ? "memory.max" : "memory.limit_in_bytes"), mem);
	ck_assert_str_eq(host_cgroup_value("pids", path, "pids.max"), pids);
	ck_assert_str_eq(host_cgroup_value("cpuset", path, "cpuset.cpus"), "0");
	if (!v2) {
		ck_assert_str_eq(host_cgroup_value("memory", path, "memory.soft_limit_in_bytes"),
				 "134217728");
		ck_assert_str_eq(host_cgroup_value("cpu", path, "cpu.cfs_quota_us"), quota);
		ck_assert_str_eq(host_cgroup_value("cpu", path, "cpu.cfs_period_us"), "100000");
		return;
	}
	ck_assert_str_eq(host_cgroup_value("memory", path, "memory.low"), "134217728");
	snprintf(max, sizeof(max), "%s 100000", quota);
	ck_assert_str_eq(host_cgroup_value("cpu", path, "cpu.max"), max);
}

static void expect_members(const char *path, pid_t keeper)
{
	for (size_t i = 0; i < N_CTRLS; i++) {
		if (host_cgroup_version() == 2 && i)
			break;
		ck_assert_msg(host_cgroup_has(ctrls[i], path, keeper), "keeper not in %s",
			      host_cgroup_dir(ctrls[i], path));
		ck_assert_msg(host_cgroup_child_of(ctrls[i], path, keeper) > 0,
			      "the monitor is not in %s", host_cgroup_dir(ctrls[i], path));
	}
}

static void limits_config(const char *leaf, const char *args)
{
	char member[1024];

	snprintf(member, sizeof(member),
		 "\"cgroupsPath\": \"%s\", \"resources\": { \"memory\": { \"limit\": 268435456, "
		 "\"reservation\": 134217728 }, \"cpu\": { \"shares\": 512, \"quota\": 50000, "
		 "\"period\": 100000, \"cpus\": \"0\" }, \"pids\": { \"limit\": 64 } }",
		 sub(leaf));
	set_config_linux(args ? args : "\"sleep\", \"100\"", member);
}

START_TEST(test_limits)
{
	const char *path = sub("/lim");
	char pidfile[256], res[256];
	struct result r;
	pid_t keeper, exec_pid;

	NEED_CGROUPS();
	limits_config("/lim", NULL);
	OCI_OK("create", "--bundle", bundle, "lim");
	keeper = pid_of("lim");
	/* created: in place before the program's first instruction */
	expect_limits(path, "268435456", "64", "50000");
	expect_members(path, keeper);
	OCI_OK("start", "lim");
	ck_assert_str_eq(status_of("lim"), "running");
	expect_members(path, keeper);
	OCI(&r, "events", "--stats", "lim");
	expect_ok(&r, "events");
	ck_assert_ptr_nonnull(strstr(r.out, "\"memory\":{\"usage\":{\"limit\":268435456,\"usage\":"));
	ck_assert_ptr_nonnull(strstr(r.out, ",\"limit\":64}"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"pids\":{\"current\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"cpu\":{\"usage\":{\"total\":"));
	/* runc's flags and a document */
	OCI_OK("update", "--memory", "512M", "--pids-limit", "32", "--cpu-quota", "20000", "lim");
	expect_limits(path, "536870912", "32", "20000");
	snprintf(res, sizeof(res), "%s/res.json", dir);
	write_file(res, "{\"pids\": {\"limit\": -1}, \"memory\": {\"limit\": -1}}");
	OCI_OK("update", "--resources", res, "lim");
	ck_assert_str_eq(host_cgroup_value("pids", path, "pids.max"), "max");
	/* an exec's keeper joins the container's cgroup */
	snprintf(pidfile, sizeof(pidfile), "%s/exec.pid", dir);
	OCI_OK("exec", "-d", "--pid-file", pidfile, "lim", "sleep", "100");
	exec_pid = atoi(read_file(pidfile));
	ck_assert(host_cgroup_has("pids", path, exec_pid));
	OCI_OK("delete", "--force", "lim");
	expect_gone(path);
	ck_assert_uint_eq(root_entries(), 0);
	reap_all();
}
END_TEST

START_TEST(test_failed_create)
{
	char member[512], failed[96];

	NEED_CGROUPS();
	/* a value the kernel refuses: named with its file; the parent made for it goes too */
	snprintf(failed, sizeof(failed), "%s-failed", parent);
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"%s/bad\", \"resources\": { \"cpu\": "
		 "{ \"mems\": \"7\" } }", failed);
	set_config_linux("\"true\"", member);
	OCI_ERR("linux.resources.cpu.mems: cpuset.mems = 7: Invalid argument", "create", "--bundle",
		bundle, "bad");
	OCI_ERR("linux.resources.cpu.mems: cpuset.mems = 7", "run", "--bundle", bundle, "bad");
	expect_gone(failed);
	ck_assert_uint_eq(root_entries(), 0);
	/* run in the foreground forks the monitor inside: one pid is fasco-oci's own */
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"%s/one\", \"resources\": { \"pids\": "
		 "{ \"limit\": 1 } }", failed);
	set_config_linux("\"true\"", member);
	OCI_ERR("fork realm monitor", "run", "--bundle", bundle, "one");
	expect_gone(failed);
	ck_assert_uint_eq(root_entries(), 0);
	/* killed once the cgroup is made: delete removes it with the rest */
	limits_config("/killed", NULL);
	{
		struct result r;

		OCI_FAULT(&r, "create-state", "create", "--bundle", bundle, "killed");
		ck_assert_int_eq(r.status, 128 + SIGKILL);
	}
	ck_assert(host_cgroup_exists("memory", sub("/killed")));
	OCI_OK("delete", "killed");
	expect_gone(sub("/killed"));
	ck_assert_uint_eq(root_entries(), 0);
	reap_all();
}
END_TEST

START_TEST(test_paths)
{
	char member[512], slice[64], own[512] = "", line[600];
	FILE *f;
	pid_t keeper;

	NEED_CGROUPS();
	set_config_linux("\"true\"", "\"cgroupsPath\": \"../../x\"");
	OCI_ERR("linux.cgroupsPath: \"../../x\": a \"..\" component would leave the cgroup hierarchy",
		"create", "--bundle", bundle, "p");
	set_config_linux("\"true\"", "\"cgroupsPath\": \"/a/../../b\"");
	OCI_ERR("linux.cgroupsPath: \"/a/../../b\": a \"..\" component", "create", "--bundle",
		bundle, "p");
	set_config_linux("\"true\"", "\"cgroupsPath\": \"/./\"");
	OCI_ERR("linux.cgroupsPath: \"/./\" names the root of the cgroup hierarchy", "create",
		"--bundle", bundle, "p");
	set_config_linux("\"true\"", "\"cgroupsPath\": \"/a\\nb\"");
	OCI_ERR("linux.cgroupsPath: \"/a\nb\": control character at byte 2", "create", "--bundle",
		bundle, "p");
	set_config_linux("\"true\"", "\"cgroupsPath\": \"/plain\"");
	OCI_ERR("linux.cgroupsPath: \"/plain\": --systemd-cgroup expects \"slice:prefix:name\"",
		"--systemd-cgroup", "create",
		"--bundle", bundle, "p");
	ck_assert_uint_eq(root_entries(), 0);
	/* the systemd form: the unit's directory under its slice */
	snprintf(slice, sizeof(slice), "fascotest%d.slice", (int)getpid());
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"%s:fasco:sd\"", slice);
	set_config_linux("\"sleep\", \"100\"", member);
	OCI_OK("--systemd-cgroup", "create", "--bundle", bundle, "sd");
	snprintf(member, sizeof(member), "/%s/fasco-sd.scope", slice);
	ck_assert(host_cgroup_has("pids", member, pid_of("sd")));
	OCI_OK("delete", "sd");
	ck_assert(!host_cgroup_exists("pids", member));
	snprintf(member, sizeof(member), "/%s", slice);
	host_cgroup_purge(member);
	/* relative: below fasco-oci's own cgroup (ours), in each hierarchy */
	f = fopen("/proc/self/cgroup", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*[^:]:memory:%511s", own) == 1 || sscanf(line, "0::%511s", own) == 1)
			break;
	fclose(f);
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"fasco-rel-%d\"", (int)getpid());
	set_config_linux("\"sleep\", \"100\"", member);
	OCI_OK("create", "--bundle", bundle, "rel");
	keeper = pid_of("rel");
	snprintf(member, sizeof(member), "%s/fasco-rel-%d", strcmp(own, "/") ? own : "",
		 (int)getpid());
	ck_assert_msg(host_cgroup_has("memory", member, keeper), "not in %s", member);
	OCI_OK("delete", "rel");
	ck_assert(!host_cgroup_exists("memory", member));
	reap_all();
}
END_TEST

START_TEST(test_without)
{
	char path[256], mine[1024], theirs[1024];
	struct result r;
	pid_t keeper;

	NEED_KVM();
	/* nothing asked for: no cgroup work at all, the keeper stays where we are */
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "plain");
	keeper = pid_of("plain");
	snprintf(path, sizeof(path), "%s/plain/cgroup", root);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)keeper);
	snprintf(mine, sizeof(mine), "%s", read_file("/proc/self/cgroup"));
	snprintf(theirs, sizeof(theirs), "%s", read_file(path));
	ck_assert_str_eq(mine, theirs);
	OCI(&r, "update", "--pids-limit", "5", "plain");
	expect_error(&r, "plain: the container has no cgroup");
	OCI_OK("update", "--cpuset-cpus", "0", "plain");
	OCI_OK("delete", "plain");
	reap_all();
}
END_TEST

START_TEST(test_run_foreground)
{
	struct result r;

	NEED_CGROUPS();
	/* this process forks the monitor inside, leaves, and removes it at the end */
	limits_config("/fg", "\"sh\", \"-c\", \"exit 3\"");
	OCI(&r, "run", "--bundle", bundle, "fg");
	ck_assert_int_eq(r.status, 3);
	expect_gone(sub("/fg"));
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("cgroup");
	char failed[96];
	int ret;

	snprintf(parent, sizeof(parent), "/fasco-test-%d", (int)getpid());
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_failed_create);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_without);
	tcase_add_test(tc, test_run_foreground);
	ret = harness_run("oci-cgroup", tc);
	/* what a failed test left, and the parent the tests share */
	snprintf(failed, sizeof(failed), "%s-failed", parent);
	host_cgroup_purge(parent);
	host_cgroup_purge(failed);
	return ret;
}
