/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating a realm VM's host memory and kernel objects (compile-checked
 * only, see cca_vm.h): the VM of the realm type, a guest_memfd for private
 * memory, one memslot with it and its shared view, the private attribute
 * over it (KVM_ARM_RMI_POPULATE requires it) and the vGIC's device.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/cca/cca_vm.h"
#include "common/error.h"

static int kvm_fail(const char *what)
{
	return fasco_fail(FASCO_E_KVM, "%s: %s", what, strerror(errno));
}

/* staging: private, only what the image touches costs memory; view: no
 * access except the shared region mapped over its start. */
static int map_memory(struct realm_vm *vm)
{
	void *p;

	vm->staging = mmap(NULL, vm->private_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->staging == MAP_FAILED) {
		vm->staging = NULL;
		return fasco_fail(-ENOMEM, "cannot reserve the realm's staging memory");
	}
	vm->view = mmap(NULL, vm->private_size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->view == MAP_FAILED) {
		vm->view = NULL;
		return fasco_fail(-ENOMEM, "cannot reserve the realm's shared view");
	}
	p = mmap(vm->view, vm->shared_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return fasco_fail_errno("map the shared region");
	return 0;
}

static int create_private_memory(struct realm_vm *vm)
{
	struct kvm_create_guest_memfd g = { .size = vm->private_size };
	struct kvm_userspace_memory_region2 slot = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = 0,
		.memory_size = vm->private_size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->view,
		.guest_memfd_offset = 0,
	};
	struct kvm_memory_attributes attr = {
		.address = 0,
		.size = vm->private_size,
		.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};

	vm->gmem_fd = ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &g);
	if (vm->gmem_fd < 0)
		return kvm_fail("KVM_CREATE_GUEST_MEMFD");
	slot.guest_memfd = (uint32_t)vm->gmem_fd;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &slot) < 0)
		return kvm_fail("KVM_SET_USER_MEMORY_REGION2");
	if (ioctl(vm->vm_fd, KVM_SET_MEMORY_ATTRIBUTES, &attr) < 0)
		return kvm_fail("KVM_SET_MEMORY_ATTRIBUTES(private)");
	return 0;
}

static int set_gic_addr(int gic_fd, uint64_t type, uint64_t gpa)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		.attr = type,
		.addr = (uint64_t)(uintptr_t)&gpa,
	};

	return ioctl(gic_fd, KVM_SET_DEVICE_ATTR, &a) < 0 ? kvm_fail("vGIC address") : 0;
}

/* Placed past the doorbell's gfn, 64 KiB aligned; initialised once the
 * vCPUs exist (cca_populate.c). */
static int create_gic(struct realm_vm *vm)
{
	struct kvm_create_device d = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = (vm->private_size + CCA_GRANULE + CCA_GIC_DIST_SIZE - 1) &
			~(CCA_GIC_DIST_SIZE - 1);
	uint64_t redist = dist + CCA_GIC_DIST_SIZE;
	int ret;

	if (redist + CCA_MAX_VCPUS * CCA_GIC_REDIST_SIZE > cca_top(vm))
		return fasco_fail(FASCO_E_CONFIG, "no room for the vGIC below the shared half");
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &d) < 0)
		return kvm_fail("KVM_CREATE_DEVICE(vGICv3)");
	vm->gic_fd = (int)d.fd;
	if ((ret = set_gic_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_DIST, dist)) < 0)
		return ret;
	return set_gic_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, redist);
}

int cca_setup(struct realm_vm *vm)
{
	int ret;

	if ((ret = map_memory(vm)) < 0)
		return ret;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, KVM_VM_TYPE_ARM_REALM | vm->ipa_bits);
	if (vm->vm_fd < 0)
		return kvm_fail("KVM_CREATE_VM(realm)");
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES) <= 0)
		return fasco_fail(FASCO_E_NO_KVM, "KVM lacks memory attributes for private memory");
	if ((ret = create_private_memory(vm)) < 0)
		return ret;
	return create_gic(vm);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void cca_teardown(struct realm_vm *vm)
{
	for (unsigned i = 0; i < CCA_MAX_VCPUS; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, (size_t)vm->run_size);
		vm->vcpu[i].run = NULL;
		close_fd(&vm->vcpu[i].fd);
	}
	vm->n_vcpus = 0;
	close_fd(&vm->gic_fd);
	close_fd(&vm->gmem_fd);
	close_fd(&vm->vm_fd); /* the kernel destroys the realm with its last reference */
	if (vm->staging)
		munmap(vm->staging, vm->private_size);
	if (vm->view)
		munmap(vm->view, vm->private_size);
	vm->staging = vm->view = NULL;
	vm->populated = 0;
}
