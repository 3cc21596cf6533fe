/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fork and the end of a realm process (execve is in exec.c). The fork is
 * served on the vCPU thread with the serving lock held, so no other thread
 * of the monitor is inside a call; only this thread survives in the child,
 * which restarts the poller and the watch thread. glibc's _Fork skips the
 * atfork handlers the library's caller may have registered (a Python or Go
 * process): none of them belongs in a realm monitor.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/process.h"

int process_init(struct monitor *m)
{
	m->svc.tree_root = getpid();
	m->svc.tree_parent = 0;
	/* a realm whose parent ended is reparented to the first realm */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return fasco_fail_errno("PR_SET_CHILD_SUBREAPER");
	return 0;
}

/* In the child: the realm's own VM, slots and threads; the forking thread,
 * on its own vCPU, is the only one. */
static int become_child(struct monitor *m, unsigned leader, const struct vcpu_state *st,
			pid_t parent)
{
	int ret;

	/* the library hears only from the first realm; its EOF must not wait for us */
	if (m->status_fd >= 0)
		close(m->status_fd);
	m->status_fd = -1;
	if (m->root_pidfd < 0)
		m->root_pidfd = (int)syscall(SYS_pidfd_open, m->svc.tree_root, 0);
	if (m->root_pidfd < 0)
		return fasco_fail_errno("pidfd of the first realm");
	m->svc.tree_parent = parent;
	if ((ret = m->be->vm_fork(m->vm)) < 0 ||
	    (ret = m->be->vcpu_restore(m->vm, leader, st)) < 0)
		return ret;
	/* the other host threads are gone, and with them whatever they held:
	 * a vCPU's serving lock stays taken while its thread waits in a futex */
	for (unsigned i = 0; i < MONITOR_MAX_VCPUS; i++)
		if (i != leader)
			pthread_mutex_init(&m->cpu[i].serving, NULL);
	pthread_cond_init(&m->threads_changed, NULL);
	threads_reset(m, leader);
	sigfd_after_fork(&m->svc); /* signalfds of its own: it reads its own signals */
	for (unsigned i = 0; i < m->realm->config->vcpus; i++)
		((struct fasco_slot_header *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE))->aux[7] =
			(uint64_t)getpid();
	m->poller.running = 0;
	if ((ret = monitor_start_poller(m)) < 0 || (ret = signals_start(m)) < 0)
		return ret;
	return monitor_start_watch(m);
}

/*
 * The monitor's locks another thread could hold while the host forks: held
 * across the fork, so the child (which has only this thread) never finds
 * one taken for good. Lock order: threads, then descriptors, then tsm.
 */
static void fork_locks(struct monitor *m, int take)
{
	pthread_mutex_t *const locks[] = { &m->threads_lock, &m->svc.fd_lock, &m->tsm_lock };
	const unsigned n = sizeof(locks) / sizeof(locks[0]);

	for (unsigned i = 0; i < n; i++)
		if (take)
			pthread_mutex_lock(locks[i]);
		else
			pthread_mutex_unlock(locks[n - 1 - i]);
}

int64_t process_fork(struct monitor *m, struct vcpu_host *cpu)
{
	struct vcpu_state *st = NULL;
	pid_t parent = getpid(), pid;
	int ret;

	if (!m->be->vcpu_save)
		return -ENOSYS;
	if (m->be->vcpu_save(m->vm, cpu->index, &st) < 0)
		return -EAGAIN;
	fork_locks(m, 1);
	pid = _Fork();
	fork_locks(m, 0);
	if (pid != 0) {
		free(st);
		return pid < 0 ? -errno : pid;
	}
	ret = become_child(m, cpu->index, st, parent);
	free(st);
	if (ret < 0) {
		/* nothing of the child realm can run: its parent sees it killed */
		struct fasco_exit_info e = { .kind = FASCO_END_CRASH, .value = SIGKILL };

		process_end(&e);
	}
	return 0;
}

void process_end(const struct fasco_exit_info *e)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t one;
	int sig = e->value > 0 && e->value < 65 ? e->value : SIGKILL;

	if (e->kind == FASCO_END_EXIT)
		_exit(e->value & 0xff);
	/* die of the realm's signal (a host core of the monitor helps nobody) */
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig); /* delivered to this thread before raise returns */
	raise(SIGKILL); /* a signal whose default is not to end */
	_exit(128 + sig);
}
