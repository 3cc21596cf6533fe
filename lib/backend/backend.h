/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backend adapter: one ops table per way of making a realm. The core
 * lays out realm memory and runs the exit loop; a backend creates the
 * isolated address space, backs its memory, starts vCPUs and reports exits.
 */
#ifndef FASCO_BACKEND_BACKEND_H
#define FASCO_BACKEND_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct realm_vm;
/* A stopped vCPU's complete register state (backend-defined; free()). */
struct vcpu_state;

/* Initial register state of a vCPU, as the realm's first instruction sees it. */
struct vcpu_boot {
	uint64_t entry;         /* shim boot entry (virtual) */
	uint64_t stack;         /* ring-0 stack pointer */
	uint64_t arg0;          /* first argument: the manifest's address */
	uint64_t page_table_root;
	uint64_t percpu;        /* GS base */
	uint64_t gdt, idt, tss; /* descriptor tables (virtual) */
	uint64_t syscall_entry; /* LSTAR */
	int user_mode;          /* enter the shim at user privilege */
};

enum vm_exit_kind {
	VM_EXIT_DOORBELL = 1, /* the shim rang: the slot has a request */
	VM_EXIT_SHUTDOWN = 2, /* triple fault */
	VM_EXIT_OTHER = 3,    /* anything a well-behaved shim never causes */
	VM_EXIT_INTR = 4,     /* interrupted by a signal to the monitor */
};

struct vm_exit {
	int kind;
	uint64_t detail; /* raw exit reason for OTHER */
};

/*
 * What a backend whose firmware measures the realm (cca) needs to rebuild
 * it there: the populated granules in the order the RMM model measured them
 * (core/granule_order.h), every vCPU's boot state (REC_CREATE in index
 * order) and the measured realm parameters.
 */
struct realm_build {
	const uint64_t *granules; /* guest-physical, measurement order */
	size_t n_granules;
	const struct vcpu_boot *boot;
	unsigned vcpus;
	uint8_t hash_algo;        /* RMM_HASH_* (RmiHashAlgorithm) */
	const uint8_t *rpv;       /* 64 bytes */
};

/* The boot state's place in a REC's measured X0..X7 (the x86 kvm backend
 * sets the same values in registers of its own). */
void vcpu_boot_gprs(const struct vcpu_boot *boot, uint64_t gprs[8]);

struct realm_backend_ops {
	const char *name;
	/* Create the VM with private memory [0, private_size) and the shared
	 * region at shared_gpa; ret_private and ret_shared get the host mappings. */
	int (*vm_create)(uint64_t private_size, uint64_t shared_gpa, uint64_t shared_size,
			 struct realm_vm **ret_vm, uint8_t **ret_private, uint8_t **ret_shared);
	/* Load the CPU model the vCPUs are given, through a cache under
	 * state_dir (vcpu_create loads it uncached when this was not called). */
	int (*vm_load_cpu_model)(struct realm_vm *vm, const char *state_dir);
	/* Start making the VM's kernel objects (and the first vcpus vCPUs) in
	 * the background while the image is built; once the process is
	 * sandboxed. Optional: vm_seal does it otherwise. */
	int (*vm_begin)(struct realm_vm *vm, unsigned vcpus);
	/* Optional (NULL for kvm, whose realm memory is the host mapping the
	 * image was built in): hand the built image to the firmware, after the
	 * build and before vm_seal. */
	int (*vm_populate)(struct realm_vm *vm, const struct realm_build *build);
	/* Make the populated memory visible to the realm (after loading). */
	int (*vm_seal)(struct realm_vm *vm);
	int (*vcpu_create)(struct realm_vm *vm, unsigned index, const struct vcpu_boot *boot);
	int (*vcpu_run)(struct realm_vm *vm, unsigned index, struct vm_exit *exit);
	/* Instruction and stack pointer of a stopped vCPU, for crash reports. */
	int (*vcpu_where)(struct realm_vm *vm, unsigned index, uint64_t *ip, uint64_t *sp);
	/* Make the vCPU's current or next run return at once (VM_EXIT_INTR);
	 * any thread may call it, then signal the vCPU's thread. */
	void (*vcpu_kick)(struct realm_vm *vm, unsigned index);
	/* A stopped vCPU at an instruction below limit (the program's) resumes
	 * at entry instead: 1 and the instruction in *ret_ip, or 0 (optional). */
	int (*vcpu_divert)(struct realm_vm *vm, unsigned index, uint64_t entry, uint64_t limit,
			   uint64_t *ret_ip);
	/* Drop stale translations before the vCPU resumes. */
	void (*vcpu_flush_tlb)(struct realm_vm *vm, unsigned index);
	void (*vm_destroy)(struct realm_vm *vm);
	/* Guest TSC rate in kHz (the shim times its spins with rdtsc). */
	uint32_t (*tsc_khz)(struct realm_vm *vm);
	/* The platform the shim runs on (FASCO_PLATFORM_*). */
	uint32_t (*platform)(void);
	const char *(*platform_name)(void);
	/* Processes (lib/core/process.c). The registers of a vCPU stopped at an exit. */
	int (*vcpu_save)(struct realm_vm *vm, unsigned index, struct vcpu_state **ret);
	/* Create vCPU index with saved registers (after vm_fork). */
	int (*vcpu_restore)(struct realm_vm *vm, unsigned index, const struct vcpu_state *st);
	/* In the child of a host fork: a VM of its own over its copy-on-write
	 * copy of private memory and a private copy of the shared region (both
	 * at the same addresses), sealed, without vCPUs. */
	int (*vm_fork)(struct realm_vm *vm);
	/* For execve: a new VM with zeroed private and shared memory (their
	 * host mappings in ret_private, ret_shared), not sealed, without vCPUs. */
	int (*vm_reset)(struct realm_vm *vm, uint8_t **ret_private, uint8_t **ret_shared);
};

extern const struct realm_backend_ops kvm_backend_ops;
extern const struct realm_backend_ops cca_backend_ops; /* arm64 builds only */

/* The backend for enum fasco_backend (AUTO probes), or NULL. */
const struct realm_backend_ops *backend_get(int which);

#endif
