/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's boot manifest: a flattened device tree (libfdt) placed in
 * realm memory and measured, so the realm's configuration is part of its
 * initial measurement. The shim reads it at boot.
 */
#ifndef FASCO_LOADER_MANIFEST_H
#define FASCO_LOADER_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#define MANIFEST_MAX_AREAS 20
#define MANIFEST_AREA_STACK 0x100u /* kind bits above the protection */

struct manifest_area {
	uint64_t start, end, flags; /* flags: PROT_* | MANIFEST_AREA_* */
};

struct manifest_info {
	uint32_t platform;      /* FASCO_PLATFORM_* */
	uint32_t vcpus;
	uint64_t private_size;  /* bytes of private memory from GPA 0 */
	uint64_t shared_gpa, shared_size, slot_size;
	uint64_t free_base;     /* first frame the shim may allocate */
	uint64_t page_table_root;
	uint64_t brk_base, entry, stack_pointer, at_random;
	uint64_t stack_limit;
	unsigned n_areas;
	struct manifest_area areas[MANIFEST_MAX_AREAS];
	const char *program;    /* informational, measured with the rest */
	const uint8_t *config_digest; /* the container's configuration, measured */
	size_t config_digest_len;     /* 0: no property */
	/* the shim hashes code mapped at run time into REM[0] (measured realms) */
	uint32_t measure_exec;
};

/* Build into buf (cap bytes); *ret_len gets the blob size. */
int manifest_build(const struct manifest_info *mi, void *buf, size_t cap, size_t *ret_len);

#endif
