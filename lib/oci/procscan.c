/* SPDX-License-Identifier: Apache-2.0 */
/* Processes and their descendants, from one scan of /proc. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "oci/proc.h"

struct proc_link {
	pid_t pid, ppid;
};

/* Every live (not zombie) process and its parent; *ret freed by the caller. */
static int scan(struct proc_link **ret, size_t *ret_n)
{
	DIR *d = opendir("/proc");
	struct proc_link *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		struct oci_proc_info info;
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || oci_proc_info((pid_t)pid, &info) < 0 ||
		    info.state == 'Z' || info.state == 'X')
			continue;
		if (n == cap) {
			struct proc_link *grown = realloc(v, (cap = cap ? 2 * cap : 256) * sizeof(*v));

			if (!grown) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = grown;
		}
		v[n++] = (struct proc_link){ (pid_t)pid, info.ppid };
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

static bool listed(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

int oci_proc_tree(const pid_t *roots, size_t n_roots, pid_t *out, size_t cap, size_t *ret_n)
{
	_cleanup_free_ struct proc_link *all = NULL;
	size_t n_all = 0, n = 0;
	bool grew = true;
	int r = scan(&all, &n_all);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n_all && n < cap; i++)
		if (listed(roots, n_roots, all[i].pid))
			out[n++] = all[i].pid;
	/* a generation per pass: keeper, monitor, what a monitor may fork */
	while (grew && n < cap) {
		grew = false;
		for (size_t i = 0; i < n_all && n < cap; i++) {
			if (listed(out, n, all[i].ppid) && !listed(out, n, all[i].pid)) {
				out[n++] = all[i].pid;
				grew = true;
			}
		}
	}
	*ret_n = n;
	return 0;
}
