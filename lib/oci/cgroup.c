/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's cgroup: the host's layout, the directories in each
 * hierarchy (made, opened, removed) and the moves of processes into and
 * out of it. What differs between v1 and v2 when a directory is made is in
 * cgroup_v1.c and cgroup_v2.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/cgroup.h"
#include "oci/cgroup_impl.h"

static const char *const ctrl_names[OCI_CG_CTRLS] = {
	[OCI_CG_CPU] = "cpu", [OCI_CG_CPUACCT] = "cpuacct", [OCI_CG_CPUSET] = "cpuset",
	[OCI_CG_MEMORY] = "memory", [OCI_CG_PIDS] = "pids",
};

/* rmdir of a cgroup whose last processes are still exiting: EBUSY for a moment */
#define RMDIR_TRIES 40
#define RMDIR_WAIT_MS 50 /* per try: 2 s in all */
#define RMDIR_WAIT_MAX 64 /* processes waited for at once */

const char *oci_cg_ctrl_name(enum oci_cg_ctrl c)
{
	return ctrl_names[c];
}

void oci_cgroup_init(struct oci_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	snprintf(cg->root, sizeof(cg->root), "%s", OCI_CGROUP_ROOT);
	for (size_t i = 0; i < OCI_CG_CTRLS; i++)
		cg->h[i].fd = -1;
}

void oci_cgroup_close(struct oci_cgroup *cg)
{
	for (size_t i = 0; i < OCI_CG_CTRLS; i++) {
		if (cg->h[i].fd >= 0)
			close(cg->h[i].fd);
		cg->h[i].fd = -1;
	}
}

int oci_cgroup_detect(const char *root)
{
	char path[256];
	struct statfs fs;

	if (statfs(root, &fs) < 0)
		return 0;
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return 2;
	for (size_t c = 0; c < OCI_CG_CTRLS; c++) {
		snprintf(path, sizeof(path), "%s/%s", root, ctrl_names[c]);
		if (statfs(path, &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC)
			return 1;
	}
	return 0;
}

size_t oci_cgroup_hiers(int version)
{
	return version == 1 ? OCI_CG_CTRLS : version == 2 ? 1 : 0;
}

struct oci_cg_hier *oci_cgroup_hier(struct oci_cgroup *cg, enum oci_cg_ctrl c)
{
	return &cg->h[cg->version == 1 ? c : 0];
}

const char *oci_cgroup_hier_dir(int version, size_t i)
{
	return version == 1 ? ctrl_names[i] : "";
}

/* "<root>/<dir><path>" of hierarchy i, for messages and for opening. */
void cg_hier_path(const struct oci_cgroup *cg, size_t i, const char *path, char *out, size_t cap)
{
	const char *dir = oci_cgroup_hier_dir(cg->version, i);

	snprintf(out, cap, "%s%s%s%s", cg->root, *dir ? "/" : "", dir, path);
}

int cg_open_hier_root(const struct oci_cgroup *cg, size_t i, int *ret)
{
	char path[256];

	cg_hier_path(cg, i, "", path, sizeof(path));
	*ret = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return *ret < 0 ? -errno : 0;
}

int cg_write_at(int dirfd, const char *file, const char *value)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);

	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	return 0;
}

int cg_read_at(int dirfd, const char *file, char *buf, size_t cap)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

/* The next component of *p ("" and "." skipped), into comp; false at the end. */
static bool next_component(const char **p, char *comp, size_t cap)
{
	size_t n;

	for (;;) {
		while (**p == '/')
			(*p)++;
		if (!**p)
			return false;
		n = strcspn(*p, "/");
		snprintf(comp, cap, "%.*s", (int)n, *p);
		*p += n;
		if (strcmp(comp, "."))
			return true;
	}
}

/*
 * Make (or find) one component under fd, which the returned fd replaces;
 * one made here and not finished is removed again.
 */
