/* SPDX-License-Identifier: Apache-2.0 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common/error.h"
#include "loader/elf.h"

#define PAGE 4096ull
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

static int bad(const char *fmt, ...) FASCO_PRINTF(1, 2);

static int bad(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fasco_fail(FASCO_E_BAD_ELF, "ELF: %s", msg);
}

static int check_header(const Elf64_Ehdr *eh, size_t head_len, uint64_t file_size)
{
	uint64_t phdrs = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return bad("not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad("not a 64-bit little-endian ELF");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return bad("unknown ELF version");
	if (eh->e_machine != EM_X86_64)
		return bad("machine %u is not x86-64", eh->e_machine);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad("type %u is not an executable", eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return bad("program header size %u, expected %zu", eh->e_phentsize, sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0 || eh->e_phnum > 64)
		return bad("%u program headers (1 to 64 allowed)", eh->e_phnum);
	/* subtract rather than add: e_phoff is the file's word, it may be near 2^64 */
	if (eh->e_phoff > file_size || phdrs > file_size - eh->e_phoff)
		return bad("program headers lie outside the file");
	if (eh->e_phoff > head_len || phdrs > head_len - eh->e_phoff)
		return bad("program headers are too far into the file");
	return 0;
}

static uint32_t prot_of(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

static int add_segment(struct elf_image *img, const Elf64_Phdr *ph, unsigned idx,
		       uint64_t file_size, uint64_t va_limit)
{
	struct elf_segment *s;
	uint64_t va = ph->p_vaddr + img->bias;

	if (img->nseg == ELF_MAX_SEGMENTS)
		return bad("more than %d loadable segments", ELF_MAX_SEGMENTS);
	if (ph->p_filesz > ph->p_memsz)
		return bad("segment %u: file size exceeds memory size", idx);
	if (ph->p_memsz == 0)
		return 0;
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return bad("segment %u: data lies outside the file", idx);
	if ((ph->p_vaddr - ph->p_offset) % PAGE)
		return bad("segment %u: address and offset disagree modulo the page size", idx);
	if (ph->p_memsz > ELF_MAX_IMAGE || va < ph->p_vaddr || va + ph->p_memsz < va)
		return bad("segment %u: size 0x%llx is too large", idx, (unsigned long long)ph->p_memsz);
	if (PAGE_DOWN(va) < 0x10000 || va + ph->p_memsz > va_limit)
		return bad("segment %u: address 0x%llx outside the user range", idx,
			   (unsigned long long)va);
	if (img->nseg && PAGE_DOWN(va) < PAGE_UP(img->seg[img->nseg - 1].vaddr + img->seg[img->nseg - 1].memsz))
		return bad("segment %u overlaps or precedes the previous one", idx);

	s = &img->seg[img->nseg++];
	*s = (struct elf_segment){ va, ph->p_memsz, ph->p_filesz, ph->p_offset, prot_of(ph->p_flags) };
	return 0;
}

static bool entry_in_code(const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->prot & PROT_EXEC) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

int elf_parse(const uint8_t *head, size_t head_len, uint64_t file_size, uint64_t pie_base,
	      uint64_t va_limit, struct elf_image *out)
{
	Elf64_Ehdr eh;
	struct elf_image img = { 0 };
	int ret;

	if (head_len < sizeof(eh) || file_size < sizeof(eh))
		return bad("truncated: %llu bytes is less than an ELF header",
			   (unsigned long long)file_size);
	memcpy(&eh, head, sizeof(eh));
	if ((ret = check_header(&eh, head_len, file_size)) < 0)
		return ret;

	img.pie = eh.e_type == ET_DYN;
	img.bias = img.pie ? pie_base : 0;
	img.phnum = eh.e_phnum;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, head + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP) {
			if (img.interp_len)
				return bad("more than one PT_INTERP");
			if (ph.p_filesz < 2 || ph.p_filesz > ELF_INTERP_MAX || ph.p_offset > file_size ||
			    ph.p_filesz > file_size - ph.p_offset)
				return bad("PT_INTERP of %llu bytes at 0x%llx is not a path in the file",
					   (unsigned long long)ph.p_filesz,
					   (unsigned long long)ph.p_offset);
			img.interp_offset = ph.p_offset;
			img.interp_len = ph.p_filesz;
			continue;
		}
		if (ph.p_type == PT_PHDR)
			img.phdr_vaddr = ph.p_vaddr + img.bias;
		if (ph.p_type != PT_LOAD)
			continue;
		if ((ret = add_segment(&img, &ph, i, file_size, va_limit)) < 0)
			return ret;
		/* no PT_PHDR: the headers are mapped with the segment holding offset 0 */
		if (ph.p_offset == 0 && !img.phdr_vaddr)
			img.phdr_vaddr = ph.p_vaddr + img.bias + eh.e_phoff;
	}
	if (img.nseg == 0)
		return bad("no loadable segment");
	img.lo = PAGE_DOWN(img.seg[0].vaddr);
	img.hi = PAGE_UP(img.seg[img.nseg - 1].vaddr + img.seg[img.nseg - 1].memsz);
	if (img.hi - img.lo > ELF_MAX_IMAGE)
		return bad("image spans 0x%llx bytes (at most 1 GiB)", (unsigned long long)(img.hi - img.lo));

	img.entry = eh.e_entry + img.bias;
	if (!entry_in_code(&img))
		return bad("entry point 0x%llx is outside every executable segment",
			   (unsigned long long)img.entry);
	*out = img;
	return 0;
}
