/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/hex.h"
#include "oci/cas.h"
#include "oci/store.h"
#include "rmm/hash.h"

#define ZSTD_LEVEL 1 /* fast: an image is compressed on the create that stores it */

static const char *const subdirs[] = { "blobs", "refs", "index" };

/* Make the store whole under a temporary name, then rename it into place. */
static int cas_create(int rootfd)
{
	char tmp[64];
	_cleanup_close_ int fd = -1;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", OCI_CAS_DIR, (int)getpid());
	if (mkdirat(rootfd, tmp, 0700) < 0)
		return fasco_fail_errno("mkdir %s", tmp);
	fd = openat(rootfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (fd < 0 || mkdirat(fd, subdirs[i], 0700) < 0) {
			int r = fasco_fail_errno("mkdir %s/%s", tmp, subdirs[i]);

			oci_dir_remove(rootfd, tmp);
			return r;
		}
	}
	/* another command made it first: ours goes */
	if (renameat(rootfd, tmp, rootfd, OCI_CAS_DIR) < 0)
		oci_dir_remove(rootfd, tmp);
	return 0;
}

/*
 * The store is only ever renamed into place whole, so an existing one is
 * opened as it is (one call on every create and delete); one a killed
 * command left under its temporary name is in the way of nobody.
 */
int oci_cas_open(int rootfd, int *ret_fd)
{
	int fd = openat(rootfd, OCI_CAS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		int r = cas_create(rootfd);

		if (r < 0)
			return r;
		fd = openat(rootfd, OCI_CAS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return fasco_fail_errno("open " OCI_CAS_DIR);
	*ret_fd = fd;
	return 0;
}

int oci_cas_lock(int storefd)
{
	int fd = openat(storefd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return fasco_fail_errno("open " OCI_CAS_DIR "/lock");
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return fasco_fail_errno("lock " OCI_CAS_DIR);
		}
	}
	return fd;
}

static void index_name(const struct stat *st, char name[96])
{
	snprintf(name, 96, "index/%llx-%llx-%llx-%lld.%09ld", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
		 (long long)st->st_ctim.tv_sec, (long)st->st_ctim.tv_nsec);
}

void oci_cas_blob_name(const char *hex, char name[96])
{
	snprintf(name, 96, "blobs/%.64s.zst", hex);
}

/* The digest the index knows for this file, if its blob is still there. */
static bool indexed(int storefd, const char *index, char hex[OCI_CAS_HEX])
{
	char blob[96];
	ssize_t n = readlinkat(storefd, index, hex, OCI_CAS_HEX);

	if (n != OCI_CAS_HEX - 1)
		return false;
	hex[n] = '\0';
	oci_cas_blob_name(hex, blob);
	/* its modification time says when it was last used (trim keeps the recent ones) */
	return utimensat(storefd, blob, NULL, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Hash and, if it is new, compress the file into its blob. */
static int store_blob(int storefd, const void *data, size_t len, char hex[OCI_CAS_HEX])
{
	uint8_t slot[RMM_HASH_SLOT_SIZE];
	_cleanup_free_ void *z = NULL;
	_cleanup_close_ int blobs = -1;
	char blob[96];
	struct stat st;
	size_t zlen;
	int r;

	if ((r = rmm_hash(RMM_HASH_SHA256, data, len, slot)) < 0)
		return r;
	hex_encode(slot, 32, hex);
	oci_cas_blob_name(hex, blob);
	if (fstatat(storefd, blob, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return utimensat(storefd, blob, NULL, 0), 0; /* the same content, stored: used now */
	blobs = openat(storefd, "blobs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (blobs < 0)
		return fasco_fail_errno("open " OCI_CAS_DIR "/blobs");
	z = malloc(ZSTD_compressBound(len));
	if (!z)
		return -ENOMEM;
	zlen = ZSTD_compress(z, ZSTD_compressBound(len), data, len, ZSTD_LEVEL);
	if (ZSTD_isError(zlen))
		return fasco_fail(-EIO, "zstd: %s", ZSTD_getErrorName(zlen));
	return oci_write_atomic(blobs, blob + strlen("blobs/"), z, zlen, 0600);
}

static int add_ref(int storefd, const char *hex, const char *owner)
{
	char path[96 + 256];
	int fd;

	snprintf(path, sizeof(path), "refs/%s", hex);
	if (mkdirat(storefd, path, 0700) < 0 && errno != EEXIST)
		return fasco_fail_errno("mkdir %s", path);
	snprintf(path, sizeof(path), "refs/%s/%s", hex, owner);
	fd = openat(storefd, path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return fasco_fail_errno("reference %s", path);
	close(fd);
	return 0;
}

int oci_cas_add(int storefd, int fd, const char *owner, char hex[OCI_CAS_HEX])
{
	_cleanup_close_ int lock = -1;
	char index[96];
	struct stat st;
	void *data;
	int r;

	if (fstat(fd, &st) < 0)
		return fasco_fail_errno("stat the image");
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > OCI_CAS_MAX_BYTES)
		return fasco_fail(-EINVAL, "the image is not a regular file of at most 1 GiB");
	if ((lock = oci_cas_lock(storefd)) < 0)
		return lock;
	index_name(&st, index);
	if (!indexed(storefd, index, hex)) {
		data = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
		if (data == MAP_FAILED)
			return fasco_fail_errno("map the image");
		r = store_blob(storefd, data, (size_t)st.st_size, hex);
		if (st.st_size)
			munmap(data, (size_t)st.st_size);
		if (r < 0)
			return r;
		/* a cache: without it, the next add of this file hashes it again */
		unlinkat(storefd, index, 0);
		if (symlinkat(hex, storefd, index) < 0)
			fasco_error_clear();
	}
	return add_ref(storefd, hex, owner);
}

int oci_cas_get(int storefd, const char *hex, void **ret, size_t *ret_len)
{
	_cleanup_free_ char *z = NULL;
	_cleanup_free_ void *out = NULL;
	uint8_t slot[RMM_HASH_SLOT_SIZE];
	char blob[96], got[OCI_CAS_HEX];
	unsigned long long size;
	size_t zlen, n;
	int r;

	if (strlen(hex) != OCI_CAS_HEX - 1 || strspn(hex, "0123456789abcdef") != OCI_CAS_HEX - 1)
		return fasco_fail(-EINVAL, "\"%s\" is not a SHA-256 in hex", hex);
	oci_cas_blob_name(hex, blob);
	if ((r = oci_read_file(storefd, blob, ZSTD_compressBound(OCI_CAS_MAX_BYTES), &z, &zlen)) < 0)
		return r;
	size = ZSTD_getFrameContentSize(z, zlen);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > OCI_CAS_MAX_BYTES)
		return fasco_fail(-EIO, "%s: not a zstd frame of a known size", blob);
	if (!(out = malloc(size ? size : 1)))
		return -ENOMEM;
	n = ZSTD_decompress(out, size, z, zlen);
	if (ZSTD_isError(n) || n != size)
		return fasco_fail(-EIO, "%s: %s", blob, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
	if ((r = rmm_hash(RMM_HASH_SHA256, out, n, slot)) < 0)
		return r;
	hex_encode(slot, 32, got);
	if (strcmp(got, hex))
		return fasco_fail(-EIO, "%s: its content hashes to %s", blob, got);
	*ret = take_ptr(out);
	*ret_len = n;
	return 0;
}
