/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "backend/backend.h"
#include "backend/kvm_vcpu.h"
#include "common/error.h"

int kvm_vcpu_open(int vm_fd, unsigned index, int run_size, int *ret_fd, struct kvm_run **ret_run)
{
	struct kvm_run *run;

	*ret_fd = ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)index);
	if (*ret_fd < 0)
		return fasco_fail(FASCO_E_KVM, "KVM_CREATE_VCPU: %s", strerror(errno));
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, *ret_fd, 0);
	if (run == MAP_FAILED) {
		*ret_run = NULL;
		return fasco_fail_errno("mmap kvm_run");
	}
	*ret_run = run;
	return 0;
}

int kvm_vcpu_enter(int fd, struct kvm_run *run, struct vm_exit *exit)
{
	int r = ioctl(fd, KVM_RUN, 0);

	__atomic_store_n(&run->immediate_exit, 0, __ATOMIC_RELAXED);
	if (r >= 0)
		return 1;
	if (errno == EINTR || errno == EAGAIN) {
		exit->kind = VM_EXIT_INTR;
		return 0;
	}
	return fasco_fail(FASCO_E_KVM, "KVM_RUN: %s", strerror(errno));
}
