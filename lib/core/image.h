/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building a realm's initial memory: the shim, per-vCPU areas, descriptor
 * and page tables, the manifest, the program and its stack. Every byte goes
 * through realm_populate(), the one place where content enters a realm
 * before it starts (and where measurement hooks in).
 */
#ifndef FASCO_CORE_IMAGE_H
#define FASCO_CORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "core/internal.h"

/* What is placed: bytes from the host, or a range of an open file
 * (mapped copy-on-write, so a large image costs no copy). */
struct populate_src {
	const void *bytes;
	int fd;
	uint64_t file_offset;
	uint64_t len;
};

struct realm_memory {
	uint8_t *private_mem;
	uint64_t private_size;
	/* called for every populated range, in order (measurement) */
	int (*observe)(void *opaque, uint64_t gpa, const void *data, uint64_t len);
	void *observe_opaque;
};

int realm_populate(struct realm_memory *mem, uint64_t gpa, const struct populate_src *src);

/* Lay out and populate the realm for config; fills the boot state of each
 * vCPU. prog_fd is the opened program. */
int realm_image_build(const fasco_config *config, uint32_t platform, int prog_fd,
		      struct realm_memory *mem, uint64_t shared_gpa, uint64_t shared_size,
		      struct vcpu_boot *boot);

#endif
