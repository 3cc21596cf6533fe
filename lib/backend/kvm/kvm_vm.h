/* SPDX-License-Identifier: Apache-2.0 */
/* The kvm backend's VM object, shared by its files (kvm.c: create and run;
 * kvm_process.c: fork and exec). */
#ifndef FASCO_BACKEND_KVM_VM_H
#define FASCO_BACKEND_KVM_VM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "backend/backend.h"

#define MAX_VCPUS 64
#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_SFMASK 0xc0000084u
#define MSR_KERNEL_GS_BASE 0xc0000102u

struct vcpu {
	int fd;
	struct kvm_run *run;
};

#define MAX_CPUID_ENTRIES 256

struct kvm_cpuid_table {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[MAX_CPUID_ENTRIES];
};

struct realm_vm {
	int kvm_fd, vm_fd;
	int run_size;
	uint8_t *private_mem, *shared_mem;
	uint64_t private_size, shared_gpa, shared_size;
	struct vcpu vcpu[MAX_VCPUS];
	struct kvm_cpuid_table cpuid; /* what KVM supports on this host */
	int cpuid_known;
};

int kvm_set_memslot(struct realm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *hva);
int kvm_vm_seal(struct realm_vm *vm);
int kvm_set_boot_msrs(int fd, const struct vcpu_boot *boot);
int kvm_set_cpuid(struct realm_vm *vm, int fd, unsigned index);
/* KVM_CREATE_VCPU, its kvm_run mapping and CPUID; registers left to the caller. */
int kvm_vcpu_open(struct realm_vm *vm, unsigned index);

/* kvm_process.c */
int kvm_vcpu_save(struct realm_vm *vm, unsigned index, struct vcpu_state **ret);
int kvm_vcpu_restore(struct realm_vm *vm, unsigned index, const struct vcpu_state *st);
int kvm_vm_fork(struct realm_vm *vm);
int kvm_vm_reset(struct realm_vm *vm, uint8_t **ret_private, uint8_t **ret_shared);

#endif
