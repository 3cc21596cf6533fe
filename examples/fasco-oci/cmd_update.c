/* SPDX-License-Identifier: Apache-2.0 */
/*
 * update [--resources FILE|-] [runc's flags] ID: change a created or
 * running container's resources, as runc does: the limits go into the
 * container's cgroup (memory, reservation, swap, CPU shares, quota and
 * period, cpuset CPUs and memory nodes, pids), and the CPU list also to
 * every thread of its processes (the monitors' vCPU threads). A flag wins
 * over the document. Refused, before anything is applied: a limit for a
 * container created without a cgroup, and what fasco-oci does not apply
 * (kernel memory, real-time CPU, block I/O, cache and bandwidth schemas).
 * A new memory limit bounds the container's host processes; the realm's
 * own memory stays what it was at create (populated and measured into its
 * RIM).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "cli.h"
#include "common/cleanup.h"
#include "common/size.h"
#include "oci/cpuset.h"
#include "oci/store.h"

#define WHY_NOT_APPLIED "not applied by fasco-oci"
#define WHY_NO_CGROUP "the container has no cgroup (its config had neither linux.cgroupsPath " \
		      "nor a limit in linux.resources)"

struct update_opts {
	const char *resources_file;
	struct oci_resources flags; /* from runc's flags */
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

/* Limits only a cgroup applies (the CPU list alone is also an affinity). */
static bool needs_cgroup(const struct oci_resources *res)
{
	struct oci_resources other = *res;

	other.cpu_cpus = NULL;
	return oci_resources_limit(&other);
}

