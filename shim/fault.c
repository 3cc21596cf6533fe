/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exceptions arrive here: at ring 0 on hardware KVM, bounced to user
 * privilege on kvm-pvm (entry.S). A page fault inside a mapped area is
 * resolved (first touch, or a stale translation); anything else ends the
 * realm with a report to the host: vector, error code, address, instruction
 * pointer, and whether the shim itself faulted.
 */
#include "shim.h"

#define VEC_PF 14

int shim_fault_signal(struct shim_regs *r, uint64_t fault_addr);

static noreturn void report(const struct shim_regs *r, uint64_t addr, uint64_t in_shim)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	slot->aux[FASCO_FAULT_VECTOR] = r->vector;
	slot->aux[FASCO_FAULT_ERROR_CODE] = r->error_code;
	slot->aux[FASCO_FAULT_ADDRESS] = addr;
	slot->aux[FASCO_FAULT_IP] = r->rip;
	slot->aux[FASCO_FAULT_SP] = r->rsp;
	slot->aux[FASCO_FAULT_IN_SHIM] = in_shim;
	for (;;)
		host_call(FASCO_OP_FAULT);
}

void shim_exception(struct shim_regs *r, uint64_t fault_addr)
{
	uint64_t addr = 0;
	int in_shim = r->rip >= FASCO_GVA_SHIM && r->rip < FASCO_GVA_SHARED;

	/* a bounced handler cannot return to ring 0, and on kvm-pvm ring-0
	 * code (the bounce itself) never faults unless the realm broke it */
	if ((r->cs & 3) == 0 && shim_platform == FASCO_PLATFORM_KVM_PVM)
		report(r, fault_addr, 1);
	if (r->vector == VEC_PF) {
		int ret;

		addr = fault_addr;
		ret = mm_fault(addr, r->error_code);
		if (ret == 0) {
			if (!in_shim)
				sig_deliver(r, -1);
			return;
		}
		if (ret == -2)
			report(r, addr, 2); /* out of realm memory */
	}
	/* the program's fault, and the program handles that signal */
	if (!in_shim && shim_fault_signal(r, addr))
		return;
	report(r, addr, in_shim);
}
