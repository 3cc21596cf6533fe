/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page digests of program files, kept under the state directory so that
 * measuring a realm does not hash an unchanged image again: the RMM only
 * ever hashes a granule's content, so a digest computed once from the same
 * bytes keeps the RIM exact. An entry is named by the file's identity and
 * every timestamp the kernel moves when content changes (ctime cannot be set
 * by anyone), and checked against it again when read. The directory and
 * its files are private (0700/0600): whoever can write them could equally
 * take the platform key beside them.
 */
#ifndef FASCO_CORE_DIGEST_CACHE_H
#define FASCO_CORE_DIGEST_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct file_digests {
	uint64_t npages;      /* 4 KiB pages of the file, the last zero padded */
	size_t digest_len;
	uint8_t *digests;     /* npages * digest_len */
};

/*
 * Digests of the pages of the open file fd under hash algo (enum
 * rmm_hash_algo): read from cache_dirfd, or computed and stored there.
 * cache_dirfd < 0 computes without storing. Files above 1 GiB are refused
 * (-EFBIG): the caller measures from memory instead.
 */
int file_digests_get(int cache_dirfd, int fd, unsigned algo, struct file_digests *ret);
void file_digests_free(struct file_digests *d);

/* Open (creating, 0700) the cache directory under state_dir; -errno. */
int digest_cache_open(const char *state_dir);

#endif
