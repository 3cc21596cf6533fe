/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system realm's poller: while the program is busy, a thread of the
 * realm monitor watches the slots of the running vCPUs and serves posted
 * calls without a VM exit (the protocol is in abi/realm_abi.h). It stops
 * polling after idle_ns without a call; the next call that rings the
 * doorbell kicks it again.
 */
#ifndef FASCO_CORE_POLLER_H
#define FASCO_CORE_POLLER_H

#include <pthread.h>
#include <stdint.h>

#include "abi/realm_abi.h"

#define POLLER_MAX_SLOTS 64

struct poller_slot {
	volatile struct fasco_slot_header *slot;
	pthread_mutex_t *serving;     /* held while any thread serves the slot */
};

struct poller {
	struct poller_slot slots[POLLER_MAX_SLOTS];
	uint32_t n_slots;             /* slots watched (grows as vCPUs start) */
	void (*serve)(void *opaque, unsigned i); /* serve slot i's call; state -> DONE */
	void *opaque;
	uint64_t idle_ns;
	uint64_t served;              /* calls answered without an exit */
	uint32_t wake;                /* futex word: nonzero while polling */
	int running;
	pthread_t thread;
};

/* Start the thread (sleeping until the first kick). */
int poller_start(struct poller *p);
/* The program made a call: poll for the next ones. Cheap when polling. */
void poller_kick(struct poller *p);
/* Watch the first n slots from now on. */
void poller_watch(struct poller *p, unsigned n);

#endif