static int make_component(struct oci_cgroup *cg, size_t i, int *fd, const char *comp)
{
	struct oci_cg_hier *h = &cg->h[i];
	bool made;
	int next, r = 0;

	if (cg->version == 2 && (r = cg_v2_enable(*fd)) < 0)
		return r;
	made = mkdirat(*fd, comp, 0755) == 0;
	if (!made && errno != EEXIST)
		return -errno;
	next = openat(*fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (next < 0)
		r = -errno;
	else if (made && cg->version == 1 && i == OCI_CG_CPUSET)
		r = cg_v1_cpuset_copy(*fd, next);
	if (r < 0) {
		if (next >= 0)
			close(next);
		if (made)
			unlinkat(*fd, comp, AT_REMOVEDIR);
		return r;
	}
	h->created = made ? h->created + 1 : 0;
	close(*fd);
	*fd = next;
	return 0;
}

/* Remove the last n components of rel (made by us), deepest first, while they are empty. */
static void remove_created(int rootfd, char *rel, unsigned n)
{
	for (; n && *rel; n--) {
		char *slash = strrchr(rel, '/');

		if (unlinkat(rootfd, rel, AT_REMOVEDIR) < 0 && errno != ENOENT)
			return;
		if (!slash)
			return;
		*slash = '\0';
	}
}

#define HIER_ABSENT 1

/* Make the container's cgroup in hierarchy i; HIER_ABSENT if the host has no such hierarchy. */
static int make_hier(struct oci_cgroup *cg, size_t i)
{
	struct oci_cg_hier *h = &cg->h[i];
	const char *p = h->path, *done = p;
	char comp[256], rel[OCI_CGROUP_PATH_MAX], where[OCI_CGROUP_PATH_MAX + 160];
	int fd, r;

	if ((r = cg_open_hier_root(cg, i, &fd)) < 0) {
		cg_hier_path(cg, i, "", where, sizeof(where));
		if (r == -ENOENT)
			return HIER_ABSENT;
		return fasco_fail(r, "%s: %s", where, strerror(-r));
	}
	while (next_component(&p, comp, sizeof(comp))) {
		if ((r = make_component(cg, i, &fd, comp)) < 0) {
			snprintf(rel, sizeof(rel), "%.*s", (int)(done - h->path), h->path);
			close(fd);
			if (cg_open_hier_root(cg, i, &fd) == 0) {
				remove_created(fd, rel + strspn(rel, "/"), h->created);
				close(fd);
			}
			h->created = 0;
			snprintf(rel, sizeof(rel), "%.*s", (int)(p - h->path), h->path);
			cg_hier_path(cg, i, rel, where, sizeof(where));
			return fasco_fail(r, "linux.cgroupsPath: %s: %s", where, strerror(-r));
		}
		done = p;
	}
	h->fd = fd;
	return 0;
}

int oci_cgroup_create(struct oci_cgroup *cg, unsigned need)
{
	char where[256];

	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++) {
		int r = make_hier(cg, i);

		if (r == HIER_ABSENT && cg->version == 1 && !(need & (1u << i)))
			continue; /* a controller this host does not mount, and no limit needs */
		if (r == HIER_ABSENT) {
			cg_hier_path(cg, i, "", where, sizeof(where));
			r = fasco_fail(-ENOENT, "linux.resources: no %s cgroup hierarchy at %s",
				       oci_cg_ctrl_name((enum oci_cg_ctrl)i), where);
		}
		if (r < 0) {
			oci_cgroup_remove(cg, true);
			return r;
		}
	}
	return 0;
}

int oci_cgroup_open(struct oci_cgroup *cg)
{
	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++) {
		_cleanup_close_ int rootfd = -1;
		struct oci_cg_hier *h = &cg->h[i];

		if (cg_open_hier_root(cg, i, &rootfd) < 0)
			continue;
		h->fd = openat(rootfd, h->path[1] ? h->path + 1 : ".",
			       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (h->fd < 0 && errno != ENOENT)
			return fasco_fail(-errno, "cgroup %s: %s", h->path, strerror(errno));
	}
	return 0;
}

/*
 * Move the calling thread: "0" into each hierarchy's cgroup. On v1 into
 * "tasks", which moves the caller alone and so skips the global lock a
 * whole process's move takes, whose RCU grace period cost 7-15 ms per
 * start here; what the thread forks from then on (the realms' monitors)
 * is born inside. The callers are single-threaded when they join. v2 has
 * no such file for a domain cgroup: cgroup.procs.
 */
