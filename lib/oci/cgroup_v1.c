/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What making a cgroup needs on v1 beyond a mkdir: a new cpuset cgroup has
 * no CPUs and no memory nodes, and a process cannot join it (ENOSPC) until
 * it has; it gets its parent's, as runc gives it.
 */
#include <errno.h>

#include "oci/cgroup_impl.h"

int cg_v1_cpuset_copy(int parentfd, int childfd)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

	for (size_t i = 0; i < 2; i++) {
		char value[4096];
		int r = cg_read_at(parentfd, files[i], value, sizeof(value));

		if (r < 0 || (r = cg_write_at(childfd, files[i], value)) < 0)
			return r;
	}
	return 0;
}
