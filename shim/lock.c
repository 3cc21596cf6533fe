/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shim's lock for state every vCPU shares (the address space). A vCPU
 * that faults while it holds the lock (the shim copying into a page not
 * mapped yet) takes it again instead of waiting for itself.
 */
#include "shim.h"

void shim_lock(struct shim_lock *l)
{
	uint32_t me = this_cpu()->cpu + 1, free_ = 0;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == me) {
		l->depth++;
		return;
	}
	while (!__atomic_compare_exchange_n(&l->owner, &free_, me, 0, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free_ = 0;
		__builtin_ia32_pause();
	}
	l->depth = 1;
}

void shim_unlock(struct shim_lock *l)
{
	if (--l->depth == 0)
		__atomic_store_n(&l->owner, 0, __ATOMIC_RELEASE);
}
