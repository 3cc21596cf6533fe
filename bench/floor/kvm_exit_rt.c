/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The floor of a forwarded call, measured on this host's KVM with no
 * libfasco involved: a 64-bit guest whose user code loops on `syscall`; the
 * handler either returns at once (what a shim-served call costs) or first
 * exits to this VMM with one port write (the floor of a forwarded call).
 *   kvm_exit_rt [ITERATIONS]
 * Prints "<case> <ns per round trip>" lines. Guest time comes from the TSC,
 * converted with the host's CLOCK_MONOTONIC over the same run.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE (4u << 20)
#define PML4 0x1000
#define PDPT 0x2000
#define PD 0x3000
#define GDT 0x5000
#define TSS 0x6000
#define IDT 0x7000
#define RSP0 0x9000
#define BOOT 0x10000
#define USER 0x11000
#define HANDLER 0x12000
#define USER_STACK 0x30000
#define PARAMS 0x40000 /* [0] iterations, [1] mode, [2] result cycles */

#define PORT_FORWARD 0x10
#define PORT_DONE 0x11

enum mode { MODE_LOCAL = 0, MODE_FORWARD = 1 };

static const uint8_t boot_code[] = {
	/* iretq to USER at CS 0x33, SS 0x2b, RFLAGS 0x202 (IOPL 0) */
	0x6a, 0x2b,                               /* push $0x2b */
	0x68, 0x00, 0x00, 0x03, 0x00,             /* push $USER_STACK */
	0x68, 0x02, 0x02, 0x00, 0x00,             /* push $0x202 */
	0x6a, 0x33,                               /* push $0x33 */
	0x68, 0x00, 0x10, 0x01, 0x00,             /* push $USER */
	0x48, 0xcf,                               /* iretq */
};

static const uint8_t user_code[] = {
	0x48, 0x8b, 0x1c, 0x25, 0x00, 0x00, 0x04, 0x00, /* mov PARAMS, %rbx (count) */
	0x0f, 0x31,                               /* rdtsc */
	0x48, 0xc1, 0xe2, 0x20,                   /* shl $32, %rdx */
	0x48, 0x09, 0xc2,                         /* or %rax, %rdx */
	0x49, 0x89, 0xd4,                         /* mov %rdx, %r12 */
	/* loop: */
	0x31, 0xc0,                               /* xor %eax, %eax */
	0x0f, 0x05,                               /* syscall */
	0x48, 0xff, 0xcb,                         /* dec %rbx */
	0x75, 0xf7,                               /* jnz loop */
	0x0f, 0x31,                               /* rdtsc */
	0x48, 0xc1, 0xe2, 0x20,                   /* shl $32, %rdx */
	0x48, 0x09, 0xc2,                         /* or %rax, %rdx */
	0x4c, 0x29, 0xe2,                         /* sub %r12, %rdx */
	0x48, 0x89, 0x14, 0x25, 0x10, 0x00, 0x04, 0x00, /* mov %rdx, PARAMS+16 */
	0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, /* mov $-1, %rax */
	0x0f, 0x05,                               /* syscall */
	0xeb, 0xfe,                               /* jmp . */
};

/* Runs without a privilege change on kvm-pvm, on the user stack. */
static const uint8_t handler_code[] = {
	0x48, 0x83, 0xf8, 0xff,                   /* cmp $-1, %rax */
	0x74, 0x25,                               /* je done */
	0x48, 0x83, 0x3c, 0x25, 0x08, 0x00, 0x04, 0x00, 0x00, /* cmpq $0, PARAMS+8 */
	0x74, 0x02,                               /* je ret */
	0xe6, PORT_FORWARD,                       /* out %al, $PORT_FORWARD */
	/* ret: */
	0x49, 0x89, 0xe1,                         /* mov %rsp, %r9 */
	0x6a, 0x2b,                               /* push $0x2b */
	0x41, 0x51,                               /* push %r9 */
	0x41, 0x53,                               /* push %r11 */
	0x6a, 0x33,                               /* push $0x33 */
	0x51,                                     /* push %rcx */
	0x48, 0xcf,                               /* iretq */
	0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
	/* done: */
	0xe6, PORT_DONE,                          /* out %al, $PORT_DONE */
	0xeb, 0xfe,                               /* jmp . */
};

static uint64_t seg_desc(uint8_t type_dpl_s_p, uint8_t flags)
{
	return 0xffffull | (uint64_t)type_dpl_s_p << 40 | 0xfull << 48 | (uint64_t)flags << 52;
}

