/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kvm backend (x86-64): one KVM VM per realm. The vCPU starts directly in
 * 64-bit mode at the shim's entry; exits are read through KVM_CAP_SYNC_REGS
 * (GET/SET_REGS per exit would double the cost of a forwarded call here).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "backend/backend.h"
#include "backend/kvm/x86_tables.h"
#include "common/cleanup.h"
#include "common/error.h"

#define MAX_VCPUS 64
#define MAX_CPUID_ENTRIES 256
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
	struct kvm_cpuid_entry2 cpuid[MAX_CPUID_ENTRIES]; /* KVM's supported CPUID, asked once */
	uint32_t cpuid_nent;
};

static uint32_t kvm_platform(void)
{
	static int cached;

	if (!cached)
		cached = access("/sys/module/kvm_pvm", F_OK) == 0 &&
				 access("/sys/module/kvm_intel", F_OK) != 0 &&
				 access("/sys/module/kvm_amd", F_OK) != 0
			 ? (int)FASCO_PLATFORM_KVM_PVM
			 : (int)FASCO_PLATFORM_KVM_HW;
	return (uint32_t)cached;
}

static const char *kvm_platform_name(void)
{
	return kvm_platform() == FASCO_PLATFORM_KVM_PVM ? "kvm-pvm" : "kvm (VMX/SVM, untested)";
}

static void kvm_vm_destroy(struct realm_vm *vm)
{
	if (!vm)
		return;
	for (unsigned i = 0; i < MAX_VCPUS; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, (size_t)vm->run_size);
		if (vm->vcpu[i].fd >= 0)
			close(vm->vcpu[i].fd);
	}
	if (vm->private_mem)
		munmap(vm->private_mem, vm->private_size);
	if (vm->shared_mem)
		munmap(vm->shared_mem, vm->shared_size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm);
}

static int kvm_vm_create(uint64_t private_size, uint64_t shared_gpa, uint64_t shared_size,
			 struct realm_vm **ret_vm, uint8_t **ret_private, uint8_t **ret_shared)
{
	struct realm_vm *vm = calloc(1, sizeof(*vm));
	int ret;

	if (!vm)
		return -ENOMEM;
	vm->kvm_fd = vm->vm_fd = -1;
	for (unsigned i = 0; i < MAX_VCPUS; i++)
		vm->vcpu[i].fd = -1;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		ret = fasco_fail(FASCO_E_NO_KVM, "cannot open /dev/kvm: %s", strerror(errno));
		goto fail;
	}
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		ret = fasco_fail(FASCO_E_NO_KVM, "unexpected KVM API version");
		goto fail;
	}
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0) {
		ret = fasco_fail(FASCO_E_NO_KVM, "KVM lacks KVM_CAP_SYNC_REGS");
		goto fail;
	}
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm->vm_fd < 0 || vm->run_size < (int)sizeof(struct kvm_run)) {
		ret = fasco_fail(FASCO_E_KVM, "KVM_CREATE_VM: %s", strerror(errno));
		goto fail;
	}

	/* untouched guest memory costs the host nothing: no reserve, no populate */
	vm->private_size = private_size;
	vm->private_mem = mmap(NULL, private_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	vm->shared_size = shared_size;
	vm->shared_gpa = shared_gpa;
	vm->shared_mem = mmap(NULL, shared_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->private_mem == MAP_FAILED || vm->shared_mem == MAP_FAILED) {
		vm->private_mem = vm->private_mem == MAP_FAILED ? NULL : vm->private_mem;
		vm->shared_mem = vm->shared_mem == MAP_FAILED ? NULL : vm->shared_mem;
		ret = fasco_fail(-ENOMEM, "cannot reserve %llu bytes of realm memory",
				 (unsigned long long)private_size);
		goto fail;
	}
	*ret_vm = vm;
	*ret_private = vm->private_mem;
	*ret_shared = vm->shared_mem;
	return 0;
fail:
	kvm_vm_destroy(vm);
	return ret;
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

static int kvm_vm_seal(struct realm_vm *vm)
{
	int ret = set_memslot(vm, 0, 0, vm->private_size, vm->private_mem);

	return ret < 0 ? ret : set_memslot(vm, 1, vm->shared_gpa, vm->shared_size, vm->shared_mem);
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int code)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = sel & 3, .db = code ? 0 : 1, .s = 1, .l = code ? 1 : 0, .g = 1,
	};
}

