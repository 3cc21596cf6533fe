/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's processes on the host. Each keeper calls setsid(), so the
 * keeper of the container and the keeper of each exec lead a process group
 * that holds the realm's monitor (forked by the keeper) as well: the groups
 * are what ps lists, what events counts, and what pause stops.
 */
#include <errno.h>
#include <signal.h>

#include "cli.h"
#include "oci/proc.h"

size_t container_groups(struct container *c, pid_t *out, size_t cap)
{
	size_t n = 0;

	if (cap && c->has_state && oci_proc_alive(c->st.pid, c->st.start_time))
		out[n++] = c->st.pid;
	return n + execs_pids(c->dirfd, out + n, cap - n);
}

int container_pids(struct container *c, pid_t *out, size_t cap, size_t *ret_n)
{
	pid_t groups[CONTAINER_GROUPS_MAX];
	size_t n_groups = container_groups(c, groups, CONTAINER_GROUPS_MAX), total = 0;

	for (size_t i = 0; i < n_groups; i++) {
		size_t n;
		int r = oci_proc_group(groups[i], out + (total < cap ? total : cap),
				       total < cap ? cap - total : 0, &n);

		if (r < 0)
			return r;
		total += n;
	}
	*ret_n = total;
	return 0;
}

int container_signal_groups(struct container *c, int signo)
{
	pid_t groups[CONTAINER_GROUPS_MAX];
	size_t n = container_groups(c, groups, CONTAINER_GROUPS_MAX);
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (kill(-groups[i], signo) < 0 && errno != ESRCH && !ret)
			ret = -errno;
	return n ? ret : -ESRCH;
}
