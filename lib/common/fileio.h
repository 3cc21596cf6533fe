/* SPDX-License-Identifier: Apache-2.0 */
/* Whole reads and writes: the loops every file writer and reader needs. */
#ifndef FASCO_COMMON_FILEIO_H
#define FASCO_COMMON_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Write all len bytes (retrying after EINTR and short writes): 0 or -errno. */
int io_write_all(int fd, const void *buf, size_t len);

/*
 * Read exactly len bytes at offset: 0, -errno, or -ENODATA when the file
 * ends first.
 */
int io_pread_full(int fd, void *buf, size_t len, uint64_t offset);

#endif
