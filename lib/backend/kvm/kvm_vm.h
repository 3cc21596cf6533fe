/* SPDX-License-Identifier: Apache-2.0 */
/* The kvm backend's realm: shared by the ops (kvm.c) and the setup of its
 * KVM objects (vm_setup.c). */
#ifndef FASCO_BACKEND_KVM_KVM_VM_H
#define FASCO_BACKEND_KVM_KVM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>

#include "backend/kvm/cpuid_cache.h"

#define MAX_VCPUS 64
#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_SFMASK 0xc0000084u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define CR4_PGE (1ull << 7)

struct vcpu {
	int fd;
	struct kvm_run *run;
};

struct realm_vm {
	int kvm_fd, vm_fd;
	int run_size;
	uint8_t *private_mem, *shared_mem;
	uint64_t private_size, shared_gpa, shared_size;
	struct vcpu vcpu[MAX_VCPUS];
	struct kvm_cpuid_table cpuid; /* what every vCPU is given */
	int cpuid_loaded;

	/* the setup of the KVM objects, possibly on its own thread */
	pthread_t setup_thread;
	int setup_state; /* SETUP_* in vm_setup.c */
	int setup_ret;
	unsigned setup_vcpus;
	char setup_error[256];
};

/* Start creating the VM, its memory slots and the first vcpus vCPUs on a
 * thread of their own; the process's sandbox must be entered already. */
int kvm_setup_start(struct realm_vm *vm, unsigned vcpus);

/* Wait for that setup (or do it now, without vCPUs, if it never started):
 * its result, with its error detail. Idempotent. */
int kvm_setup_join(struct realm_vm *vm);

/* Wait for a setup that is running; never start one. */
void kvm_setup_wait(struct realm_vm *vm);

/* Create vCPU index with the CPU model, unless the setup made it. */
int kvm_vcpu_make(struct realm_vm *vm, unsigned index);
/* With a local APIC (split irqchip) a vCPU other than the first waits for
 * INIT/SIPI: make it run from the state it was given (a realm's thread, or
 * the forking thread of a child realm). */
int kvm_vcpu_runnable(struct realm_vm *vm, unsigned index);
/* Forget the VM's setup (after a fork, or for a new image): the next join
 * makes a new VM, its memory slots and vCPUs. */
void kvm_setup_reset(struct realm_vm *vm);

/* kvm_process.c: fork and exec */
struct vcpu_state;
int kvm_vcpu_save(struct realm_vm *vm, unsigned index, struct vcpu_state **ret);
int kvm_vcpu_restore(struct realm_vm *vm, unsigned index, const struct vcpu_state *st);
int kvm_vm_fork(struct realm_vm *vm);
int kvm_vm_reset(struct realm_vm *vm, uint8_t **ret_private, uint8_t **ret_shared);

#endif
