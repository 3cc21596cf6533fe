/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The thin platform layer. kvm-pvm (our machines): the system-call handler
 * runs unprivileged, so shim pages carry the U bit and a TLB flush is asked
 * of the host (it toggles CR4.PGE on the exit). Hardware KVM: the shim is an
 * ordinary ring-0 kernel with supervisor pages that flushes with a CR3
 * reload. The hardware path compiles and follows the architecture, but has
 * never run: our machines only have kvm-pvm.
 */
#include "shim.h"

uint32_t shim_platform;
int mm_tlb_dirty;

uint64_t plat_pte_user_bit(void)
{
	return shim_platform == FASCO_PLATFORM_KVM_PVM ? 4u : 0u;
}

void plat_flush_tlb(void)
{
	if (shim_platform == FASCO_PLATFORM_KVM_HW) {
		uint64_t cr3;

		__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
		mm_tlb_dirty = 0;
		if (!threads_others_alive())
			return;
		/* the other vCPUs: the host stops and flushes them */
		this_cpu()->slot->args[0] = 0;
		host_call(FASCO_OP_FLUSH);
		return;
	}
	mm_tlb_dirty = 1;
	this_cpu()->slot->args[0] = 0; /* every vCPU: the host shoots the others down */
	host_call(FASCO_OP_FLUSH);
}

void plat_invalidate_page(uint64_t va)
{
	if (shim_platform == FASCO_PLATFORM_KVM_PVM) {
		/* exceptions are served at user privilege there; only this vCPU
		 * holds the stale translation it faulted on */
		mm_tlb_dirty = 1;
		this_cpu()->slot->args[0] = FASCO_FLUSH_SELF;
		host_call(FASCO_OP_FLUSH);
		return;
	}
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* kvm-pvm runs wrfsbase even with CR4.FSGSBASE clear; hardware KVM takes the
 * MSR path, which is allowed there because the handler runs in ring 0. */
void plat_set_fs_base(uint64_t base)
{
	if (shim_platform == FASCO_PLATFORM_KVM_PVM) {
		__asm__ volatile("wrfsbase %0" : : "r"(base));
		return;
	}
	__asm__ volatile("wrmsr" : : "c"(0xc0000100u), "a"((uint32_t)base), "d"((uint32_t)(base >> 32)));
}

uint64_t plat_get_fs_base(void)
{
	uint64_t base;

	if (shim_platform == FASCO_PLATFORM_KVM_PVM) {
		__asm__ volatile("rdfsbase %0" : "=r"(base));
		return base;
	}
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000100u));
	return (uint64_t)hi << 32 | lo;
}

