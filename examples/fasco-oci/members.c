/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's processes on the host: its holder (the keeper, or `run`
 * in the foreground), each exec's keeper, and their descendants, the
 * realms' monitors. They are what ps lists, what events counts, what
 * pause stops and what delete --force kills, monitors included.
 */
#include <errno.h>
#include <signal.h>

#include "cli.h"
#include "oci/proc.h"

size_t container_roots(struct container *c, pid_t *out, size_t cap)
{
	size_t n = 0;

	if (cap && c->has_state && oci_proc_alive(c->st.pid, c->st.start_time))
		out[n++] = c->st.pid;
	return n + execs_pids(c->dirfd, out + n, cap - n);
}

int container_pids(struct container *c, pid_t *out, size_t cap, size_t *ret_n)
{
	pid_t roots[CONTAINER_ROOTS_MAX];
	size_t n = container_roots(c, roots, CONTAINER_ROOTS_MAX);

	if (!n) {
		*ret_n = 0;
		return 0;
	}
	return oci_proc_tree(roots, n, out, cap, ret_n);
}

int container_signal_all(struct container *c, int signo)
{
	static pid_t pids[CONTAINER_PIDS_MAX];
	size_t n = 0;
	int r = container_pids(c, pids, CONTAINER_PIDS_MAX, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], signo) < 0 && errno != ESRCH && !r)
			r = -errno;
	return n ? r : -ESRCH;
}
