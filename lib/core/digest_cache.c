/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"
#include "core/digest_cache.h"
#include "rmm/hash.h"

#define PAGE 4096u
#define MAX_FILE (1ull << 30)
#define CHUNK_PAGES 64
#define CACHE_MAGIC 0x31434746u /* "FGC1" */
#define CACHE_DIR "page-digests"

/* What names an entry and is checked again when it is read. */
struct cache_key {
	uint32_t magic, algo;
	uint64_t dev, ino, size;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

static void key_of(const struct stat *st, unsigned algo, struct cache_key *k)
{
	*k = (struct cache_key){
		.magic = CACHE_MAGIC, .algo = algo, .dev = st->st_dev, .ino = st->st_ino,
		.size = (uint64_t)st->st_size, .mtime_sec = st->st_mtim.tv_sec,
		.mtime_nsec = st->st_mtim.tv_nsec, .ctime_sec = st->st_ctim.tv_sec,
		.ctime_nsec = st->st_ctim.tv_nsec,
	};
}

static void entry_name(const struct cache_key *k, char name[128])
{
	snprintf(name, 128, "%llx-%llx-%llx.%09lld-%lld.%09lld-%u",
		 (unsigned long long)k->dev, (unsigned long long)k->ino,
		 (unsigned long long)k->size, (long long)k->ctime_sec, (long long)k->mtime_sec,
		 (long long)k->mtime_nsec, k->algo);
}

/* A cached entry, trusted only if its key and length match exactly. */
static int load_entry(int dirfd, const char *name, const struct cache_key *key,
		      struct file_digests *d)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct cache_key stored;
	struct stat st;
	size_t want = d->npages * d->digest_len;

	if (fd < 0 || fstat(fd, &st) < 0 || (uint64_t)st.st_size != sizeof(stored) + want)
		return -ENOENT;
	if (io_pread_full(fd, &stored, sizeof(stored), 0) < 0 || memcmp(&stored, key, sizeof(stored)))
		return -ENOENT;
	return io_pread_full(fd, d->digests, want, sizeof(stored)) < 0 ? -ENOENT : 0;
}

static int compute(int fd, uint64_t size, struct file_digests *d)
{
	_cleanup_free_ uint8_t *buf = malloc((size_t)CHUNK_PAGES * PAGE);
	uint8_t slots[CHUNK_PAGES][RMM_HASH_SLOT_SIZE];
	unsigned algo = d->digest_len == 32 ? RMM_HASH_SHA256 : RMM_HASH_SHA512;

	if (!buf)
		return -ENOMEM;
	for (uint64_t page = 0; page < d->npages; page += CHUNK_PAGES) {
		uint64_t n = d->npages - page < CHUNK_PAGES ? d->npages - page : CHUNK_PAGES;
		uint64_t off = page * PAGE, len = size - off < n * PAGE ? size - off : n * PAGE;
		int ret;

		memset(buf + len, 0, (size_t)(n * PAGE - len));
		if ((ret = io_pread_full(fd, buf, (size_t)len, off)) < 0)
			return fasco_fail(ret, "cannot read the program to measure it");
		rmm_hash_pages(algo, buf, (size_t)n, slots);
		for (uint64_t i = 0; i < n; i++)
			memcpy(d->digests + (page + i) * d->digest_len, slots[i], d->digest_len);
	}
	return 0;
}

/* Best effort: a cache that cannot be written only costs the next realm time. */
static void store_entry(int dirfd, const char *name, const struct cache_key *key,
			const struct file_digests *d)
{
	char tmp[160];
	_cleanup_close_ int fd = -1;
	size_t len = d->npages * d->digest_len;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, key, sizeof(*key)) != (ssize_t)sizeof(*key) ||
	    write(fd, d->digests, len) != (ssize_t)len || fsync(fd) < 0 ||
	    renameat(dirfd, tmp, dirfd, name) < 0)
		unlinkat(dirfd, tmp, 0);
}

int file_digests_get(int cache_dirfd, int fd, unsigned algo, struct file_digests *ret)
{
	struct file_digests d = { .digest_len = rmm_hash_len(algo) };
	struct cache_key key;
	struct stat st;
	char name[128];
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_FILE || !d.digest_len)
		return -EFBIG;
	d.npages = ((uint64_t)st.st_size + PAGE - 1) / PAGE;
	d.digests = malloc(d.npages ? d.npages * d.digest_len : 1);
	if (!d.digests)
		return -ENOMEM;
	key_of(&st, algo, &key);
	entry_name(&key, name);
	if (cache_dirfd < 0 || load_entry(cache_dirfd, name, &key, &d) < 0) {
		if ((r = compute(fd, (uint64_t)st.st_size, &d)) < 0) {
			file_digests_free(&d);
			return r;
		}
		if (cache_dirfd >= 0)
			store_entry(cache_dirfd, name, &key, &d);
	}
	*ret = d;
	return 0;
}

void file_digests_free(struct file_digests *d)
{
	free(d->digests);
	d->digests = NULL;
}

int digest_cache_open(const char *state_dir)
{
	_cleanup_free_ char *path = NULL;
	int fd;

	if (!state_dir || asprintf(&path, "%s/%s", state_dir, CACHE_DIR) < 0)
		return -ENOMEM;
	/* the state directory itself is created (0700) with the platform key */
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
