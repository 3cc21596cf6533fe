/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signalfd on the host side. The signals a realm's signalfd reports are
 * pending in the realm (the shim's queue) or held by its monitor, never in
 * the host kernel's process, so a host signalfd would see the wrong ones.
 * Instead each signalfd is a pipe: the realm's descriptor is its read end,
 * and the host keeps it holding one byte exactly while a signal of the mask
 * is pending, so the host's poll, select and epoll report a signalfd as
 * they report sockets, in the same sets. The host fills it when a signal
 * reaches the monitor (sigfd_raise) and sets it to what the shim reports
 * pending (sigfd_set_pending, after the realm queued or took signals).
 * A read of it is answered FASCO_RESULT_SIGNALFD with the mask: the shim
 * serves it from its queue (shim/signalfd.c has the whole design). The
 * pipe's identity (device, inode) finds the signalfd behind any of the
 * realm's descriptors for it (dup, fork, execve keep it).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "sysrealm/fdtable.h"
#include "sysrealm/signalfd.h"

#define SIGSET_BYTES 8
#define SIGINFO_BYTES 128
#define SFD_FLAGS (O_NONBLOCK | O_CLOEXEC) /* SFD_NONBLOCK, SFD_CLOEXEC */
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

void sigfd_init(struct sigfd_set *s)
{
	pthread_mutex_init(&s->lock, NULL);
	s->n = 0;
}

static void drop(struct sigfd_entry *e)
{
	close(e->rfd);
	close(e->wfd);
}

void sigfd_fini(struct sigfd_set *s)
{
	for (unsigned i = 0; i < s->n; i++)
		drop(&s->e[i]);
	s->n = 0;
}

static int is_entry(const struct sigfd_entry *e, int h)
{
	struct stat st;

	return fstat(h, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_dev == e->dev &&
	       st.st_ino == e->ino;
}

static struct sigfd_entry *find_locked(struct sigfd_set *s, int h)
{
	for (unsigned i = 0; i < s->n; i++)
		if (is_entry(&s->e[i], h))
			return &s->e[i];
	return NULL;
}

/* One byte in the pipe while ready, none otherwise (only the host writes it:
 * the realm's reads of a signalfd never reach the pipe). */
static void set_ready(const struct sigfd_entry *e, int ready)
{
	char buf[64];
	int n = 0;

	if (ioctl(e->wfd, FIONREAD, &n) < 0)
		return;
	if (ready && n == 0)
		(void)!write(e->wfd, "s", 1);
	else if (!ready && n > 0)
		(void)!read(e->rfd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
}

/* Forget the signalfds no descriptor of the realm names any more. */
static void collect_locked(struct service *svc)
{
	struct sigfd_set *s = &svc->sigfds;
	uint64_t live = 0;

	for (int fd = 0; fd < SERVICE_MAX_FDS; fd++) {
		int h = fd_host(svc, fd);

		for (unsigned i = 0; h >= 0 && i < s->n; i++)
			if (is_entry(&s->e[i], h))
				live |= 1ull << i;
	}
	for (unsigned i = s->n; i-- > 0;) {
		if (live >> i & 1)
			continue;
		drop(&s->e[i]);
		s->e[i] = s->e[--s->n];
	}
}

static int64_t add_entry(struct service *svc, int rd, int wr, uint64_t mask)
{
	struct sigfd_set *s = &svc->sigfds;
	struct sigfd_entry e = { .rfd = fcntl(rd, F_DUPFD_CLOEXEC, 3), .wfd = wr, .mask = mask };
	struct stat st;

	if (e.rfd < 0 || fstat(rd, &st) < 0) {
		if (e.rfd >= 0)
			close(e.rfd);
		return -errno;
	}
	e.dev = st.st_dev;
	e.ino = st.st_ino;
	pthread_mutex_lock(&s->lock);
	if (s->n == SIGFD_MAX)
		collect_locked(svc);
	if (s->n == SIGFD_MAX) {
		pthread_mutex_unlock(&s->lock);
		close(e.rfd);
		return -EMFILE;
	}
	s->e[s->n] = e;
	__atomic_store_n(&s->n, s->n + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int64_t create(struct service *svc, uint64_t mask, uint64_t flags)
{
	int p[2];
	int64_t ret;

	if (pipe2(p, O_CLOEXEC | (int)(flags & O_NONBLOCK)) < 0)
		return -errno;
	/* the host descriptor's close-on-exec is the realm's flag */
	if (!(flags & O_CLOEXEC))
		fcntl(p[0], F_SETFD, 0);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	if ((ret = add_entry(svc, p[0], p[1], mask)) < 0) {
		close(p[0]);
		close(p[1]);
		return ret;
	}
	return fd_install(svc, p[0], 0);
}

static int64_t update(struct service *svc, int64_t fd, uint64_t mask)
{
	struct sigfd_set *s = &svc->sigfds;
	struct sigfd_entry *e;
	int h = fd_host(svc, fd);

	if (h < 0)
		return h;
	pthread_mutex_lock(&s->lock);
	if ((e = find_locked(s, h)))
		e->mask = mask;
	pthread_mutex_unlock(&s->lock);
	return e ? fd : -EINVAL; /* a descriptor that is no signalfd */
}

/* The kernel's order of checks: mask size, mask, flags, descriptor. */
int64_t sigfd_call(struct service *svc, uint64_t nr, const uint64_t args[6], const long a[6])
{
	uint64_t flags = nr == SYS_signalfd4 ? args[3] : 0;
	uint64_t mask;

	if (args[2] != SIGSET_BYTES)
		return -EINVAL;
	if (!a[1])
		return -EFAULT;
	if (flags & ~(uint64_t)SFD_FLAGS)
		return -EINVAL;
	memcpy(&mask, (const void *)a[1], sizeof(mask));
	mask &= ~UNBLOCKABLE;
	if ((int)args[0] == -1)
		return create(svc, mask, flags);
	return update(svc, (int)args[0], mask);
}

int sigfd_read_reply(struct service *svc, long h, uint64_t count, uint8_t *buf, int64_t *ret)
{
	struct sigfd_set *s = &svc->sigfds;
	struct fasco_sigfd_reply reply = { 0 };
	struct sigfd_entry *e;
	int fl;

	if (!__atomic_load_n(&s->n, __ATOMIC_ACQUIRE) || h < 0)
		return 0;
	pthread_mutex_lock(&s->lock);
	if ((e = find_locked(s, (int)h)))
		reply.mask = e->mask;
	pthread_mutex_unlock(&s->lock);
	if (!e)
		return 0;
	fl = fcntl((int)h, F_GETFL);
	reply.nonblock = fl >= 0 && (fl & O_NONBLOCK);
	if (count < SIGINFO_BYTES)
		*ret = -EINVAL;
	else if (!buf)
		*ret = -EFAULT;
	else
		memcpy(buf, &reply, sizeof(reply)), *ret = FASCO_RESULT_SIGNALFD;
	return 1;
}

void sigfd_set_pending(struct sigfd_set *s, uint64_t pending)
{
	if (!__atomic_load_n(&s->n, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->n; i++)
		set_ready(&s->e[i], (s->e[i].mask & pending) != 0);
	pthread_mutex_unlock(&s->lock);
}

void sigfd_raise(struct sigfd_set *s, int sig)
{
	if (sig < 1 || sig > 64 || !__atomic_load_n(&s->n, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->n; i++)
		if (s->e[i].mask >> (sig - 1) & 1)
			set_ready(&s->e[i], 1);
	pthread_mutex_unlock(&s->lock);
}

/* Every realm descriptor of e now names the new pipe rd, with its flags. */
static void rebind(struct service *svc, const struct sigfd_entry *e, int rd)
{
	for (int fd = 0; fd < SERVICE_MAX_FDS; fd++) {
		int h = fd_host(svc, fd), fl, fdfl;

		if (h < 0 || !is_entry(e, h))
			continue;
		fl = fcntl(h, F_GETFL);
		fdfl = fcntl(h, F_GETFD);
		if (dup3(rd, h, fdfl >= 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0)
			continue;
		if (fl >= 0)
			fcntl(h, F_SETFL, fl & O_NONBLOCK);
	}
}

void sigfd_after_fork(struct service *svc)
{
	struct sigfd_set *s = &svc->sigfds;
	struct stat st;
	int p[2];

	pthread_mutex_init(&s->lock, NULL); /* another thread may have held it */
	for (unsigned i = 0; i < s->n; i++) {
		struct sigfd_entry *e = &s->e[i];

		if (pipe2(p, O_CLOEXEC) < 0 || fstat(p[0], &st) < 0)
			continue; /* shared with the parent: readiness may be spurious */
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		rebind(svc, e, p[0]);
		drop(e);
		*e = (struct sigfd_entry){ st.st_dev, st.st_ino, p[0], p[1], e->mask };
	}
}
