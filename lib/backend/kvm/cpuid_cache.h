/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_BACKEND_KVM_CPUID_CACHE_H
#define FASCO_BACKEND_KVM_CPUID_CACHE_H

#include <linux/kvm.h>
#include <stdint.h>

#define KVM_CPUID_MAX_ENTRIES 256

struct kvm_cpuid_table {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[KVM_CPUID_MAX_ENTRIES];
};

/*
 * What KVM supports on this host (KVM_GET_SUPPORTED_CPUID), from
 * state_dir's cache when it belongs to this boot and this load of KVM,
 * else from KVM (and then cached; state_dir may be NULL).
 */
int kvm_cpuid_supported(int kvm_fd, const char *state_dir, struct kvm_cpuid_table *out);

#endif
