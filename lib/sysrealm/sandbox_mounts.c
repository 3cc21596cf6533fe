/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container's mounts and default devices, built under its root before
 * the sandbox pivots into it. Every target is resolved inside the root
 * with openat2(RESOLVE_IN_ROOT) and mounted on through the descriptor
 * (move_mount), never through a path: a symbolic link in the image, or
 * one swapped in meanwhile, cannot put a mount or a created directory
 * anywhere outside the root.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sysrealm/sandbox.h"
#include <fasco/fasco.h>

#define RESOLVE_FLAGS (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

static const char *const default_devices[] = { "null", "zero", "full", "random", "urandom", "tty" };

static int resolve(int rootfd, const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_PATH | O_CLOEXEC),
				.resolve = RESOLVE_FLAGS };

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Create the last name of path[0..len) in its parent, resolved in the root. */
static int create_in_root(int rootfd, const char *path, size_t len, bool file)
{
	char parent[PATH_MAX], name[NAME_MAX + 1];
	const char *slash = path;
	_cleanup_close_ int dirfd = -1;
	size_t plen;

	for (const char *p = path; p < path + len; p++)
		if (*p == '/')
			slash = p;
	plen = (size_t)(slash - path);
	if (len - plen - 1 > NAME_MAX)
		return -ENAMETOOLONG;
	snprintf(parent, sizeof(parent), "%.*s", (int)(plen ? plen : 1), path);
	snprintf(name, sizeof(name), "%.*s", (int)(len - plen - 1), slash + 1);
	if ((dirfd = resolve(rootfd, parent, O_DIRECTORY)) < 0)
		return -errno;
	if (file) {
		int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

		if (fd < 0 && errno != EEXIST)
			return -errno;
		if (fd >= 0)
			close(fd);
	} else if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST) {
		return -errno;
	}
	return 0;
}

/*
 * A descriptor on target inside the root; what is missing on the way is
 * made: directories, and the target itself as a directory or (file) an
 * empty file, as a mount point needs.
 */
static int open_target(int rootfd, const char *target, bool file)
{
	size_t len = strlen(target);
	int fd, ret;

	if ((fd = resolve(rootfd, target, 0)) >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	while (len > 1 && target[len - 1] == '/')
		len--; /* "/data/" names /data */
	/* each prefix in turn: /a, /a/b, ... then the target */
	for (size_t i = 1; i <= len; i++) {
		bool last = i == len;
		char prefix[PATH_MAX];

		if (!last && target[i] != '/')
			continue;
		if (i > 1 && target[i - 1] == '/')
			continue; /* "//" */
		snprintf(prefix, sizeof(prefix), "%.*s", (int)i, target);
		if ((fd = resolve(rootfd, prefix, last ? 0 : O_DIRECTORY)) >= 0) {
			if (last)
				return fd;
			close(fd);
			continue;
		}
		if (errno != ENOENT)
			return -errno;
		if ((ret = create_in_root(rootfd, target, i, last && file)) < 0)
			return ret;
		if ((fd = resolve(rootfd, prefix, last ? 0 : O_DIRECTORY)) < 0)
			return -errno;
		if (last)
			return fd;
		close(fd);
	}
	return -ENOENT;
}

static uint64_t mount_attrs(uint32_t flags)
{
	return (flags & FASCO_MOUNT_RDONLY ? MOUNT_ATTR_RDONLY : 0) |
	       (flags & FASCO_MOUNT_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
	       (flags & FASCO_MOUNT_NODEV ? MOUNT_ATTR_NODEV : 0) |
	       (flags & FASCO_MOUNT_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}

/* A detached copy of the host's source tree, with the mount's flags. */
static int bind_tree(const struct sandbox_mount *m)
{
	bool rec = m->flags & FASCO_MOUNT_RECURSIVE;
	struct mount_attr attr = { .attr_set = mount_attrs(m->flags) };
	_cleanup_close_ int tree = -1;

	tree = open_tree(AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
	if (tree < 0)
		return fasco_fail(FASCO_E_SANDBOX, "bind mount of %s: %s", m->source, strerror(errno));
	if (attr.attr_set &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "bind mount of %s: flags: %s", m->source, strerror(errno));
	return take_fd(tree);
}

/* fsconfig's own words on what it refused, if it left any. */
static void fs_error(int fs, char *buf, size_t cap)
{
	ssize_t n = read(fs, buf, cap - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/* A new tmpfs with options "key=value,flag,...", detached. */
static int tmpfs_tree(const struct sandbox_mount *m)
{
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	char opts[4096], why[256] = "";
	char *save = NULL;
	int tree;

	if (fs < 0)
		return fasco_fail(FASCO_E_SANDBOX, "tmpfs on %s: %s", m->target, strerror(errno));
	snprintf(opts, sizeof(opts), "%s", m->options ? m->options : "");
	for (char *opt = strtok_r(opts, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		char *value = strchr(opt, '=');
		int r;

		if (value)
			*value++ = '\0';
		r = value ? fsconfig(fs, FSCONFIG_SET_STRING, opt, value, 0)
			  : fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
		if (r < 0) {
			int err = errno;

			fs_error(fs, why, sizeof(why));
			return fasco_fail(FASCO_E_SANDBOX, "tmpfs on %s: option %s: %s", m->target, opt,
					  why[0] ? why : strerror(err));
		}
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (tree = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)mount_attrs(m->flags))) < 0) {
		int err = errno;

		fs_error(fs, why, sizeof(why));
		return fasco_fail(FASCO_E_SANDBOX, "tmpfs on %s: %s", m->target, why[0] ? why : strerror(err));
	}
	return tree;
}

static int mount_one(const struct sandbox_mount *m, int rootfd)
{
	_cleanup_close_ int tree = -1, target = -1;
	struct stat st;

	tree = m->type == SANDBOX_BIND ? bind_tree(m) : tmpfs_tree(m);
	if (tree < 0)
		return tree;
	if (fstat(tree, &st) < 0)
		return fasco_fail_errno("mount source");
	if ((target = open_target(rootfd, m->target, !S_ISDIR(st.st_mode))) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "mount target %s in the root: %s", m->target,
				  strerror(-target));
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "mount on %s: %s", m->target, strerror(errno));
	return 0;
}

int sandbox_mount_all(const struct sandbox_spec *spec, int rootfd)
{
	int ret;

	for (size_t i = 0; i < spec->n_mounts; i++)
		if ((ret = mount_one(&spec->mounts[i], rootfd)) < 0)
			return ret;
	if (!spec->devices)
		return 0;
	/* the host's nodes, bound in: no CAP_MKNOD needed, the same devices */
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		char host[32], target[32];
		struct sandbox_mount dev = { .type = SANDBOX_BIND, .source = host, .target = target,
					     .flags = FASCO_MOUNT_NOSUID | FASCO_MOUNT_NOEXEC };

		snprintf(host, sizeof(host), "/dev/%s", default_devices[i]);
		snprintf(target, sizeof(target), "/dev/%s", default_devices[i]);
		if ((ret = mount_one(&dev, rootfd)) < 0)
			return ret;
	}
	return 0;
}
