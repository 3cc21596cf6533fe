/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cca backend: one Arm CCA realm per realm, through Linux KVM on an
 * arm64 host with RME (interface revision: cca_uapi.h; layout: cca_vm.h).
 *
 * COMPILE-CHECKED ONLY. There is no Arm CCA hardware (or FVP) on this
 * project's machines, so none of this has ever run; the library refuses
 * FASCO_BACKEND_CCA at context creation until it has. What the kernel
 * interface cannot do is an explicit error here, never a silent stub.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "backend/backend.h"
#include "backend/cca/cca_vm.h"
#include "common/error.h"

static uint32_t cca_platform(void)
{
	return FASCO_PLATFORM_CCA;
}

static const char *cca_platform_name(void)
{
	return "cca (arm64 RME; compile-checked only, never run)";
}

static void cca_vm_destroy(struct realm_vm *vm)
{
	if (!vm)
		return;
	cca_teardown(vm);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm);
}

/* The layout cca_vm.h describes must fit the sizes the core chose. */
static int check_layout(struct realm_vm *vm)
{
	if (sysconf(_SC_PAGESIZE) != CCA_GRANULE)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "the RMM granule follows the host page size: 4 KiB pages needed");
	if (!vm->shared_gpa || (vm->shared_gpa & (vm->shared_gpa - 1)))
		return fasco_fail(FASCO_E_CONFIG, "the shared region must start the IPA's top half");
	vm->ipa_bits = (unsigned)__builtin_ctzll(vm->shared_gpa) + 1;
	if (!vm->private_size || vm->private_size % CCA_GRANULE ||
	    vm->private_size + CCA_GRANULE > vm->shared_gpa)
		return fasco_fail(FASCO_E_CONFIG, "private memory must fit the IPA's lower half");
	if (!vm->shared_size || vm->shared_size % CCA_GRANULE || vm->shared_size > vm->private_size)
		return fasco_fail(FASCO_E_CONFIG,
				  "the shared region aliases private gfns: at most the private size");
	return 0;
}

static int open_kvm(struct realm_vm *vm)
{
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fasco_fail(FASCO_E_NO_KVM, "cannot open /dev/kvm: %s", strerror(errno));
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return fasco_fail(FASCO_E_NO_KVM, "unexpected KVM API version");
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_RMI) <= 0)
		return fasco_fail(FASCO_E_NO_KVM, "this kernel offers no CCA realms "
				  "(KVM_CAP_ARM_RMI %d, as numbered by the v14 series)", KVM_CAP_ARM_RMI);
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run))
		return fasco_fail(FASCO_E_KVM, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	return 0;
}

static struct realm_vm *vm_alloc(void)
{
	struct realm_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->kvm_fd = vm->vm_fd = vm->gmem_fd = vm->gic_fd = -1;
	for (unsigned i = 0; i < CCA_MAX_VCPUS; i++)
		vm->vcpu[i].fd = -1;
	return vm;
}

static int cca_vm_create(uint64_t private_size, uint64_t shared_gpa, uint64_t shared_size,
			 struct realm_vm **ret_vm, uint8_t **ret_private, uint8_t **ret_shared)
{
	struct realm_vm *vm = vm_alloc();
	int ret;

	if (!vm)
		return -ENOMEM;
	vm->private_size = private_size;
	vm->shared_gpa = shared_gpa;
	vm->shared_size = shared_size;
	if ((ret = check_layout(vm)) < 0 || (ret = open_kvm(vm)) < 0 ||
	    (ret = cca_setup(vm)) < 0) {
		cca_vm_destroy(vm);
		return ret;
	}
	*ret_vm = vm;
	*ret_private = vm->staging;
	*ret_shared = vm->view;
	return 0;
}

/* The RMM decides what a realm's CPU reports; there is no model to load. */
static int cca_vm_load_cpu_model(struct realm_vm *vm, const char *state_dir)
{
	(void)vm;
	(void)state_dir;
	return 0;
}

/* The kernel objects were made with the VM (vm_create), as the vCPUs can
 * only be made with their measured registers (vm_populate). */
static int cca_vm_begin(struct realm_vm *vm, unsigned vcpus)
{
	(void)vm;
	(void)vcpus;
	return 0;
}

/* The kernel activates the realm at the first KVM_RUN. */
static int cca_vm_seal(struct realm_vm *vm)
{
	if (!vm->populated)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "cca: the image was never handed to the RMM (vm_populate "
				  "through realm_backend_populate())");
	return 0;
}

/* Every vCPU became a REC with its measured state at populate time. */
static int cca_vcpu_create(struct realm_vm *vm, unsigned index, const struct vcpu_boot *boot)
{
	(void)boot;
	if (index >= vm->n_vcpus)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "cca: vCPU %u was not measured (a realm's RECs are fixed)", index);
	return 0;
}

/* Processes: a realm's memory and registers are out of the host's reach,
 * so a realm cannot be copied by the host (fork) or saved. */
static int cca_vcpu_save(struct realm_vm *vm, unsigned index, struct vcpu_state **ret)
{
	(void)vm;
	(void)index;
	(void)ret;
	return fasco_fail(FASCO_E_UNSUPPORTED, "cca: a REC's registers are hidden from the host");
}

static int cca_vcpu_restore(struct realm_vm *vm, unsigned index, const struct vcpu_state *st)
{
	(void)vm;
	(void)index;
	(void)st;
	return fasco_fail(FASCO_E_UNSUPPORTED, "cca: a REC cannot be given saved registers");
}

static int cca_vm_fork(struct realm_vm *vm)
{
	(void)vm;
	return fasco_fail(FASCO_E_UNSUPPORTED,
			  "cca: the host cannot copy a realm's private memory (no fork)");
}

/* execve: a new realm in place of the old one, unpopulated. */
static int cca_vm_reset(struct realm_vm *vm, uint8_t **ret_private, uint8_t **ret_shared)
{
	int ret;

	cca_teardown(vm);
	if ((ret = cca_setup(vm)) < 0)
		return ret;
	*ret_private = vm->staging;
	*ret_shared = vm->view;
	return 0;
}

const struct realm_backend_ops cca_backend_ops = {
	.name = "cca",
	.vm_create = cca_vm_create,
	.vm_load_cpu_model = cca_vm_load_cpu_model,
	.vm_begin = cca_vm_begin,
	.vm_populate = cca_vm_populate,
	.vm_seal = cca_vm_seal,
	.vcpu_create = cca_vcpu_create,
	.vcpu_run = cca_vcpu_run,
	.vcpu_where = cca_vcpu_where,
	.vcpu_kick = cca_vcpu_kick,
	.vcpu_flush_tlb = cca_vcpu_flush_tlb,
	.vm_destroy = cca_vm_destroy,
	.tsc_khz = cca_counter_khz,
	.platform = cca_platform,
	.platform_name = cca_platform_name,
	.vcpu_save = cca_vcpu_save,
	.vcpu_restore = cca_vcpu_restore,
	.vm_fork = cca_vm_fork,
	.vm_reset = cca_vm_reset,
};
