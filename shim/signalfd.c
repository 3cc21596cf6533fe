/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signalfd in a realm. The signals a signalfd reports are pending in the
 * realm (this shim's queue, sigqueue.c) or held by its monitor until a
 * vCPU takes them; the host kernel's process knows neither, so a host
 * signalfd would report the wrong signals. The design:
 *
 * - The descriptor is the host's: the system realm makes each signalfd a
 *   pipe in the realm's descriptor table (sysrealm/signalfd.c) and keeps it
 *   readable exactly while a signal of its mask is pending. So poll,
 *   select, epoll (in one set with sockets, timerfds, eventfds), dup,
 *   fork, close-on-exec and O_NONBLOCK need nothing new.
 * - Readiness follows the realm's pending set: the monitor fills the pipe
 *   when a signal of the mask reaches it from outside; the shim reports its
 *   pending set (FASCO_SIG_SIGFD_SYNC) after it queued a signal some
 *   signalfd watches (sig_send) and after a read took signals. A signal
 *   queued meanwhile by another vCPU is seen by the sequence check and
 *   reported again, so readiness is never lost; a signal taken some other
 *   way (a handler, sigwaitinfo) can leave it readable until the next read,
 *   which finds nothing and clears it (one spurious wake-up, no busy loop).
 * - read() is answered by the host with FASCO_RESULT_SIGNALFD and the
 *   signalfd's mask and O_NONBLOCK; the records come from the shim's queue
 *   (signals of the process and of the reading thread, as on Linux), each
 *   turned into a struct signalfd_siginfo as the kernel fills it. With
 *   nothing pending it answers EAGAIN, or waits in a forwarded poll on the
 *   descriptor, which a signal the thread does not block breaks (EINTR:
 *   the handler runs, and the read is restarted as Linux restarts it).
 */
#include "signals.h"

#define POLLIN 1
#define POLLNVAL 0x20
#define SIGCHLD_CODES 6 /* CLD_EXITED .. CLD_CONTINUED */
#define SI_TIMER (-2)
#define SI_SIGIO (-5)

/* Every signal some signalfd of the realm reports, as far as this shim
 * learnt them (from signalfd calls and read replies; it never shrinks). */
uint64_t sigfd_watch;

struct sigfd_siginfo {
	uint32_t signo;
	int32_t errno_, code;
	uint32_t pid, uid;
	int32_t fd;
	uint32_t tid, band, overrun, trapno;
	int32_t status, int_;
	uint64_t ptr, utime, stime, addr;
	uint8_t rest[48];
};
_Static_assert(sizeof(struct sigfd_siginfo) == SIGINFO_SIZE, "signalfd_siginfo is 128 bytes");

static uint32_t u32_at(const uint8_t *info, unsigned off)
{
	uint32_t v;

	memcpy(&v, info + off, sizeof(v));
	return v;
}

static uint64_t u64_at(const uint8_t *info, unsigned off)
{
	uint64_t v;

	memcpy(&v, info + off, sizeof(v));
	return v;
}

/* The fields the kernel copies for each kind of siginfo (signalfd_copyinfo). */
static void to_record(const uint8_t info[SIGINFO_SIZE], struct sigfd_siginfo *r)
{
	struct siginfo_head h;

	memcpy(&h, info, sizeof(h));
	memset(r, 0, sizeof(*r));
	r->signo = (uint32_t)h.signo;
	r->errno_ = h.errno_;
	r->code = h.code;
	if (h.code == SI_TIMER) {
		r->tid = u32_at(info, 16);
		r->overrun = u32_at(info, 20);
		r->ptr = u64_at(info, 24);
		r->int_ = (int32_t)r->ptr;
	} else if (h.code == SI_SIGIO || (h.signo == 29 && h.code > 0 && h.code < SI_KERNEL)) {
		r->band = (uint32_t)u64_at(info, 16);
		r->fd = (int32_t)u32_at(info, 24);
	} else if (h.code > 0 && h.code < SI_KERNEL && h.signo == SIGCHLD && h.code <= SIGCHLD_CODES) {
		r->pid = h.pid, r->uid = h.uid;
		r->status = (int32_t)u32_at(info, 24);
		r->utime = u64_at(info, 32);
		r->stime = u64_at(info, 40);
	} else if (h.code > 0 && h.code < SI_KERNEL && (SIGBIT(h.signo) & (SIGBIT(SIGSEGV) |
		   SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGFPE) | SIGBIT(SIGTRAP)))) {
		r->addr = u64_at(info, 16);
	} else {
		r->pid = h.pid, r->uid = h.uid;
		if (h.code < 0) { /* sigqueue, tgkill, ...: the value too */
			r->ptr = h.value;
			r->int_ = (int32_t)h.value;
		}
	}
}

