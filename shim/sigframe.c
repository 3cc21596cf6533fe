/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux x86-64 signal frame: what a handler finds on its stack and
 * what rt_sigreturn reads back. The frame is program memory the handler
 * may change (siglongjmp, a debugger, an attacker): sigreturn copies it
 * once into the shim, keeps only flags a program may set, and checks the
 * extended FPU state before the CPU loads it, so a bad frame ends the
 * program with SIGSEGV as on Linux, never the shim.
 *
 * The shim itself never touches FPU or vector registers (it is built with
 * -mgeneral-regs-only), so the program's are still in the CPU here.
 */
#include "signals.h"

#define RED_ZONE 128
#define UC_FP_XSTATE 0x1ull
#define UC_SIGCONTEXT_SS 0x2ull
#define UC_STRICT_RESTORE_SS 0x4ull
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define FXSAVE_SIZE 512u
#define XSAVE_HEADER_SIZE 64u
#define SW_BYTES_OFFSET 464u
#define XSTATE_MAX 4096u        /* AMX tiles (features 17, 18) are left out */
#define XFEATURES_NO_AMX (~((1ull << 17) | (1ull << 18)))
#define MXCSR_OFFSET 24u
#define MXCSR_VALID 0xffffu
/* the flags a program may set in sigreturn (Linux's FIX_EFLAGS) */
#define USER_FLAGS 0x50dd5ull
#define SS_ONSTACK 1
#define USER_LIMIT 0x0000800000000000ull
#define SS_DISABLE 2

struct sigcontext_x86 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
};

struct ucontext_x86 {
	uint64_t flags, link, ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct sigcontext_x86 mc;
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode; /* the handler returns to sa_restorer */
	struct ucontext_x86 uc;
	uint8_t info[SIGINFO_SIZE];
};

/* struct _fpx_sw_bytes: tells a reader how the FPU state was saved */
struct fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, padding[7];
};

_Static_assert(sizeof(struct sigcontext_x86) == 256, "Linux x86-64 sigcontext");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 312, "Linux x86-64 rt_sigframe");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "Linux _fpx_sw_bytes");

/* How the FPU state is saved: xsave of these features in this many bytes,
 * or fxsave (no OSXSAVE: hardware KVM with the host's CR4 as the shim
 * sets it). The same on every vCPU, so a race to compute it is harmless. */
static uint64_t xfeatures;
static uint32_t xsize;

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void fpu_probe(void)
{
	uint32_t r[4], lo, hi;
	uint64_t features, size = FXSAVE_SIZE + XSAVE_HEADER_SIZE;

	if (xsize)
		return;
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 27))) { /* OSXSAVE */
		__atomic_store_n(&xsize, FXSAVE_SIZE, __ATOMIC_RELEASE);
		return;
	}
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	features = ((uint64_t)hi << 32 | lo) & XFEATURES_NO_AMX;
	for (uint32_t i = 2; i < 64; i++) {
		if (!(features & (1ull << i)))
			continue;
		cpuid(0xd, i, r); /* r[0] size, r[1] offset in the standard format */
		if (r[1] + r[0] > XSTATE_MAX) {
			features &= ~(1ull << i);
			continue;
		}
		if (r[1] + r[0] > size)
			size = r[1] + r[0];
	}
	xfeatures = features;
	__atomic_store_n(&xsize, (uint32_t)size, __ATOMIC_RELEASE);
}

static int use_xsave(void)
{
	return xsize != FXSAVE_SIZE;
}

