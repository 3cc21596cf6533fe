/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating a realm's KVM objects (the VM, its memory slots, its vCPUs with
 * their CPU model) is half a millisecond of host kernel work that depends
 * on nothing the image build produces. The monitor therefore starts it on a
 * second thread as soon as it is sandboxed, builds and measures the image
 * meanwhile, and joins it before the first vCPU register is set.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/kvm/kvm_vm.h"
#include "backend/kvm_vcpu.h"
#include "common/error.h"

enum { SETUP_NONE, SETUP_RUNNING, SETUP_DONE };

/*
 * A vCPU without an in-kernel local APIC makes KVM flip a global static key
 * (code patching with IPIs) when the first such vCPU is created and when
 * the last one goes: 0.25 ms of every realm's life on our machines. A split
 * irqchip gives each vCPU a local APIC, which the realm never enables, and
 * nothing else (no PIC, no IOAPIC). Without it, realms are only slower.
 */
static void enable_split_irqchip(int vm_fd)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 0 } };

	(void)ioctl(vm_fd, KVM_ENABLE_CAP, &cap);
}

static int set_memslot(struct realm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_USER_MEMORY_REGION(gpa 0x%llx): %s",
				  (unsigned long long)gpa, strerror(errno));
	return 0;
}

/*
 * What `cpuid` answers in the realm: what KVM supports on this host. Without
 * it kvm-pvm answers zeros, and glibc's loader then refuses libc ("CPU ISA
 * level is lower than required"). The initial APIC id is the vCPU's.
 */
static int set_cpuid(struct realm_vm *vm, int fd, unsigned index)
{
	struct kvm_cpuid_table c;
	int ret;

	if (!vm->cpuid_loaded) {
		if ((ret = kvm_cpuid_supported(vm->kvm_fd, NULL, &vm->cpuid)) < 0)
			return ret;
		vm->cpuid_loaded = 1;
	}
	c = vm->cpuid;
	for (unsigned i = 0; i < c.hdr.nent; i++)
		if (c.e[i].function == 1)
			c.e[i].ebx = (c.e[i].ebx & 0x00ffffffu) | index << 24;
	if (ioctl(fd, KVM_SET_CPUID2, &c) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_CPUID2: %s", strerror(errno));
	return 0;
}

int kvm_vcpu_make(struct realm_vm *vm, unsigned index)
{
	struct vcpu *v;
	int ret;

	if (index >= MAX_VCPUS)
		return fasco_fail(FASCO_E_CONFIG, "at most %d vCPUs", MAX_VCPUS);
	v = &vm->vcpu[index];
	if (v->fd >= 0)
		return 0;
	if ((ret = kvm_vcpu_open(vm->vm_fd, index, vm->run_size, &v->fd, &v->run)) < 0)
		return ret;
	return set_cpuid(vm, v->fd, index);
}

static int setup(struct realm_vm *vm)
{
	int ret;

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm->vm_fd < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_CREATE_VM: %s", strerror(errno));
	enable_split_irqchip(vm->vm_fd);
	if ((ret = set_memslot(vm, 0, 0, vm->private_size, vm->private_mem)) < 0 ||
	    (ret = set_memslot(vm, 1, vm->shared_gpa, vm->shared_size, vm->shared_mem)) < 0)
		return ret;
	for (unsigned i = 0; i < vm->setup_vcpus; i++)
		if ((ret = kvm_vcpu_make(vm, i)) < 0)
			return ret;
	return 0;
}

static void *setup_main(void *arg)
{
	struct realm_vm *vm = arg;

	vm->setup_ret = setup(vm);
	if (vm->setup_ret < 0) /* the detail is thread-local: carry it over */
		snprintf(vm->setup_error, sizeof(vm->setup_error), "%s", fasco_last_error());
	return NULL;
}

int kvm_setup_start(struct realm_vm *vm, unsigned vcpus)
{
	int ret;

	if (vm->setup_state != SETUP_NONE)
		return 0;
	vm->setup_vcpus = vcpus < MAX_VCPUS ? vcpus : MAX_VCPUS;
	ret = pthread_create(&vm->setup_thread, NULL, setup_main, vm);
	if (ret)
		return fasco_fail(-ret, "cannot start the VM setup: %s", strerror(ret));
	vm->setup_state = SETUP_RUNNING;
	return 0;
}

void kvm_setup_wait(struct realm_vm *vm)
{
	if (vm->setup_state == SETUP_RUNNING) {
		pthread_join(vm->setup_thread, NULL);
		vm->setup_state = SETUP_DONE;
	}
}

int kvm_setup_join(struct realm_vm *vm)
{
	switch (vm->setup_state) {
	case SETUP_NONE:
		vm->setup_state = SETUP_DONE;
		setup_main(vm);
		break;
	case SETUP_RUNNING:
		kvm_setup_wait(vm);
		break;
	default:
		break;
	}
	return vm->setup_ret < 0 ? fasco_fail(vm->setup_ret, "%s", vm->setup_error) : 0;
}

void kvm_setup_reset(struct realm_vm *vm)
{
	kvm_setup_wait(vm);
	for (unsigned i = 0; i < MAX_VCPUS; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, (size_t)vm->run_size);
		if (vm->vcpu[i].fd >= 0)
			close(vm->vcpu[i].fd);
		vm->vcpu[i].run = NULL;
		vm->vcpu[i].fd = -1;
	}
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	vm->vm_fd = -1;
	vm->setup_state = SETUP_NONE;
	vm->setup_ret = 0;
}
