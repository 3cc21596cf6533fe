/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keeper: the container's process on the host (its pid is the one in
 * the state, the pid file, and what containerd's shim reaps), or an exec
 * process. It holds the realm through the public API: loads it, reports
 * to create (or exec) with the realm's measurements, serves its control
 * socket (keeper_ctl.h: attest, and start, which it waits for unless it
 * is an exec's), starts the realm, forwards the signals it receives to it
 * and ends as the realm ended (same exit status, or the same signal
 * re-raised) so that its parent sees the container's status.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fasco/fasco.h>

#include "cli.h"
#include "common/error.h"
#include "holder.h"
#include "keeper_ctl.h"
#include "oci/cpuset.h"

static void send_report(int fd, const struct keeper_report *rep)
{
	size_t off = 0;

	while (off < sizeof(*rep)) {
		ssize_t n = write(fd, (const char *)rep + off, sizeof(*rep) - off);

		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

__attribute__((noreturn)) static void give_up(int fd, int code, const char *what)
{
	struct keeper_report rep = { .code = code };
	const char *detail = fasco_last_error();

	snprintf(rep.detail, sizeof(rep.detail), "%s: %s", what,
		 *detail ? detail : fasco_strerror(code));
	send_report(fd, &rep);
	_exit(1);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every descriptor but stdio, the preserved ones and the keeper's own. */
static void close_other_fds(const struct keeper_args *a)
{
	int keep[] = { a->dirfd, a->report_fd, a->commit_fd };
	unsigned from = 3 + (unsigned)a->preserve_fds;

	qsort(keep, 3, sizeof(int), cmp_int);
	for (int i = 0; i < 3; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < from)
			continue;
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0u, 0);
}

static void setup_process(const struct keeper_args *a)
{
	const struct oci_process *proc = &a->cfg->process;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		_exit(1); /* create is already gone */
	setsid();
	if (a->tty_fd >= 0) {
		for (int fd = 0; fd < 3; fd++)
			if (dup2(a->tty_fd, fd) < 0)
				give_up(a->report_fd, -errno, "console");
		if (ioctl(0, TIOCSCTTY, 0) < 0)
			give_up(a->report_fd, -errno, "console: make it the controlling terminal");
	}
	close_other_fds(a);
	/* before the load: the realm's monitor and its vCPU threads inherit it */
	if (a->cfg->linux_.resources.cpu_cpus) {
		cpu_set_t cpus;
		int r = oci_cpuset_parse(a->cfg->linux_.resources.cpu_cpus, &cpus);

		if (r < 0 || sched_setaffinity(0, sizeof(cpus), &cpus) < 0)
			give_up(a->report_fd, r < 0 ? r : -errno, "linux.resources.cpu.cpus");
	}
	/* limits apply to the realm's monitor, which serves the realm's calls */
	for (size_t i = 0; i < proc->n_rlimits; i++) {
		struct rlimit rl = { proc->rlimits[i].soft, proc->rlimits[i].hard };

		if (setrlimit(proc->rlimits[i].resource, &rl) < 0)
			give_up(a->report_fd, -errno, proc->rlimits[i].type);
	}
	if (proc->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		give_up(a->report_fd, -errno, "noNewPrivileges");
}

/* Until the commit, create's death is ours; after it, we outlive create. */
static void commit(const struct keeper_args *a, const struct holder *h)
{
	char c;

	for (size_t i = 0; i < h->n; i++) { /* one report per realm */
		struct keeper_report rep = { 0 };

		holder_measurements(h->realm[i], &rep);
		send_report(a->report_fd, &rep);
	}
	if (read(a->commit_fd, &c, 1) != 1 || c != 'c')
		_exit(1);
	prctl(PR_SET_PDEATHSIG, 0);
	send_report(a->report_fd, &(struct keeper_report){ 0 });
	close(a->report_fd);
	close(a->commit_fd);
}

/* Created: serve attestation until start's request arrives. */
static void wait_for_start(struct holder *h, int dirfd)
{
	struct pollfd pfd = { .fd = h->lfd, .events = POLLIN };

	for (;;) {
		if (poll(&pfd, 1, -1) > 0 && holder_serve(h, dirfd))
			break;
	}
	/* a composite container's stages record their ends there */
	if (h->n > 1)
		h->dirfd = dirfd;
	else
		close(dirfd);
}

/* End as the realm ended: its exit status, or death by its signal. */
__attribute__((noreturn)) static void end_like(const struct fasco_exit_info *e)
{
	static const int no_death[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT,
					SIGCHLD, SIGURG, SIGWINCH };
	struct rlimit no_core = { 0, 0 };
	int status = holder_exit_status(e), sig = status - 128;
	sigset_t set;

	if (e->kind == FASCO_END_EXIT || status == 255)
		_exit(status);
	for (size_t i = 0; i < sizeof(no_death) / sizeof(no_death[0]); i++)
		if (sig == no_death[i])
			_exit(status);
	/* the container's fault must not leave a core of the keeper */
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(status);
}

void keeper_main(const struct keeper_args *a)
{
	struct holder h = HOLDER_INIT;
	struct fasco_exit_info e;
	const char *what = NULL;
	int r;

	setup_process(a);
	h.join_monitor = a->join_monitor;
	if ((r = holder_load(&h, a->rootfs, a->cfg, a->fasco_cfg, a->n_realms, &what)) < 0)
		give_up(a->report_fd, r, what);
	/* the container's keeper (not an exec's) answers on its control socket */
	if (a->dirfd >= 0 && (h.lfd = keeper_ctl_listen(a->dirfd)) < 0)
		give_up(a->report_fd, fasco_fail(h.lfd, "%s", strerror(-h.lfd)), "control socket");
	commit(a, &h);
	if (a->dirfd >= 0)
		wait_for_start(&h, a->dirfd);
	if ((r = holder_start(&h)) < 0) {
		fprintf(stderr, "fasco-oci: start realm: %s\n", fasco_last_error());
		_exit(255);
	}
	if ((r = holder_wait(&h, &e)) < 0) {
		fprintf(stderr, "fasco-oci: wait for realm: %s\n", fasco_last_error());
		_exit(255);
	}
	end_like(&e);
}
