/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "abi/realm_abi.h"
#include "backend/kvm/x86_tables.h"
#include "common/error.h"

#define ADDR_MASK 0x000ffffffffff000ull

int pt_init(struct pt_builder *pt, uint64_t pool_gpa, unsigned cap_pages)
{
	pt->pool = calloc(cap_pages, 4096);
	if (!pt->pool)
		return -ENOMEM;
	pt->pool_gpa = pool_gpa;
	pt->cap = cap_pages;
	pt->used = 1; /* page 0 is the root (PML4) */
	return 0;
}

void pt_free(struct pt_builder *pt)
{
	free(pt->pool);
	pt->pool = NULL;
}

static uint64_t *table_at(struct pt_builder *pt, uint64_t gpa)
{
	return (uint64_t *)(pt->pool + (gpa - pt->pool_gpa));
}

int pt_map(struct pt_builder *pt, uint64_t va, uint64_t pa, uint64_t flags, int large)
{
	uint64_t *table = table_at(pt, pt->pool_gpa);
	int last = large ? 1 : 0;

	for (int level = 3; level > last; level--) {
		uint64_t *e = &table[(va >> (12 + 9 * level)) & 511];

		if (!(*e & X86_PTE_P)) {
			if (pt->used == pt->cap)
				return fasco_fail(FASCO_E_INTERNAL, "page-table pool of %u pages exhausted", pt->cap);
			*e = (pt->pool_gpa + (uint64_t)pt->used++ * 4096) | X86_PTE_P | X86_PTE_W |
			     X86_PTE_A | pt->user_bit;
		} else if (*e & X86_PTE_PS) {
			return fasco_fail(FASCO_E_INTERNAL, "va 0x%llx already inside a large page",
					  (unsigned long long)va);
		}
		table = table_at(pt, *e & ADDR_MASK);
	}
	/* accessed/dirty preset: a shadow MMU then prefetches neighbours and
	 * never faults just to set them */
	table[(va >> (12 + 9 * last)) & 511] = (pa & ADDR_MASK) | flags | X86_PTE_P | X86_PTE_A |
		(flags & X86_PTE_W ? X86_PTE_D : 0) | (large ? X86_PTE_PS : 0);
	return 0;
}

int pt_map_range(struct pt_builder *pt, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	int ret;

	for (uint64_t off = 0; off < len; off += 4096)
		if ((ret = pt_map(pt, va + off, pa + off, flags, 0)) < 0)
			return ret;
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8); /* x86 hosts are little-endian, like the guest */
}

void x86_build_gdt(uint8_t gdt[X86_GDT_SIZE], uint64_t tss_va)
{
	static const uint64_t seg[7] = {
		0,
		0x00af9b000000ffffull, /* 0x08 kernel code, 64-bit */
		0x00cf93000000ffffull, /* 0x10 kernel data */
		0,                     /* 0x18 unused */
		0x00cffb000000ffffull, /* 0x23 user code, 32-bit (STAR base) */
		0x00cff3000000ffffull, /* 0x2b user data */
		0x00affb000000ffffull, /* 0x33 user code, 64-bit */
	};
	uint64_t limit = X86_TSS_SIZE - 1;
	uint64_t lo = (limit & 0xffff) | (tss_va & 0xffffff) << 16 | 0x89ull << 40 |
		      ((limit >> 16) & 0xf) << 48 | ((tss_va >> 24) & 0xff) << 56;

	for (unsigned i = 0; i < 7; i++)
		put64(gdt + 8 * i, seg[i]);
	put64(gdt + 56, lo); /* 0x38: 64-bit TSS, two slots */
	put64(gdt + 64, tss_va >> 32);
}

void x86_build_idt(uint8_t idt[X86_IDT_SIZE], uint64_t vectors_va, unsigned stride)
{
	memset(idt, 0, X86_IDT_SIZE);
	for (unsigned v = 0; v < 32; v++) {
		uint64_t h = vectors_va + (uint64_t)v * stride;
		/* int3 may come from user mode: gate DPL 3; the rest DPL 0 */
		uint64_t attr = v == 3 ? 0xee : 0x8e;
		uint64_t lo = (h & 0xffff) | (uint64_t)FASCO_SEL_KERNEL_CS << 16 | attr << 40 |
			      ((h >> 16) & 0xffff) << 48;

		put64(idt + 16 * v, lo);
		put64(idt + 16 * v + 8, h >> 32);
	}
}

void x86_build_tss(uint8_t tss[X86_TSS_SIZE], uint64_t rsp0)
{
	uint16_t iomap = X86_TSS_SIZE; /* past the limit: no bitmap, no port open */

	memset(tss, 0, X86_TSS_SIZE);
	put64(tss + 4, rsp0);
	memcpy(tss + 102, &iomap, 2);
}
