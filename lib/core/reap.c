/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reaping monitors that reported their realm's end. Such a monitor is
 * tearing its VM down (0.3 ms of kernel work here) and then exits by
 * itself: nothing the caller should wait for. Its pidfd is kept on a short
 * list and reaped without blocking by the next library call that forks or
 * destroys; the list is bounded, a full list waits.
 *
 * Why not a reaper thread: a thread of the library's own, started or
 * ending while the caller forks the next monitor, left an ASan internal
 * lock held in that monitor, which then spun forever (seen once in 30 runs
 * of tests/realm/test_measure). Why pidfds: a plain pid the caller reaped
 * itself (wait(-1)) may be reused by another of its children.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"

#define MAX_PENDING 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int pending[MAX_PENDING];
static unsigned n_pending;

/* 1 once the process behind pidfd is reaped (by us or anyone), else 0. */
static int reap(int pidfd, int options)
{
	siginfo_t info = { 0 };

	while (syscall(SYS_waitid, P_PIDFD, pidfd, &info, WEXITED | options, NULL) < 0)
		if (errno != EINTR)
			return 1; /* ECHILD: someone else reaped it */
	return info.si_pid != 0;
}

void realm_reap_pending(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < n_pending;) {
		if (reap(pending[i], WNOHANG)) {
			close(pending[i]);
			pending[i] = pending[--n_pending];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&lock);
}

void realm_reap_later(int pidfd)
{
	realm_reap_pending();
	if (reap(pidfd, WNOHANG)) {
		close(pidfd);
		return;
	}
	pthread_mutex_lock(&lock);
	if (n_pending < MAX_PENDING) {
		pending[n_pending++] = pidfd;
		pidfd = -1;
	}
	pthread_mutex_unlock(&lock);
	if (pidfd >= 0) { /* the list is full: this one is waited for */
		reap(pidfd, 0);
		close(pidfd);
	}
}
