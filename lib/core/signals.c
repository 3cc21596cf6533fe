/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor's signals become the realm's: see signals.h. Nothing here
 * trusts the realm: what a vCPU publishes in its slot (the signals it
 * blocks, its divert entry) only decides which of its own vCPUs is
 * interrupted and where its own vCPU resumes.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "core/monitor.h"
#include "core/signals.h"

#define KSIGSET_SIZE 8
#define SIGRT_FIRST 32
/* a vCPU that has not taken its signal is interrupted again this often:
 * the first kick can land just before it blocks or while it is in the shim */
#define REKICK_NS 2000000
/* signals every thread blocks: whom to interrupt is looked at again */
#define RECHECK_NS 20000000

static uint64_t bit(int sig)
{
	return 1ull << (sig - 1);
}

/* Everything but what cannot or must not be blocked: SIGKILL, SIGSTOP and
 * the monitor's own kick. Raw system calls: glibc would keep its two
 * internal real-time signals unblocked, and a realm may be sent those. */
static uint64_t realm_set(void)
{
	return ~(bit(SIGKILL) | bit(SIGSTOP) | bit(MONITOR_SIG_KICK));
}

void signals_block(void)
{
	uint64_t set = realm_set();

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, KSIGSET_SIZE);
}

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

/* Interrupt vCPU i wherever its thread is: KVM_RUN, a blocking call (the
 * poller's, if it took the call), or FASCO_SIG_WAIT. Under threads_lock,
 * so the host thread is alive. */
static void kick_locked(struct monitor *m, unsigned i)
{
	struct vcpu_host *c = &m->cpu[i];

	__atomic_store_n(&m->sig.woken[i], 1, __ATOMIC_RELEASE);
	futex(&m->sig.woken[i], FUTEX_WAKE, 1, NULL);
	if (c->state != VCPU_RUNNING)
		return;
	/* only inside KVM_RUN: outside it the thread may be replacing the VM
	 * (execve); the signal breaks a blocking call, and a kick that comes
	 * just before KVM_RUN is repeated */
	if (__atomic_load_n(&c->in_guest, __ATOMIC_SEQ_CST))
		m->be->vcpu_kick(m->vm, i);
	pthread_kill(c->thread, MONITOR_SIG_KICK);
	if (m->poller.running && __atomic_load_n(&c->slot->state, __ATOMIC_ACQUIRE) == FASCO_SLOT_TAKEN)
		pthread_kill(m->poller.thread, MONITOR_SIG_KICK);
}

static void kick_wanted(struct monitor *m, uint64_t want)
{
	pthread_mutex_lock(&m->threads_lock);
	for (unsigned i = 0; i < m->n_vcpus; i++)
		if (want >> i & 1)
			kick_locked(m, i);
	pthread_mutex_unlock(&m->threads_lock);
}

/* Keep a signal until a vCPU takes it; standard signals are kept once. */
static void inbox_add(struct realm_signals *s, const siginfo_t *info)
{
	for (unsigned i = 0; i < s->n && info->si_signo < SIGRT_FIRST; i++)
		if (memcmp(s->inbox[i], &info->si_signo, sizeof(int)) == 0)
			return;
	if (s->n == FASCO_SIG_TAKE_MAX)
		return; /* the realm does not take its signals: drop, as a full queue does */
	memcpy(s->inbox[s->n++], info, SIGINFO_BYTES);
}

/* The vCPU to interrupt: the first running one that does not block sig. */
static int target_of(struct monitor *m, int sig)
{
	unsigned n = __atomic_load_n(&m->started, __ATOMIC_ACQUIRE);
	int found = -1;

	pthread_mutex_lock(&m->threads_lock);
	for (unsigned i = 0; i < n && found < 0; i++)
		if (m->cpu[i].state == VCPU_RUNNING &&
		    !(__atomic_load_n(&m->cpu[i].slot->sig_blocked, __ATOMIC_RELAXED) & bit(sig)))
			found = (int)i;
	pthread_mutex_unlock(&m->threads_lock);
	return found;
}

