/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kvm backend (x86-64): one KVM VM per realm. The vCPU starts directly in
 * 64-bit mode at the shim's entry; exits are read through KVM_CAP_SYNC_REGS
 * (GET/SET_REGS per exit would double the cost of a forwarded call here).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "backend/backend.h"
#include "backend/kvm/kvm_vm.h"
#include "backend/kvm/x86_tables.h"
#include "backend/kvm_vcpu.h"
#include "common/cleanup.h"
#include "common/error.h"

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
	kvm_setup_reset(vm); /* the VM and its vCPUs */
	if (vm->private_mem)
		munmap(vm->private_mem, vm->private_size);
	if (vm->shared_mem)
		munmap(vm->shared_mem, vm->shared_size);
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
	if (vm->run_size < (int)sizeof(struct kvm_run)) {
		ret = fasco_fail(FASCO_E_KVM, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
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

static int kvm_vm_begin(struct realm_vm *vm, unsigned vcpus)
{
	return kvm_setup_start(vm, vcpus);
}

/* The memory slots are made with the VM: from here on it is the realm's. */
static int kvm_vm_seal(struct realm_vm *vm)
{
	return kvm_setup_join(vm);
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

static int kvm_vm_load_cpu_model(struct realm_vm *vm, const char *state_dir)
{
	int ret = kvm_cpuid_supported(vm->kvm_fd, state_dir, &vm->cpuid);

	vm->cpuid_loaded = ret == 0;
	return ret;
}

static int kvm_vcpu_create(struct realm_vm *vm, unsigned index, const struct vcpu_boot *boot)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	struct vcpu *v;
	int ret;

	if ((ret = kvm_setup_join(vm)) < 0 || (ret = kvm_vcpu_make(vm, index)) < 0)
		return ret;
	v = &vm->vcpu[index];
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
	return kvm_vcpu_runnable(vm, index);
}

int kvm_vcpu_runnable(struct realm_vm *vm, unsigned index)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (index > 0 && ioctl(vm->vcpu[index].fd, KVM_SET_MP_STATE, &mp) < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_MP_STATE: %s", strerror(errno));
	return 0;
}

static int kvm_vcpu_run(struct realm_vm *vm, unsigned index, struct vm_exit *exit)
{
	struct vcpu *v = &vm->vcpu[index];
	struct kvm_run *run = v->run;
	int r = kvm_vcpu_enter(v->fd, run, exit);

	if (r <= 0)
		return r;
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

static int kvm_vcpu_divert(struct realm_vm *vm, unsigned index, uint64_t entry, uint64_t limit,
			   uint64_t *ret_ip)
{
	struct kvm_regs regs;
	int fd = vm->vcpu[index].fd;

	if (ioctl(fd, KVM_GET_REGS, &regs) < 0)
		return -errno;
	if (regs.rip >= limit)
		return 0;
	*ret_ip = regs.rip;
	regs.rip = entry;
	return ioctl(fd, KVM_SET_REGS, &regs) < 0 ? -errno : 1;
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
	.vm_load_cpu_model = kvm_vm_load_cpu_model,
	.vm_begin = kvm_vm_begin,
	.vm_seal = kvm_vm_seal,
	.vcpu_create = kvm_vcpu_create,
	.vcpu_run = kvm_vcpu_run,
	.vcpu_where = kvm_vcpu_where,
	.vcpu_kick = kvm_vcpu_kick,
	.vcpu_divert = kvm_vcpu_divert,
	.vcpu_flush_tlb = kvm_vcpu_flush_tlb,
	.vm_destroy = kvm_vm_destroy,
	.tsc_khz = kvm_tsc_khz,
	.platform = kvm_platform,
	.platform_name = kvm_platform_name,
	.vcpu_save = kvm_vcpu_save,
	.vcpu_restore = kvm_vcpu_restore,
	.vm_fork = kvm_vm_fork,
	.vm_reset = kvm_vm_reset,
};
