/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's signalfds on the host side (design: signalfd.c). A signalfd
 * is a pipe whose read end is the realm's descriptor: readable exactly when
 * a signal of its mask is pending for the realm, so poll, select and epoll
 * in the host see it like any other descriptor.
 */
#ifndef FASCO_SYSREALM_SIGNALFD_H
#define FASCO_SYSREALM_SIGNALFD_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#define SIGFD_MAX 64

struct sigfd_entry {
	dev_t dev;
	ino_t ino;     /* the pipe: every realm descriptor of this signalfd */
	int rfd, wfd;  /* the host's own ends: drain and fill the readiness byte */
	uint64_t mask; /* the signals it reports */
};

struct sigfd_set {
	pthread_mutex_t lock;
	struct sigfd_entry e[SIGFD_MAX];
	unsigned n; /* read without the lock: a realm without signalfds pays nothing */
};

struct service;

void sigfd_init(struct sigfd_set *s);
void sigfd_fini(struct sigfd_set *s);
/* signalfd or signalfd4 (nr): args as the realm gave them, a[1] the
 * host-private copy of the mask. The realm's descriptor or -errno. */
int64_t sigfd_call(struct service *svc, uint64_t nr, const uint64_t args[6], const long a[6]);
/* A read of host descriptor h: 1 with *ret set when h is a signalfd (the
 * reply for the shim written to buf, count bytes), 0 otherwise. */
int sigfd_read_reply(struct service *svc, long h, uint64_t count, uint8_t *buf, int64_t *ret);
/* Readable iff the mask meets pending (FASCO_SIG_SIGFD_SYNC). */
void sigfd_set_pending(struct sigfd_set *s, uint64_t pending);
/* A signal reached the host: the signalfds that report it become readable. */
void sigfd_raise(struct sigfd_set *s, int sig);
/* In a forked monitor: pipes of its own, so parent and child never share
 * readiness (each realm reads its own signals). */
void sigfd_after_fork(struct service *svc);

#endif
