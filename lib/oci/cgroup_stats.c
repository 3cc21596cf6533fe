/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's usage as its cgroup counts it, in the units runc reports
 * (nanoseconds, bytes): v1 cpuacct.usage and cpuacct.stat, cpu.stat,
 * memory.usage_in_bytes, max_usage_in_bytes, limit_in_bytes and failcnt,
 * pids.current and pids.max; v2 cpu.stat, memory.current, memory.peak,
 * memory.max, memory.events' "max", pids.current and pids.max. A file the
 * host does not have leaves its has_ flag clear.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oci/cgroup_impl.h"

/* A number (or "max": unlimited) in dirfd/file. */
static bool read_u64(int dirfd, const char *file, uint64_t max_is, uint64_t *ret)
{
	char buf[64], *end;

	if (dirfd < 0 || cg_read_at(dirfd, file, buf, sizeof(buf)) <= 0)
		return false;
	if (!strncmp(buf, "max", 3)) {
		*ret = max_is;
		return true;
	}
	*ret = strtoull(buf, &end, 10);
	return end != buf;
}

/* The value of key in a "key value" per line file. */
static bool read_key(int dirfd, const char *file, const char *key, uint64_t *ret)
{
	char buf[4096];
	size_t kl = strlen(key);

	if (dirfd < 0 || cg_read_at(dirfd, file, buf, sizeof(buf)) <= 0)
		return false;
	for (const char *s = buf; s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL) {
		if (!strncmp(s, key, kl) && s[kl] == ' ') {
			*ret = strtoull(s + kl + 1, NULL, 10);
			return true;
		}
	}
	return false;
}

static void stats_v1(struct oci_cgroup *cg, struct oci_cg_stats *st)
{
	int acct = oci_cgroup_hier(cg, OCI_CG_CPUACCT)->fd, cpu = oci_cgroup_hier(cg, OCI_CG_CPU)->fd;
	int mem = oci_cgroup_hier(cg, OCI_CG_MEMORY)->fd;
	uint64_t tick_ns = 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);

	st->has_cpu = read_u64(acct, "cpuacct.usage", 0, &st->cpu_total_ns) &&
		      read_key(acct, "cpuacct.stat", "user", &st->cpu_user_ns) &&
		      read_key(acct, "cpuacct.stat", "system", &st->cpu_kernel_ns);
	st->cpu_user_ns *= tick_ns;
	st->cpu_kernel_ns *= tick_ns;
	st->has_throttling = read_key(cpu, "cpu.stat", "nr_periods", &st->cpu_periods) &&
			     read_key(cpu, "cpu.stat", "nr_throttled", &st->cpu_throttled_periods) &&
			     read_key(cpu, "cpu.stat", "throttled_time", &st->cpu_throttled_ns);
	st->has_mem = read_u64(mem, "memory.usage_in_bytes", 0, &st->mem_usage) &&
		      read_u64(mem, "memory.limit_in_bytes", UINT64_MAX, &st->mem_limit);
	st->has_mem_max = read_u64(mem, "memory.max_usage_in_bytes", 0, &st->mem_max_usage);
	st->has_failcnt = read_u64(mem, "memory.failcnt", 0, &st->mem_failcnt);
}

static void stats_v2(struct oci_cgroup *cg, struct oci_cg_stats *st)
{
	int fd = cg->h[0].fd;

	st->has_cpu = read_key(fd, "cpu.stat", "usage_usec", &st->cpu_total_ns) &&
		      read_key(fd, "cpu.stat", "user_usec", &st->cpu_user_ns) &&
		      read_key(fd, "cpu.stat", "system_usec", &st->cpu_kernel_ns);
	st->cpu_total_ns *= 1000;
	st->cpu_user_ns *= 1000;
	st->cpu_kernel_ns *= 1000;
	st->has_throttling = read_key(fd, "cpu.stat", "nr_periods", &st->cpu_periods) &&
			     read_key(fd, "cpu.stat", "nr_throttled", &st->cpu_throttled_periods) &&
			     read_key(fd, "cpu.stat", "throttled_usec", &st->cpu_throttled_ns);
	st->cpu_throttled_ns *= 1000;
	st->has_mem = read_u64(fd, "memory.current", 0, &st->mem_usage) &&
		      read_u64(fd, "memory.max", UINT64_MAX, &st->mem_limit);
	st->has_mem_max = read_u64(fd, "memory.peak", 0, &st->mem_max_usage);
	st->has_failcnt = read_key(fd, "memory.events", "max", &st->mem_failcnt);
}

int oci_cgroup_stats(struct oci_cgroup *cg, struct oci_cg_stats *st)
{
	int pids = oci_cgroup_hier(cg, OCI_CG_PIDS)->fd;

	*st = (struct oci_cg_stats){ 0 };
	if (cg->version == 1)
		stats_v1(cg, st);
	else if (cg->version == 2)
		stats_v2(cg, st);
	/* pids.max "max" reads as 0, as runc reports no limit */
	st->has_pids = read_u64(pids, "pids.current", 0, &st->pids_current) &&
		       read_u64(pids, "pids.max", 0, &st->pids_limit);
	return 0;
}