static int move_self(const struct oci_cgroup *cg, bool leave)
{
	const char *file = cg->version == 1 ? "tasks" : "cgroup.procs";
	char where[OCI_CGROUP_PATH_MAX + 160];

	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++) {
		const struct oci_cg_hier *h = &cg->h[i];
		_cleanup_close_ int dfd = -1;
		int r;

		if (h->fd < 0)
			continue;
		cg_hier_path(cg, i, leave ? h->own : h->path, where, sizeof(where));
		if (leave && (dfd = open(where, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			r = -errno;
		else
			r = cg_write_at(leave ? dfd : h->fd, file, "0");
		if (r < 0)
			return fasco_fail(r, "%s/%s: %s", where, file, strerror(-r));
	}
	return 0;
}

int oci_cgroup_join(const struct oci_cgroup *cg)
{
	return move_self(cg, false);
}

int oci_cgroup_leave(const struct oci_cgroup *cg)
{
	return move_self(cg, true);
}

/* The pids listed in dirfd's cgroup.procs. */
static int read_procs(int dirfd, pid_t *out, size_t cap, size_t *ret_n)
{
	FILE *f;
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	long pid;

	*ret_n = 0;
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		int r = -errno;

		if (fd >= 0)
			close(fd);
		return r;
	}
	while (*ret_n < cap && fscanf(f, "%ld", &pid) == 1)
		if (pid > 0)
			out[(*ret_n)++] = (pid_t)pid;
	fclose(f);
	return 0;
}

int oci_cgroup_pids(const struct oci_cgroup *cg, pid_t *out, size_t cap, size_t *ret_n)
{
	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++)
		if (cg->h[i].fd >= 0)
			return read_procs(cg->h[i].fd, out, cap, ret_n);
	*ret_n = 0;
	return 0;
}

/*
 * Kill what is in the cgroup and wait (at most wait_ms) until it has
 * exited: pidfds wake us at each exit, where fixed sleeps would overshoot
 * the monitors' VM teardown. Pids listed in cgroup.procs are ours and
 * alive, so none can have been reused.
 */
static void kill_wait(int dirfd, int wait_ms)
{
	pid_t pids[RMDIR_WAIT_MAX];
	struct pollfd pfd[RMDIR_WAIT_MAX];
	size_t n = 0, open = 0;

	if (read_procs(dirfd, pids, RMDIR_WAIT_MAX, &n) < 0 || !n) {
		/* exiting, no longer listed, not yet released: a moment */
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		int fd = (int)syscall(SYS_pidfd_open, pids[k], 0);

		kill(pids[k], SIGKILL);
		if (fd >= 0)
			pfd[open++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	for (size_t left = open; left && poll(pfd, open, wait_ms) > 0;) {
		for (size_t k = 0; k < open; k++) {
			if (pfd[k].fd >= 0 && pfd[k].revents) {
				close(pfd[k].fd);
				pfd[k].fd = -1;
				left--;
			}
		}
	}
	for (size_t k = 0; k < open; k++)
		if (pfd[k].fd >= 0)
			close(pfd[k].fd);
}

/* rmdir rel under rootfd once what is in it (dirfd) is gone. */
static int remove_dir(int rootfd, int dirfd, const char *rel)
{
	for (int t = 0;; t++) {
		if (unlinkat(rootfd, rel, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || t == RMDIR_TRIES)
			return -errno;
		kill_wait(dirfd, RMDIR_WAIT_MS);
	}
}

static int remove_hier(struct oci_cgroup *cg, size_t i, bool parents)
{
	struct oci_cg_hier *h = &cg->h[i];
	char rel[OCI_CGROUP_PATH_MAX], where[OCI_CGROUP_PATH_MAX + 160];
	_cleanup_close_ int rootfd = -1;
	char *slash;
	int r;

	if (h->fd < 0 || cg_open_hier_root(cg, i, &rootfd) < 0)
		return 0;
	snprintf(rel, sizeof(rel), "%s", h->path + strspn(h->path, "/"));
	if ((r = remove_dir(rootfd, h->fd, rel)) < 0) {
		cg_hier_path(cg, i, h->path, where, sizeof(where));
		return fasco_fail(r, "remove cgroup %s: %s", where, strerror(-r));
	}
	close(h->fd);
	h->fd = -1;
	/* parents made for this cgroup alone; one that another container uses stays */
	if (parents && h->created > 1 && (slash = strrchr(rel, '/'))) {
		*slash = '\0';
		remove_created(rootfd, rel, h->created - 1);
	}
	h->created = 0;
	return 0;
}

int oci_cgroup_remove(struct oci_cgroup *cg, bool parents)
{
	int ret = 0;

	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++) {
		int r = remove_hier(cg, i, parents);

		if (r < 0 && !ret)
			ret = r;
	}
	return ret;
}
