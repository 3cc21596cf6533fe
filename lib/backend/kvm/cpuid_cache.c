/* SPDX-License-Identifier: Apache-2.0 */
/*
 * KVM_GET_SUPPORTED_CPUID costs half a millisecond on our machines (KVM
 * runs the host's cpuid for every leaf, and each one traps to the
 * hypervisor below this host), a tenth of a realm's startup. Its answer
 * cannot change within one boot of the host and one load of the KVM
 * module, so it is kept in the state directory under that key. The file is
 * a cache: anything that does not validate is replaced, never trusted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/kvm/cpuid_cache.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"

#define CACHE_NAME "kvm-cpuid"
#define CACHE_MAGIC "FCPUID\0\1"
#define BOOT_ID_LEN 36

struct cache_key {
	char magic[8];
	char boot_id[BOOT_ID_LEN + 4]; /* NUL-padded */
	uint64_t kvm_ino;              /* /dev/kvm is created anew when KVM loads */
	int64_t kvm_ctime_sec, kvm_ctime_nsec;
	uint32_t nent, reserved;
};

static int cache_key_of(int kvm_fd, struct cache_key *key)
{
	_cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	memset(key, 0, sizeof(*key));
	memcpy(key->magic, CACHE_MAGIC, sizeof(key->magic));
	if (fd < 0 || fstat(kvm_fd, &st) < 0)
		return -errno;
	n = read(fd, key->boot_id, BOOT_ID_LEN);
	if (n != BOOT_ID_LEN)
		return -EIO;
	key->kvm_ino = st.st_ino;
	key->kvm_ctime_sec = st.st_ctim.tv_sec;
	key->kvm_ctime_nsec = st.st_ctim.tv_nsec;
	return 0;
}

static int cache_path(const char *state_dir, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s/%s", state_dir, CACHE_NAME);

	return n > 0 && (size_t)n < cap ? 0 : -ENAMETOOLONG;
}

static int cache_read(const char *path, const struct cache_key *want, struct kvm_cpuid_table *out)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct cache_key got;
	struct stat st;
	size_t body;
	int ret;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if ((ret = io_pread_full(fd, &got, sizeof(got), 0)) < 0)
		return ret;
	if (got.nent == 0 || got.nent > KVM_CPUID_MAX_ENTRIES)
		return -EBADMSG;
	body = got.nent * sizeof(out->e[0]);
	got.nent = 0; /* the rest is the key, and must match exactly */
	if (memcmp(&got, want, sizeof(got)) != 0 || (size_t)st.st_size != sizeof(got) + body)
		return -ESTALE;
	if ((ret = io_pread_full(fd, out->e, body, sizeof(got))) < 0)
		return ret;
	out->hdr.nent = (uint32_t)(body / sizeof(out->e[0]));
	return 0;
}

/* Best effort: a cache that cannot be written only costs time. */
static void cache_write(const char *state_dir, const char *path, const struct cache_key *key,
			const struct kvm_cpuid_table *t)
{
	char tmp[4096];
	struct cache_key k = *key;
	_cleanup_close_ int fd = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return;
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return;
	fd = mkstemp(tmp); /* 0600 */
	if (fd < 0)
		return;
	k.nent = t->hdr.nent;
	if (io_write_all(fd, &k, sizeof(k)) < 0 ||
	    io_write_all(fd, t->e, t->hdr.nent * sizeof(t->e[0])) < 0 || rename(tmp, path) < 0)
		unlink(tmp);
}

int kvm_cpuid_supported(int kvm_fd, const char *state_dir, struct kvm_cpuid_table *out)
{
	struct cache_key key;
	char path[4096];
	int cacheable = state_dir && cache_key_of(kvm_fd, &key) == 0 &&
			cache_path(state_dir, path, sizeof(path)) == 0;

	if (cacheable && cache_read(path, &key, out) == 0)
		return 0;
	out->hdr.nent = KVM_CPUID_MAX_ENTRIES;
	if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, out) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	if (cacheable)
		cache_write(state_dir, path, &key, out);
	return 0;
}
