/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parse and validate an ELF executable: static (non-PIE or static-PIE), or
 * dynamic (PT_INTERP names the interpreter the caller loads beside it), or
 * an interpreter itself (ET_DYN).
 */
#ifndef FASCO_LOADER_ELF_H
#define FASCO_LOADER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_MAX_IMAGE (1ull << 30) /* largest span of the loaded image */

struct elf_segment {
	uint64_t vaddr;  /* after relocation by the load bias */
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset; /* in the file */
	uint32_t prot;   /* PROT_READ | PROT_WRITE | PROT_EXEC */
};

#define ELF_INTERP_MAX 4096 /* longest interpreter path, NUL included */

struct elf_image {
	bool pie;           /* ET_DYN: placed at the base the caller chose */
	uint64_t bias;      /* added to every virtual address */
	uint64_t entry;
	uint64_t phdr_vaddr; /* where the program headers are in memory (AT_PHDR) */
	uint16_t phnum;
	unsigned nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t lo, hi;    /* page-aligned span of all segments */
	uint64_t interp_offset, interp_len; /* PT_INTERP in the file (len 0: static) */
	uint64_t at_base;   /* AT_BASE: where the interpreter was placed (0: none) */
};

/*
 * Validate the executable whose first head_len bytes are in head (at least
 * the ELF header and the program headers) and whose size is file_size.
 * pie_base is where a static-PIE image is placed. Every rejection is
 * FASCO_E_BAD_ELF with a message naming the problem.
 */
int elf_parse(const uint8_t *head, size_t head_len, uint64_t file_size, uint64_t pie_base,
	      uint64_t va_limit, struct elf_image *out);

#endif
