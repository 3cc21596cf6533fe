/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's threads on the host side: each running vCPU has a host thread
 * of the monitor that runs it and serves its slot, so a thread blocked in a
 * forwarded call (a read, a futex wait) holds up no other. vCPU 0 runs in
 * the monitor's main thread. The realm thread's id is its host thread's id
 * (the first thread's is the process id, as on Linux).
 *
 * The shim chooses the vCPU and leaves the start frame in private memory;
 * the host only runs it: a vCPU never started enters the shim at its
 * measured boot state, a parked one resumes in the exit it parked in.
 *
 * TLB shootdown: kvm-pvm's shadow translations stay stale until the vCPU's
 * CR4.PGE is toggled on an exit. A vCPU that removed mappings bumps a
 * generation, kicks every vCPU inside KVM_RUN out of it (immediate_exit and
 * a signal) and waits until each has left; a vCPU applies the generation
 * before it enters the guest again.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "core/monitor.h"

/* How long a start waits for the vCPU's previous thread to park. */
#define PARK_WAIT_NS 2000000000ll

static void on_kick(int sig)
{
	(void)sig;
}

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

int threads_init(struct monitor *m)
{
	struct sigaction sa = { .sa_handler = on_kick };

	pthread_mutex_init(&m->threads_lock, NULL);
	pthread_cond_init(&m->threads_changed, NULL);
	pthread_mutex_init(&m->tsm_lock, NULL);
	for (unsigned i = 0; i < m->n_vcpus; i++) {
		struct vcpu_host *c = &m->cpu[i];

		c->m = m;
		c->index = i;
		c->slot = (volatile struct fasco_slot_header *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE);
		c->data = m->shared + (uint64_t)i * FASCO_SLOT_SIZE + FASCO_SLOT_HEADER_SIZE;
		pthread_mutex_init(&c->serving, NULL);
	}
	m->cpu[0].priv = m->svc.priv;
	m->cpu[0].thread = pthread_self();
	m->cpu[0].tid = (int32_t)getpid();
	m->cpu[0].state = VCPU_RUNNING;
	m->cpu[0].created = 1;
	m->live = m->started = 1;
	m->leader = 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(MONITOR_SIG_KICK, &sa, NULL) < 0)
		return fasco_fail_errno("install the vCPU kick handler");
	return 0;
}

/* A realm thread's host thread: runs its vCPU until the thread exits (a
 * later thread on this vCPU gets a host thread, and so an id, of its own)
 * or the realm ends. */
void threads_reset(struct monitor *m, unsigned leader)
{
	for (unsigned i = 0; i < MONITOR_MAX_VCPUS; i++) {
		struct vcpu_host *c = &m->cpu[i];

		c->state = i == leader ? VCPU_RUNNING : VCPU_IDLE;
		c->created = i == leader; /* restored or booted by the caller */
		c->ran = 0;
		c->flush = 0;
		c->in_guest = 0;
		c->tid = 0;
	}
	/* the process's only thread: its id is the process id, as on Linux */
	m->cpu[leader].thread = pthread_self();
	m->cpu[leader].tid = (int32_t)getpid();
	m->cpu[leader].slot->aux[FASCO_SLOT_AUX_TID] = (uint64_t)getpid();
	m->leader = leader;
	m->live = 1;
	m->started = leader + 1;
	poller_watch(&m->poller, m->started);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_host *cpu = arg;
	struct monitor *m = cpu->m;
	int ret;

	pthread_mutex_lock(&m->threads_lock);
	__atomic_store_n(&cpu->thread, pthread_self(), __ATOMIC_RELEASE);
	cpu->tid = (int32_t)gettid();
	cpu->slot->aux[FASCO_SLOT_AUX_TID] = (uint64_t)cpu->tid;
	pthread_cond_broadcast(&m->threads_changed);
	pthread_mutex_unlock(&m->threads_lock);
	while (!__atomic_load_n(&cpu->go, __ATOMIC_ACQUIRE))
		futex(&cpu->go, FUTEX_WAIT_PRIVATE, 0);
	ret = monitor_run_vcpu(m, cpu);
	if (ret != MONITOR_PARKED)
		monitor_finish(m, ret);
	return NULL;
}

/* A host thread for the vCPU, waiting for go; the caller holds threads_lock. */
static int spawn(struct monitor *m, struct vcpu_host *cpu)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	if (!cpu->priv && !(cpu->priv = malloc(FASCO_SLOT_DATA_MAX)))
		return -EAGAIN;
	if (!cpu->created) {
		if (m->be->vcpu_create(m->vm, cpu->index, &m->boot[cpu->index]) < 0)
			return -EAGAIN;
		cpu->created = 1;
	}
	cpu->tid = 0;
	__atomic_store_n(&cpu->go, 0, __ATOMIC_RELEASE);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256u << 10);
	ret = pthread_create(&t, &attr, vcpu_thread, cpu);
	pthread_attr_destroy(&attr);
	if (ret)
		return -EAGAIN;
	while (!cpu->tid)
		pthread_cond_wait(&m->threads_changed, &m->threads_lock);
	if (cpu->index + 1 > m->started) {
		__atomic_store_n(&m->started, cpu->index + 1, __ATOMIC_RELEASE);
		poller_watch(&m->poller, m->started);
	}
	return 0;
}

