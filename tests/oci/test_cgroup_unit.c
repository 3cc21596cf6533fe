/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cgroup layer's logic without a cgroup file system (lib/oci/cgroup*.c):
 * the writes linux.resources turns into under v1 and v2 (runc's meanings:
 * v2 swap beyond the limit, cpu.weight from shares, cpu.max, "max"), where
 * cgroupsPath leads (absolute, relative to the own cgroup, systemd's
 * form, refusals), the record read back as hostile, and the v2 file
 * writing and stats reading against a directory tree that imitates a
 * cgroup2 hierarchy.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suite.h"
#include "oci/cgroup.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/fasco-cgroup-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct oci_resources full(void)
{
	return (struct oci_resources){
		.memory_limit = 268435456, .memory_swap = 402653184, .memory_reservation = 1 << 20,
		.cpu_shares = 1024, .cpu_quota = 50000, .cpu_period = 100000, .pids_limit = 64,
		.cpu_cpus = "0-1", .cpu_mems = "0",
		.has_memory_limit = true, .has_memory_swap = true, .has_memory_reservation = true,
		.has_cpu_shares = true, .has_cpu_quota = true, .has_cpu_period = true,
		.has_pids_limit = true,
	};
}

/* "file=value" of each setting, joined by spaces. */
static const char *render(int version, const struct oci_resources *res)
{
	static char out[1024];
	struct oci_cg_setting s[OCI_CG_SETTINGS_MAX];
	int n = oci_cgroup_settings(version, res, s, OCI_CG_SETTINGS_MAX);
	size_t len = 0;

	ck_assert_msg(n >= 0, "%s", fasco_last_error());
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s", i ? " " : "",
					s[i].file, s[i].value);
	return out;
}

START_TEST(test_settings)
{
	struct oci_resources res = full();
	struct oci_cg_setting s[OCI_CG_SETTINGS_MAX];

	ck_assert_str_eq(render(1, &res),
			 "memory.limit_in_bytes=268435456 memory.memsw.limit_in_bytes=402653184 "
			 "memory.soft_limit_in_bytes=1048576 cpu.shares=1024 cpu.cfs_period_us=100000 "
			 "cpu.cfs_quota_us=50000 cpuset.cpus=0-1 cpuset.mems=0 pids.max=64");
	ck_assert_str_eq(render(2, &res),
			 "memory.max=268435456 memory.swap.max=134217728 memory.low=1048576 "
			 "cpu.weight=39 cpu.max=50000 100000 cpuset.cpus=0-1 cpuset.mems=0 pids.max=64");
	ck_assert_uint_eq(oci_cgroup_needs(1, &res), (1u << OCI_CG_CPU) | (1u << OCI_CG_CPUSET) |
			  (1u << OCI_CG_MEMORY) | (1u << OCI_CG_PIDS));
	/* -1 lifts a limit, 0 leaves it alone */
	res = (struct oci_resources){ .memory_limit = -1, .memory_swap = 0, .cpu_quota = -1,
				      .cpu_period = 0, .pids_limit = -1, .cpu_shares = 0,
				      .has_memory_limit = true, .has_memory_swap = true,
				      .has_cpu_quota = true, .has_pids_limit = true,
				      .has_cpu_shares = true };
	ck_assert_str_eq(render(1, &res), "memory.limit_in_bytes=-1 cpu.cfs_quota_us=-1 pids.max=max");
	ck_assert_str_eq(render(2, &res), "memory.max=max memory.swap.max=max cpu.max=max pids.max=max");
	/* cpu.weight spans 1..10000 over shares 2..262144, clamped */
	res = (struct oci_resources){ .cpu_shares = 1, .has_cpu_shares = true };
	ck_assert_str_eq(render(2, &res), "cpu.weight=1");
	res.cpu_shares = 1u << 30;
	ck_assert_str_eq(render(2, &res), "cpu.weight=10000");
	res = (struct oci_resources){ .cpu_period = 20000, .has_cpu_period = true };
	ck_assert_str_eq(render(2, &res), "cpu.max=max 20000");
	/* v2 cannot express a swap limit without a memory limit, or below it */
	res = (struct oci_resources){ .memory_swap = 1 << 20, .has_memory_swap = true };
	ck_assert_fails(oci_cgroup_settings(2, &res, s, OCI_CG_SETTINGS_MAX), FASCO_E_CONFIG,
			"linux.resources.memory.swap: a swap limit needs a memory limit");
	res.memory_limit = 2 << 20;
	res.has_memory_limit = true;
	ck_assert_fails(oci_cgroup_settings(2, &res, s, OCI_CG_SETTINGS_MAX), FASCO_E_CONFIG,
			"is below the memory limit");
	res = (struct oci_resources){ .memory_limit = -5, .has_memory_limit = true };
	ck_assert_fails(oci_cgroup_settings(2, &res, s, OCI_CG_SETTINGS_MAX), FASCO_E_CONFIG,
			"linux.resources.memory.limit: -5 is neither bytes nor -1");
}
END_TEST

