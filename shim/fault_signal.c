/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which signal a fault of the program raises, with the si_code and si_addr
 * Linux gives it on x86-64; fault.c offers it to the program's handler
 * before it ends the realm with a report.
 */
#include "signals.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define FPE_INTDIV 1
#define FPE_FLTINV 7
#define ILL_ILLOPN 2
#define TRAP_BRKPT 1

int shim_fault_signal(struct shim_regs *r, uint64_t fault_addr)
{
	switch (r->vector) {
	case 0:  return sig_fault(r, SIGFPE, FPE_INTDIV, r->rip);
	case 16: case 19: return sig_fault(r, SIGFPE, FPE_FLTINV, r->rip);
	case 1:  return sig_fault(r, SIGTRAP, TRAP_BRKPT, r->rip);
	case 3:  return sig_fault(r, SIGTRAP, SI_KERNEL, 0);
	case 6:  return sig_fault(r, SIGILL, ILL_ILLOPN, r->rip);
	case 17: return sig_fault(r, SIGBUS, BUS_ADRALN, fault_addr);
	case 14:
		this_cpu()->fault_addr = fault_addr;
		return sig_fault(r, SIGSEGV, mm_user_ok(fault_addr, 1, 0) ? SEGV_ACCERR : SEGV_MAPERR,
				 fault_addr);
	default: return sig_fault(r, SIGSEGV, SI_KERNEL, 0); /* #GP and the rest */
	}
}