void sigfd_sync(void)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;
	uint32_t seen;

	do {
		seen = __atomic_load_n(&sigq_seq, __ATOMIC_ACQUIRE);
		slot->args[0] = FASCO_SIG_SIGFD_SYNC;
		slot->args[1] = sigq_pending_all();
		host_call(FASCO_OP_SIGNALS);
	} while (__atomic_load_n(&sigq_seq, __ATOMIC_ACQUIRE) != seen);
}

/* Take up to max signals of mask into the program's buffer: bytes written. */
static int64_t take_records(uint64_t mask, uint64_t buf, uint64_t max)
{
	uint8_t info[SIGINFO_SIZE];
	struct sigfd_siginfo rec;
	uint64_t n = 0;

	sigq_drain_host();
	while (n < max && sigq_take((int)this_cpu()->cpu, mask, info)) {
		to_record(info, &rec);
		if (copy_to_user(buf + n * sizeof(rec), &rec, sizeof(rec)) < 0)
			return n ? (int64_t)(n * sizeof(rec)) : -E_FAULT; /* lost, as on Linux */
		n++;
	}
	return (int64_t)(n * sizeof(rec));
}

/* Wait in the host until the descriptor is readable (or a signal breaks it). */
static int64_t wait_readable(uint64_t fd)
{
	struct { int32_t fd; int16_t events, revents; } p = { (int32_t)fd, POLLIN, 0 };
	uint64_t args[6] = { 0, 1, (uint64_t)-1, 0, 0, 0 };
	uint8_t *data = this_cpu()->slot_data;
	int64_t ret;

	memcpy(data, &p, sizeof(p));
	if ((ret = forward_prepared_blocking(__NR_poll, args, 1)) < 0)
		return ret;
	memcpy(&p, data, sizeof(p));
	return (p.revents & POLLNVAL) ? -E_BADF : 0;
}

int64_t sigfd_read(uint64_t fd, uint64_t buf, uint64_t count, const uint8_t *reply_area)
{
	struct shim_percpu *me = this_cpu();
	struct fasco_sigfd_reply reply;
	int64_t ret;

	memcpy(&reply, reply_area, sizeof(reply)); /* copied once */
	sigfd_watch |= reply.mask;
	for (;;) {
		ret = take_records(reply.mask, buf, count / SIGINFO_SIZE);
		sigfd_sync();
		if (ret != 0)
			return ret;
		if (sigq_pending((int)me->cpu) & reply.mask)
			continue; /* queued meanwhile */
		if (reply.nonblock)
			return -E_AGAIN;
		if (sigq_pending((int)me->cpu) & ~me->sigmask)
			return -E_INTR; /* its handler runs first */
		if ((ret = wait_readable(fd)) < 0)
			return ret;
	}
}

int sigfd_call(uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	uint64_t mask;

	if (nr != __NR_signalfd && nr != __NR_signalfd4)
		return 0;
	/* the kernel checks the size before it reads the mask */
	if (a[2] != sizeof(mask))
		*ret = -E_INVAL;
	else if (copy_from_user(&mask, a[1], sizeof(mask)) < 0)
		*ret = -E_FAULT;
	else if ((*ret = forward_syscall(nr, a)) >= 0) {
		sigfd_watch |= mask;
		sigfd_sync(); /* what is pending already makes it readable */
	}
	return 1;
}
