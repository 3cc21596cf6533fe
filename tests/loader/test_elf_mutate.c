/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elf_parse() over systematic mutations of real executables: every byte and
 * every 64-bit word of the ELF header and program headers of the minimal
 * ELF and of /bin/busybox (busybox-static) is replaced with boundary values.
 * Each result is either a clean FASCO_E_BAD_ELF with a detail, or an image
 * that keeps every promise the rest of the loader relies on.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "../check_suite.h"
#include "mini_elf.h"

#define HEAD 4096 /* what the realm loader reads */
#define BUSYBOX "/bin/busybox"

struct subject {
	uint8_t head[HEAD];
	size_t head_len;
	uint64_t file_size;
};

static unsigned accepted, refused;

/* What the loader builds on: segments inside the file, the user range and the
 * image limit, in order, entry in executable code. */
static void check_image(const struct elf_image *img, uint64_t file_size)
{
	ck_assert_uint_ge(img->nseg, 1);
	ck_assert_uint_le(img->nseg, ELF_MAX_SEGMENTS);
	ck_assert_uint_le(img->hi - img->lo, ELF_MAX_IMAGE);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		ck_assert_uint_le(s->filesz, s->memsz);
		ck_assert_uint_le(s->offset, file_size);
		ck_assert_uint_le(s->filesz, file_size - s->offset);
		ck_assert_uint_eq((s->vaddr - s->offset) % 4096, 0);
		ck_assert_uint_ge(s->vaddr, 0x10000);
		ck_assert_uint_le(s->vaddr + s->memsz, FASCO_GVA_MMAP_TOP);
		ck_assert_uint_ge(s->vaddr, img->lo);
		ck_assert_uint_le(s->vaddr + s->memsz, img->hi);
		if (i > 0)
			ck_assert_uint_ge(s->vaddr & ~0xfffull,
					  (img->seg[i - 1].vaddr + img->seg[i - 1].memsz + 0xfff) & ~0xfffull);
	}
	for (unsigned i = 0;; i++) {
		ck_assert_msg(i < img->nseg, "entry 0x%llx not in code", (unsigned long long)img->entry);
		if ((img->seg[i].prot & PROT_EXEC) && img->entry >= img->seg[i].vaddr &&
		    img->entry < img->seg[i].vaddr + img->seg[i].memsz)
			break;
	}
}

static void parse_one(const struct subject *s)
{
	struct elf_image img;
	int ret = elf_parse(s->head, s->head_len, s->file_size, FASCO_GVA_PIE_BASE,
			    FASCO_GVA_MMAP_TOP, &img);

	if (ret == 0) {
		check_image(&img, s->file_size);
		accepted++;
		return;
	}
	ck_assert_msg(ret == FASCO_E_BAD_ELF, "returned %d", ret);
	ck_assert_msg(strncmp(fasco_last_error(), "ELF: ", 5) == 0 && strlen(fasco_last_error()) > 10,
		      "detail: %s", fasco_last_error());
	refused++;
}

/* The header and program headers, clamped to what was read. */
static size_t mutable_len(const struct subject *s)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)s->head;
	uint64_t end = eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	return end < s->head_len ? (size_t)end : s->head_len;
}

static void mutate_all(struct subject *s)
{
	static const uint64_t words[] = {
		0, 1, UINT64_MAX, 1ull << 63, 0x7fffffffffffffffull, 0xfff, 0x1000, 0x10000,
		FASCO_GVA_SHIM, FASCO_GVA_MMAP_TOP - 0x1000, FASCO_GVA_PIE_BASE, ELF_MAX_IMAGE,
	};
	size_t len = mutable_len(s);

	ck_assert_int_eq(elf_parse(s->head, s->head_len, s->file_size, FASCO_GVA_PIE_BASE,
				   FASCO_GVA_MMAP_TOP, &(struct elf_image){ 0 }), 0);
	for (size_t p = 0; p < len; p++) {
		const uint8_t orig = s->head[p];
		const uint8_t vals[] = { 0, 0xff, orig ^ 0x01, orig ^ 0x80, (uint8_t)(orig + 0x10) };

		for (unsigned v = 0; v < sizeof(vals); v++) {
			s->head[p] = vals[v];
			parse_one(s);
		}
		s->head[p] = orig;
	}
	for (size_t p = 0; p + 8 <= len; p += 4) {
		uint64_t orig;

		memcpy(&orig, s->head + p, 8);
		for (unsigned v = 0; v < sizeof(words) / sizeof(words[0]) + 2; v++) {
			uint64_t w = v < sizeof(words) / sizeof(words[0]) ? words[v] :
				     v == sizeof(words) / sizeof(words[0]) ? orig + 0x1000 : orig - 0x1000;

			memcpy(s->head + p, &w, 8);
			parse_one(s);
		}
		memcpy(s->head + p, &orig, 8);
	}
	/* and every shorter read and file */
	for (size_t n = 0; n < len; n++) {
		struct subject t = *s;

		t.head_len = n;
		parse_one(&t);
		t.head_len = s->head_len;
		t.file_size = n;
		parse_one(&t);
	}
}

START_TEST(mutate_minimal)
{
	struct mini_elf m;
	struct subject s = { 0 };

	for (int pie = 0; pie <= 1; pie++) {
		mini_elf_init(&m, pie ? ET_DYN : ET_EXEC);
		memcpy(s.head, m.bytes, HEAD);
		s.head_len = HEAD;
		s.file_size = m.size;
		accepted = refused = 0;
		mutate_all(&s);
		ck_assert_uint_gt(refused, 100);
		ck_assert_uint_gt(accepted, 100);
	}
}
END_TEST

START_TEST(mutate_busybox)
{
	struct subject s = { 0 };
	int fd = open(BUSYBOX, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ck_assert_msg(fd >= 0, "%s is missing: install busybox-static (scripts/setup.sh)", BUSYBOX);
	s.file_size = (uint64_t)lseek(fd, 0, SEEK_END);
	n = pread(fd, s.head, HEAD, 0);
	close(fd);
	ck_assert_int_eq(n, HEAD);
	s.head_len = HEAD;
	accepted = refused = 0;
	mutate_all(&s);
	ck_assert_uint_gt(refused, 100);
	ck_assert_uint_gt(accepted, 100);
}
END_TEST

int main(void)
{
	return RUN_TESTS("loader-elf-mutate", NULL, NULL,
			 mutate_minimal, mutate_busybox);
}
