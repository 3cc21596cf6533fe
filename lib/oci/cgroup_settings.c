/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.resources as cgroup file writes, v1 and v2, with runc's meaning of
 * each value: 0 leaves a setting alone, -1 (or any negative pids limit)
 * lifts it; v2 takes memory.swap as swap beyond the limit and cpu.shares
 * as cpu.weight.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "oci/cgroup_impl.h"

#define F_LIMIT "linux.resources.memory.limit"
#define F_SWAP "linux.resources.memory.swap"
#define F_RESERVE "linux.resources.memory.reservation"
#define F_SHARES "linux.resources.cpu.shares"
#define F_QUOTA "linux.resources.cpu.quota"
#define F_PERIOD "linux.resources.cpu.period"
#define F_CPUS "linux.resources.cpu.cpus"
#define F_MEMS "linux.resources.cpu.mems"
#define F_PIDS "linux.resources.pids.limit"

/* v1's cpu.shares range, which cpu.weight's 1..10000 maps linearly (as runc does). */
#define SHARES_MIN 2ull
#define SHARES_MAX 262144ull

struct list {
	struct oci_cg_setting *v;
	size_t n, cap;
};

static int add(struct list *l, enum oci_cg_ctrl ctrl, const char *file, const char *field,
	       const char *fmt, ...) FASCO_PRINTF(5, 6);

static int add(struct list *l, enum oci_cg_ctrl ctrl, const char *file, const char *field,
	       const char *fmt, ...)
{
	va_list ap;

	if (l->n == l->cap)
		return fasco_fail(FASCO_E_INTERNAL, "cgroup settings: more than %zu", l->cap);
	l->v[l->n] = (struct oci_cg_setting){ .ctrl = ctrl, .file = file, .field = field };
	va_start(ap, fmt);
	vsnprintf(l->v[l->n].value, sizeof(l->v[l->n].value), fmt, ap);
	va_end(ap);
	l->n++;
	return 0;
}

/* A bytes value of v2: "max" for -1. */
static int add_bytes(struct list *l, const char *file, const char *field, int64_t v)
{
	if (v < -1)
		return fasco_fail(FASCO_E_CONFIG, "%s: %" PRId64 " is neither bytes nor -1", field, v);
	return v < 0 ? add(l, OCI_CG_MEMORY, file, field, "max")
		     : add(l, OCI_CG_MEMORY, file, field, "%" PRId64, v);
}

/* v2's memory.swap.max counts swap alone; OCI's swap is memory and swap together. */
static int v2_swap(struct list *l, const struct oci_resources *res)
{
	int64_t mem = res->has_memory_limit ? res->memory_limit : 0, swap = res->memory_swap;

	if (swap == -1 || (mem == -1 && swap == 0))
		return add(l, OCI_CG_MEMORY, "memory.swap.max", F_SWAP, "max");
	if (swap == 0)
		return 0;
	if (mem <= 0)
		return fasco_fail(FASCO_E_CONFIG, F_SWAP ": a swap limit needs a memory limit "
				  "(cgroup v2 counts swap beyond it)");
	if (swap < mem)
		return fasco_fail(FASCO_E_CONFIG, F_SWAP ": %" PRId64 " is below the memory limit "
				  "%" PRId64 " (it counts memory and swap together)", swap, mem);
	return add(l, OCI_CG_MEMORY, "memory.swap.max", F_SWAP, "%" PRId64, swap - mem);
}

static int memory(struct list *l, int version, const struct oci_resources *res)
{
	bool v1 = version == 1;
	int r = 0;

	if (res->has_memory_limit && res->memory_limit)
		r = v1 ? add(l, OCI_CG_MEMORY, "memory.limit_in_bytes", F_LIMIT, "%" PRId64,
			     res->memory_limit)
		       : add_bytes(l, "memory.max", F_LIMIT, res->memory_limit);
	if (r == 0 && res->has_memory_swap)
		r = !v1 ? v2_swap(l, res)
		  : res->memory_swap ? add(l, OCI_CG_MEMORY, "memory.memsw.limit_in_bytes", F_SWAP,
					   "%" PRId64, res->memory_swap) : 0;
	if (r == 0 && res->has_memory_reservation && res->memory_reservation)
		r = v1 ? add(l, OCI_CG_MEMORY, "memory.soft_limit_in_bytes", F_RESERVE,
			     "%" PRId64, res->memory_reservation)
		       : add_bytes(l, "memory.low", F_RESERVE, res->memory_reservation);
	return r;
}

