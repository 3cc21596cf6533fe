/* SPDX-License-Identifier: Apache-2.0 */
/* The CPU's spin-wait hint, for loops that poll shared memory. */
#ifndef FASCO_COMMON_CPU_RELAX_H
#define FASCO_COMMON_CPU_RELAX_H

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

#endif
