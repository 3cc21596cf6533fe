/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elf_parse() against malformed executables: a valid minimal ELF built in
 * memory, broken one field at a time. Every rejection is FASCO_E_BAD_ELF
 * with a detail that names the problem.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "abi/realm_abi.h"
#include "../check_suite.h"
#include "mini_elf.h"

#define GIB (1ull << 30)

static struct mini_elf m;
static struct elf_image img;

static void exec_setup(void)
{
	mini_elf_init(&m, ET_EXEC);
	memset(&img, 0, sizeof(img));
}

static void expect_bad(const char *needle)
{
	ck_assert_fails(mini_elf_parse(&m, &img), FASCO_E_BAD_ELF, needle);
	ck_assert_msg(strncmp(fasco_last_error(), "ELF: ", 5) == 0, "detail: %s", fasco_last_error());
}

/* The data segment (phdr 1) moved to vaddr with memsz, file part unchanged. */
static void move_data(uint64_t vaddr, uint64_t memsz)
{
	m.ph[1].p_vaddr = vaddr;
	m.ph[1].p_memsz = memsz;
}

START_TEST(valid_exec)
{
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert(!img.pie);
	ck_assert_uint_eq(img.bias, 0);
	ck_assert_uint_eq(img.entry, MINI_TEXT + MINI_CODE_OFF);
	ck_assert_uint_eq(img.phnum, 3);
	ck_assert_uint_eq(img.phdr_vaddr, MINI_TEXT + sizeof(Elf64_Ehdr));
	ck_assert_uint_eq(img.nseg, 2);
	ck_assert_uint_eq(img.seg[0].prot, PROT_READ | PROT_EXEC);
	ck_assert_uint_eq(img.seg[1].prot, PROT_READ | PROT_WRITE);
	ck_assert_uint_eq(img.seg[1].vaddr, MINI_TEXT + MINI_DATA_OFF);
	ck_assert_uint_eq(img.seg[1].filesz, MINI_DATA_FILESZ);
	ck_assert_uint_eq(img.seg[1].memsz, MINI_DATA_MEMSZ);
	ck_assert_uint_eq(img.lo, MINI_TEXT);
	ck_assert_uint_eq(img.hi, MINI_TEXT + MINI_DATA_OFF + MINI_DATA_MEMSZ);
}
END_TEST

START_TEST(valid_static_pie)
{
	mini_elf_init(&m, ET_DYN);
	mini_elf_add_phdr(&m, PT_DYNAMIC, PF_R | PF_W, MINI_DATA_OFF, MINI_DATA_OFF, 0x10, 0x10);
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert(img.pie);
	ck_assert_uint_eq(img.bias, FASCO_GVA_PIE_BASE);
	ck_assert_uint_eq(img.entry, FASCO_GVA_PIE_BASE + MINI_CODE_OFF);
	ck_assert_uint_eq(img.lo, FASCO_GVA_PIE_BASE);
	ck_assert_uint_eq(img.seg[1].vaddr, FASCO_GVA_PIE_BASE + MINI_DATA_OFF);
}
END_TEST

START_TEST(pt_phdr_names_the_table)
{
	mini_elf_add_phdr(&m, PT_PHDR, PF_R, sizeof(Elf64_Ehdr), MINI_TEXT + sizeof(Elf64_Ehdr),
			  4 * sizeof(Elf64_Phdr), 4 * sizeof(Elf64_Phdr));
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert_uint_eq(img.phdr_vaddr, MINI_TEXT + sizeof(Elf64_Ehdr));
	ck_assert_uint_eq(img.phnum, 4);
}
END_TEST

/* Every length shorter than the ELF header. */
START_TEST(truncated_header)
{
	for (size_t len = 0; len < sizeof(Elf64_Ehdr); len++) {
		ck_assert_fails(elf_parse(m.bytes, len, len, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, &img),
				FASCO_E_BAD_ELF, "truncated");
	}
	/* a long file of which too little was read */
	ck_assert_fails(elf_parse(m.bytes, 10, MINI_FILE_SIZE, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, &img),
			FASCO_E_BAD_ELF, "truncated");
}
END_TEST

/* Every length that cuts the program header table. */
START_TEST(truncated_phdrs)
{
	size_t end = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);

	for (m.size = sizeof(Elf64_Ehdr); m.size < end; m.size++)
		expect_bad("program headers lie outside the file");
}
END_TEST

/* The segment data cut off: the file ends inside the data segment. */
START_TEST(truncated_segment)
{
	m.size = MINI_FILE_SIZE - 1;
	expect_bad("segment 1: data lies outside the file");
	m.size = MINI_DATA_OFF;
	expect_bad("segment 1: data lies outside the file");
}
END_TEST

