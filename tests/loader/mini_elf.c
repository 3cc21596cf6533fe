/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "abi/realm_abi.h"
#include "mini_elf.h"

/* exit_group(0): mov $231, %eax; xor %edi, %edi; syscall */
static const uint8_t code[] = { 0xb8, 0xe7, 0x00, 0x00, 0x00, 0x31, 0xff, 0x0f, 0x05 };

Elf64_Phdr *mini_elf_add_phdr(struct mini_elf *m, uint32_t type, uint32_t flags,
			      uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr *ph = &m->ph[m->eh->e_phnum++];

	*ph = (Elf64_Phdr){ .p_type = type, .p_flags = flags, .p_offset = offset,
			    .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
			    .p_memsz = memsz, .p_align = 0x1000 };
	return ph;
}

void mini_elf_init(struct mini_elf *m, uint16_t type)
{
	uint64_t base = type == ET_DYN ? 0 : MINI_TEXT;

	memset(m, 0, sizeof(*m));
	m->size = MINI_FILE_SIZE;
	m->eh = (Elf64_Ehdr *)m->bytes;
	m->ph = (Elf64_Phdr *)(m->bytes + sizeof(Elf64_Ehdr));
	memcpy(m->eh->e_ident, ELFMAG, SELFMAG);
	m->eh->e_ident[EI_CLASS] = ELFCLASS64;
	m->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	m->eh->e_ident[EI_VERSION] = EV_CURRENT;
	m->eh->e_type = type;
	m->eh->e_machine = EM_X86_64;
	m->eh->e_version = EV_CURRENT;
	m->eh->e_entry = base + MINI_CODE_OFF;
	m->eh->e_phoff = sizeof(Elf64_Ehdr);
	m->eh->e_ehsize = sizeof(Elf64_Ehdr);
	m->eh->e_phentsize = sizeof(Elf64_Phdr);
	memcpy(m->bytes + MINI_CODE_OFF, code, sizeof(code));
	memset(m->bytes + MINI_DATA_OFF, 0x5a, MINI_DATA_FILESZ);

	mini_elf_add_phdr(m, PT_LOAD, PF_R | PF_X, 0, base, MINI_DATA_OFF, MINI_DATA_OFF);
	mini_elf_add_phdr(m, PT_LOAD, PF_R | PF_W, MINI_DATA_OFF, base + MINI_DATA_OFF,
			  MINI_DATA_FILESZ, MINI_DATA_MEMSZ);
	mini_elf_add_phdr(m, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

int mini_elf_parse(const struct mini_elf *m, struct elf_image *img)
{
	return elf_parse(m->bytes, m->size, m->size, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, img);
}

_Static_assert(sizeof(Elf64_Ehdr) + MINI_MAX_PHDRS * sizeof(Elf64_Phdr) <= MINI_CODE_OFF,
	       "the program headers must not reach the code");