static const char own_v1[] = "12:pids:/user.slice\n4:memory:/box/a\n2:cpu,cpuacct:/x\n"
			     "1:name=systemd:/s\n0::/unified\n";

START_TEST(test_paths)
{
	struct oci_cgroup cg;

	oci_cgroup_init(&cg);
	cg.version = 1;
	ck_assert_int_eq(oci_cgroup_own_parse(&cg, own_v1), 0);
	ck_assert_str_eq(cg.h[OCI_CG_MEMORY].own, "/box/a");
	ck_assert_str_eq(cg.h[OCI_CG_CPUACCT].own, "/x");
	ck_assert_str_eq(cg.h[OCI_CG_CPUSET].own, "/");
	ck_assert_int_eq(oci_cgroup_resolve(&cg, "k8s/./pod//c", "id", false), 0);
	ck_assert_str_eq(cg.h[OCI_CG_MEMORY].path, "/box/a/k8s/pod/c");
	ck_assert_str_eq(cg.h[OCI_CG_CPUSET].path, "/k8s/pod/c");
	ck_assert_int_eq(oci_cgroup_resolve(&cg, NULL, "c1", false), 0);
	ck_assert_str_eq(cg.h[OCI_CG_PIDS].path, "/fasco/c1");
	ck_assert_int_eq(oci_cgroup_resolve(&cg, "a-b.slice:cri:c9", "id", true), 0);
	ck_assert_str_eq(cg.h[OCI_CG_CPU].path, "/a.slice/a-b.slice/cri-c9.scope");
	ck_assert_int_eq(oci_cgroup_resolve(&cg, ":p:n", "id", true), 0);
	ck_assert_str_eq(cg.h[OCI_CG_CPU].path, "/system.slice/p-n.scope");
	ck_assert_int_eq(oci_cgroup_resolve(&cg, "-.slice::sub.slice", "id", true), 0);
	ck_assert_str_eq(cg.h[OCI_CG_CPU].path, "/sub.slice");
	ck_assert_fails(oci_cgroup_resolve(&cg, "a--b.slice:p:n", "id", true), FASCO_E_CONFIG,
			"linux.cgroupsPath: \"a--b.slice\" is not a systemd slice name");
	ck_assert_fails(oci_cgroup_resolve(&cg, "x/../..", "id", false), FASCO_E_CONFIG,
			"a \"..\" component would leave the cgroup hierarchy");
	ck_assert_fails(oci_cgroup_resolve(&cg, "//.", "id", false), FASCO_E_CONFIG,
			"names the root of the cgroup hierarchy");
	ck_assert_fails(oci_cgroup_resolve(&cg, ".", "id", false), FASCO_E_CONFIG,
			"names fasco-oci's own cgroup");
	cg = (struct oci_cgroup){ .version = 2 };
	ck_assert_int_eq(oci_cgroup_own_parse(&cg, own_v1), 0);
	ck_assert_str_eq(cg.h[0].own, "/unified");
}
END_TEST

