/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cgroup v2 path end to end on a real cgroup2 file system: this test
 * runs in a private mount namespace with cgroup2 mounted on /sys/fs/cgroup,
 * so fasco-oci finds a unified layout even on a v1/hybrid host. On such a
 * host the controllers stay bound to v1 (the v2 root lists none), so a
 * limit fails cleanly naming its file; with controllers, it is checked.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cgroup_host.h"
#include "harness.h"

static char parent[64];
static bool mounted;

#define NEED_V2()                                                                     \
	do {                                                                          \
		NEED_KVM();                                                           \
		if (!mounted) {                                                       \
			printf("%s: skipped: no private cgroup2 mount\n", __func__); \
			return;                                                       \
		}                                                                     \
	} while (0)

START_TEST(test_v2_cgroup)
{
	char member[256], path[128];
	struct result r;
	pid_t keeper;

	NEED_V2();
	snprintf(path, sizeof(path), "%s/a", parent);
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"%s\"", path);
	set_config_linux("\"sleep\", \"100\"", member);
	OCI_OK("create", "--bundle", bundle, "a");
	keeper = pid_of("a");
	ck_assert(host_cgroup_has("", path, keeper));
	ck_assert_int_gt(host_cgroup_child_of("", path, keeper), 0);
	OCI_OK("start", "a");
	OCI(&r, "events", "--stats", "a");
	expect_ok(&r, "events");
	/* v2 counts CPU in every cgroup (cpu.stat), in microseconds: reported in ns */
	ck_assert_ptr_nonnull(strstr(r.out, "\"cpu\":{\"usage\":{\"total\":"));
	OCI_OK("delete", "--force", "a");
	ck_assert(!host_cgroup_exists("", path));
	reap_all();
}
END_TEST

START_TEST(test_v2_limits)
{
	char member[512], path[128];

	NEED_V2();
	snprintf(path, sizeof(path), "%s/lim", parent);
	snprintf(member, sizeof(member), "\"cgroupsPath\": \"%s\", \"resources\": { \"memory\": "
		 "{ \"limit\": 268435456, \"swap\": 402653184 }, \"cpu\": { \"shares\": 1024, "
		 "\"quota\": 50000, \"period\": 100000 }, \"pids\": { \"limit\": 64 } }", path);
	set_config_linux("\"sleep\", \"100\"", member);
	if (!strstr(read_file("/sys/fs/cgroup/cgroup.controllers"), "memory")) {
		/* the host binds memory to v1: refused naming the file, nothing left */
		OCI_ERR("linux.resources.memory.limit: memory.max: this host's cgroup has no such "
			"file (is the memory controller there?)", "create", "--bundle", bundle, "lim");
		ck_assert(!host_cgroup_exists("", path));
		ck_assert_uint_eq(root_entries(), 0);
		return;
	}
	OCI_OK("create", "--bundle", bundle, "lim");
	ck_assert_str_eq(host_cgroup_value("", path, "memory.max"), "268435456");
	ck_assert_str_eq(host_cgroup_value("", path, "memory.swap.max"), "134217728");
	ck_assert_str_eq(host_cgroup_value("", path, "cpu.weight"), "39");
	ck_assert_str_eq(host_cgroup_value("", path, "cpu.max"), "50000 100000");
	ck_assert_str_eq(host_cgroup_value("", path, "pids.max"), "64");
	OCI_OK("delete", "--force", "lim");
	ck_assert(!host_cgroup_exists("", path));
	reap_all();
}
END_TEST

/* A private mount namespace with cgroup2 on /sys/fs/cgroup (for this process and its children). */
static bool mount_v2(void)
{
	if (geteuid() || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0) {
		perror("private cgroup2 mount");
		return false;
	}
	return host_cgroup_version() == 2;
}

int main(void)
{
	TCase *tc = tcase_create("cgroup-v2");
	int ret;

	snprintf(parent, sizeof(parent), "/fasco-test-v2-%d", (int)getpid());
	mounted = mount_v2();
	tcase_add_test(tc, test_v2_cgroup);
	tcase_add_test(tc, test_v2_limits);
	ret = harness_run("oci-cgroup-v2", tc);
	if (mounted)
		host_cgroup_purge(parent);
	return ret;
}
