/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What processes need of the kvm backend. A KVM VM belongs to the mm that
 * created it, so the child of a host fork() cannot run its parent's VM: it
 * makes a VM of its own over the copy-on-write copy of private memory it
 * inherited, and a vCPU from the registers its parent saved at the fork
 * call. execve gets a new VM over fresh memory at the same addresses. The
 * /dev/kvm descriptor opened before the sandbox serves both.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/kvm/kvm_vm.h"
#include "common/cleanup.h"
#include "common/error.h"

#define MSR_IA32_TSC 0x10u
#define MSR_CSTAR 0xc0000083u
#define SAVED_MSRS 6

struct vcpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs;
	int has_xsave, has_xcrs;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[SAVED_MSRS];
	} msrs;
};

static int vcpu_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg) < 0)
		return fasco_fail(FASCO_E_KVM, "%s: %s", what, strerror(errno));
	return 0;
}

static int has_cap(const struct realm_vm *vm, int cap)
{
	return ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap) > 0;
}

int kvm_vcpu_save(struct realm_vm *vm, unsigned index, struct vcpu_state **ret)
{
	static const uint32_t msr[SAVED_MSRS] = { MSR_LSTAR, MSR_STAR, MSR_CSTAR, MSR_SFMASK,
						  MSR_KERNEL_GS_BASE, MSR_IA32_TSC };
	_cleanup_free_ struct vcpu_state *st = calloc(1, sizeof(*st));
	int fd = vm->vcpu[index].fd, n, r;

	if (!st)
		return -ENOMEM;
	if ((r = vcpu_ioctl(fd, KVM_GET_REGS, &st->regs, "KVM_GET_REGS")) < 0 ||
	    (r = vcpu_ioctl(fd, KVM_GET_SREGS, &st->sregs, "KVM_GET_SREGS")) < 0)
		return r;
	st->has_xsave = has_cap(vm, KVM_CAP_XSAVE) && ioctl(fd, KVM_GET_XSAVE, &st->xsave) == 0;
	if (!st->has_xsave && (r = vcpu_ioctl(fd, KVM_GET_FPU, &st->fpu, "KVM_GET_FPU")) < 0)
		return r;
	st->has_xcrs = has_cap(vm, KVM_CAP_XCRS) && ioctl(fd, KVM_GET_XCRS, &st->xcrs) == 0;
	for (unsigned i = 0; i < SAVED_MSRS; i++)
		st->msrs.e[i].index = msr[i];
	st->msrs.hdr.nmsrs = SAVED_MSRS;
	/* KVM stops at the first MSR it does not know: keep those it read */
	n = ioctl(fd, KVM_GET_MSRS, &st->msrs);
	st->msrs.hdr.nmsrs = n > 0 ? (uint32_t)n : 0;
	*ret = take_ptr(st);
	return 0;
}

int kvm_vcpu_restore(struct realm_vm *vm, unsigned index, const struct vcpu_state *st)
{
	struct vcpu_state copy = *st; /* KVM's set calls take non-const pointers */
	int fd, r;

	if ((r = kvm_vcpu_make(vm, index)) < 0)
		return r;
	fd = vm->vcpu[index].fd;
	if ((r = vcpu_ioctl(fd, KVM_SET_SREGS, &copy.sregs, "KVM_SET_SREGS")) < 0 ||
	    (copy.has_xcrs && (r = vcpu_ioctl(fd, KVM_SET_XCRS, &copy.xcrs, "KVM_SET_XCRS")) < 0) ||
	    (copy.has_xsave && (r = vcpu_ioctl(fd, KVM_SET_XSAVE, &copy.xsave, "KVM_SET_XSAVE")) < 0) ||
	    (!copy.has_xsave && (r = vcpu_ioctl(fd, KVM_SET_FPU, &copy.fpu, "KVM_SET_FPU")) < 0) ||
	    (r = vcpu_ioctl(fd, KVM_SET_REGS, &copy.regs, "KVM_SET_REGS")) < 0)
		return r;
	if (ioctl(fd, KVM_SET_MSRS, &copy.msrs) != (int)copy.msrs.hdr.nmsrs)
		return fasco_fail(FASCO_E_KVM, "KVM_SET_MSRS of a saved vCPU failed");
	vm->vcpu[index].run->kvm_valid_regs = KVM_SYNC_X86_SREGS;
	return kvm_vcpu_runnable(vm, index);
}

/* The resident pages of the shared region into a new shared mapping put
 * at the same address: parent and child stop sharing their slots. */
static int unshare_shared_region(struct realm_vm *vm)
{
	size_t pages = vm->shared_size / 4096;
	_cleanup_free_ unsigned char *resident = malloc(pages);
	uint8_t *copy;

	if (!resident)
		return -ENOMEM;
	if (mincore(vm->shared_mem, vm->shared_size, resident) < 0)
		memset(resident, 1, pages);
	copy = mmap(NULL, vm->shared_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (copy == MAP_FAILED)
		return fasco_fail_errno("map the child's shared region");
	for (size_t i = 0; i < pages; i++)
		if (resident[i] & 1)
			memcpy(copy + i * 4096, vm->shared_mem + i * 4096, 4096);
	if (mremap(copy, vm->shared_size, vm->shared_size, MREMAP_MAYMOVE | MREMAP_FIXED,
		   vm->shared_mem) == MAP_FAILED) {
		munmap(copy, vm->shared_size);
		return fasco_fail_errno("move the child's shared region");
	}
	return 0;
}

int kvm_vm_fork(struct realm_vm *vm)
{
	int r;

	/* the parent's VM belongs to the parent's mm: useless here */
	kvm_setup_reset(vm);
	if ((r = unshare_shared_region(vm)) < 0)
		return r;
	return kvm_setup_join(vm);
}

int kvm_vm_reset(struct realm_vm *vm, uint8_t **ret_private, uint8_t **ret_shared)
{
	kvm_setup_reset(vm);
	/* fresh zero pages in place of the old image (file mappings included) */
	if (mmap(vm->private_mem, vm->private_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		return fasco_fail_errno("renew realm memory");
	if (madvise(vm->shared_mem, vm->shared_size, MADV_REMOVE) < 0)
		memset(vm->shared_mem, 0, vm->shared_size);
	*ret_private = vm->private_mem;
	*ret_shared = vm->shared_mem;
	return 0;
}
