/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points of the shim: boot, the system-call entry and the exception
 * vectors. On kvm-pvm a user `syscall` reaches syscall_entry WITHOUT a
 * privilege change (CS/SS stay user, RSP is the program's stack, SFMASK is not
 * applied), so the entry switches stacks with plain moves through the per-vCPU
 * area at the GS base, clears DF itself and returns with iretq (sysretq
 * triple-faults there). Exceptions arrive at ring 0 on TSS.RSP0 on both
 * platforms.
 */
#include "abi/realm_abi.h"

	.section .text.entry, "ax"
	.code64

/* Boot: the host enters here in 64-bit ring 0 with RSP on the exception
 * stack of vCPU 0, RDI = manifest address, GS base = per-vCPU area. */
	.globl shim_boot
shim_boot:
	cld
	xor %ebp, %ebp
	call shim_main		/* prepares the program; returns its frame */
	mov %rax, %rsp
	jmp return_to_user

/* Frame layout shared with struct shim_regs (shim.h). */
.macro SAVE_GPRS
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rax
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro RESTORE_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rax
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
.endm

	.globl shim_syscall_entry
	.balign 16
shim_syscall_entry:
	mov %rsp, %gs:FASCO_PERCPU_USER_RSP
	mov %gs:FASCO_PERCPU_SYSCALL_STACK, %rsp
	cld
	/* an iretq frame, so every return to the program looks the same */
	push $FASCO_SEL_USER_DS
	push %gs:FASCO_PERCPU_USER_RSP
	push %r11			/* RFLAGS */
	push $FASCO_SEL_USER_CS
	push %rcx			/* RIP */
	push $0				/* error code slot */
	push $-1			/* vector slot: -1 = system call */
	SAVE_GPRS
	mov %rsp, %rdi
	call shim_syscall
	jmp return_to_user

/* The host stopped the vCPU in the program for a signal and resumed it
 * here with every register intact but RIP (left in the slot): the same
 * frame as a system call's, taken to the signal code. */
	.globl shim_signal_entry
	.balign 16
shim_signal_entry:
	mov %rsp, %gs:FASCO_PERCPU_USER_RSP
	mov %gs:FASCO_PERCPU_SYSCALL_STACK, %rsp
	push $FASCO_SEL_USER_DS
	push %gs:FASCO_PERCPU_USER_RSP
	pushfq
	push $FASCO_SEL_USER_CS
	push $0				/* RIP: from the slot */
	push $0
	push $-2
	SAVE_GPRS
	cld
	mov %rsp, %rdi
	call shim_signal_diverted
	jmp return_to_user

/* RSP points at a struct shim_regs; restore it and return to the program. */
	.globl return_to_user
return_to_user:
	RESTORE_GPRS
	add $16, %rsp			/* vector, error code */
	iretq

/* Exception stubs, FASCO_SHIM_VECTOR_STRIDE bytes apart. Vectors that push
 * no error code get a zero so every frame has the same shape. */
.macro VECTOR n
	.balign FASCO_SHIM_VECTOR_STRIDE
	.if (\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	push $\n
	.else
	push $0
	push $\n
	.endif
	jmp exception_common
.endm

	.balign FASCO_SHIM_VECTOR_STRIDE
	.globl shim_vectors
shim_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	VECTOR \n
	.endr

exception_common:
	cmpl $FASCO_PLATFORM_KVM_PVM, shim_platform(%rip)
	je exception_bounce
	SAVE_GPRS
	cld
	mov %rsp, %rdi
	mov %cr2, %rsi
	call shim_exception
	jmp return_to_user

/* kvm-pvm emulates ring 0 one instruction at a time: record what only ring 0
 * sees and leave at once for shim_bounced_exception at user privilege, on the
 * rest of the exception stack (below the interrupted frame if the bounced
 * handler itself faulted). */
exception_bounce:
	mov %rax, %gs:FASCO_PERCPU_SCRATCH
	mov %cr2, %rax
	mov %rax, %gs:FASCO_PERCPU_FAULT_ADDR
	mov %rsp, %gs:FASCO_PERCPU_FRAME
	mov 40(%rsp), %rax		/* the interrupted RSP */
	cmp %gs:FASCO_PERCPU_FAULT_STACK_LO, %rax
	jb 1f
	cmp %gs:FASCO_PERCPU_FAULT_STACK, %rax
	jae 1f
	sub $256, %rax
	and $-16, %rax
	jmp 2f
1:	mov %gs:FASCO_PERCPU_FAULT_STACK, %rax
2:	push $FASCO_SEL_USER_DS
	push %rax
	push $2
	push $FASCO_SEL_USER_CS
	lea shim_bounced_exception(%rip), %rax
	push %rax
	mov %gs:FASCO_PERCPU_SCRATCH, %rax
	iretq

/* Copies the ring-0 frame before anything can fault again (the next
 * exception reuses the top of the exception stack), then takes the common
 * path; return_to_user's iretq stays at user privilege. */
shim_bounced_exception:
	mov %gs:FASCO_PERCPU_FRAME, %rax
	pushq 48(%rax)			/* SS */
	pushq 40(%rax)			/* RSP */
	pushq 32(%rax)			/* RFLAGS */
	pushq 24(%rax)			/* CS */
	pushq 16(%rax)			/* RIP */
	pushq 8(%rax)			/* error code */
	pushq 0(%rax)			/* vector */
	mov %gs:FASCO_PERCPU_SCRATCH, %rax
	SAVE_GPRS
	cld
	mov %rsp, %rdi
	mov %gs:FASCO_PERCPU_FAULT_ADDR, %rsi
	call shim_exception
	jmp return_to_user
