/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What making a cgroup needs on v2 beyond a mkdir: a controller's files
 * appear in a cgroup only when its parent enables the controller for its
 * children (cgroup.subtree_control), level by level from the root. Only
 * the controllers the parent has (cgroup.controllers) are asked for.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "oci/cgroup_impl.h"

static bool listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *s = list; (s = strstr(s, name)); s += len)
		if ((s == list || s[-1] == ' ') && (s[len] == ' ' || s[len] == '\n' || !s[len]))
			return true;
	return false;
}

int cg_v2_enable(int parentfd)
{
	/* cpuacct is v1's: v2 reports CPU usage in every cgroup's cpu.stat */
	static const char *const ours[] = { "cpu", "cpuset", "memory", "pids" };
	char have[512], want[64] = "";
	size_t len = 0;
	int r = cg_read_at(parentfd, "cgroup.controllers", have, sizeof(have));

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (listed(have, ours[i]))
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s+%s", len ? " " : "",
						ours[i]);
	return len ? cg_write_at(parentfd, "cgroup.subtree_control", want) : 0;
}