/* Every vCPU looks on its next way back to the program, and one waiting
 * in FASCO_SIG_WAIT (sigwaitinfo with the signal blocked) looks now. */
static void hint_all(struct monitor *m)
{
	for (unsigned i = 0; i < m->n_vcpus; i++) {
		__atomic_store_n(&m->cpu[i].slot->sig_hint, 1, __ATOMIC_RELEASE);
		__atomic_store_n(&m->sig.woken[i], 1, __ATOMIC_RELEASE);
		futex(&m->sig.woken[i], FUTEX_WAKE, 1, NULL);
	}
}

static void receive(struct monitor *m, const siginfo_t *info)
{
	pthread_mutex_lock(&m->sig.lock);
	inbox_add(&m->sig, info);
	hint_all(m);
	sigfd_raise(&m->svc.sigfds, info->si_signo);
	pthread_mutex_unlock(&m->sig.lock);
}

/* For each signal held, a vCPU to interrupt; none: it waits until a thread
 * unblocks it (the hint makes that thread look). Returns whether any is held. */
static int choose_targets(struct monitor *m)
{
	int sigs[FASCO_SIG_TAKE_MAX], target;
	unsigned n;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* hints set before masks are read */
	pthread_mutex_lock(&m->sig.lock);
	n = m->sig.n;
	for (unsigned i = 0; i < n; i++)
		memcpy(&sigs[i], m->sig.inbox[i], sizeof(int));
	/* again: an execve gives the realm a fresh, zeroed shared region */
	for (unsigned i = 0; i < m->n_vcpus && n; i++)
		__atomic_store_n(&m->cpu[i].slot->sig_hint, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->sig.lock);
	for (unsigned i = 0; i < n; i++) {
		if ((target = target_of(m, sigs[i])) < 0)
			continue;
		pthread_mutex_lock(&m->sig.lock);
		m->sig.want |= 1ull << target;
		pthread_mutex_unlock(&m->sig.lock);
	}
	return n > 0;
}

static void *signal_thread(void *arg)
{
	struct monitor *m = arg;
	uint64_t set = realm_set();
	struct timespec rekick = { 0, REKICK_NS }, recheck = { 0, RECHECK_NS };
	siginfo_t info;
	uint64_t want;
	int held;

	signals_block(); /* pthread_create unblocked SIGCANCEL (signals.h) */
	m->sig.thread_tid = gettid();
	for (;;) {
		held = choose_targets(m);
		pthread_mutex_lock(&m->sig.lock);
		want = m->sig.want;
		pthread_mutex_unlock(&m->sig.lock);
		kick_wanted(m, want);
		if (syscall(SYS_rt_sigtimedwait, &set, &info,
			    want ? &rekick : held ? &recheck : NULL, KSIGSET_SIZE) > 0)
			receive(m, &info);
	}
	return NULL;
}

int signals_start(struct monitor *m)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	pthread_mutex_init(&m->sig.lock, NULL);
	m->sig.n = 0;
	m->sig.want = m->sig.asked = 0;
	memset(m->sig.woken, 0, sizeof(m->sig.woken));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64u << 10);
	ret = pthread_create(&t, &attr, signal_thread, m);
	pthread_attr_destroy(&attr);
	if (ret)
		return fasco_fail(-ret, "cannot start the signal thread: %s", strerror(ret));
	return 0;
}

/* The inbox to the vCPU that asks; the others stop looking, but for those
 * another vCPU asked to look (their signals are queued in the realm). */
static int64_t take(struct monitor *m, struct vcpu_host *cpu)
{
	unsigned n;

	pthread_mutex_lock(&m->sig.lock);
	n = m->sig.n;
	memcpy(cpu->data, m->sig.inbox, (size_t)n * SIGINFO_BYTES);
	m->sig.n = 0;
	m->sig.asked &= ~(1ull << cpu->index);
	m->sig.want = m->sig.asked;
	for (unsigned i = 0; i < m->n_vcpus; i++)
		__atomic_store_n(&m->cpu[i].slot->sig_hint, (uint32_t)(m->sig.asked >> i & 1),
				 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->sig.lock);
	return n;
}