static int cpu_v1(struct list *l, const struct oci_resources *res)
{
	int r = 0;

	if (res->has_cpu_shares && res->cpu_shares)
		r = add(l, OCI_CG_CPU, "cpu.shares", F_SHARES, "%" PRIu64, res->cpu_shares);
	if (r == 0 && res->has_cpu_period && res->cpu_period)
		r = add(l, OCI_CG_CPU, "cpu.cfs_period_us", F_PERIOD, "%" PRIu64, res->cpu_period);
	if (r == 0 && res->has_cpu_quota && res->cpu_quota)
		r = add(l, OCI_CG_CPU, "cpu.cfs_quota_us", F_QUOTA, "%" PRId64, res->cpu_quota);
	return r;
}

static int cpu_v2(struct list *l, const struct oci_resources *res)
{
	uint64_t shares = res->cpu_shares, period = res->has_cpu_period ? res->cpu_period : 0;
	int64_t quota = res->has_cpu_quota ? res->cpu_quota : 0;
	char max[24] = "max";
	int r = 0;

	if (res->has_cpu_shares && shares) {
		shares = shares < SHARES_MIN ? SHARES_MIN : shares > SHARES_MAX ? SHARES_MAX : shares;
		r = add(l, OCI_CG_CPU, "cpu.weight", F_SHARES, "%llu",
			1 + ((unsigned long long)(shares - SHARES_MIN) * 9999) / (SHARES_MAX - SHARES_MIN));
	}
	if (r || (!quota && !period))
		return r;
	if (quota > 0)
		snprintf(max, sizeof(max), "%" PRId64, quota);
	/* no period: the kernel keeps the one it has */
	return period ? add(l, OCI_CG_CPU, "cpu.max", quota ? F_QUOTA : F_PERIOD, "%s %" PRIu64,
			    max, period)
		      : add(l, OCI_CG_CPU, "cpu.max", F_QUOTA, "%s", max);
}

int oci_cgroup_settings(int version, const struct oci_resources *res,
			struct oci_cg_setting *out, size_t cap)
{
	struct list l = { out, 0, cap };
	int r = memory(&l, version, res);

	if (r == 0)
		r = version == 1 ? cpu_v1(&l, res) : cpu_v2(&l, res);
	if (r == 0 && res->cpu_cpus)
		r = add(&l, OCI_CG_CPUSET, "cpuset.cpus", F_CPUS, "%s", res->cpu_cpus);
	if (r == 0 && res->cpu_mems)
		r = add(&l, OCI_CG_CPUSET, "cpuset.mems", F_MEMS, "%s", res->cpu_mems);
	if (r == 0 && res->has_pids_limit && res->pids_limit)
		r = res->pids_limit > 0 ? add(&l, OCI_CG_PIDS, "pids.max", F_PIDS, "%" PRId64,
					      res->pids_limit)
					: add(&l, OCI_CG_PIDS, "pids.max", F_PIDS, "max");
	return r < 0 ? r : (int)l.n;
}

unsigned oci_cgroup_needs(int version, const struct oci_resources *res)
{
	struct oci_cg_setting s[OCI_CG_SETTINGS_MAX];
	int n = oci_cgroup_settings(version, res, s, OCI_CG_SETTINGS_MAX);
	unsigned need = 0;

	for (int i = 0; i < n; i++)
		need |= 1u << s[i].ctrl;
	return need;
}

static int write_setting(struct oci_cgroup *cg, const struct oci_cg_setting *s)
{
	int fd = oci_cgroup_hier(cg, s->ctrl)->fd;

	if (fd < 0)
		return -ENOENT;
	return cg_write_at(fd, s->file, s->value);
}

static bool is_memsw(const struct oci_cg_setting *s)
{
	return !strcmp(s->file, "memory.memsw.limit_in_bytes");
}

int oci_cgroup_apply(struct oci_cgroup *cg, const struct oci_resources *res)
{
	struct oci_cg_setting s[OCI_CG_SETTINGS_MAX];
	int n = oci_cgroup_settings(cg->version, res, s, OCI_CG_SETTINGS_MAX), r;

	for (int i = 0; i < n; i++) {
		r = write_setting(cg, &s[i]);
		/* v1 keeps memory <= memory+swap: raising both, the swap limit goes first */
		if (r == -EINVAL && i + 1 < n && is_memsw(&s[i + 1])) {
			if ((r = write_setting(cg, &s[++i])) == 0 && (r = write_setting(cg, &s[i - 1])) < 0)
				i--;
		}
		if (r == -ENOENT && is_memsw(&s[i]))
			continue; /* no swap accounting on this host: runc skips it too */
		if (r == -ENOENT)
			return fasco_fail(FASCO_E_CONFIG, "%s: %s: this host's cgroup has no such "
					  "file (is the %s controller there?)", s[i].field,
					  s[i].file, oci_cg_ctrl_name(s[i].ctrl));
		if (r < 0)
			return fasco_fail(FASCO_E_CONFIG, "%s: %s = %s: %s", s[i].field, s[i].file,
					  s[i].value, strerror(-r));
	}
	return n < 0 ? n : 0;
}
