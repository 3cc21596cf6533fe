/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's cgroups as the cgroup tests read them: where a controller's
 * files of a cgroup are (v1: /sys/fs/cgroup/<controller><path>, v2:
 * /sys/fs/cgroup<path>), its values and members, checked from outside
 * fasco-oci.
 */
#ifndef FASCO_TESTS_OCI_CGROUP_HOST_H
#define FASCO_TESTS_OCI_CGROUP_HOST_H

#include <stdbool.h>
#include <sys/types.h>

/* 1 or 2 (the layout of /sys/fs/cgroup), 0 without cgroups. */
int host_cgroup_version(void);
/* The directory of controller ctrl's cgroup path. */
const char *host_cgroup_dir(const char *ctrl, const char *path);
bool host_cgroup_exists(const char *ctrl, const char *path);
/* The first line of file in it ("" if unreadable). */
const char *host_cgroup_value(const char *ctrl, const char *path, const char *file);
/* Whether pid is listed in its cgroup.procs. */
bool host_cgroup_has(const char *ctrl, const char *path, pid_t pid);
/* A process in it whose parent is ppid (a keeper's realm monitor), or 0. */
pid_t host_cgroup_child_of(const char *ctrl, const char *path, pid_t ppid);
/* Remove path and what is below it in every hierarchy (cleanup after a test). */
void host_cgroup_purge(const char *path);

#endif
