/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running a realm's vCPUs (compile-checked only, see cca_vm.h). The RMM
 * hides a REC's registers from the host: only what an exit reports (an
 * MMIO access's value, PSCI requests) reaches KVM, so exits are all the
 * monitor learns.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "backend/backend.h"
#include "backend/cca/cca_vm.h"
#include "backend/kvm_vcpu.h"
#include "common/error.h"

/* A write to top | private_size: no memslot, so KVM reports MMIO. KVM
 * strips the shared bit before reporting (v12 io_mem_abort); both forms
 * are accepted. */
static int is_doorbell(const struct realm_vm *vm, const struct kvm_run *run)
{
	return run->mmio.is_write && (run->mmio.phys_addr & ~cca_top(vm)) == vm->private_size;
}

int cca_vcpu_run(struct realm_vm *vm, unsigned index, struct vm_exit *exit)
{
	struct kvm_run *run = vm->vcpu[index].run;
	int r = kvm_vcpu_enter(vm->vcpu[index].fd, run, exit);

	if (r <= 0)
		return r;
	exit->detail = run->exit_reason;
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		exit->kind = is_doorbell(vm, run) ? VM_EXIT_DOORBELL : VM_EXIT_OTHER;
		return 0;
	case KVM_EXIT_SYSTEM_EVENT: /* PSCI SYSTEM_OFF/RESET: the realm stopped itself */
		exit->kind = VM_EXIT_SHUTDOWN;
		return 0;
	case KVM_EXIT_INTR:
		exit->kind = VM_EXIT_INTR;
		return 0;
	default: /* KVM_EXIT_MEMORY_FAULT (a RIPAS change) included: not asked of a shim */
		exit->kind = VM_EXIT_OTHER;
		return 0;
	}
}

/* Refused by the kernel once the REC exists (its registers are the
 * realm's); the crash report then goes without them. */
int cca_vcpu_where(struct realm_vm *vm, unsigned index, uint64_t *ip, uint64_t *sp)
{
	struct kvm_one_reg pc = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(regs.pc),
		.addr = (uint64_t)(uintptr_t)ip,
	};
	struct kvm_one_reg stack = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(sp_el1),
		.addr = (uint64_t)(uintptr_t)sp,
	};

	if (ioctl(vm->vcpu[index].fd, KVM_GET_ONE_REG, &pc) < 0 ||
	    ioctl(vm->vcpu[index].fd, KVM_GET_ONE_REG, &stack) < 0)
		return -errno;
	return 0;
}

/* As on x86: KVM checks immediate_exit on entry. */
void cca_vcpu_kick(struct realm_vm *vm, unsigned index)
{
	__atomic_store_n(&vm->vcpu[index].run->immediate_exit, 1, __ATOMIC_RELEASE);
}

/* Stage-1 translations belong to the realm, and the host cannot reach
 * them: an arm64 shim invalidates its own TLB entries (TLBI) after
 * changing its page tables. Nothing to do here, by design. */
void cca_vcpu_flush_tlb(struct realm_vm *vm, unsigned index)
{
	(void)vm;
	(void)index;
}

/* The generic timer's frequency, which the realm reads as CNTFRQ_EL0 too. */
uint32_t cca_counter_khz(struct realm_vm *vm)
{
	uint64_t hz;

	(void)vm;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz >= 1000 ? (uint32_t)(hz / 1000) : 1000000;
}
