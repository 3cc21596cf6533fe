/* SPDX-License-Identifier: Apache-2.0 */
/* Requests to the host: fill the slot header, ring the doorbell, read back. */
#include "shim.h"

/* Set by mm.c when page-table entries were removed or narrowed. */
extern int mm_tlb_dirty;

int64_t host_call(uint32_t op)
{
	struct shim_percpu *cpu = this_cpu();
	volatile struct fasco_slot_header *slot = cpu->slot;

	slot->magic = FASCO_SLOT_MAGIC;
	slot->op = op;
	slot->seq++;
	slot->flags = mm_tlb_dirty ? FASCO_SLOT_FLUSH_TLB : 0;
	mm_tlb_dirty = 0;
	/* the doorbell: a write to a page with no memory behind it exits */
	*(volatile uint32_t *)FASCO_GVA_DOORBELL = (uint32_t)slot->seq;
	return slot->result;
}

noreturn void host_exit(int status)
{
	this_cpu()->slot->args[0] = (uint64_t)(uint32_t)status;
	for (;;)
		host_call(FASCO_OP_EXIT);
}

noreturn void host_panic(uint64_t code, uint64_t detail)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	slot->args[0] = code;
	slot->args[1] = detail;
	for (;;)
		host_call(FASCO_OP_PANIC);
}
