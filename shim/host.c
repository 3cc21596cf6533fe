/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Requests to the host: fill the slot header, then either post the request
 * for the host's poller and spin for the answer, or ring the doorbell (an
 * exit). The states are described in realm_abi.h.
 */
#include "shim.h"

/* Set by mm.c when page-table entries were removed or narrowed. */
extern int mm_tlb_dirty;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void ring(volatile struct fasco_slot_header *slot)
{
	/* a write to a page with no memory behind it exits */
	*(volatile uint32_t *)FASCO_GVA_DOORBELL = (uint32_t)slot->seq;
}

/* After this many withdrawn posts in a row the shim stops posting for as
 * many calls: a poller that keeps missing (a busy host) only adds spins. */
#define MAX_PENALTY 256u

/* Post a call for the polling host; returns 1 once it is answered. */
static int post_and_spin(struct shim_percpu *cpu, volatile struct fasco_slot_header *slot)
{
	uint64_t start = rdtsc(), budget = slot->spin_cycles;
	uint32_t posted = FASCO_SLOT_POSTED;

	__atomic_store_n(&slot->state, FASCO_SLOT_POSTED, __ATOMIC_RELEASE);
	do {
		if (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) == FASCO_SLOT_DONE) {
			cpu->poll_penalty = 0;
			return 1;
		}
		__builtin_ia32_pause();
	} while (rdtsc() - start < budget);
	if (__atomic_compare_exchange_n(&slot->state, &posted, FASCO_SLOT_RANG, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		cpu->poll_penalty = cpu->poll_penalty * 2 + 1;
		if (cpu->poll_penalty > MAX_PENALTY)
			cpu->poll_penalty = MAX_PENALTY;
		cpu->poll_skip = cpu->poll_penalty;
		return 0;
	}
	/* the host took it (a call that blocks?): wait there, not spinning here */
	ring(slot);
	return 1;
}

static int64_t host_request(uint32_t op, int may_poll)
{
	struct shim_percpu *cpu = this_cpu();
	volatile struct fasco_slot_header *slot = cpu->slot;

	slot->magic = FASCO_SLOT_MAGIC;
	slot->op = op;
	slot->seq++;
	slot->flags = mm_tlb_dirty ? FASCO_SLOT_FLUSH_TLB : 0;
	mm_tlb_dirty = 0;
	/* a flush needs the vCPU stopped: only plain calls (and populate
	 * hints) are polled */
	if (may_poll && (op == FASCO_OP_SYSCALL || op == FASCO_OP_POPULATE) && !slot->flags &&
	    slot->host_polling) {
		if (cpu->poll_skip)
			cpu->poll_skip--;
		else if (post_and_spin(cpu, slot))
			return slot->result;
	}
	__atomic_store_n(&slot->state, FASCO_SLOT_RANG, __ATOMIC_RELEASE);
	ring(slot);
	return slot->result;
}

int64_t host_call(uint32_t op)
{
	return host_request(op, 1);
}

/* A call that may wait long (a futex wait) rings at once: taken by the
 * poller it would hold up every other vCPU's polled calls. */
int64_t host_call_blocking(uint32_t op)
{
	return host_request(op, 0);
}

static noreturn void end_realm(uint64_t status, uint64_t sig)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	slot->args[0] = status;
	slot->args[1] = sig;
	for (;;)
		host_call(FASCO_OP_EXIT);
}

noreturn void host_exit(int status)
{
	end_realm((uint32_t)status, 0);
}

noreturn void host_exit_signal(int sig)
{
	end_realm(0, (uint32_t)sig);
}

noreturn void host_panic(uint64_t code, uint64_t detail)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	slot->args[0] = code;
	slot->args[1] = detail;
	for (;;)
		host_call(FASCO_OP_PANIC);
}