/* A vCPU queued a signal for another and asks it to look. */
static int64_t kick_other(struct monitor *m, uint64_t index)
{
	if (index >= m->n_vcpus)
		return -EINVAL;
	pthread_mutex_lock(&m->sig.lock);
	__atomic_store_n(&m->cpu[index].slot->sig_hint, 1, __ATOMIC_RELEASE);
	m->sig.asked |= 1ull << index;
	m->sig.want |= 1ull << index;
	pthread_mutex_unlock(&m->sig.lock);
	kick_wanted(m, 1ull << index);
	return 0;
}

static int64_t wait_kicked(struct monitor *m, struct vcpu_host *cpu, uint64_t timeout_ns)
{
	uint32_t *woken = &m->sig.woken[cpu->index];
	struct timespec ts = { (time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u) };

	while (!__atomic_exchange_n(woken, 0, __ATOMIC_ACQ_REL)) {
		if (__atomic_load_n(&cpu->slot->sig_hint, __ATOMIC_ACQUIRE))
			return 0;
		if (futex(woken, FUTEX_WAIT, 0, timeout_ns ? &ts : NULL) < 0 &&
		    (errno == ETIMEDOUT || errno == EINTR))
			return -errno;
	}
	return 0;
}

/* The realm's signalfds show what it and the host hold. */
static int64_t sync_sigfds(struct monitor *m, uint64_t pending)
{
	pthread_mutex_lock(&m->sig.lock);
	for (unsigned i = 0; i < m->sig.n; i++) {
		int sig;

		memcpy(&sig, m->sig.inbox[i], sizeof(sig));
		pending |= bit(sig);
	}
	sigfd_set_pending(&m->svc.sigfds, pending);
	pthread_mutex_unlock(&m->sig.lock);
	return 0;
}

/* Records the realm gives back (before an execve) are held as if received:
 * each is checked, as any siginfo the realm writes. */
static int64_t requeue(struct monitor *m, struct vcpu_host *cpu, uint64_t n)
{
	siginfo_t info;

	if (n > FASCO_SIG_TAKE_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		memcpy(&info, cpu->data + i * SIGINFO_BYTES, sizeof(info));
		if (info.si_signo < 1 || info.si_signo > 64)
			return -EINVAL;
		receive(m, &info);
	}
	return 0;
}

void signals_exec_carry(struct monitor *m, uint64_t blocked, uint64_t ignored)
{
	volatile struct fasco_slot_header *slot = m->cpu[0].slot;

	slot->aux[FASCO_SLOT_AUX_SIGMASK] = blocked;
	slot->aux[FASCO_SLOT_AUX_SIGIGN] = ignored;
	pthread_mutex_lock(&m->sig.lock);
	if (m->sig.n)
		__atomic_store_n(&slot->sig_hint, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->sig.lock);
}

int64_t signals_serve(struct monitor *m, struct vcpu_host *cpu, const struct fasco_slot_header *h)
{
	switch (h->args[0]) {
	case FASCO_SIG_TAKE:
		return take(m, cpu);
	case FASCO_SIG_KICK:
		return kick_other(m, h->args[1]);
	case FASCO_SIG_WAIT:
		return wait_kicked(m, cpu, h->args[1]);
	case FASCO_SIG_SIGFD_SYNC:
		return sync_sigfds(m, h->args[1]);
	case FASCO_SIG_REQUEUE:
		return requeue(m, cpu, h->args[1]);
	default:
		return -EINVAL;
	}
}

void signals_interrupted(struct monitor *m, struct vcpu_host *cpu)
{
	uint64_t ip;

	if (!__atomic_load_n(&cpu->slot->sig_hint, __ATOMIC_ACQUIRE) || !m->be->vcpu_divert)
		return;
	if (m->be->vcpu_divert(m->vm, cpu->index, cpu->slot->divert_entry, FASCO_GVA_SHIM, &ip) > 0)
		cpu->slot->divert_ip = ip;
}
