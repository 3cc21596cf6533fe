/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"
#include "oci/store.h"

int oci_id_check(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > OCI_ID_MAX)
		return fasco_fail(-EINVAL, "invalid container id: length must be 1 to %d", OCI_ID_MAX);
	if (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.+-") != n)
		return fasco_fail(-EINVAL, "invalid container id \"%s\": only letters, digits and "
				  "_.+- are allowed", id);
	if (!strcmp(id, ".") || !strcmp(id, ".."))
		return fasco_fail(-EINVAL, "invalid container id \"%s\"", id);
	return 0;
}

static int mkdir_parents(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return fasco_fail(-EINVAL, "root directory path invalid or too long");
	memcpy(buf, path, n + 1);
	for (char *c = buf + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return fasco_fail(-errno, "mkdir %s: %s", buf, strerror(errno));
		*c = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return fasco_fail(-errno, "mkdir %s: %s", buf, strerror(errno));
	return 0;
}

int oci_root_open(const char *root, bool create, int *ret_fd)
{
	int fd, r;

	if (create && (r = mkdir_parents(root)) < 0)
		return r;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fasco_fail(-errno, "open %s: %s", root, strerror(errno));
	*ret_fd = fd;
	return 0;
}

int oci_dir_create(int rootfd, const char *id, int *ret_fd)
{
	int fd;

	if (mkdirat(rootfd, id, 0700) < 0) {
		if (errno == EEXIST)
			return fasco_fail(-EEXIST, "container with id exists: %s", id);
		return fasco_fail(-errno, "mkdir %s: %s", id, strerror(errno));
	}
	/* the parent's entry is made durable with the first state write */
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return fasco_fail(-errno, "open %s: %s", id, strerror(errno));
	*ret_fd = fd;
	return 0;
}

int oci_dir_open(int rootfd, const char *id, int *ret_fd)
{
	int fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		if (errno == ENOENT)
			return fasco_fail(-ENOENT, "container does not exist");
		return fasco_fail(-errno, "open %s: %s", id, strerror(errno));
	}
	*ret_fd = fd;
	return 0;
}

static int remove_entry(int dfd, const char *entry, void *id)
{
	if (unlinkat(dfd, entry, 0) < 0 && errno != ENOENT)
		return fasco_fail(-errno, "remove %s/%s: %s", (const char *)id, entry, strerror(errno));
	return 0;
}

int oci_dir_remove(int rootfd, const char *id)
{
	_cleanup_close_ int fd = -1;
	int r = oci_dir_open(rootfd, id, &fd);

	if (r < 0)
		return r;
	/* remove_entry's failures carry their detail; the directory's own has none */
	fasco_error_clear();
	if ((r = oci_dir_each(fd, ".", remove_entry, (void *)id)) < 0)
		return *fasco_last_error() ? r : fasco_fail(r, "read %s: %s", id, strerror(-r));
	/*
	 * No fsync: if a crash brings the directory back, its processes are
	 * gone with the crash, so it reads as stopped and delete cleans it.
	 */
	if (unlinkat(rootfd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return fasco_fail(-errno, "remove %s: %s", id, strerror(errno));
	return 0;
}

int oci_dir_each(int at, const char *name, oci_entry_fn fn, void *arg)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	int r = 0;

	if (!d) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (!r && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			r = fn(dirfd(d), e->d_name, arg);
	closedir(d);
	return r;
}

int oci_lock(int dirfd, bool wait, int *ret_fd)
{
	_cleanup_close_ int fd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
					0600);

	if (fd < 0)
		return fasco_fail_errno("open lock");
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			return fasco_fail(-EBUSY, "the container is busy (another command holds its lock)");
		return fasco_fail_errno("lock");
	}
	*ret_fd = take_fd(fd);
	return 0;
}

int oci_write_atomic_as(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
			enum oci_durability durability)
{
	char tmp[300];
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", name, (int)getpid()) >= sizeof(tmp))
		return fasco_fail(-ENAMETOOLONG, "%s: name too long", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return fasco_fail(-errno, "create %s: %s", tmp, strerror(errno));
	r = io_write_all(fd, buf, len);
	if (r == 0 && durability != OCI_VOLATILE && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return fasco_fail(r, "write %s: %s", name, strerror(-r));
	}
	/* the rename itself must survive a crash */
	if (durability == OCI_DURABLE && fsync(dirfd) < 0)
		return fasco_fail_errno("fsync after writing %s", name);
	return 0;
}

int oci_write_atomic(int dirfd, const char *name, const void *buf, size_t len, mode_t mode)
{
	return oci_write_atomic_as(dirfd, name, buf, len, mode, OCI_DURABLE);
}

int oci_sync_files(int dirfd, const char *const *names)
{
	for (; *names; names++) {
		_cleanup_close_ int fd = openat(dirfd, *names, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0 || fsync(fd) < 0)
			return fasco_fail_errno("fsync %s", *names);
	}
	if (fsync(dirfd) < 0)
		return fasco_fail_errno("fsync the directory");
	return 0;
}

int oci_write_atomic_path(const char *path, const void *buf, size_t len, mode_t mode,
			  enum oci_durability durability)
{
	char dir[4096], base[4096];
	_cleanup_close_ int dfd = -1;

	if (strlen(path) >= sizeof(dir))
		return fasco_fail(-ENAMETOOLONG, "%s: path too long", path);
	strcpy(dir, path);
	strcpy(base, path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return fasco_fail(-errno, "open the directory of %s: %s", path, strerror(errno));
	return oci_write_atomic_as(dfd, basename(base), buf, len, mode, durability);
}

/* Read to the end, more than max bytes being an error; the buffer starts at hint bytes. */
static int read_all(int fd, size_t max, size_t hint, char **ret, size_t *ret_len)
{
	size_t cap = (hint < max ? hint : max) + 1, len = 0;
	_cleanup_free_ char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap && cap <= max) {
			size_t grown = cap > (max + 1) / 2 ? max + 1 : 2 * cap;
			char *more = realloc(buf, grown);

			if (!more)
				return -ENOMEM;
			buf = more;
			cap = grown;
		}
		n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fasco_fail_errno("read");
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return fasco_fail(-EFBIG, "larger than %zu bytes", max);
	}
	buf[len] = '\0'; /* len < cap: a full buffer grows or fails before it is read into */
	*ret = take_ptr(buf);
	*ret_len = len;
	return 0;
}

int oci_read_stream(int fd, size_t max, char **ret, size_t *ret_len)
{
	return read_all(fd, max, 4096, ret, ret_len);
}

int oci_read_file(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	/* non-blocking: a FIFO planted under the name must not hang the runtime */
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	int r;

	if (fd < 0)
		return fasco_fail(-errno, "open %s: %s", name, strerror(errno));
	if (fstat(fd, &st) < 0)
		return fasco_fail_errno("stat %s", name);
	if (!S_ISREG(st.st_mode))
		return fasco_fail(-EINVAL, "%s: not a regular file", name);
	/* sized by the file, growing if it grows meanwhile: never max bytes up front */
	r = read_all(fd, max, (size_t)st.st_size, ret, ret_len);
	return r < 0 ? fasco_fail_wrap(r, "%s", name) : 0;
}