static int set_msrs(int fd, const struct vcpu_boot *boot)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[4];
	} m = {
		.hdr.nmsrs = 4,
		.e = {
			{ .index = MSR_LSTAR, .data = boot->syscall_entry },
			{ .index = MSR_STAR, .data = (uint64_t)FASCO_SEL_USER_CS32 << 48 |
						     (uint64_t)FASCO_SEL_KERNEL_CS << 32 },
			/* TF, DF, IF, IOPL, NT, AC: hardware KVM applies it; kvm-pvm does not */
			{ .index = MSR_SFMASK, .data = 0x47700 },
			/* kvm-pvm swaps GS between its user and supervisor modes: give
			 * both the per-vCPU area; hardware KVM never swaps (no swapgs) */
			{ .index = MSR_KERNEL_GS_BASE, .data = boot->percpu },
		},
	};

	return ioctl(fd, KVM_SET_MSRS, &m) == 4 ? 0 : -1;
}


/*
 * What `cpuid` answers in the realm: what KVM supports on this host. Without
 * it kvm-pvm answers zeros, and glibc's loader then refuses libc ("CPU ISA
 * level is lower than required"). The initial APIC id is the vCPU's.
 */
static int set_cpuid(struct realm_vm *vm, int fd, unsigned index)
{
	struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[MAX_CPUID_ENTRIES];
	} c = { .hdr.nent = MAX_CPUID_ENTRIES };

	/* asked once per VM: it costs more than the rest of a vCPU's setup */
	if (!vm->cpuid_nent) {
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, &c) < 0)
			return fasco_fail(FASCO_E_KVM, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		memcpy(vm->cpuid, c.e, c.hdr.nent * sizeof(c.e[0]));
		vm->cpuid_nent = c.hdr.nent;
	}
	c.hdr.nent = vm->cpuid_nent;
	memcpy(c.e, vm->cpuid, c.hdr.nent * sizeof(c.e[0]));
	for (unsigned i = 0; i < c.hdr.nent; i++)
		if (c.e[i].function == 1)
			c.e[i].ebx = (c.e[i].ebx & 0x00ffffffu) | index << 24;
	if (ioctl(fd, KVM_SET_CPUID2, &c) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_CPUID2: %s", strerror(errno));
	return 0;
}

