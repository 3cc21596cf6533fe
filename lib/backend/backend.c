/* SPDX-License-Identifier: Apache-2.0 */
#include <unistd.h>

#include "backend/backend.h"
#include "common/error.h"

const struct realm_backend_ops *backend_get(int which)
{
	switch (which) {
	case FASCO_BACKEND_AUTO:
	case FASCO_BACKEND_KVM:
#if defined(__x86_64__)
		return &kvm_backend_ops;
#else
		return NULL;
#endif
	case FASCO_BACKEND_CCA:
#if defined(__aarch64__)
		return &cca_backend_ops; /* compile-checked only: never ran */
#else
		return NULL;
#endif
	default:
		return NULL;
	}
}

void vcpu_boot_gprs(const struct vcpu_boot *b, uint64_t gprs[8])
{
	gprs[0] = b->arg0;
	gprs[1] = b->stack;
	gprs[2] = b->page_table_root;
	gprs[3] = b->percpu;
	gprs[4] = b->gdt;
	gprs[5] = b->idt;
	gprs[6] = b->tss;
	gprs[7] = b->syscall_entry | (uint64_t)!!b->user_mode << 63;
}
