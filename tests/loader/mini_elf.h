/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal valid static x86-64 executable built in memory, for the tests to
 * break one field at a time: a read+execute segment holding the headers and
 * a few instructions, and a read+write segment with data and bss.
 */
#ifndef FASCO_TESTS_MINI_ELF_H
#define FASCO_TESTS_MINI_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/elf.h"

#define MINI_TEXT 0x400000ull    /* non-PIE link address of the text segment */
#define MINI_CODE_OFF 0xf00ull   /* where the instructions are in the file */
#define MINI_DATA_OFF 0x1000ull  /* data segment, file offset */
#define MINI_DATA_FILESZ 0x40ull
#define MINI_DATA_MEMSZ 0x3000ull
#define MINI_FILE_SIZE (MINI_DATA_OFF + MINI_DATA_FILESZ)
#define MINI_MAX_PHDRS 65        /* room in the first page after the header */

struct mini_elf {
	uint8_t bytes[MINI_FILE_SIZE];
	size_t size;       /* bytes of the file (the tests may shorten it) */
	Elf64_Ehdr *eh;    /* views into bytes */
	Elf64_Phdr *ph;
};

/* Build it: type ET_EXEC (at MINI_TEXT) or ET_DYN (static-PIE, at 0). */
void mini_elf_init(struct mini_elf *m, uint16_t type);

/* Append a program header (the table grows in place; e_phnum follows). */
Elf64_Phdr *mini_elf_add_phdr(struct mini_elf *m, uint32_t type, uint32_t flags,
			      uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz);

/* elf_parse() over the file as the loader reads it, with the realm's layout. */
int mini_elf_parse(const struct mini_elf *m, struct elf_image *img);

#endif
