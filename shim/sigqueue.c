/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pending signals of the realm process: one pool of records shared by all
 * its threads, each aimed at the process or at one thread (vCPU). Standard
 * signals are pending at most once per target, as on Linux; real-time ones
 * queue while the pool lasts. Signals from outside the realm (another
 * realm, the host, timers) wait in the monitor until a vCPU takes them;
 * a timer's signal is queued for the thread it was created for.
 */
#include "signals.h"

#define POOL 128
#define SIGRTMIN 32
/* the signals a fault raises: dequeued before the others, as Linux does */
#define SYNCHRONOUS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
		     SIGBIT(SIGFPE) | SIGBIT(SIGSYS))

struct sig_rec {
	int16_t sig;    /* 0: free */
	int16_t cpu;    /* CPU_PROCESS or a vCPU */
	uint32_t order; /* posting order: real-time signals leave in it */
	uint8_t info[SIGINFO_SIZE];
};

struct shim_lock sig_lock;
uint32_t sigq_seq;
static struct sig_rec pool[POOL];
static uint32_t queued; /* records in use: the fast path reads only this */
static uint32_t posted;

static int aimed_at(const struct sig_rec *s, int cpu)
{
	return s->sig && (s->cpu == CPU_PROCESS || s->cpu == cpu);
}

static int post_locked(int sig, int cpu, const uint8_t *info)
{
	struct sig_rec *free_rec = NULL;

	for (unsigned i = 0; i < POOL; i++) {
		if (sig < SIGRTMIN && pool[i].sig == sig && pool[i].cpu == cpu)
			return 0; /* already pending: standard signals do not queue */
		if (!pool[i].sig && !free_rec)
			free_rec = &pool[i];
	}
	if (!free_rec)
		return -E_AGAIN;
	if (info) {
		memcpy(free_rec->info, info, SIGINFO_SIZE);
	} else {
		struct siginfo_head h = { .code = SI_KERNEL };

		memset(free_rec->info, 0, SIGINFO_SIZE);
		memcpy(free_rec->info, &h, sizeof(h));
	}
	memcpy(free_rec->info, &sig, sizeof(int32_t)); /* si_signo is ours */
	free_rec->cpu = (int16_t)cpu;
	free_rec->order = posted++;
	__atomic_store_n(&free_rec->sig, (int16_t)sig, __ATOMIC_RELEASE);
	__atomic_add_fetch(&queued, 1, __ATOMIC_RELEASE);
	return 0;
}

int sigq_post(int sig, int cpu, const uint8_t *info)
{
	int ret;

	if (sig < 1 || sig > NSIG)
		return -E_INVAL;
	shim_lock(&sig_lock);
	ret = post_locked(sig, cpu, info);
	shim_unlock(&sig_lock);
	__atomic_add_fetch(&sigq_seq, 1, __ATOMIC_RELEASE);
	return ret;
}

uint64_t sigq_pending(int cpu)
{
	uint64_t set = 0;

	shim_lock(&sig_lock);
	for (unsigned i = 0; i < POOL; i++)
		if (aimed_at(&pool[i], cpu))
			set |= SIGBIT(pool[i].sig);
	shim_unlock(&sig_lock);
	return set;
}

uint64_t sigq_pending_all(void)
{
	uint64_t set = 0;

	shim_lock(&sig_lock);
	for (unsigned i = 0; i < POOL; i++)
		if (pool[i].sig)
			set |= SIGBIT(pool[i].sig);
	shim_unlock(&sig_lock);
	return set;
}

/* The record to take: synchronous signals first, then the lowest number,
 * the thread's own before the process's, oldest first. */
static struct sig_rec *pick(int cpu, uint64_t allowed)
{
	struct sig_rec *best = NULL;
	int best_rank = 0;

	for (unsigned i = 0; i < POOL; i++) {
		struct sig_rec *s = &pool[i];
		int rank;

		if (!aimed_at(s, cpu) || !(allowed & SIGBIT(s->sig)))
			continue;
		rank = s->sig + (s->cpu == CPU_PROCESS ? 256 : 0) +
		       ((SYNCHRONOUS & SIGBIT(s->sig)) ? 0 : 128);
		if (!best || rank < best_rank || (rank == best_rank && s->order < best->order)) {
			best = s;
			best_rank = rank;
		}
	}
	return best;
}

int sigq_take(int cpu, uint64_t allowed, uint8_t info[SIGINFO_SIZE])
{
	struct sig_rec *s;
	int sig = 0;

	if (!__atomic_load_n(&queued, __ATOMIC_ACQUIRE))
		return 0;
	shim_lock(&sig_lock);
	if ((s = pick(cpu, allowed))) {
		sig = s->sig;
		memcpy(info, s->info, SIGINFO_SIZE);
		s->sig = 0;
		__atomic_sub_fetch(&queued, 1, __ATOMIC_RELEASE);
	}
	shim_unlock(&sig_lock);
	return sig;
}

/* A signal set to be ignored is dropped from every pending set (Linux). */
void sigq_discard(int sig)
{
	shim_lock(&sig_lock);
	for (unsigned i = 0; i < POOL; i++)
		if (pool[i].sig == sig) {
			pool[i].sig = 0;
			__atomic_sub_fetch(&queued, 1, __ATOMIC_RELEASE);
		}
	shim_unlock(&sig_lock);
}

/* A forked child starts with nothing pending. */
void sigq_reset(void)
{
	memset(pool, 0, sizeof(pool));
	queued = 0;
	sig_lock = (struct shim_lock){ 0 };
}

int sigq_maybe(void)
{
	return __atomic_load_n(&queued, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&this_cpu()->slot->sig_hint, __ATOMIC_ACQUIRE);
}

/* The host's records are checked one by one: a signal number out of range
 * is dropped (the realm trusts the host with what it sends, not with the
 * shape of the data area). */
void sigq_drain_host(void)
{
	struct shim_percpu *me = this_cpu();
	uint64_t others = 0;
	int64_t n;

	if (!__atomic_load_n(&me->slot->sig_hint, __ATOMIC_ACQUIRE))
		return;
	me->slot->args[0] = FASCO_SIG_TAKE;
	n = host_call(FASCO_OP_SIGNALS);
	if (n < 0 || n > FASCO_SIG_TAKE_MAX)
		return;
	for (int64_t i = 0; i < n; i++) {
		uint8_t info[SIGINFO_SIZE];
		int32_t sig;
		int cpu;

		memcpy(info, me->slot_data + i * SIGINFO_SIZE, SIGINFO_SIZE);
		memcpy(&sig, info, sizeof(sig));
		cpu = sig_timer_target(info);
		if (sigq_post(sig, cpu, info) == 0 && cpu != CPU_PROCESS)
			others |= 1ull << cpu;
	}
	/* after the records are read: a kick reuses the slot */
	for (int cpu = 0; others; cpu++, others >>= 1)
		if (others & 1)
			sig_kick(cpu);
}
