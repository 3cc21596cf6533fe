/* SPDX-License-Identifier: Apache-2.0 */
/* Processes and their descendants, from one scan of /proc. */
#include <fcntl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "oci/proc.h"
#include "oci/store.h"

struct proc_link {
	pid_t pid, ppid;
};

struct proc_list {
	struct proc_link *v;
	size_t n, cap;
};

static int note_process(int dfd, const char *entry, void *arg)
{
	struct proc_list *l = arg;
	struct oci_proc_info info;
	char *end;
	long pid = strtol(entry, &end, 10);

	(void)dfd;
	if (*end || pid <= 0 || oci_proc_info((pid_t)pid, &info) < 0 || info.state == 'Z' ||
	    info.state == 'X')
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct proc_link *grown = realloc(l->v, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = (struct proc_link){ (pid_t)pid, info.ppid };
	return 0;
}

/* Every live (not zombie) process and its parent; *ret freed by the caller. */
static int scan(struct proc_link **ret, size_t *ret_n)
{
	struct proc_list l = { 0 };
	int r = oci_dir_each(AT_FDCWD, "/proc", note_process, &l);

	if (r < 0) {
		free(l.v);
		return r;
	}
	*ret = l.v;
	*ret_n = l.n;
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