START_TEST(test_record)
{
	struct oci_cgroup cg, back;
	int dfd = open(dir, O_PATH | O_DIRECTORY);
	static const char *const hostile[] = {
		"v1\n/a\n", "v2\n/../x\n", "v2\n/a/./b\n", "v2\nrelative\n", "v2\n/\n",
		"v3\n/a\n", "v2\n/a\n/b\n", "v2\n/a//b\n", "v2\n/a",
	};

	ck_assert_int_ge(dfd, 0);
	oci_cgroup_init(&back);
	ck_assert_int_eq(oci_cgroup_load(dfd, &back), 0);
	ck_assert_int_eq(back.version, 0); /* no record: no cgroup */
	oci_cgroup_init(&cg);
	cg.version = 1;
	for (int i = 0; i < OCI_CG_CTRLS; i++)
		snprintf(cg.h[i].path, sizeof(cg.h[i].path), "/fasco/c%d", i);
	ck_assert_int_eq(oci_cgroup_record(dfd, &cg), 0);
	snprintf(back.root, sizeof(back.root), "%s/none", dir); /* nothing to open */
	ck_assert_int_eq(oci_cgroup_load(dfd, &back), 0);
	ck_assert_int_eq(back.version, 1);
	ck_assert_str_eq(back.h[OCI_CG_PIDS].path, "/fasco/c4");
	ck_assert_int_eq(back.h[OCI_CG_PIDS].fd, -1);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, OCI_CGROUP_FILE);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(hostile[i], f);
		fclose(f);
		oci_cgroup_init(&back);
		ck_assert_msg(oci_cgroup_load(dfd, &back) == FASCO_E_CONFIG, "accepted \"%s\"",
			      hostile[i]);
		ck_assert_int_eq(back.version, 0);
	}
	close(dfd);
}
END_TEST

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char *get(const char *name)
{
	static char buf[256];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A cgroup2 imitation: the root lists controllers, the container's directory has its files. */
static void v2_tree(void)
{
	static const char *const files[] = { "memory.max", "memory.swap.max", "memory.low",
					     "cpu.weight", "cpu.max", "cpuset.cpus", "cpuset.mems",
					     "pids.max", "cgroup.procs", "cgroup.controllers",
					     "cgroup.subtree_control" };
	char path[256];

	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put("cgroup.subtree_control", "");
	snprintf(path, sizeof(path), "%s/k8s", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("k8s/cgroup.controllers", "cpu memory\n");
	put("k8s/cgroup.subtree_control", "");
	snprintf(path, sizeof(path), "%s/k8s/c", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "k8s/c/%s", files[i]);
		put(path, "");
	}
}

START_TEST(test_v2_files)
{
	struct oci_resources res = full();
	struct oci_cg_stats st;
	struct oci_cgroup cg;

	v2_tree();
	oci_cgroup_init(&cg);
	cg.version = 2;
	snprintf(cg.root, sizeof(cg.root), "%s", dir);
	ck_assert_int_eq(oci_cgroup_resolve(&cg, "/k8s/c", "id", false), 0);
	ck_assert_int_eq(oci_cgroup_create(&cg, oci_cgroup_needs(2, &res)), 0);
	/* each parent enables what it has of cpu, cpuset, memory and pids */
	ck_assert_str_eq(get("cgroup.subtree_control"), "+cpu +cpuset +memory +pids");
	ck_assert_str_eq(get("k8s/cgroup.subtree_control"), "+cpu +memory");
	ck_assert_uint_eq(cg.h[0].created, 0); /* both existed */
	ck_assert_int_eq(oci_cgroup_apply(&cg, &res), 0);
	ck_assert_str_eq(get("k8s/c/memory.max"), "268435456");
	ck_assert_str_eq(get("k8s/c/memory.swap.max"), "134217728");
	ck_assert_str_eq(get("k8s/c/cpu.weight"), "39");
	ck_assert_str_eq(get("k8s/c/cpu.max"), "50000 100000");
	ck_assert_str_eq(get("k8s/c/pids.max"), "64");
	ck_assert_int_eq(oci_cgroup_join(&cg), 0);
	ck_assert_str_eq(get("k8s/c/cgroup.procs"), "0");
	/* stats: microseconds become nanoseconds, "max" an unlimited value */
	put("k8s/c/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 7\n"
			      "nr_throttled 2\nthrottled_usec 30\n");
	put("k8s/c/memory.current", "4096\n");
	put("k8s/c/memory.max", "max\n");
	put("k8s/c/memory.events", "low 0\nhigh 0\nmax 3\noom 1\n");
	put("k8s/c/pids.current", "5\n");
	ck_assert_int_eq(oci_cgroup_stats(&cg, &st), 0);
	ck_assert(st.has_cpu && st.has_throttling && st.has_mem && st.has_failcnt && st.has_pids);
	ck_assert(!st.has_mem_max); /* no memory.peak here */
	ck_assert_uint_eq(st.cpu_total_ns, 1500000);
	ck_assert_uint_eq(st.cpu_kernel_ns, 500000);
	ck_assert_uint_eq(st.cpu_throttled_ns, 30000);
	ck_assert_uint_eq(st.mem_limit, UINT64_MAX);
	ck_assert_uint_eq(st.mem_failcnt, 3);
	ck_assert_uint_eq(st.pids_current, 5);
	ck_assert_uint_eq(st.pids_limit, 64);
	/* a file the host lacks is named with its controller */
	{
		char gone[256];

		snprintf(gone, sizeof(gone), "%s/k8s/c/memory.swap.max", dir);
		ck_assert_int_eq(unlink(gone), 0);
	}
	ck_assert_fails(oci_cgroup_apply(&cg, &res), FASCO_E_CONFIG,
			"linux.resources.memory.swap: memory.swap.max: this host's cgroup has no "
			"such file (is the memory controller there?)");
	oci_cgroup_close(&cg);
}
END_TEST

START_TEST(test_v2_made)
{
	struct oci_cgroup cg;
	char path[256];
	struct stat sb;

	put("cgroup.controllers", "\n");
	oci_cgroup_init(&cg);
	cg.version = 2;
	snprintf(cg.root, sizeof(cg.root), "%s", dir);
	ck_assert_int_eq(oci_cgroup_resolve(&cg, "/a/b/c", "id", false), 0);
	/* mkdir gives a plain directory no cgroup.controllers: the second level fails */
	ck_assert_fails(oci_cgroup_create(&cg, 0), -ENOENT, "linux.cgroupsPath: ");
	snprintf(path, sizeof(path), "%s/a", dir);
	ck_assert_int_ne(stat(path, &sb), 0); /* what it made is gone again */
	ck_assert_int_eq(cg.h[0].fd, -1);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = { test_settings, test_paths, test_record,
					      test_v2_files, test_v2_made };

	return run_tests("oci-cgroup-unit", tests, sizeof(tests) / sizeof(tests[0]), setup,
			 teardown);
}
