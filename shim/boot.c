/* SPDX-License-Identifier: Apache-2.0 */
/*
 * First code in the realm (ring 0 on hardware KVM, user privilege on
 * kvm-pvm, where ring 0 is emulated), with the host-built page tables,
 * descriptor tables and per-vCPU area in place: read the manifest, take over
 * the address space, fill AT_RANDOM from the CPU's generator (random bytes
 * cannot be measured, so the host leaves them to us) and enter the program.
 */
#include "signals.h"

#define PANIC_MANIFEST 1
#define PANIC_MM 2

static struct shim_regs boot_frame;

static uint64_t rdrand64(void)
{
	uint64_t v;
	unsigned char ok;

	do
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	while (!ok);
	return v;
}

uint64_t shim_main(uint64_t manifest_va)
{
	const void *m = (const void *)manifest_va;
	uint64_t random;

	/* a thread's vCPU (thread.c): the realm is set up, the program's
	 * thread enters where its clone left it */
	if (this_cpu()->cpu != 0)
		return (uint64_t)thread_first_entry();
	if (fdt_check(m, 1u << 20) < 0)
		host_panic(PANIC_MANIFEST, 0);
	shim_platform = (uint32_t)fdt_u64(m, "fasco", "platform", 0);
	if (mm_init(m) < 0)
		host_panic(PANIC_MM, 0);
	shim_pid = this_cpu()->slot->aux[FASCO_SLOT_AUX_PID];
	this_cpu()->tid = (uint32_t)shim_pid;
	shim_vcpus = (unsigned)fdt_u64(m, "cpus", "count", 1);
	shim_signal_thread_init();
	sig_exec_restore(); /* an exec'd image: what it keeps of the old one's */

	random = fdt_u64(m, "fasco", "at-random", 0);
	if (random) {
		uint64_t r[2] = { rdrand64(), rdrand64() };

		if (copy_to_user(random, r, sizeof(r)) < 0)
			host_panic(PANIC_MM, random);
	}

	boot_frame.rip = fdt_u64(m, "fasco", "entry", 0);
	boot_frame.rsp = fdt_u64(m, "fasco", "stack-pointer", 0);
	boot_frame.cs = FASCO_SEL_USER_CS;
	boot_frame.ss = FASCO_SEL_USER_DS;
	boot_frame.rflags = 0x202;
	return (uint64_t)&boot_frame;
}
