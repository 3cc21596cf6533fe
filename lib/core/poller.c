/* SPDX-License-Identifier: Apache-2.0 */
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/cpu_relax.h"
#include "common/error.h"
#include "core/poller.h"
#include "core/signals.h"

/* Reading the clock costs more than a pause: look at it now and then. */
#define CLOCK_EVERY 64

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void futex(uint32_t *word, int op, uint32_t val)
{
	syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static int take_posted(volatile struct fasco_slot_header *slot)
{
	uint32_t posted = FASCO_SLOT_POSTED;

	return __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) == FASCO_SLOT_POSTED &&
	       __atomic_compare_exchange_n(&slot->state, &posted, FASCO_SLOT_TAKEN, 0,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Serve slot i if a call is posted there; 1 if one was. */
static int serve_slot(struct poller *p, unsigned i)
{
	struct poller_slot *s = &p->slots[i];

	if (!take_posted(s->slot))
		return 0;
	pthread_mutex_lock(s->serving);
	p->serve(p->opaque, i);
	pthread_mutex_unlock(s->serving);
	__atomic_add_fetch(&p->served, 1, __ATOMIC_RELAXED);
	return 1;
}

/* Poll until idle_ns pass without a call. A slot is told it is polled
 * once per burst: the flag shares a cache line with the state the shim
 * spins on. */
static void poll_burst(struct poller *p)
{
	uint64_t last = now_ns();
	unsigned told = 0;

	for (unsigned spins = 0;; spins++) {
		unsigned n = __atomic_load_n(&p->n_slots, __ATOMIC_ACQUIRE);

		for (; told < n; told++)
			p->slots[told].slot->host_polling = 1;
		for (unsigned i = 0; i < n; i++)
			if (serve_slot(p, i))
				last = now_ns();
		if (spins % CLOCK_EVERY == 0 && now_ns() - last > p->idle_ns)
			break;
		cpu_relax();
	}
	/* a call posted from here on spins out its budget and rings instead */
	for (unsigned i = 0; i < told; i++)
		p->slots[i].slot->host_polling = 0;
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;

	signals_block(); /* pthread_create unblocked SIGCANCEL (signals.h) */
	for (;;) {
		while (!__atomic_load_n(&p->wake, __ATOMIC_ACQUIRE))
			futex(&p->wake, FUTEX_WAIT, 0);
		poll_burst(p);
		__atomic_store_n(&p->wake, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

int poller_start(struct poller *p)
{
	int ret = pthread_create(&p->thread, NULL, poller_main, p);

	if (ret)
		return fasco_fail(-ret, "cannot start the poller thread: %s", strerror(ret));
	p->running = 1;
	return 0;
}

void poller_kick(struct poller *p)
{
	if (p->running && !__atomic_exchange_n(&p->wake, 1, __ATOMIC_ACQ_REL))
		futex(&p->wake, FUTEX_WAKE, 1);
}

void poller_watch(struct poller *p, unsigned n)
{
	if (n > POLLER_MAX_SLOTS)
		n = POLLER_MAX_SLOTS;
	__atomic_store_n(&p->n_slots, n, __ATOMIC_RELEASE);
}
