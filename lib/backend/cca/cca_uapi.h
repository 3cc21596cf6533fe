/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux KVM interface for Arm CCA realms that Debian's arm64 kernel
 * headers (linux-libc-dev-arm64-cross, Linux 6.1) lack. Nothing here is
 * upstream yet; the numbers change with every revision of the series.
 *
 * Followed: Steven Price, "arm64: Support for Arm CCA in KVM" v14
 * (13 May 2026, RMM 2.0-bet1; git gitlab.arm.com/linux-arm/linux-cca
 * branch cca-host/v14), patches 13/44 "arm64: RMI: Define the user ABI"
 * and 16/44 "KVM: arm64: Allow passing machine type in KVM creation".
 * The behaviour relied on (realm descriptor created at the first populate,
 * RECs made from the vCPUs' registers and the realm activated at the first
 * KVM_RUN, shared IPA = private IPA with the top bit set) was read in v12
 * (17 Dec 2025) and v14.
 *
 * guest_memfd and memory attributes: upstream include/uapi/linux/kvm.h
 * since Linux 6.8.
 *
 * Every definition is guarded so newer kernel headers win.
 */
#ifndef FASCO_BACKEND_CCA_CCA_UAPI_H
#define FASCO_BACKEND_CCA_CCA_UAPI_H

#include <linux/kvm.h>
#include <linux/types.h>

/* ---- CCA (v14) ---- */
#ifndef KVM_CAP_ARM_RMI
#define KVM_CAP_ARM_RMI 249 /* v12: 247, v13: 248 */
#endif
#ifndef KVM_VM_TYPE_ARM_REALM
#define KVM_VM_TYPE_ARM_REALM (1UL << 30) /* v12/v13: 1UL << 8 */
#endif
#ifndef KVM_ARM_RMI_POPULATE
/* in/out since v13: the kernel advances base, size and source_uaddr */
struct kvm_arm_rmi_populate {
	__u64 base;
	__u64 size;
	__u64 source_uaddr;
	__u32 flags;
	__u32 reserved;
};
#define KVM_ARM_RMI_POPULATE _IOWR(KVMIO, 0xd7, struct kvm_arm_rmi_populate)
#define KVM_ARM_RMI_POPULATE_FLAGS_MEASURE (1 << 0)
#endif

/* ---- guest_memfd (Linux 6.8) ---- */
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_USER_MEMORY2 231
#define KVM_CAP_MEMORY_ATTRIBUTES 233
#define KVM_CAP_GUEST_MEMFD 234

struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD _IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)

struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#define KVM_MEM_GUEST_MEMFD (1UL << 2)

struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};
#define KVM_SET_MEMORY_ATTRIBUTES _IOW(KVMIO, 0xd2, struct kvm_memory_attributes)
#define KVM_MEMORY_ATTRIBUTE_PRIVATE (1ULL << 3)
#endif

#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT 39 /* a RIPAS change or an access the memslots refuse */
#endif

#endif
