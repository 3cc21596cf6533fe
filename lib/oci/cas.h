/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The content-addressed store of measured images under <root>/.store,
 * shared by every container of a runtime root: each image once, named by
 * its SHA-256 and compressed with zstd (blobs/<sha256>.zst), referenced by
 * the containers that use it (refs/<sha256>/<container id>: the reference
 * count is the number of entries, so a killed runtime can leave at most a
 * reference that its container's delete removes). An image nobody
 * references any more stays as a cache for the next container that runs
 * it (storing costs a hash and a compression); only the OCI_CAS_KEEP_IDLE
 * most recently used of those are kept. index/ maps a file's
 * identity (device, inode, size, ctime) to its digest, so an image already
 * stored is neither read nor hashed again. Changes are serialised by
 * .store/lock.
 */
#ifndef FASCO_OCI_CAS_H
#define FASCO_OCI_CAS_H

#include <stddef.h>

#define OCI_CAS_DIR ".store"
#define OCI_CAS_HEX 65 /* SHA-256 in hex and a NUL */
#define OCI_CAS_MAX_BYTES (1ull << 30)
#define OCI_CAS_KEEP_IDLE 4 /* unreferenced images kept */

/* Open the store of the runtime root (creating it, 0700). */
int oci_cas_open(int rootfd, int *ret_fd);
/* Store the regular file open at fd (if not yet) and reference it for owner. */
int oci_cas_add(int storefd, int fd, const char *owner, char hex[OCI_CAS_HEX]);
/* Drop owner's references (and idle blobs beyond OCI_CAS_KEEP_IDLE). */
int oci_cas_release(int storefd, const char *owner);
/* How many owners reference the blob hex (0: none, or not stored). */
int oci_cas_refs(int storefd, const char *hex);
/* The blob's bytes (malloc'ed), checked against its digest. */
int oci_cas_get(int storefd, const char *hex, void **ret, size_t *ret_len);

/* Internal to the store (cas.c, cas_release.c). */
/* Take the store's lock: held until the returned descriptor is closed. */
int oci_cas_lock(int storefd);
/* blobs/<hex>.zst */
void oci_cas_blob_name(const char *hex, char name[96]);

#endif
