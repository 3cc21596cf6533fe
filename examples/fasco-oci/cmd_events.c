/* SPDX-License-Identifier: Apache-2.0 */
/*
 * events [--stats] [--interval D] ID: the container's resource usage as
 * runc prints it, one JSON object per line: {"type":"stats","id":...,
 * "data":{"cpu":...,"memory":...,"pids":...}}. A container with a cgroup
 * reports what the cgroup counts (and its limits, CPU throttling, memory
 * failures), each member where the host has the file; one without is
 * counted over its host processes (members.c), whose monitors hold the
 * realms' memory and run their vCPUs. --stats prints once; otherwise every
 * interval (default 5s) until the container stops, waiting on its
 * keeper's pidfd.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "cli.h"
#include "common/cleanup.h"
#include "oci/jsonw.h"
#include "oci/proc.h"

struct usage {
	uint64_t user_ns, kernel_ns, rss_bytes, pids;
};

static void sum_usage(struct container *c, struct usage *u)
{
	static pid_t pids[CONTAINER_PIDS_MAX];
	uint64_t tick_ns = 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	size_t n = 0;

	*u = (struct usage){ 0 };
	if (container_pids(c, pids, CONTAINER_PIDS_MAX, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct oci_proc_info info;

		if (oci_proc_info(pids[i], &info) < 0)
			continue;
		u->user_ns += info.utime * tick_ns;
		u->kernel_ns += info.stime * tick_ns;
		u->rss_bytes += info.rss_pages * page;
		u->pids++;
	}
}

/* runc's shape (its types.Stats), with what the cgroup has. */
static void print_cgroup(const struct oci_cg_stats *s)
{
	const char *sep = "";

	printf("\"cpu\":{");
	if (s->has_cpu) {
		printf("\"usage\":{\"total\":%llu,\"kernel\":%llu,\"user\":%llu}",
		       (unsigned long long)s->cpu_total_ns, (unsigned long long)s->cpu_kernel_ns,
		       (unsigned long long)s->cpu_user_ns);
		sep = ",";
	}
	if (s->has_throttling)
		printf("%s\"throttling\":{\"periods\":%llu,\"throttledPeriods\":%llu,"
		       "\"throttledTime\":%llu}", sep, (unsigned long long)s->cpu_periods,
		       (unsigned long long)s->cpu_throttled_periods,
		       (unsigned long long)s->cpu_throttled_ns);
	printf("},\"memory\":{");
	if (s->has_mem) {
		printf("\"usage\":{\"limit\":%llu,\"usage\":%llu", (unsigned long long)s->mem_limit,
		       (unsigned long long)s->mem_usage);
		if (s->has_mem_max)
			printf(",\"max\":%llu", (unsigned long long)s->mem_max_usage);
		printf(",\"failcnt\":%llu}", (unsigned long long)s->mem_failcnt);
	}
	printf("},\"pids\":{");
	if (s->has_pids)
		printf("\"current\":%llu,\"limit\":%llu", (unsigned long long)s->pids_current,
		       (unsigned long long)s->pids_limit);
	printf("}");
}

static void print_stats(struct container *c, struct oci_cgroup *cg)
{
	struct oci_cg_stats s;
	struct usage u;

	fputs("{\"type\":\"stats\",\"id\":", stdout);
	oci_json_string(stdout, c->id);
	if (cg->version) {
		oci_cgroup_stats(cg, &s);
		fputs(",\"data\":{", stdout);
		print_cgroup(&s);
		fputs("}}\n", stdout);
		fflush(stdout);
		return;
	}
	sum_usage(c, &u);
	printf(",\"data\":{\"cpu\":{\"usage\":{\"total\":%llu,\"kernel\":%llu,\"user\":%llu}},"
	       "\"memory\":{\"usage\":{\"usage\":%llu}},\"pids\":{\"current\":%llu}}}\n",
	       (unsigned long long)(u.user_ns + u.kernel_ns), (unsigned long long)u.kernel_ns,
	       (unsigned long long)u.user_ns, (unsigned long long)u.rss_bytes,
	       (unsigned long long)u.pids);
	fflush(stdout);
}

/* A Go-style duration: a positive integer with ms, s, m or h. */
static int parse_interval(const char *s, int *ret_ms)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || v <= 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit) && v <= 86400000 / units[i].ms) {
			*ret_ms = (int)(v * units[i].ms);
			return 0;
		}
	return -1;
}

/* Print every interval until the keeper (pidfd) ends. */
static void stream(struct container *c, struct oci_cgroup *cg, int interval_ms)
{
	_cleanup_close_ int pidfd = -1;

	if (oci_proc_pidfd(c->st.pid, c->st.start_time, &pidfd) < 0)
		return;
	for (;;) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

		print_stats(c, cg);
		if (poll(&pfd, 1, interval_ms) != 0)
			return;
	}
}

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ 0 },
	};
	struct container c = CONTAINER_INIT;
	struct oci_cgroup cg;
	enum oci_status status;
	bool once = false;
	int ch, interval_ms = 5000, ret = 1;

	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (ch == 's')
			once = true;
		else if (ch != 'i' || parse_interval(optarg, &interval_ms) < 0)
			return usage_error("events", ch == 'i' ? "--interval: \"%s\" is not a positive "
					   "duration (e.g. 500ms, 5s)" : "unknown option%s", ch == 'i' ?
					   optarg : "");
	}
	if (optind != argc - 1)
		return usage_error("events", "expected exactly one container id");
	oci_cgroup_init(&cg);
	if (container_open(argv[optind], &c, false) || cgroup_of(&c, &cg))
		goto out;
	status = container_status(&c);
	if (status == OCI_STATUS_STOPPED || status == OCI_STATUS_CREATING) {
		fail("container %s is not running", c.id);
		goto out;
	}
	if (once)
		print_stats(&c, &cg);
	else
		stream(&c, &cg, interval_ms);
	ret = 0;
out:
	oci_cgroup_close(&cg);
	container_close(&c);
	return ret;
}
