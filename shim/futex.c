/* SPDX-License-Identifier: Apache-2.0 */
/*
 * futex: the waiting is the host kernel's. The monitor translates the futex
 * word's address through the realm's page tables and waits or wakes on its
 * own mapping of that page (lib/core/futex.c), so a waiting vCPU sleeps in
 * the host without spinning and a wake from any vCPU reaches it. The shim
 * checks the words are mapped and touches them first (the host only follows
 * present entries), and passes a timeout by value in the slot.
 */
#include "shim.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_CMD_MASK 0x7f

#define E_FAULT 14
#define E_INVAL 22
#define E_NOSYS 38

#define TIMEOUT_ARG 3

/* The word is mapped with this access and present in the page tables. */
static int touch(uint64_t uaddr, unsigned need)
{
	uint32_t v;

	if (uaddr & 3)
		return -E_INVAL;
	if (!mm_user_ok(uaddr, sizeof(v), need) || copy_from_user(&v, uaddr, sizeof(v)) < 0)
		return -E_FAULT;
	if (need & PROT_W)
		__atomic_fetch_add((uint32_t *)uaddr, 0, __ATOMIC_RELAXED); /* write-fault it in */
	return 0;
}

int64_t shim_futex(const uint64_t a[6])
{
	uint64_t args[6] = { a[0], a[1], a[2], a[3], a[4], a[5] };
	uint32_t mask = 0;
	int ret;

	switch (a[1] & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if ((ret = touch(a[0], PROT_R)) < 0)
			return ret;
		if (a[3]) {
			if (copy_from_user(this_cpu()->slot_data, a[3], 16) < 0)
				return -E_FAULT;
			mask = 1u << TIMEOUT_ARG;
		}
		return forward_prepared_blocking(__NR_futex, args, mask);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if ((ret = touch(a[0], PROT_R)) < 0)
			return ret;
		if (!threads_others_alive())
			return 0; /* no other thread of the realm can be waiting */
		break;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((ret = touch(a[0], PROT_R)) < 0 || (ret = touch(a[4], PROT_R)) < 0)
			return ret;
		break;
	case FUTEX_WAKE_OP:
		if ((ret = touch(a[0], PROT_R)) < 0 || (ret = touch(a[4], PROT_R | PROT_W)) < 0)
			return ret;
		break;
	default:
		return -E_NOSYS; /* priority-inheritance futexes hold thread ids */
	}
	return forward_prepared(__NR_futex, args, 0);
}