START_TEST(phdrs_beyond_what_was_read)
{
	ck_assert_fails(elf_parse(m.bytes, 100, MINI_FILE_SIZE, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, &img),
			FASCO_E_BAD_ELF, "too far into the file");
}
END_TEST

/* e_phoff near 2^64 must not wrap around the bounds checks. */
START_TEST(phoff_wraps)
{
	static const uint64_t offs[] = { UINT64_MAX, UINT64_MAX - 8, UINT64_MAX - 3 * sizeof(Elf64_Phdr) + 1,
					 1ull << 63, MINI_FILE_SIZE + 1 };

	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		m.eh->e_phoff = offs[i];
		ck_assert_fails(elf_parse(m.bytes, m.size, UINT64_MAX, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, &img),
				FASCO_E_BAD_ELF, "program headers");
		expect_bad("program headers lie outside the file");
	}
}
END_TEST

START_TEST(bad_magic)
{
	for (unsigned i = 0; i < SELFMAG; i++) {
		mini_elf_init(&m, ET_EXEC);
		m.bytes[i] ^= 0x20;
		expect_bad("not an ELF file (bad magic)");
	}
}
END_TEST

START_TEST(bad_class_or_data)
{
	m.eh->e_ident[EI_CLASS] = ELFCLASS32;
	expect_bad("not a 64-bit little-endian ELF");
	m.eh->e_ident[EI_CLASS] = ELFCLASSNONE;
	expect_bad("not a 64-bit little-endian ELF");
	mini_elf_init(&m, ET_EXEC);
	m.eh->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_bad("not a 64-bit little-endian ELF");
}
END_TEST

START_TEST(bad_version)
{
	m.eh->e_ident[EI_VERSION] = EV_NONE;
	expect_bad("unknown ELF version");
	mini_elf_init(&m, ET_EXEC);
	m.eh->e_version = 2;
	expect_bad("unknown ELF version");
}
END_TEST

START_TEST(bad_machine)
{
	m.eh->e_machine = EM_AARCH64;
	expect_bad("machine 183 is not x86-64");
	m.eh->e_machine = EM_386;
	expect_bad("machine 3 is not x86-64");
}
END_TEST

START_TEST(bad_type)
{
	static const uint16_t types[] = { ET_NONE, ET_REL, ET_CORE, ET_LOOS, 0xffff };
	char needle[64];

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		m.eh->e_type = types[i];
		snprintf(needle, sizeof(needle), "type %u is not an executable", types[i]);
		expect_bad(needle);
	}
}
END_TEST

START_TEST(bad_phentsize)
{
	m.eh->e_phentsize = 32;
	expect_bad("program header size 32, expected 56");
	m.eh->e_phentsize = 0;
	expect_bad("program header size 0, expected 56");
}
END_TEST

START_TEST(phnum_out_of_range)
{
	m.eh->e_phnum = 0;
	expect_bad("0 program headers (1 to 64 allowed)");
	m.eh->e_phnum = 0xffff; /* PN_XNUM: the count lives in a section header */
	expect_bad("65535 program headers");
	/* 65 real entries, all in the file and in the bytes read */
	mini_elf_init(&m, ET_EXEC);
	while (m.eh->e_phnum < MINI_MAX_PHDRS)
		mini_elf_add_phdr(&m, PT_NOTE, PF_R, 0x200, MINI_TEXT + 0x200, 4, 4);
	expect_bad("65 program headers (1 to 64 allowed)");
	m.eh->e_phnum = 64;
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
}
END_TEST

START_TEST(no_loadable_segment)
{
	m.ph[0].p_type = PT_NOTE;
	m.ph[1].p_type = PT_NOTE;
	expect_bad("no loadable segment");
	/* load entries that load nothing */
	mini_elf_init(&m, ET_EXEC);
	m.ph[0].p_memsz = m.ph[0].p_filesz = 0;
	m.ph[1].p_memsz = m.ph[1].p_filesz = 0;
	expect_bad("no loadable segment");
}
END_TEST

/* 16 loadable segments load; the 17th is refused. */
START_TEST(too_many_segments)
{
	m.eh->e_phnum = 0;
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
		mini_elf_add_phdr(&m, PT_LOAD, PF_R | PF_X, 0, MINI_TEXT + i * 0x2000ull, 0x1000, 0x1000);
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert_uint_eq(img.nseg, ELF_MAX_SEGMENTS);
	mini_elf_add_phdr(&m, PT_LOAD, PF_R, 0, MINI_TEXT + ELF_MAX_SEGMENTS * 0x2000ull, 0x1000, 0x1000);
	expect_bad("more than 16 loadable segments");
}
END_TEST

START_TEST(filesz_above_memsz)
{
	m.ph[1].p_filesz = MINI_DATA_MEMSZ + 1;
	expect_bad("segment 1: file size exceeds memory size");
}
END_TEST

