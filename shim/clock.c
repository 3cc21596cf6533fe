/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clocks without a VM exit, as Linux's vDSO serves them: a forwarded call
 * reads a clock once, stamped with the TSC before and after; from then on
 * the time is that reading plus TSC cycles at the rate the host measured.
 * A clock is read again (one forwarded call) after RESYNC_NS, so host
 * adjustments reach the realm within a second; monotonic clocks never go
 * back across a resync. The base is taken at the call's midpoint, so a
 * reading can be off by half a forwarded call (~12 us polled) at most.
 */
#include "shim.h"

#define E_FAULT 14
#define RESYNC_NS 1000000000ull
#define NS_PER_SEC 1000000000ull

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

struct timespec64 {
	int64_t sec, nsec;
};

struct clock_base {
	uint64_t tsc;      /* midpoint of the reading */
	uint64_t ns;       /* the reading */
	uint64_t last;     /* last value returned (monotonic clocks) */
	int valid;
};

enum { BASE_REALTIME, BASE_MONOTONIC, BASE_BOOTTIME, N_BASES };

static struct clock_base bases[N_BASES];
static const uint32_t base_clock[N_BASES] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME };

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* cycles * 10^6 / kHz as a 32.32 fixed-point multiply (no division here). */
static uint64_t cycles_to_ns(uint64_t cycles)
{
	static uint64_t mult, mult_khz;
	uint64_t khz = this_cpu()->slot->tsc_khz;

	if (khz != mult_khz) {
		mult = (1000000ull << 32) / khz;
		mult_khz = khz;
	}
	return (uint64_t)(((unsigned __int128)cycles * mult) >> 32);
}

/* Read the host's clock once through the slot; 0 or -errno. */
static int64_t resync(struct clock_base *b, uint32_t clock)
{
	uint64_t args[6] = { clock, 0, 0, 0, 0, 0 }, t0, t1;
	struct fasco_layout lay;
	struct timespec64 ts;
	int64_t ret;

	args[1] = 1; /* any non-zero pointer: only the layout is wanted */
	if ((ret = fasco_sys_layout(__NR_clock_gettime, args, 2, 1, &lay)) < 0)
		return ret;
	t0 = rdtsc();
	ret = forward_prepared(__NR_clock_gettime, args, 2);
	t1 = rdtsc();
	if (ret < 0)
		return ret;
	memcpy(&ts, this_cpu()->slot_data + lay.off[1], sizeof(ts));
	if (ts.sec < 0 || ts.nsec < 0 || (uint64_t)ts.nsec >= NS_PER_SEC)
		return -E_FAULT; /* the host is not making sense: stay on the slow path */
	b->tsc = t0 + (t1 - t0) / 2;
	b->ns = (uint64_t)ts.sec * NS_PER_SEC + (uint64_t)ts.nsec;
	b->valid = 1;
	return 0;
}

static int base_of(uint64_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE: return BASE_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE: return BASE_MONOTONIC;
	case CLOCK_BOOTTIME: return BASE_BOOTTIME;
	default: return -1;
	}
}

/* The bases are the realm's, shared by its threads: one reads them while
 * another resyncs them (a forwarded call about once a second), and a
 * monotonic clock never goes back from one thread to the next. */
struct shim_lock clock_lock;

static int64_t clock_now_ns_locked(uint64_t clock);

/* Nanoseconds on clock, or -1 if this clock is not served here. */
static int64_t clock_now_ns(uint64_t clock)
{
	int64_t ns;

	shim_lock(&clock_lock);
	ns = clock_now_ns_locked(clock);
	shim_unlock(&clock_lock);
	return ns;
}

static int64_t clock_now_ns_locked(uint64_t clock)
{
	int i = base_of(clock);
	struct clock_base *b;
	uint64_t now, ns;

	if (i < 0 || !this_cpu()->slot->tsc_khz)
		return -1;
	b = &bases[i];
	now = rdtsc();
	if (!b->valid || now < b->tsc || cycles_to_ns(now - b->tsc) > RESYNC_NS) {
		if (resync(b, base_clock[i]) < 0)
			return -1;
		now = rdtsc();
	}
	ns = b->ns + cycles_to_ns(now - b->tsc);
	if (i != BASE_REALTIME) {
		if (ns < b->last)
			ns = b->last; /* never backwards across a resync */
		b->last = ns;
	}
	return (int64_t)ns;
}

/* 1 and *ret when served here, 0 to forward the call. */
int shim_clock_call(uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	int64_t ns;

	switch (nr) {
	case __NR_clock_gettime: {
		struct timespec64 ts;

		if ((ns = clock_now_ns(a[0])) < 0)
			return 0;
		ts = (struct timespec64){ ns / (int64_t)NS_PER_SEC, ns % (int64_t)NS_PER_SEC };
		*ret = copy_to_user(a[1], &ts, sizeof(ts)) < 0 ? -E_FAULT : 0;
		return 1;
	}
	case __NR_gettimeofday: {
		struct { int64_t sec, usec; } tv;

		if (a[1] || (ns = clock_now_ns(CLOCK_REALTIME)) < 0)
			return 0; /* a timezone is the host's business */
		tv.sec = ns / (int64_t)NS_PER_SEC;
		tv.usec = ns % (int64_t)NS_PER_SEC / 1000;
		*ret = a[0] && copy_to_user(a[0], &tv, sizeof(tv)) < 0 ? -E_FAULT : 0;
		return 1;
	}
	case __NR_time:
		if ((ns = clock_now_ns(CLOCK_REALTIME)) < 0)
			return 0;
		ns /= (int64_t)NS_PER_SEC;
		*ret = a[0] && copy_to_user(a[0], &ns, sizeof(ns)) < 0 ? -E_FAULT : ns;
		return 1;
	default:
		return 0;
	}
}
