/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's cgroup, as runc makes it: the directory linux.cgroupsPath
 * names (default /fasco/<id>) in each cgroup hierarchy the host has, the
 * linux.resources limits written into it, the container's processes moved
 * into it. The host's layout is found at run time: cgroup v2 (a cgroup2
 * file system at the root) or v1/hybrid (one v1 hierarchy per controller
 * under the root; a cgroup2 beside them holds no controller fasco-oci
 * uses). Only the controllers fasco-oci writes are used: cpu, cpuacct,
 * cpuset, memory and pids.
 *
 * Every function names the failing file and setting in fasco_last_error().
 */
#ifndef FASCO_OCI_CGROUP_H
#define FASCO_OCI_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "oci/config.h"

#define OCI_CGROUP_ROOT "/sys/fs/cgroup"

enum oci_cg_ctrl {
	OCI_CG_CPU,
	OCI_CG_CPUACCT,
	OCI_CG_CPUSET,
	OCI_CG_MEMORY,
	OCI_CG_PIDS,
	OCI_CG_CTRLS,
};

/* The name of a controller ("memory"), as v1 mounts it and v2 lists it. */
const char *oci_cg_ctrl_name(enum oci_cg_ctrl c);

/*
 * One hierarchy: v1 has one per controller (h[c] for controller c), v2
 * one for all (h[0]).
 */
struct oci_cg_hier {
	char path[OCI_CGROUP_PATH_MAX]; /* the container's cgroup, from the hierarchy's root */
	char own[OCI_CGROUP_PATH_MAX];  /* this process's cgroup ("" until read) */
	int fd;                         /* the container's cgroup directory (O_PATH), or -1 */
	unsigned created;               /* trailing components of path this process made */
};

struct oci_cgroup {
	int version; /* 1, 2, or 0: none */
	char root[128]; /* where the hierarchies are mounted (OCI_CGROUP_ROOT) */
	struct oci_cg_hier h[OCI_CG_CTRLS];
};

void oci_cgroup_init(struct oci_cgroup *cg);
/* Close the directories (nothing on the host changes). */
void oci_cgroup_close(struct oci_cgroup *cg);

/* The host's layout under root: 2, 1, or 0 when there is no cgroup file system. */
int oci_cgroup_detect(const char *root);

/* How many hierarchies version has (v1: one per controller, v2: one). */
size_t oci_cgroup_hiers(int version);
/* The hierarchy controller c lives in. */
struct oci_cg_hier *oci_cgroup_hier(struct oci_cgroup *cg, enum oci_cg_ctrl c);
/* Its directory under the root: "memory" (v1), "" (v2). */
const char *oci_cgroup_hier_dir(int version, size_t i);

/*
 * Resolve where the container's cgroup is, in each hierarchy of
 * cg->version (cgroup_path.c). path: linux.cgroupsPath or NULL (then
 * /fasco/<id>); absolute paths start at each hierarchy's root, relative
 * ones at this process's own cgroup there (/proc/self/cgroup); with
 * systemd, "slice:prefix:name" names the directory systemd would give the
 * unit: <slice's path>/<prefix>-<name>.scope (fasco-oci does not talk to
 * systemd). The root of a hierarchy, or this process's own cgroup, is
 * refused. Errors name linux.cgroupsPath.
 */
int oci_cgroup_resolve(struct oci_cgroup *cg, const char *path, const char *id, bool systemd);
/* This process's cgroup in each hierarchy, from the text of /proc/self/cgroup. */
int oci_cgroup_own_parse(struct oci_cgroup *cg, const char *text);
/* The same, read from /proc/self/cgroup (once: a no-op when already read). */
int oci_cgroup_own(struct oci_cgroup *cg);

/*
 * Make the directories (and any missing parents, counted in created) and
 * open them; v1's cpuset copies cpus and mems from the parent, v2 enables
 * the controllers in each parent's cgroup.subtree_control. need: the
 * controllers (bit 1 << c) a limit asks for; a hierarchy that is missing
 * fails only for those. On failure, what was made is removed.
 */
int oci_cgroup_create(struct oci_cgroup *cg, unsigned need);
/* Open the existing directories (of a recorded cgroup); missing ones stay -1. */
int oci_cgroup_open(struct oci_cgroup *cg);

/* One write into a cgroup file, and the config.json field it comes from. */
struct oci_cg_setting {
	enum oci_cg_ctrl ctrl;
	const char *file, *field;
	char value[48];
};

#define OCI_CG_SETTINGS_MAX 12

/*
 * The writes res asks for under version (cgroup_settings.c), in the order
 * they must be made: v1 memory.limit_in_bytes, memory.memsw.limit_in_bytes,
 * memory.soft_limit_in_bytes, cpu.shares, cpu.cfs_period_us,
 * cpu.cfs_quota_us; v2 memory.max, memory.swap.max (swap less the
 * limit), memory.low, cpu.weight (from shares as runc converts them),
 * cpu.max; both cpuset.cpus, cpuset.mems, pids.max. Returns the count, or
 * FASCO_E_CONFIG for a combination neither accepts.
 */
int oci_cgroup_settings(int version, const struct oci_resources *res,
			struct oci_cg_setting *out, size_t cap);
/* The controllers (bit 1 << c) the settings of res need. */
unsigned oci_cgroup_needs(int version, const struct oci_resources *res);

/*
 * Write them. A value the kernel refuses fails with FASCO_E_CONFIG and
 * "<field>: <file>: <errno text>".
 */
int oci_cgroup_apply(struct oci_cgroup *cg, const struct oci_resources *res);

/*
 * Move the calling thread (a single-threaded process: all of it) into the
 * cgroup; what it forks afterwards is born there.
 */
int oci_cgroup_join(const struct oci_cgroup *cg);
/* Move it back to its own cgroup (read by oci_cgroup_own before joining). */
int oci_cgroup_leave(const struct oci_cgroup *cg);

/*
 * Kill what is left in the cgroup and remove its directories, retrying
 * briefly while the kernel still counts exiting processes (EBUSY); with
 * parents, also the parents this process created (if empty). A cgroup
 * already gone is fine.
 */
int oci_cgroup_remove(struct oci_cgroup *cg, bool parents);

/* The pids in the cgroup's cgroup.procs (first hierarchy), at most cap. */
int oci_cgroup_pids(const struct oci_cgroup *cg, pid_t *out, size_t cap, size_t *ret_n);

/* What a container's cgroup reports (cgroup_stats.c); has_ says a file was read. */
struct oci_cg_stats {
	uint64_t cpu_total_ns, cpu_user_ns, cpu_kernel_ns;
	uint64_t cpu_periods, cpu_throttled_periods, cpu_throttled_ns;
	uint64_t mem_usage, mem_max_usage, mem_limit, mem_failcnt;
	uint64_t pids_current, pids_limit;
	bool has_cpu, has_throttling, has_mem, has_mem_max, has_failcnt, has_pids;
};

int oci_cgroup_stats(struct oci_cgroup *cg, struct oci_cg_stats *st);

/*
 * The record of a container's cgroup in its state directory, so that
 * delete, update, events and exec find it after create has gone:
 * "v<version>\n" then "<path>\n" per hierarchy.
 */
#define OCI_CGROUP_FILE "cgroup"
int oci_cgroup_record(int dirfd, const struct oci_cgroup *cg);
/* 0 and cg->version 0 when the container has no cgroup. */
int oci_cgroup_load(int dirfd, struct oci_cgroup *cg);

#endif
