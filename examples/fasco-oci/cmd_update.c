/* SPDX-License-Identifier: Apache-2.0 */
/*
 * update [--resources FILE|-] [--cpuset-cpus LIST] [runc's other flags] ID:
 * change a running container's resources. What a realm can change is
 * applied: the CPUs its monitor and vCPU threads run on (cpu.cpus, to
 * every thread of the container's processes). What it cannot is refused
 * with the reason, before anything is applied: memory is fixed at create
 * (the realm's memory is populated and measured into its RIM), and the
 * CPU bandwidth, pids and block I/O limits need cgroups that fasco-oci
 * does not apply yet.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/cpuset.h"
#include "oci/store.h"

#define WHY_MEMORY "a realm's memory is fixed when the container is created (populated and " \
		   "measured into its RIM): create a new container"
#define WHY_CGROUP "not supported: fasco-oci applies no cgroup to a realm yet"

struct update_opts {
	const char *resources_file, *cpus;
};

/* Read FILE, or stdin for "-", whole. */
static int read_resources(const char *path, struct oci_resources *res)
{
	_cleanup_free_ char *doc = NULL;
	size_t len;
	int r;

	if (!strcmp(path, "-"))
		r = oci_read_stream(STDIN_FILENO, OCI_CONFIG_MAX_BYTES, &doc, &len);
	else
		r = oci_read_file(AT_FDCWD, path, OCI_CONFIG_MAX_BYTES, &doc, &len);
	if (r < 0)
		return fail_code(r, "--resources");
	if ((r = oci_resources_parse(doc, len, res)) < 0)
		return fail_code(r, "--resources");
	return 0;
}

/* The first setting a realm cannot change, as an error. */
static int refuse_unchangeable(const struct oci_resources *res)
{
	if (res->has_memory_limit)
		return fail("linux.resources.memory.limit: " WHY_MEMORY);
	if (res->has_cpu_shares || res->has_cpu_quota || res->has_cpu_period)
		return fail("linux.resources.cpu (shares, quota, period): " WHY_CGROUP);
	if (res->has_pids_limit)
		return fail("linux.resources.pids.limit: " WHY_CGROUP);
	return 0;
}

static int apply_cpus(struct container *c, const char *list)
{
	static pid_t pids[CONTAINER_PIDS_MAX];
	cpu_set_t set;
	size_t n = 0;
	int r;

	if ((r = oci_cpuset_parse(list, &set)) < 0)
		return fail_code(r, "cpus");
	if ((r = container_pids(c, pids, CONTAINER_PIDS_MAX, &n)) < 0)
		return fail("%s: %s", c->id, strerror(-r));
	for (size_t i = 0; i < n; i++)
		if ((r = oci_cpuset_apply(pids[i], &set)) < 0 && r != -ESRCH)
			return fail("cpus \"%s\": %s", list, strerror(-r));
	return 0;
}

static int parse_update_opts(int argc, char **argv, struct update_opts *o)
{
	static const struct option opts[] = {
		{ "resources", required_argument, NULL, 'r' },
		{ "cpuset-cpus", required_argument, NULL, 'c' },
		{ "memory", required_argument, NULL, 'M' },
		{ "memory-reservation", required_argument, NULL, 'M' },
		{ "memory-swap", required_argument, NULL, 'M' },
		{ "kernel-memory", required_argument, NULL, 'M' },
		{ "kernel-memory-tcp", required_argument, NULL, 'M' },
		{ "cpu-shares", required_argument, NULL, 'C' },
		{ "cpu-quota", required_argument, NULL, 'C' },
		{ "cpu-period", required_argument, NULL, 'C' },
		{ "cpu-rt-period", required_argument, NULL, 'C' },
		{ "cpu-rt-runtime", required_argument, NULL, 'C' },
		{ "cpu-idle", required_argument, NULL, 'C' },
		{ "cpuset-mems", required_argument, NULL, 'C' },
		{ "pids-limit", required_argument, NULL, 'C' },
		{ "blkio-weight", required_argument, NULL, 'C' },
		{ "l3-cache-schema", required_argument, NULL, 'C' },
		{ "mem-bw-schema", required_argument, NULL, 'C' },
		{ 0 },
	};
	int ch, at;

	while ((ch = getopt_long(argc, argv, "r:", opts, &at)) != -1) {
		switch (ch) {
		case 'r': o->resources_file = optarg; break;
		case 'c': o->cpus = optarg; break;
		case 'M': return fail("--%s: " WHY_MEMORY, opts[at].name);
		case 'C': return fail("--%s: " WHY_CGROUP, opts[at].name);
		default: return usage_error("update", "unknown option");
		}
	}
	if (optind != argc - 1)
		return usage_error("update", "expected exactly one container id");
	return 0;
}

int cmd_update(int argc, char **argv)
{
	struct update_opts o = { 0 };
	struct oci_resources res = { 0 };
	struct container c = CONTAINER_INIT;
	enum oci_status status;
	int ret = 1;

	if (parse_update_opts(argc, argv, &o))
		return 1;
	if (o.resources_file && (read_resources(o.resources_file, &res) || refuse_unchangeable(&res)))
		goto out;
	if (container_open(argv[optind], &c, true))
		goto out;
	status = container_status(&c);
	if (status != OCI_STATUS_CREATED && status != OCI_STATUS_RUNNING &&
	    status != OCI_STATUS_PAUSED) {
		fail("container %s is %s", c.id, oci_status_name(status));
		goto out;
	}
	/* the flag wins over the document, as with runc */
	if (o.cpus ? apply_cpus(&c, o.cpus) : res.cpu_cpus ? apply_cpus(&c, res.cpu_cpus) : 0)
		goto out;
	ret = 0;
out:
	container_close(&c);
	oci_resources_free(&res);
	return ret;
}