START_TEST(data_outside_file)
{
	/* offset past the end (still congruent with the address) */
	m.ph[1].p_offset = MINI_DATA_OFF + 0x10000;
	m.ph[1].p_vaddr = MINI_TEXT + MINI_DATA_OFF + 0x10000;
	expect_bad("segment 1: data lies outside the file");
	/* offset inside, offset + size past the end */
	mini_elf_init(&m, ET_EXEC);
	m.ph[1].p_filesz = MINI_DATA_FILESZ + 1;
	expect_bad("segment 1: data lies outside the file");
	/* offset + size wraps around 2^64 */
	m.ph[1].p_filesz = m.ph[1].p_memsz = UINT64_MAX - MINI_DATA_OFF + 1;
	expect_bad("segment 1: data lies outside the file");
	m.ph[1].p_offset = UINT64_MAX & ~0xfffull;
	m.ph[1].p_filesz = 0x2000;
	expect_bad("segment 1: data lies outside the file");
}
END_TEST

START_TEST(misaligned_segment)
{
	m.ph[1].p_vaddr += 8;
	expect_bad("segment 1: address and offset disagree modulo the page size");
}
END_TEST

START_TEST(huge_segment)
{
	move_data(MINI_TEXT + MINI_DATA_OFF, ELF_MAX_IMAGE + 1);
	expect_bad("segment 1: size 0x40000001 is too large");
	move_data(MINI_TEXT + MINI_DATA_OFF, UINT64_MAX);
	expect_bad("is too large");
	/* address + size wraps */
	m.ph[1].p_offset = 0;
	m.ph[1].p_filesz = 0;
	move_data(UINT64_MAX & ~0xfffull, 0x2000);
	expect_bad("segment 1: size 0x2000 is too large");
}
END_TEST

/* A static-PIE whose address plus the load bias wraps around. */
START_TEST(pie_bias_wraps)
{
	mini_elf_init(&m, ET_DYN);
	move_data(UINT64_MAX - FASCO_GVA_PIE_BASE + 1 + MINI_DATA_OFF, 0x1000);
	expect_bad("segment 1: size 0x1000 is too large");
}
END_TEST

/* Each segment fits, together they span more than the image limit. */
START_TEST(image_span_too_large)
{
	move_data(MINI_TEXT + MINI_DATA_OFF + ELF_MAX_IMAGE, MINI_DATA_MEMSZ);
	expect_bad("image spans 0x40004000 bytes (at most 1 GiB)");
}
END_TEST

START_TEST(below_the_first_64k)
{
	m.ph[0].p_vaddr = 0;
	m.eh->e_entry = MINI_CODE_OFF;
	expect_bad("segment 0: address 0x0 outside the user range");
	m.ph[0].p_vaddr = 0xf000;
	expect_bad("segment 0: address 0xf000 outside the user range");
}
END_TEST

/*
 * The realm's own areas sit above the program's range: the shim, the
 * physical map, the shared region and doorbell, the stack (up to the
 * largest stack limit). A segment there, or straddling the limit, is refused.
 */
START_TEST(segment_over_realm_areas)
{
	const uint64_t at[] = {
		FASCO_GVA_SHIM, FASCO_GVA_PHYSMAP, FASCO_GVA_DOORBELL, FASCO_GVA_SHARED,
		FASCO_GVA_STACK_TOP - GIB, FASCO_GVA_STACK_TOP - 0x1000, FASCO_GVA_MMAP_TOP,
		1ull << 47, /* not canonical */
	};

	ck_assert_uint_le(FASCO_GVA_MMAP_TOP, FASCO_GVA_SHIM);
	ck_assert_uint_le(FASCO_GVA_MMAP_TOP, FASCO_GVA_STACK_TOP - GIB);
	ck_assert_uint_lt(FASCO_GVA_PIE_BASE + ELF_MAX_IMAGE, FASCO_GVA_MMAP_TOP);
	for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		/* both segments there, so the span stays small */
		exec_setup();
		m.ph[0].p_vaddr = at[i];
		m.eh->e_entry = at[i] + MINI_CODE_OFF;
		move_data(at[i] + MINI_DATA_OFF, MINI_DATA_MEMSZ);
		expect_bad("segment 0: address");
		expect_bad("outside the user range");
		/* the same through the static-PIE bias */
		mini_elf_init(&m, ET_DYN);
		m.ph[0].p_vaddr = at[i] - FASCO_GVA_PIE_BASE;
		m.eh->e_entry = m.ph[0].p_vaddr + MINI_CODE_OFF;
		move_data(m.ph[0].p_vaddr + MINI_DATA_OFF, MINI_DATA_MEMSZ);
		expect_bad("outside the user range");
	}
}
END_TEST

