/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the cgroup*.c files of lib/oci; not used elsewhere. */
#ifndef FASCO_OCI_CGROUP_IMPL_H
#define FASCO_OCI_CGROUP_IMPL_H

#include <stddef.h>

#include "oci/cgroup.h"

/* "<root>/<hierarchy dir><path>" of hierarchy i. */
void cg_hier_path(const struct oci_cgroup *cg, size_t i, const char *path, char *out, size_t cap);
/* Open hierarchy i's root directory (O_PATH). */
int cg_open_hier_root(const struct oci_cgroup *cg, size_t i, int *ret);
/* One write of value into dirfd/file; 0 or -errno. */
int cg_write_at(int dirfd, const char *file, const char *value);
/* Read dirfd/file (NUL-terminated, at most cap - 1 bytes); its length or -errno. */
int cg_read_at(int dirfd, const char *file, char *buf, size_t cap);

/* v1: a new cpuset cgroup starts empty; give it its parent's cpus and mems. */
int cg_v1_cpuset_copy(int parentfd, int childfd);
/* v2: enable in parentfd's cgroup.subtree_control the controllers it has of ours. */
int cg_v2_enable(int parentfd);

#endif