/* The flags over the document, as runc merges them. */
static void merge(struct oci_resources *res, struct oci_resources *flags)
{
#define TAKE(has, field)                      \
	if (flags->has) {                     \
		res->field = flags->field;    \
		res->has = true;              \
	}
	TAKE(has_memory_limit, memory_limit)
	TAKE(has_memory_reservation, memory_reservation)
	TAKE(has_memory_swap, memory_swap)
	TAKE(has_cpu_shares, cpu_shares)
	TAKE(has_cpu_quota, cpu_quota)
	TAKE(has_cpu_period, cpu_period)
	TAKE(has_pids_limit, pids_limit)
#undef TAKE
	if (flags->cpu_cpus) {
		free(res->cpu_cpus);
		res->cpu_cpus = take_ptr(flags->cpu_cpus);
	}
	if (flags->cpu_mems) {
		free(res->cpu_mems);
		res->cpu_mems = take_ptr(flags->cpu_mems);
	}
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

enum flag_kind { BYTES, SIGNED, UNSIGNED, LIST, REFUSED };

/* runc update's flags: where each goes in struct oci_resources. */
static const struct flag {
	const char *name;
	enum flag_kind kind;
	size_t value, has; /* offsets; has: of the bool, 0 for LIST */
} flags[] = {
#define F(name, kind, value, has) \
	{ name, kind, offsetof(struct oci_resources, value), offsetof(struct oci_resources, has) }
	F("memory", BYTES, memory_limit, has_memory_limit),
	F("memory-reservation", BYTES, memory_reservation, has_memory_reservation),
	F("memory-swap", BYTES, memory_swap, has_memory_swap),
	F("cpu-shares", UNSIGNED, cpu_shares, has_cpu_shares),
	F("cpu-quota", SIGNED, cpu_quota, has_cpu_quota),
	F("cpu-period", UNSIGNED, cpu_period, has_cpu_period),
	F("pids-limit", SIGNED, pids_limit, has_pids_limit),
	{ "cpuset-cpus", LIST, offsetof(struct oci_resources, cpu_cpus), 0 },
	{ "cpuset-mems", LIST, offsetof(struct oci_resources, cpu_mems), 0 },
	{ "kernel-memory", REFUSED, 0, 0 },
	{ "kernel-memory-tcp", REFUSED, 0, 0 },
	{ "cpu-rt-period", REFUSED, 0, 0 },
	{ "cpu-rt-runtime", REFUSED, 0, 0 },
	{ "cpu-idle", REFUSED, 0, 0 },
	{ "blkio-weight", REFUSED, 0, 0 },
	{ "l3-cache-schema", REFUSED, 0, 0 },
	{ "mem-bw-schema", REFUSED, 0, 0 },
#undef F
};

#define N_FLAGS (sizeof(flags) / sizeof(flags[0]))

/* A flag's value into res: bytes take K/M/G and -1 (unlimited), as runc's do. */
static int set_flag(const struct flag *f, const char *arg, struct oci_resources *res)
{
	char *base = (char *)res, *end;
	uint64_t size;
	long long v = 0;

	errno = 0;
	if (f->kind == REFUSED)
		return fail("--%s: " WHY_NOT_APPLIED, f->name);
	if (f->kind == LIST) {
		free(*(char **)(base + f->value));
		return (*(char **)(base + f->value) = strdup(arg)) ? 0 : fail("out of memory");
	}
	if (f->kind == BYTES && strcmp(arg, "-1")) {
		if (parse_size(arg, &size) < 0 || size > INT64_MAX)
			return fail("--%s: \"%s\" is not a size (bytes, K, M, G, or -1)", f->name, arg);
		v = (long long)size;
	} else {
		v = strtoll(arg, &end, 10);
		if (end == arg || *end || errno || (f->kind == UNSIGNED && v < 0))
			return fail("--%s: \"%s\" is not a%s number", f->name, arg,
				    f->kind == UNSIGNED ? " non-negative" : "n integer");
	}
	if (f->kind == UNSIGNED)
		*(uint64_t *)(base + f->value) = (uint64_t)v;
	else
		*(int64_t *)(base + f->value) = (int64_t)v;
	*(bool *)(base + f->has) = true;
	return 0;
}

static int parse_update_opts(int argc, char **argv, struct update_opts *o)
{
	struct option opts[N_FLAGS + 2] = { { "resources", required_argument, NULL, 'r' } };
	int ch, at;

	for (size_t i = 0; i < N_FLAGS; i++)
		opts[i + 1] = (struct option){ flags[i].name, required_argument, NULL, 'f' };
	while ((ch = getopt_long(argc, argv, "r:", opts, &at)) != -1) {
		if (ch == 'r')
			o->resources_file = optarg;
		else if (ch != 'f')
			return usage_error("update", "unknown option");
		else if (set_flag(&flags[at - 1], optarg, &o->flags))
			return 1;
	}
	if (optind != argc - 1)
		return usage_error("update", "expected exactly one container id");
	return 0;
}

/* The cgroup's limits, then the CPU list as the threads' affinity. */
static int apply(struct container *c, const struct oci_resources *res)
{
	struct oci_cgroup cg;
	int r = 0;

	if (cgroup_of(c, &cg))
		return 1;
	if (needs_cgroup(res) && !cg.version)
		r = fail("%s: " WHY_NO_CGROUP, c->id);
	else if (cg.version && (r = oci_cgroup_apply(&cg, res)) < 0)
		r = fail_code(r, c->id);
	oci_cgroup_close(&cg);
	if (r == 0 && res->has_memory_limit)
		log_msg(LOG_WARN, "%s: linux.resources.memory.limit: the cgroup's limit is changed; "
			"the realm's memory stays as created (populated and measured into its RIM)",
			c->id);
	return r ? 1 : res->cpu_cpus ? apply_cpus(c, res->cpu_cpus) : 0;
}

int cmd_update(int argc, char **argv)
{
	struct update_opts o = { 0 };
	struct oci_resources res = { 0 };
	struct container c = CONTAINER_INIT;
	enum oci_status status;
	int ret = 1;

	if (parse_update_opts(argc, argv, &o))
		goto out;
	if (o.resources_file && read_resources(o.resources_file, &res))
		goto out;
	merge(&res, &o.flags);
	if (res.cpu_cpus && (ret = oci_cpuset_parse(res.cpu_cpus, &(cpu_set_t){ 0 })) < 0) {
		ret = fail_code(ret, "cpus");
		goto out;
	}
	ret = 1;
	if (container_open(argv[optind], &c, true))
		goto out;
	status = container_status(&c);
	if (status != OCI_STATUS_CREATED && status != OCI_STATUS_RUNNING &&
	    status != OCI_STATUS_PAUSED) {
		fail("container %s is %s", c.id, oci_status_name(status));
		goto out;
	}
	ret = apply(&c, &res);
out:
	container_close(&c);
	oci_resources_free(&res);
	oci_resources_free(&o.flags);
	return ret;
}
