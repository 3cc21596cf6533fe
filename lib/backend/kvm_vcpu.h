/* SPDX-License-Identifier: Apache-2.0 */
/* What every KVM-based backend (kvm, cca) does alike with a vCPU. */
#ifndef FASCO_BACKEND_KVM_VCPU_H
#define FASCO_BACKEND_KVM_VCPU_H

#include <linux/kvm.h>

struct vm_exit;

/* KVM_CREATE_VCPU index and map its kvm_run (*ret_run NULL if that fails). */
int kvm_vcpu_open(int vm_fd, unsigned index, int run_size, int *ret_fd, struct kvm_run **ret_run);

/*
 * KVM_RUN once. 1: run->exit_reason is for the caller to decode; 0: a
 * signal or a kick interrupted it (exit->kind = VM_EXIT_INTR); < 0: failed.
 * immediate_exit is cleared either way, so a kick stops one run only.
 */
int kvm_vcpu_enter(int fd, struct kvm_run *run, struct vm_exit *exit);

#endif