/* Ending exactly at the limit is fine; one byte more is not. */
START_TEST(segment_up_to_the_limit)
{
	uint64_t text = FASCO_GVA_MMAP_TOP - MINI_DATA_OFF - MINI_DATA_MEMSZ;

	m.ph[0].p_vaddr = text;
	m.eh->e_entry = text + MINI_CODE_OFF;
	move_data(text + MINI_DATA_OFF, MINI_DATA_MEMSZ);
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert_uint_eq(img.hi, FASCO_GVA_MMAP_TOP);
	m.ph[1].p_memsz++;
	expect_bad("segment 1: address");
}
END_TEST

START_TEST(overlapping_segments)
{
	/* same page as the text (address and offset still agree) */
	move_data(MINI_TEXT, MINI_DATA_MEMSZ);
	expect_bad("segment 1 overlaps or precedes the previous one");
	/* inside the text's last page */
	move_data(MINI_TEXT + MINI_DATA_OFF - 0x1000 + 0x10, MINI_DATA_MEMSZ);
	m.ph[1].p_offset = 0x10;
	expect_bad("segment 1 overlaps or precedes the previous one");
	/* below it */
	mini_elf_init(&m, ET_EXEC);
	move_data(MINI_TEXT - 0x10000, MINI_DATA_MEMSZ);
	expect_bad("segment 1 overlaps or precedes the previous one");
}
END_TEST

START_TEST(entry_outside_code)
{
	const uint64_t entries[] = {
		0, UINT64_MAX,
		MINI_TEXT + MINI_DATA_OFF,           /* the data segment: not executable */
		MINI_TEXT + MINI_DATA_OFF + 0x2fff,  /* its bss */
		MINI_TEXT - 1,                       /* just below the text */
		MINI_TEXT + MINI_DATA_OFF + MINI_DATA_MEMSZ, /* past everything */
	};
	char needle[96];

	for (unsigned i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		m.eh->e_entry = entries[i];
		snprintf(needle, sizeof(needle), "entry point 0x%llx is outside every executable segment",
			 (unsigned long long)entries[i]);
		expect_bad(needle);
	}
	/* the text's last byte is the last valid entry */
	m.eh->e_entry = MINI_TEXT + MINI_DATA_OFF - 1;
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	/* a text segment that is not executable */
	m.eh->e_entry = MINI_TEXT + MINI_CODE_OFF;
	m.ph[0].p_flags = PF_R;
	expect_bad("outside every executable segment");
}
END_TEST

START_TEST(interpreter_checked)
{
	/* recorded for the image builder, which loads the interpreter */
	mini_elf_add_phdr(&m, PT_INTERP, PF_R, 0x300, MINI_TEXT + 0x300, 28, 28);
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert_uint_eq(img.interp_offset, 0x300);
	ck_assert_uint_eq(img.interp_len, 28);
	/* first in the table, as linkers put it, and in a PIE */
	mini_elf_init(&m, ET_DYN);
	m.ph[2].p_type = PT_INTERP;
	m.ph[2].p_offset = 0x300;
	m.ph[2].p_filesz = m.ph[2].p_memsz = 28;
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	ck_assert(img.pie);
	/* one that points outside the file, an empty one, a huge one, two */
	m.ph[2].p_offset = UINT64_MAX;
	expect_bad("PT_INTERP of 28 bytes at 0xffffffffffffffff is not a path in the file");
	m.ph[2].p_offset = 0x300;
	m.ph[2].p_filesz = 1;
	expect_bad("is not a path in the file");
	m.ph[2].p_filesz = ELF_INTERP_MAX + 1;
	expect_bad("is not a path in the file");
	m.ph[2].p_filesz = 28;
	mini_elf_add_phdr(&m, PT_INTERP, PF_R, 0x300, 0x300, 28, 28);
	expect_bad("more than one PT_INTERP");
}
END_TEST

/* A failure leaves the caller's image untouched. */
START_TEST(failure_leaves_output_alone)
{
	struct elf_image before;

	memset(&img, 0xa5, sizeof(img));
	before = img;
	m.eh->e_machine = EM_ARM;
	expect_bad("not x86-64");
	ck_assert_mem_eq(&img, &before, sizeof(img));
}
END_TEST

int main(void)
{
	return RUN_TESTS("loader-elf", exec_setup, NULL,
			 valid_exec, valid_static_pie, pt_phdr_names_the_table, truncated_header, truncated_phdrs,
			 truncated_segment, phdrs_beyond_what_was_read, phoff_wraps, bad_magic, bad_class_or_data,
			 bad_version, bad_machine, bad_type, bad_phentsize, phnum_out_of_range, no_loadable_segment,
			 too_many_segments, filesz_above_memsz, data_outside_file, misaligned_segment, huge_segment,
			 pie_bias_wraps, image_span_too_large, below_the_first_64k, segment_over_realm_areas,
			 segment_up_to_the_limit, overlapping_segments, entry_outside_code, interpreter_checked,
			 failure_leaves_output_alone);
}
