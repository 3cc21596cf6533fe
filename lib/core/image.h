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

/* A populated range of realm memory, in the order it was populated. */
struct populated_range {
	uint64_t gpa, len;
	int fd;               /* the file it came from, or -1 */
	uint64_t file_offset; /* page aligned when fd >= 0 */
};

struct realm_memory {
	uint8_t *private_mem;
	uint64_t private_size;
	/* the record measurement replays: granules may be shared by two
	 * ranges (GDT and TSS), so content is measured once it is final */
	struct populated_range *ranges;
	size_t n_ranges, cap_ranges;
	int interp_fd;  /* a dynamic program's interpreter, open until release */
};

int realm_populate(struct realm_memory *mem, uint64_t gpa, const struct populate_src *src);
void realm_memory_release(struct realm_memory *mem);

/* Where the shared region lies for config: the top half of its IPA space. */
void realm_shared_layout(const fasco_config *config, uint64_t *ret_gpa, uint64_t *ret_size);

/*
 * Lay out and populate the realm for config; fills the boot state of each
 * vCPU. prog_fd is the opened program; a dynamic program's interpreter is
 * opened inside root_fd (openat2 RESOLVE_IN_ROOT). mem->interp_fd must be
 * -1 on entry.
 */
int realm_image_build(const fasco_config *config, uint32_t platform, int root_fd, int prog_fd,
		      struct realm_memory *mem, uint64_t shared_gpa, uint64_t shared_size,
		      struct vcpu_boot *boot);

#endif
