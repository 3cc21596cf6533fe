/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A thread of fasco-run waits for the signals a user or a supervisor sends
 * to the command and passes each on with fasco_realm_kill(). A terminal's
 * signals (Ctrl-C, Ctrl-\) are not passed on: they reach the realm's
 * monitor directly, as it runs in fasco-run's process group, and a second
 * copy would be delivered twice. The kernel marks those with a positive
 * si_code (SI_KERNEL); kill(2), sigqueue(3) and tgkill(2) give <= 0.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "forward_signals.h"

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };

static pthread_mutex_t target_lock = PTHREAD_MUTEX_INITIALIZER;
static fasco_realm *target;
static sigset_t set;

static void *forward_loop(void *arg)
{
	siginfo_t info;

	(void)arg;
	for (;;) {
		if (sigwaitinfo(&set, &info) < 0 || info.si_code > 0)
			continue;
		pthread_mutex_lock(&target_lock);
		if (target)
			(void)fasco_realm_kill(target, info.si_signo); /* ended meanwhile: nothing to do */
		pthread_mutex_unlock(&target_lock);
	}
	return NULL;
}

int forward_signals_block(void)
{
	sigemptyset(&set);
	for (unsigned i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	return -pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int forward_signals_start(fasco_realm *realm)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	forward_signals_to(realm);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&t, &attr, forward_loop, NULL);
	pthread_attr_destroy(&attr);
	return -ret;
}

void forward_signals_to(fasco_realm *realm)
{
	pthread_mutex_lock(&target_lock);
	target = realm;
	pthread_mutex_unlock(&target_lock);
}