static void setup_memory(uint8_t *m)
{
	uint64_t *pml4 = (uint64_t *)(m + PML4), *pdpt = (uint64_t *)(m + PDPT);
	uint64_t *pd = (uint64_t *)(m + PD), *gdt = (uint64_t *)(m + GDT);
	uint8_t *tss = m + TSS;

	pml4[0] = PDPT | 7;
	pdpt[0] = PD | 7;
	pd[0] = 0 | 0x87;             /* 2 MiB, user, writable */
	pd[1] = (2u << 20) | 0x87;
	gdt[1] = seg_desc(0x9b, 0xa); /* 0x08 kernel code, L */
	gdt[2] = seg_desc(0x93, 0xc); /* 0x10 kernel data */
	gdt[4] = seg_desc(0xfb, 0xc); /* 0x23 user code 32 */
	gdt[5] = seg_desc(0xf3, 0xc); /* 0x2b user data */
	gdt[6] = seg_desc(0xfb, 0xa); /* 0x33 user code, L */
	/* 0x38: 64-bit TSS; I/O bitmap right after the 104-byte TSS opens both ports */
	gdt[7] = (uint64_t)(104 + 8192 - 1) | (uint64_t)TSS << 16 | 0x89ull << 40;
	*(uint64_t *)(tss + 4) = RSP0;
	*(uint16_t *)(tss + 102) = 104;
	memset(tss + 104, 0xff, 8192 + 1);
	tss[104 + PORT_FORWARD / 8] &= (uint8_t)~(1u << (PORT_FORWARD % 8));
	tss[104 + PORT_DONE / 8] &= (uint8_t)~(1u << (PORT_DONE % 8));
	memcpy(m + BOOT, boot_code, sizeof(boot_code));
	memcpy(m + USER, user_code, sizeof(user_code));
	memcpy(m + HANDLER, handler_code, sizeof(handler_code));
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int l, int dpl)
{
	*s = (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .dpl = (uint8_t)dpl, .db = !l, .s = 1,
		.l = (uint8_t)l, .g = 1 };
}

static int setup_vcpu(int vcpu)
{
	struct kvm_sregs s;
	struct kvm_regs r = { .rip = BOOT, .rsp = RSP0, .rflags = 2 };
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[3];
	} msrs = { .h.nmsrs = 3, .e = {
		{ .index = 0xc0000081, .data = 0x0023000800000000ull }, /* STAR */
		{ .index = 0xc0000082, .data = HANDLER },               /* LSTAR */
		{ .index = 0xc0000084, .data = 0x47700 },               /* SFMASK */
	} };

	if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		return -1;
	s.cr0 = 0x80050033;
	s.cr3 = PML4;
	s.cr4 = 0x6a0;
	s.efer = 0xd01;
	seg(&s.cs, 0x08, 11, 1, 0);
	seg(&s.ds, 0x10, 3, 0, 0);
	s.es = s.ss = s.fs = s.gs = s.ds;
	s.gdt.base = GDT;
	s.gdt.limit = 8 * 9 - 1;
	s.idt.base = IDT;
	s.idt.limit = 0;
	s.tr = (struct kvm_segment){ .base = TSS, .limit = 104 + 8192, .selector = 0x38,
		.type = 11, .present = 1 };
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0 || ioctl(vcpu, KVM_SET_MSRS, &msrs) != 3)
		return -1;
	return ioctl(vcpu, KVM_SET_REGS, &r);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One fresh VM per case; returns guest cycles per iteration, and the wall ns. */
static int run_case(int kvm, enum mode mode, uint64_t n, double *ret_cycles, double *ret_ns)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu = -1, rc = -1;
	uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_run *run = MAP_FAILED;
	double t0;

	if (vm < 0 || mem == MAP_FAILED)
		goto out;
	setup_memory(mem);
	((uint64_t *)(mem + PARAMS))[0] = n;
	((uint64_t *)(mem + PARAMS))[1] = mode;
	struct kvm_userspace_memory_region region = {
		.slot = 0, .memory_size = MEM_SIZE, .userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		goto out;
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0 || setup_vcpu(vcpu) < 0)
		goto out;
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		goto out;
	t0 = now_ns();
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			perror("KVM_RUN");
			goto out;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_FORWARD)
			continue;
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_DONE)
			break;
		fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
		goto out;
	}
	*ret_ns = now_ns() - t0;
	*ret_cycles = (double)((uint64_t *)(mem + PARAMS))[2] / (double)n;
	rc = 0;
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	if (mem != MAP_FAILED)
		munmap(mem, MEM_SIZE);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	static const char *const names[] = { "shim_served_syscall", "forwarded_floor_pio" };

	if (kvm < 0 || n == 0) {
		fprintf(stderr, "kvm_exit_rt: cannot open /dev/kvm\n");
		return 77;
	}
	for (int mode = MODE_LOCAL; mode <= MODE_FORWARD; mode++) {
		double cycles, ns;

		if (run_case(kvm, (enum mode)mode, n, &cycles, &ns) < 0)
			return 1;
		/* wall time includes VM creation; per-iteration from guest cycles
		 * scaled by the whole run's ns/cycle would need the TSC rate: report both */
		printf("%s cycles %.0f wall_ns %.0f\n", names[mode], cycles, ns / (double)n);
	}
	return 0;
}
