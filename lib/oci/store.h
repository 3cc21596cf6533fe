/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-container directories under the runtime root (--root): one
 * directory per container id, mode 0700, holding state.json, config.json
 * (a copy of the bundle's), the lock file, the "created" marker, the
 * keeper's control socket and the latest token. Files are replaced
 * atomically (temporary file, fsync, rename, fsync of the directory), so a
 * crash leaves either the old or the new version.
 */
#ifndef FASCO_OCI_STORE_H
#define FASCO_OCI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define OCI_ID_MAX 250

/* A container id: 1..OCI_ID_MAX of [A-Za-z0-9_.+-], not "." or "..". */
int oci_id_check(const char *id);

/* Open (creating it and its parents, 0700, if create) the runtime root. */
int oci_root_open(const char *root, bool create, int *ret_fd);
/* Create the directory of a new container; it must not exist. */
int oci_dir_create(int rootfd, const char *id, int *ret_fd);
/* Open an existing container's directory (-ENOENT: no such container). */
int oci_dir_open(int rootfd, const char *id, int *ret_fd);
/* Remove a container's directory and everything in it. */
int oci_dir_remove(int rootfd, const char *id);

/*
 * Call fn on each entry of dirfd/name (but "." and ".."), with the
 * directory's fd, until it returns non-zero: that value, 0 at the end, or
 * -errno if the directory cannot be read.
 */
typedef int (*oci_entry_fn)(int dfd, const char *entry, void *arg);
int oci_dir_each(int dirfd, const char *name, oci_entry_fn fn, void *arg);

/* Take the container's lock (flock on <dir>/lock); wait or fail at once. */
int oci_lock(int dirfd, bool wait, int *ret_fd);

/* Replace dirfd/name with buf atomically. */
int oci_write_atomic(int dirfd, const char *name, const void *buf, size_t len, mode_t mode);
/*
 * What survives a crash of the machine (a killed process always finds the
 * old or the new file: the rename is atomic):
 *   OCI_DURABLE       the new file (fsync of the file, then of the directory)
 *   OCI_DURABLE_FILE  the new file once a later OCI_DURABLE write in the same
 *                     directory is done (one directory fsync covers every
 *                     rename before it)
 *   OCI_VOLATILE      no guarantee: for what a crash makes moot anyway
 */
enum oci_durability { OCI_DURABLE, OCI_DURABLE_FILE, OCI_VOLATILE };

int oci_write_atomic_as(int dirfd, const char *name, const void *buf, size_t len, mode_t mode,
			enum oci_durability durability);
/* fsync each of names (NULL-terminated) in dirfd, then dirfd itself. */
int oci_sync_files(int dirfd, const char *const *names);
/* The same for a path anywhere (--pid-file). */
int oci_write_atomic_path(const char *path, const void *buf, size_t len, mode_t mode,
			  enum oci_durability durability);
/* Read fd to its end (NUL-terminated); more than max bytes is an error. */
int oci_read_stream(int fd, size_t max, char **ret, size_t *ret_len);
/* Read dirfd/name whole (NUL-terminated); larger than max is an error. */
int oci_read_file(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len);

#endif