static int kvm_vcpu_create(struct realm_vm *vm, unsigned index, const struct vcpu_boot *boot)
{
	struct vcpu *v = &vm->vcpu[index];
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	int ret;

	if (index >= MAX_VCPUS)
		return fasco_fail(FASCO_E_CONFIG, "at most %d vCPUs", MAX_VCPUS);
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)index);
	if (v->fd < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_CREATE_VCPU: %s", strerror(errno));
	v->run = mmap(NULL, (size_t)vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return fasco_fail_errno("mmap kvm_run");
	}
	if ((ret = set_cpuid(vm, v->fd, index)) < 0)
		return ret;
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_GET_SREGS: %s", strerror(errno));

	/* long mode, paging, write-protect, NX; PAE, PGE, OSFXSR, OSXMMEXCPT */
	sregs.cr0 = 0x80050033;
	sregs.cr3 = boot->page_table_root;
	sregs.cr4 = 0x6a0;
	sregs.efer = 0xd01;
	seg(&sregs.cs, boot->user_mode ? FASCO_SEL_USER_CS : FASCO_SEL_KERNEL_CS, 11, 1);
	seg(&sregs.ds, boot->user_mode ? FASCO_SEL_USER_DS : FASCO_SEL_KERNEL_DS, 3, 0);
	sregs.es = sregs.ss = sregs.ds;
	seg(&sregs.fs, 0, 3, 0);
	sregs.gs = sregs.fs;
	sregs.gs.base = boot->percpu;
	sregs.gdt.base = boot->gdt;
	sregs.gdt.limit = X86_GDT_SIZE - 1;
	sregs.idt.base = boot->idt;
	sregs.idt.limit = X86_IDT_SIZE - 1;
	sregs.tr = (struct kvm_segment){
		.base = boot->tss, .limit = X86_TSS_SIZE - 1, .selector = FASCO_SEL_TSS,
		.type = 11, .present = 1, .s = 0,
	};
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_SREGS: %s", strerror(errno));
	if (set_msrs(v->fd, boot) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_MSRS failed");
	regs.rip = boot->entry;
	regs.rsp = boot->stack;
	regs.rdi = boot->arg0;
	regs.rflags = 0x2;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_REGS: %s", strerror(errno));
	/* fresh sregs on every exit, so a TLB flush never writes back stale state */
	v->run->kvm_valid_regs = KVM_SYNC_X86_SREGS;
	return 0;
}

static int kvm_vcpu_run(struct realm_vm *vm, unsigned index, struct vm_exit *exit)
{
	struct vcpu *v = &vm->vcpu[index];
	struct kvm_run *run = v->run;

	int r = ioctl(v->fd, KVM_RUN, 0);

	__atomic_store_n(&run->immediate_exit, 0, __ATOMIC_RELAXED);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN) {
			exit->kind = VM_EXIT_INTR;
			return 0;
		}
		return fasco_fail(FASCO_E_KVM, "KVM_RUN: %s", strerror(errno));
	}
	run->kvm_dirty_regs = 0;
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		if (run->mmio.is_write && run->mmio.phys_addr == vm->shared_gpa + vm->shared_size) {
			exit->kind = VM_EXIT_DOORBELL;
			return 0;
		}
		break;
	case KVM_EXIT_SHUTDOWN:
		exit->kind = VM_EXIT_SHUTDOWN;
		exit->detail = run->exit_reason;
		return 0;
	case KVM_EXIT_INTR:
		exit->kind = VM_EXIT_INTR;
		return 0;
	default:
		break;
	}
	exit->kind = VM_EXIT_OTHER;
	exit->detail = run->exit_reason;
	return 0;
}

static int kvm_vcpu_where(struct realm_vm *vm, unsigned index, uint64_t *ip, uint64_t *sp)
{
	struct kvm_regs regs;

	if (ioctl(vm->vcpu[index].fd, KVM_GET_REGS, &regs) < 0)
		return -errno;
	*ip = regs.rip;
	*sp = regs.rsp;
	return 0;
}

/* KVM checks immediate_exit on entry and a pending signal before it runs
 * the guest, so a kick between the two is not lost. */
static void kvm_vcpu_kick(struct realm_vm *vm, unsigned index)
{
	__atomic_store_n(&vm->vcpu[index].run->immediate_exit, 1, __ATOMIC_RELEASE);
}

/* Toggling CR4.PGE through the synced registers flushes every translation
 * at almost no cost under kvm-pvm (measured; PLATFORM.md). */
static void kvm_vcpu_flush_tlb(struct realm_vm *vm, unsigned index)
{
	struct kvm_run *run = vm->vcpu[index].run;

	run->s.regs.sregs.cr4 ^= CR4_PGE;
	run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
}

static uint32_t kvm_tsc_khz(struct realm_vm *vm)
{
	int khz = vm->vcpu[0].fd >= 0 ? ioctl(vm->vcpu[0].fd, KVM_GET_TSC_KHZ, 0) : -1;

	return khz > 0 ? (uint32_t)khz : 1000000; /* unknown: assume 1 GHz */
}

const struct realm_backend_ops kvm_backend_ops = {
	.name = "kvm",
	.vm_create = kvm_vm_create,
	.vm_seal = kvm_vm_seal,
	.vcpu_create = kvm_vcpu_create,
	.vcpu_run = kvm_vcpu_run,
	.vcpu_where = kvm_vcpu_where,
	.vcpu_kick = kvm_vcpu_kick,
	.vcpu_flush_tlb = kvm_vcpu_flush_tlb,
	.vm_destroy = kvm_vm_destroy,
	.tsc_khz = kvm_tsc_khz,
	.platform = kvm_platform,
	.platform_name = kvm_platform_name,
};
