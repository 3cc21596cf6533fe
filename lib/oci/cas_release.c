/* SPDX-License-Identifier: Apache-2.0 */
/* The store's references: release, counts, and the cache of idle blobs it keeps. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/cas.h"

/* Drop the index entries that name hex. */
static void unindex(int storefd, const char *hex)
{
	int fd = openat(storefd, "index", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		char target[OCI_CAS_HEX];
		ssize_t n = readlinkat(dirfd(d), e->d_name, target, sizeof(target));

		if (n == OCI_CAS_HEX - 1 && !memcmp(target, hex, (size_t)n))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* An unreferenced blob: its digest and when it was last added. */
struct idle_blob {
	char hex[OCI_CAS_HEX];
	struct timespec used;
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct idle_blob *)a)->used;
	const struct timespec *y = &((const struct idle_blob *)b)->used;

	return x->tv_sec != y->tv_sec ? (x->tv_sec > y->tv_sec) - (x->tv_sec < y->tv_sec)
				      : (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/* The unreferenced blobs, at most cap; how many there are. */
static size_t idle_blobs(int storefd, struct idle_blob *out, size_t cap)
{
	int fd = openat(storefd, "blobs", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	size_t n = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) && n < cap) {
		char hex[OCI_CAS_HEX];
		struct stat st;

		if (strlen(e->d_name) != OCI_CAS_HEX - 1 + strlen(".zst") ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(hex, sizeof(hex), "%.64s", e->d_name);
		if (oci_cas_refs(storefd, hex) == 0) {
			memcpy(out[n].hex, hex, sizeof(hex));
			out[n++].used = st.st_mtim;
		}
	}
	closedir(d);
	return n;
}

/* Keep the OCI_CAS_KEEP_IDLE most recently used unreferenced blobs, drop the others. */
static void trim(int storefd)
{
	static struct idle_blob idle[OCI_CAS_KEEP_IDLE * 4];
	size_t n = idle_blobs(storefd, idle, sizeof(idle) / sizeof(idle[0]));

	qsort(idle, n, sizeof(idle[0]), older_first);
	for (size_t i = 0; i + OCI_CAS_KEEP_IDLE < n; i++) {
		char blob[96];

		oci_cas_blob_name(idle[i].hex, blob);
		unlinkat(storefd, blob, 0);
		unindex(storefd, idle[i].hex);
	}
}

/* Remove refs/<hex> if nobody references hex any more; its blob stays as a cache (trim). */
static void collect(int storefd, const char *hex)
{
	char path[320];

	snprintf(path, sizeof(path), "refs/%s", hex);
	if (unlinkat(storefd, path, AT_REMOVEDIR) == 0)
		trim(storefd);
}

int oci_cas_release(int storefd, const char *owner)
{
	_cleanup_close_ int lock = oci_cas_lock(storefd);
	int fd;
	DIR *d;
	struct dirent *e;

	if (lock < 0)
		return lock;
	fd = openat(storefd, "refs", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return fasco_fail_errno("open " OCI_CAS_DIR "/refs");
	}
	while ((e = readdir(d))) {
		char ref[96 + 256];

		if (e->d_name[0] == '.')
			continue;
		snprintf(ref, sizeof(ref), "%.64s/%s", e->d_name, owner);
		if (unlinkat(dirfd(d), ref, 0) == 0)
			collect(storefd, e->d_name);
	}
	closedir(d);
	return 0;
}

int oci_cas_refs(int storefd, const char *hex)
{
	char path[96];
	int fd, n = 0;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "refs/%s", hex);
	fd = openat(storefd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}
