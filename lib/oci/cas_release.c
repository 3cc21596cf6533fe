/* SPDX-License-Identifier: Apache-2.0 */
/* The store's references: release, counts, and the cache of idle blobs it keeps. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/cas.h"
#include "oci/store.h"

static int unindex_one(int dfd, const char *entry, void *hex)
{
	char target[OCI_CAS_HEX];
	ssize_t n = readlinkat(dfd, entry, target, sizeof(target));

	if (n == OCI_CAS_HEX - 1 && !memcmp(target, hex, (size_t)n))
		unlinkat(dfd, entry, 0);
	return 0;
}

/* Drop the index entries that name hex. */
static void unindex(int storefd, const char *hex)
{
	oci_dir_each(storefd, "index", unindex_one, (void *)hex);
}

/* An unreferenced blob: its digest and when it was last added. */
struct idle_blob {
	char hex[OCI_CAS_HEX];
	struct timespec used;
};

struct idle_list {
	int storefd;
	struct idle_blob *v;
	size_t n, cap;
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct idle_blob *)a)->used;
	const struct timespec *y = &((const struct idle_blob *)b)->used;

	return x->tv_sec != y->tv_sec ? (x->tv_sec > y->tv_sec) - (x->tv_sec < y->tv_sec)
				      : (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

static int note_if_idle(int dfd, const char *entry, void *arg)
{
	struct idle_list *l = arg;
	char hex[OCI_CAS_HEX];
	struct stat st;

	if (strlen(entry) != OCI_CAS_HEX - 1 + strlen(".zst") ||
	    fstatat(dfd, entry, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	snprintf(hex, sizeof(hex), "%.64s", entry);
	if (oci_cas_refs(l->storefd, hex) == 0) {
		memcpy(l->v[l->n].hex, hex, sizeof(hex));
		l->v[l->n++].used = st.st_mtim;
	}
	return l->n == l->cap; /* enough for one trim */
}

/* Keep the OCI_CAS_KEEP_IDLE most recently used unreferenced blobs, drop the others. */
static void trim(int storefd)
{
	static struct idle_blob idle[OCI_CAS_KEEP_IDLE * 4];
	struct idle_list l = { storefd, idle, 0, sizeof(idle) / sizeof(idle[0]) };

	oci_dir_each(storefd, "blobs", note_if_idle, &l);
	qsort(idle, l.n, sizeof(idle[0]), older_first);
	for (size_t i = 0; i + OCI_CAS_KEEP_IDLE < l.n; i++) {
		char blob[96];

		oci_cas_blob_name(idle[i].hex, blob);
		unlinkat(storefd, blob, 0);
		unindex(storefd, idle[i].hex);
		snprintf(blob, sizeof(blob), "refs/%.64s", idle[i].hex);
		unlinkat(storefd, blob, AT_REMOVEDIR); /* empty: it counted no reference */
	}
}

struct release {
	int storefd;
	const char *owner;
	bool collected;
};

/*
 * Drop owner's reference to the blob of refs/<entry>. The directory stays
 * when it empties (the next container of the image finds it: a directory
 * made and removed per container costs two journalled writes); an empty
 * one counts no reference, and its blob becomes idle.
 */
static int release_one(int dfd, const char *entry, void *arg)
{
	struct release *rel = arg;
	char ref[96 + 256];

	snprintf(ref, sizeof(ref), "%.64s/%s", entry, rel->owner);
	if (unlinkat(dfd, ref, 0) == 0 && oci_cas_refs(rel->storefd, entry) == 0)
		rel->collected = true;
	return 0;
}

int oci_cas_release(int storefd, const char *owner)
{
	_cleanup_close_ int lock = oci_cas_lock(storefd);
	struct release rel = { storefd, owner, false };
	int r;

	if (lock < 0)
		return lock;
	if ((r = oci_dir_each(storefd, "refs", release_one, &rel)) < 0)
		return fasco_fail(r, "read " OCI_CAS_DIR "/refs: %s", strerror(-r));
	/* its blob stays as a cache, within OCI_CAS_KEEP_IDLE */
	if (rel.collected)
		trim(storefd);
	return 0;
}

static int count_one(int dfd, const char *entry, void *n)
{
	(void)dfd;
	(void)entry;
	++*(int *)n;
	return 0;
}

int oci_cas_refs(int storefd, const char *hex)
{
	char path[96];
	int n = 0;

	snprintf(path, sizeof(path), "refs/%.64s", hex);
	return oci_dir_each(storefd, path, count_one, &n) < 0 ? 0 : n;
}