/* Wait (bounded) for the vCPU's previous thread to park. */
static int wait_parked(struct monitor *m, struct vcpu_host *cpu)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PARK_WAIT_NS / 1000000000ll;
	while (cpu->state == VCPU_RUNNING)
		if (pthread_cond_timedwait(&m->threads_changed, &m->threads_lock, &until) == ETIMEDOUT)
			return -EAGAIN;
	return 0;
}

int64_t threads_start(struct monitor *m, uint64_t index, uint64_t parent_tid)
{
	struct vcpu_host *cpu;
	uint32_t *ptid;
	int64_t ret = 0;

	/* the leader's vCPU stays the first thread's, even after it exited */
	if (index == m->leader || index >= m->n_vcpus)
		return -EINVAL;
	cpu = &m->cpu[index];
	pthread_mutex_lock(&m->threads_lock);
	if (cpu->state == VCPU_RUNNING)
		ret = wait_parked(m, cpu); /* the shim freed it just before it parks */
	if (ret == 0)
		ret = spawn(m, cpu);
	if (ret == 0) {
		/* CLONE_PARENT_SETTID: in place before the thread can run (and exit) */
		if (parent_tid && (ptid = guest_u32(m, parent_tid, 1)))
			__atomic_store_n(ptid, (uint32_t)cpu->tid, __ATOMIC_RELEASE);
		cpu->state = VCPU_RUNNING;
		m->live++;
		__atomic_store_n(&cpu->go, 1, __ATOMIC_RELEASE);
		futex(&cpu->go, FUTEX_WAKE_PRIVATE, 1);
		ret = cpu->tid;
	}
	pthread_mutex_unlock(&m->threads_lock);
	return ret;
}

/* As the kernel does for CLONE_CHILD_CLEARTID: zero the word, wake one. */
static void clear_child_tid(struct monitor *m, uint64_t va)
{
	uint32_t *word = va ? guest_u32(m, va, 1) : NULL;

	if (!word)
		return;
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1);
}

enum serve_result threads_park(struct monitor *m, struct vcpu_host *cpu, uint64_t clear_tid,
			       int status)
{
	uint32_t never = 0;

	pthread_mutex_lock(&m->threads_lock);
	if (cpu->state != VCPU_RUNNING) {
		pthread_mutex_unlock(&m->threads_lock);
		return SERVE_RESUME;
	}
	cpu->state = VCPU_PARKED;
	if (cpu->index == m->leader)
		m->leader_status = status;
	if (--m->live == 0) {
		/* the last thread: the process ends with the first thread's status */
		pthread_mutex_lock(&m->end_lock);
		monitor_end_exit(m, m->leader_status, 0);
		pthread_mutex_unlock(&m->threads_lock);
		return SERVE_ENDED;
	}
	pthread_cond_broadcast(&m->threads_changed);
	pthread_mutex_unlock(&m->threads_lock);
	clear_child_tid(m, clear_tid);
	/* the first thread's vCPU is never handed on: the main thread waits */
	while (cpu->index == m->leader)
		futex(&never, FUTEX_WAIT_PRIVATE, 0);
	return SERVE_PARKED;
}

void threads_shootdown(struct monitor *m, struct vcpu_host *self)
{
	unsigned n = __atomic_load_n(&m->started, __ATOMIC_ACQUIRE);
	uint64_t gen;
	uint64_t kicked = 0;

	if (n < 2)
		return;
	gen = __atomic_add_fetch(&m->tlb_gen, 1, __ATOMIC_SEQ_CST);
	self->flushed_gen = gen;
	for (unsigned i = 0; i < n; i++) {
		struct vcpu_host *c = &m->cpu[i];

		if (c == self || !__atomic_load_n(&c->in_guest, __ATOMIC_SEQ_CST))
			continue;
		m->be->vcpu_kick(m->vm, i);
		/* its host thread set thread before in_guest */
		pthread_kill(__atomic_load_n(&c->thread, __ATOMIC_ACQUIRE), MONITOR_SIG_KICK);
		kicked |= 1ull << i;
	}
	/* a kicked vCPU leaves KVM_RUN within an exit's time */
	for (unsigned i = 0; i < n; i++) {
		struct vcpu_host *c = &m->cpu[i];

		while ((kicked >> i & 1) && __atomic_load_n(&c->in_guest, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&c->flushed_gen, __ATOMIC_ACQUIRE) < gen)
			sched_yield();
	}
}

void threads_enter_guest(struct monitor *m, struct vcpu_host *cpu)
{
	uint64_t gen;

	/* announce first, then look: a shootdown either sees us inside and
	 * waits, or we see its generation and flush */
	__atomic_store_n(&cpu->in_guest, 1, __ATOMIC_SEQ_CST);
	gen = __atomic_load_n(&m->tlb_gen, __ATOMIC_SEQ_CST);
	if (!cpu->ran) {
		/* never ran: nothing cached, and no synced registers to flip yet */
		cpu->flushed_gen = gen;
	} else if (cpu->flush || cpu->flushed_gen < gen) {
		/* one toggle of CR4.PGE per entry: a second would undo the first */
		m->be->vcpu_flush_tlb(m->vm, cpu->index);
		cpu->flush = 0;
		__atomic_store_n(&cpu->flushed_gen, gen, __ATOMIC_RELEASE);
	}
}

void threads_leave_guest(struct vcpu_host *cpu)
{
	cpu->ran = 1;
	__atomic_store_n(&cpu->in_guest, 0, __ATOMIC_RELEASE);
}
