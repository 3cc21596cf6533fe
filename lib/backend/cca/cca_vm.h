/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cca backend's realm: a Linux KVM "realm" VM on an arm64 host with the
 * Realm Management Extension (see cca_uapi.h for the interface revision).
 * COMPILE-CHECKED ONLY: no Arm CCA hardware was available to this project;
 * this code has never created a realm.
 *
 * Guest-physical (IPA) layout, as the design and the kernel want it:
 *   [0, private_size)            private memory: a guest_memfd memslot whose
 *                                contents the RMM measures and protects
 *   top | x                      the shared (unprotected) alias of gfn x: KVM
 *                                maps it to the memslot's userspace memory.
 *                                The core's shared region is top | [0,
 *                                shared_size), so the memslot's userspace
 *                                view starts with the shared memory.
 *   top | private_size           the doorbell: no memslot there, so a realm
 *                                write becomes KVM_EXIT_MMIO
 *   above it                     the vGIC (the kernel activates a realm only
 *                                with an in-kernel irqchip); the realm never
 *                                touches it
 * where top = 1 << (ipa_bits - 1) is the core's shared_gpa.
 */
#ifndef FASCO_BACKEND_CCA_CCA_VM_H
#define FASCO_BACKEND_CCA_CCA_VM_H

#include <stdint.h>

#include "backend/cca/cca_uapi.h"

#define CCA_MAX_VCPUS 64
#define CCA_GRANULE 4096u /* the RMM model's granule, and the host page size required */
#define CCA_GIC_DIST_SIZE 0x10000ull
#define CCA_GIC_REDIST_SIZE 0x20000ull /* per vCPU */

struct cca_vcpu {
	int fd;
	struct kvm_run *run;
};

struct realm_vm {
	int kvm_fd, vm_fd, gmem_fd, gic_fd;
	int run_size;
	unsigned ipa_bits;
	uint64_t private_size, shared_gpa, shared_size;
	/* the core builds the image here; KVM_ARM_RMI_POPULATE copies from it */
	uint8_t *staging;
	/* the memslot's userspace (shared) view: its first shared_size bytes
	 * are the shared region, the rest is reserved without access */
	uint8_t *view;
	struct cca_vcpu vcpu[CCA_MAX_VCPUS];
	unsigned n_vcpus;
	int populated;
};

/* cca_setup.c: the host mappings and the VM's kernel objects, for a VM
 * whose sizes and kvm_fd are set; undone by cca_teardown. */
int cca_setup(struct realm_vm *vm);
void cca_teardown(struct realm_vm *vm);

/* cca_populate.c */
struct realm_build;
int cca_vm_populate(struct realm_vm *vm, const struct realm_build *build);

/* cca_run.c */
struct vm_exit;
int cca_vcpu_run(struct realm_vm *vm, unsigned index, struct vm_exit *exit);
int cca_vcpu_where(struct realm_vm *vm, unsigned index, uint64_t *ip, uint64_t *sp);
void cca_vcpu_kick(struct realm_vm *vm, unsigned index);
void cca_vcpu_flush_tlb(struct realm_vm *vm, unsigned index);
uint32_t cca_counter_khz(struct realm_vm *vm);

/* The shared alias bit of the IPA space. */
static inline uint64_t cca_top(const struct realm_vm *vm)
{
	return vm->shared_gpa;
}

#endif