static void fpu_save(uint64_t at)
{
	if (use_xsave())
		__asm__ volatile("xsave64 (%0)" :: "r"(at), "a"((uint32_t)xfeatures),
				 "d"((uint32_t)(xfeatures >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(at) : "memory");
}

/* Write the FPU state at fp (64-byte aligned, user memory), as Linux lays
 * it out: the software bytes in the fxsave area, MAGIC2 after the state. */
static int fpu_to_user(uint64_t fp)
{
	struct fpx_sw_bytes sw = { 0 };
	uint32_t magic2 = FP_XSTATE_MAGIC2;

	if (!mm_user_ok(fp, xsize + sizeof(magic2), PROT_W))
		return -E_FAULT;
	/* fault every page in first: xsave must not fault half-way */
	for (uint64_t p = fp & PAGE_MASK; p < fp + xsize + sizeof(magic2); p += PAGE_SIZE)
		__atomic_fetch_add((uint8_t *)(p < fp ? fp : p), 0, __ATOMIC_RELAXED);
	if (use_xsave())
		memset((void *)(fp + FXSAVE_SIZE), 0, XSAVE_HEADER_SIZE);
	fpu_save(fp);
	if (!use_xsave())
		return 0;
	sw = (struct fpx_sw_bytes){ .magic1 = FP_XSTATE_MAGIC1,
				    .extended_size = xsize + sizeof(magic2),
				    .xfeatures = xfeatures, .xstate_size = xsize };
	memcpy((void *)(fp + SW_BYTES_OFFSET), &sw, sizeof(sw));
	memcpy((void *)(fp + xsize), &magic2, sizeof(magic2));
	return 0;
}

static void save_context(struct sigcontext_x86 *mc, const struct shim_regs *r)
{
	*mc = (struct sigcontext_x86){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
		.r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
		.rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax,
		.rcx = r->rcx, .rsp = r->rsp, .rip = r->rip, .eflags = r->rflags,
		.cs = FASCO_SEL_USER_CS, .ss = FASCO_SEL_USER_DS,
	};
	if (r->vector < 32) {
		mc->trapno = r->vector;
		mc->err = r->error_code;
	}
}

/* Where the frame goes: the alternate stack if the handler asks for it and
 * the program is not on it already, else below the red zone. */
static uint64_t frame_top(const struct shim_regs *r, uint64_t flags)
{
	struct shim_percpu *me = this_cpu();
	uint64_t ss_sp, ss_size;
	int32_t ss_flags;

	memcpy(&ss_sp, me->altstack, 8);
	memcpy(&ss_flags, me->altstack + 8, 4);
	memcpy(&ss_size, me->altstack + 16, 8);
	if ((flags & SA_ONSTACK) && !(ss_flags & SS_DISABLE) && ss_size && !sig_on_altstack(r->rsp))
		return ss_sp + ss_size;
	return r->rsp - RED_ZONE;
}

int sigframe_setup(struct shim_regs *r, int sig, const struct k_sigaction *sa,
		   const uint8_t info[SIGINFO_SIZE], uint64_t oldmask)
{
	struct shim_percpu *me = this_cpu();
	struct rt_sigframe f = { .pretcode = sa->restorer };
	uint64_t fp, sp;
	int32_t ss_flags;

	fpu_probe();
	fp = (frame_top(r, sa->flags) - xsize - 4) & ~63ull;
	sp = ((fp - sizeof(f)) & ~15ull) - 8;
	if (fpu_to_user(fp) < 0)
		return -E_FAULT;
	f.uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (use_xsave() ? UC_FP_XSTATE : 0);
	memcpy(&f.uc.ss_sp, me->altstack, 8);
	memcpy(&ss_flags, me->altstack + 8, 4);
	f.uc.ss_flags = sig_on_altstack(r->rsp) ? SS_ONSTACK : ss_flags;
	memcpy(&f.uc.ss_size, me->altstack + 16, 8);
	save_context(&f.uc.mc, r);
	f.uc.mc.cr2 = r->vector == 14 ? me->fault_addr : 0;
	f.uc.mc.fpstate = fp;
	f.uc.mc.oldmask = oldmask;
	f.uc.sigmask = oldmask;
	memcpy(f.info, info, SIGINFO_SIZE);
	if (copy_to_user(sp, &f, sizeof(f)) < 0)
		return -E_FAULT;
	r->rsp = sp;
	r->rip = sa->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	r->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	r->rax = 0; /* no vector arguments (a variadic handler reads AL) */
	r->rflags &= ~0x40500ull; /* TF, DF, AC: the handler starts clean */
	return 0;
}

/* Load the FPU state the frame points at, after checking what makes
 * xrstor/fxrstor fault: a copy in the shim, so it cannot change meanwhile. */
static int fpu_from_user(uint64_t fp, uint64_t uc_flags)
{
	uint8_t buf[XSTATE_MAX] __attribute__((aligned(64)));
	struct fpx_sw_bytes sw;
	uint64_t hdr[8];
	uint32_t mxcsr, size = FXSAVE_SIZE;

	fpu_probe();
	if (!fp || (fp & 63) || copy_from_user(buf, fp, FXSAVE_SIZE) < 0)
		return -E_FAULT;
	memcpy(&sw, buf + SW_BYTES_OFFSET, sizeof(sw));
	if (use_xsave() && (uc_flags & UC_FP_XSTATE) && sw.magic1 == FP_XSTATE_MAGIC1 &&
	    sw.xstate_size == xsize && sw.extended_size == xsize + 4)
		size = xsize;
	if (size > FXSAVE_SIZE && copy_from_user(buf + FXSAVE_SIZE, fp + FXSAVE_SIZE, size - FXSAVE_SIZE) < 0)
		return -E_FAULT;
	memcpy(&mxcsr, buf + MXCSR_OFFSET, 4);
	mxcsr &= MXCSR_VALID;
	memcpy(buf + MXCSR_OFFSET, &mxcsr, 4);
	if (size == FXSAVE_SIZE) {
		__asm__ volatile("fxrstor64 (%0)" :: "r"(buf) : "memory");
		return 0;
	}
	/* standard format, only features this shim saves, reserved bytes 0 */
	memcpy(hdr, buf + FXSAVE_SIZE, sizeof(hdr));
	if (hdr[0] & ~xfeatures)
		return -E_FAULT;
	for (unsigned i = 1; i < 8; i++)
		if (hdr[i])
			return -E_FAULT;
	__asm__ volatile("xrstor64 (%0)" :: "r"(buf), "a"((uint32_t)xfeatures),
			 "d"((uint32_t)(xfeatures >> 32)) : "memory");
	return 0;
}

int64_t sigframe_return(struct shim_regs *r)
{
	struct ucontext_x86 uc;
	const struct sigcontext_x86 *c = &uc.mc;

	/* the handler's ret popped pretcode: the ucontext is at the stack */
	if (copy_from_user(&uc, r->rsp, sizeof(uc)) < 0 || fpu_from_user(c->fpstate, uc.flags) < 0)
		sig_default_end(SIGSEGV);
	if (c->rip >= USER_LIMIT || c->rsp >= USER_LIMIT)
		sig_default_end(SIGSEGV); /* not canonical: iretq would fault in the shim */
	r->r8 = c->r8, r->r9 = c->r9, r->r10 = c->r10, r->r11 = c->r11, r->r12 = c->r12;
	r->r13 = c->r13, r->r14 = c->r14, r->r15 = c->r15, r->rdi = c->rdi, r->rsi = c->rsi;
	r->rbp = c->rbp, r->rbx = c->rbx, r->rdx = c->rdx, r->rcx = c->rcx;
	r->rsp = c->rsp;
	r->rip = c->rip;
	r->rflags = (r->rflags & ~USER_FLAGS) | (c->eflags & USER_FLAGS);
	sig_set_mask(uc.sigmask);
	return (int64_t)c->rax;
}
