/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Handing the built image to the RMM (compile-checked only, see cca_vm.h).
 *
 * How the firmware's RIM comes to equal the model's (lib/core/measure.c):
 *  - realm parameters: the kernel (v12..v14) creates the realm descriptor
 *    itself, with SHA-256 and an all-zero RPV and no way to choose others,
 *    so a configuration asking for anything else is refused here;
 *  - DATA: one KVM_ARM_RMI_POPULATE (measured) per run of consecutive
 *    granules, runs issued in the order of build->granules, which is
 *    measure.c's order (core/granule_order.h); within a call the kernel
 *    goes up page by page, the same order;
 *  - REC: vCPUs are created here in index order with pc = boot entry and
 *    x0..x7 = vcpu_boot_gprs(), the values measure.c records; the kernel
 *    makes their RECs in that order at the first KVM_RUN, vCPU 0 runnable,
 *    as the model's flags say;
 *  - RIPAS: the kernel initialises RAM over the memslot at the first run.
 *    RMM 2.0 (what v14 targets) does not measure it; under RMM 1.0 firmware
 *    (v12 kernels) it is measured, after the RECs, which the model's 1.0
 *    order (RIPAS before RECs) does not reproduce.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "backend/backend.h"
#include "backend/cca/cca_vm.h"
#include "backend/kvm_vcpu.h"
#include "common/error.h"
#include "rmm/rmm.h"

static int refuse_unconfigurable(const struct realm_build *b)
{
	static const uint8_t zero_rpv[RMM_RPV_SIZE];

	if (b->hash_algo != RMM_HASH_SHA256)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "the Linux CCA interface cannot choose the realm's hash algorithm "
				  "(always SHA-256)");
	if (memcmp(b->rpv, zero_rpv, sizeof(zero_rpv)) != 0)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "the Linux CCA interface cannot set a realm personalization value");
	if (b->vcpus == 0 || b->vcpus > CCA_MAX_VCPUS)
		return fasco_fail(FASCO_E_CONFIG, "%u vCPUs (1..%d)", b->vcpus, CCA_MAX_VCPUS);
	return 0;
}

/* Populate [base, base + len) from the staging copy; the kernel may stop
 * early and advances the request (v13+), so loop until nothing is left. */
static int populate_run(struct realm_vm *vm, uint64_t base, uint64_t len)
{
	struct kvm_arm_rmi_populate p = {
		.base = base,
		.size = len,
		.source_uaddr = (uint64_t)(uintptr_t)(vm->staging + base),
		.flags = KVM_ARM_RMI_POPULATE_FLAGS_MEASURE,
	};

	while (p.size) {
		uint64_t before = p.size;

		if (ioctl(vm->vm_fd, KVM_ARM_RMI_POPULATE, &p) < 0)
			return fasco_fail(FASCO_E_KVM, "KVM_ARM_RMI_POPULATE(0x%llx): %s",
					  (unsigned long long)p.base, strerror(errno));
		if (p.size >= before)
			return fasco_fail(FASCO_E_KVM, "KVM_ARM_RMI_POPULATE made no progress");
	}
	return 0;
}

static int populate_granules(struct realm_vm *vm, const struct realm_build *b)
{
	size_t i = 0;

	while (i < b->n_granules) {
		uint64_t base = b->granules[i], len = CCA_GRANULE;
		int ret;

		/* consecutive ascending granules: one call, same DATA order */
		while (i + 1 < b->n_granules && b->granules[i + 1] == base + len) {
			len += CCA_GRANULE;
			i++;
		}
		i++;
		if (base % CCA_GRANULE || base >= vm->private_size || len > vm->private_size - base)
			return fasco_fail(FASCO_E_INTERNAL, "granule 0x%llx outside private memory",
					  (unsigned long long)base);
		if ((ret = populate_run(vm, base, len)) < 0)
			return ret;
	}
	return 0;
}

static int set_core_reg(int fd, uint64_t core_offset, uint64_t value)
{
	struct kvm_one_reg r = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | core_offset,
		.addr = (uint64_t)(uintptr_t)&value,
	};

	return ioctl(fd, KVM_SET_ONE_REG, &r);
}

/* The registers a REC is created from: pc and x0..x7 (all measured). */
static int set_boot_regs(int fd, const struct vcpu_boot *boot)
{
	uint64_t gprs[8];

	vcpu_boot_gprs(boot, gprs);
	if (set_core_reg(fd, KVM_REG_ARM_CORE_REG(regs.pc), boot->entry) < 0)
		return -1;
	for (unsigned i = 0; i < 8; i++)
		/* each x register is two 32-bit units of struct kvm_regs */
		if (set_core_reg(fd, KVM_REG_ARM_CORE_REG(regs.regs[0]) + 2 * i, gprs[i]) < 0)
			return -1;
	return 0;
}

static int make_vcpu(struct realm_vm *vm, unsigned index, const struct vcpu_boot *boot)
{
	struct cca_vcpu *v = &vm->vcpu[index];
	struct kvm_vcpu_init init;
	int ret;

	if ((ret = kvm_vcpu_open(vm->vm_fd, index, vm->run_size, &v->fd, &v->run)) < 0)
		return ret;
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	/* PSCI 0.2 is required of a REC; vCPUs other than 0 wait for CPU_ON */
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (index > 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_ARM_VCPU_INIT: %s", strerror(errno));
	if (set_boot_regs(v->fd, boot) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_ONE_REG: %s", strerror(errno));
	vm->n_vcpus = index + 1;
	return 0;
}

static int init_gic(struct realm_vm *vm)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};

	if (ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return fasco_fail(FASCO_E_KVM, "vGIC init: %s", strerror(errno));
	return 0;
}

/* The staging copy is no realm memory: a host read of it after this point
 * would be a bug (the realm's memory is out of the host's reach), so it
 * faults instead of answering stale bytes. */
static void retire_staging(struct realm_vm *vm)
{
	madvise(vm->staging, vm->private_size, MADV_DONTNEED);
	mprotect(vm->staging, vm->private_size, PROT_NONE);
}

int cca_vm_populate(struct realm_vm *vm, const struct realm_build *b)
{
	int ret;

	if (vm->populated)
		return fasco_fail(FASCO_E_STATE, "the realm is populated already");
	if ((ret = refuse_unconfigurable(b)) < 0 || (ret = populate_granules(vm, b)) < 0)
		return ret;
	for (unsigned i = 0; i < b->vcpus; i++)
		if ((ret = make_vcpu(vm, i, &b->boot[i])) < 0)
			return ret;
	if ((ret = init_gic(vm)) < 0)
		return ret;
	retire_staging(vm);
	vm->populated = 1;
	return 0;
}
