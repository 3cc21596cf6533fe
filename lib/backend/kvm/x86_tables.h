/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 structures the host prepares in realm memory before the first
 * instruction: 4-level page tables, the GDT, the IDT and the TSS. All are
 * built in host-side staging buffers, then placed (and measured) whole.
 */
#ifndef FASCO_BACKEND_KVM_X86_TABLES_H
#define FASCO_BACKEND_KVM_X86_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define X86_PTE_P 0x1ull
#define X86_PTE_W 0x2ull
#define X86_PTE_U 0x4ull
#define X86_PTE_A 0x20ull
#define X86_PTE_D 0x40ull
#define X86_PTE_PS 0x80ull
#define X86_PTE_NX (1ull << 63)

struct pt_builder {
	uint8_t *pool;      /* cap pages, staging copy of the tables */
	uint64_t pool_gpa;  /* where the pool lands in realm memory */
	unsigned used, cap; /* pages */
	uint64_t user_bit;  /* X86_PTE_U on tables reachable from user mode */
};

int pt_init(struct pt_builder *pt, uint64_t pool_gpa, unsigned cap_pages);
void pt_free(struct pt_builder *pt);
/* Map one 4 KiB page (large = 0) or one 2 MiB page (large = 1). */
int pt_map(struct pt_builder *pt, uint64_t va, uint64_t pa, uint64_t flags, int large);
/* Map [va, va+len) to [pa, ...) with 4 KiB pages. */
int pt_map_range(struct pt_builder *pt, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);
static inline uint64_t pt_root(const struct pt_builder *pt)
{
	return pt->pool_gpa;
}

#define X86_GDT_SIZE 72 /* 7 descriptors + one 16-byte TSS descriptor */
#define X86_IDT_SIZE 4096
/* A TSS without an I/O bitmap: the realm opens no port (its doorbell is MMIO). */
#define X86_TSS_SIZE 104

void x86_build_gdt(uint8_t gdt[X86_GDT_SIZE], uint64_t tss_va);
void x86_build_idt(uint8_t idt[X86_IDT_SIZE], uint64_t vectors_va, unsigned stride);
void x86_build_tss(uint8_t tss[X86_TSS_SIZE], uint64_t rsp0);

#endif
