/* SPDX-License-Identifier: Apache-2.0 */
/* The realm's holder: see holder.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/error.h"
#include "holder.h"
#include "keeper_ctl.h"
#include "oci/cpuset.h"

int holder_load(struct holder *h, const char *rootfs, fasco_config *fcfg, const char **what)
{
	int r;

	if ((r = fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &h->ctx)) < 0)
		return *what = "library context", r;
	if ((r = fasco_sysrealm_create(h->ctx, rootfs, &h->sys)) < 0)
		return *what = "system realm", r;
	if ((r = fasco_realm_create(h->ctx, fcfg, &h->realm)) < 0)
		return *what = "realm", r;
	if ((r = fasco_attach_sysrealm(h->realm, h->sys)) < 0)
		return *what = "attach", r;
	if ((r = fasco_realm_load(h->realm)) < 0)
		return *what = "load realm", r;
	return 0;
}

void holder_release(struct holder *h)
{
	fasco_realm_destroy(h->realm);
	fasco_sysrealm_destroy(h->sys);
	fasco_ctx_destroy(h->ctx);
	if (h->lfd >= 0)
		close(h->lfd);
	*h = (struct holder)HOLDER_INIT;
}

int holder_confine_monitor(fasco_realm *realm, const struct oci_config *cfg, const char **what)
{
	const struct oci_process *proc = &cfg->process;
	pid_t monitor = fasco_realm_pid(realm);
	int r;

	for (size_t i = 0; i < proc->n_rlimits; i++) {
		struct rlimit rl = { proc->rlimits[i].soft, proc->rlimits[i].hard };

		if (prlimit(monitor, proc->rlimits[i].resource, &rl, NULL) < 0)
			return *what = proc->rlimits[i].type, fasco_fail_errno("prlimit");
	}
	if (cfg->linux_.resources.cpu_cpus) {
		cpu_set_t cpus;

		*what = "linux.resources.cpu.cpus";
		if ((r = oci_cpuset_parse(cfg->linux_.resources.cpu_cpus, &cpus)) < 0 ||
		    (r = oci_cpuset_apply(monitor, &cpus)) < 0)
			return r == FASCO_E_CONFIG ? r : fasco_fail(r, "%s", strerror(-r));
	}
	return 0;
}

void holder_measurements(fasco_realm *realm, struct keeper_report *rep)
{
	size_t len = 0;

	for (unsigned i = 0; i < 5; i++) {
		if (fasco_realm_measurement(realm, i, rep->meas[i], sizeof(rep->meas[i]), &len) < 0) {
			rep->meas_len = 0;
			return;
		}
		rep->meas_len = (uint32_t)len;
	}
}

static void serve_attest(fasco_realm *realm, int conn, const struct keeper_request *req)
{
	uint8_t token[KEEPER_DATA_MAX];
	size_t len = 0;
	int r = fasco_realm_attest(realm, req->challenge, req->challenge_len, token, sizeof(token),
				   &len);

	keeper_ctl_reply(conn, r, r < 0 ? fasco_last_error() : "", token, r < 0 ? 0 : len);
}

bool holder_serve(fasco_realm *realm, int lfd, int dirfd)
{
	struct keeper_request req;
	int conn = keeper_ctl_accept(lfd, &req);

	if (conn < 0)
		return false;
	if (req.op == KEEPER_OP_ATTEST) {
		serve_attest(realm, conn, &req);
		return false;
	}
	if (dirfd < 0) {
		keeper_ctl_reply(conn, FASCO_E_STATE, "the container has been started already",
				 NULL, 0);
		return false;
	}
	/* gone from the directory: from now on the state derives "running" */
	unlinkat(dirfd, OCI_CREATED_FILE, 0);
	keeper_ctl_reply(conn, 0, NULL, NULL, 0);
	return true;
}

/* Everything catchable that is not about the holder itself. */
static void forwarded_signals(sigset_t *set)
{
	static const int own[] = { SIGKILL, SIGSTOP, SIGCHLD, SIGSEGV, SIGBUS, SIGILL,
				   SIGFPE, SIGTRAP, SIGSYS };

	sigemptyset(set);
	for (int s = 1; s <= SIGRTMAX; s++)
		sigaddset(set, s);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		sigdelset(set, own[i]);
}

int holder_start(struct holder *h)
{
	forwarded_signals(&h->forwarded);
	sigprocmask(SIG_BLOCK, &h->forwarded, NULL);
	return fasco_realm_start(h->realm);
}

int holder_wait(struct holder *h, struct fasco_exit_info *e)
{
	fasco_realm *realm = h->realm;
	int lfd = h->lfd;
	int sfd = signalfd(-1, &h->forwarded, SFD_CLOEXEC);
	/* the realm's end, not its monitor's exit: the VM's teardown is not waited for */
	int end = fasco_realm_fd(realm);

	while (sfd >= 0 && end >= 0) {
		struct pollfd pfd[3] = { { .fd = end, .events = POLLIN },
					 { .fd = sfd, .events = POLLIN },
					 { .fd = lfd, .events = POLLIN } };
		struct signalfd_siginfo si;
		int n = poll(pfd, 3, h->on_running ? h->running_ms : -1);

		if (n == 0) {
			h->on_running(h->on_running_arg);
			h->on_running = NULL;
		}
		if (n <= 0)
			continue;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents && read(sfd, &si, sizeof(si)) == sizeof(si))
			fasco_realm_kill(realm, (int)si.ssi_signo);
		if (pfd[2].revents)
			holder_serve(realm, lfd, -1);
	}
	if (sfd >= 0)
		close(sfd);
	*e = (struct fasco_exit_info){ .size = sizeof(*e) };
	return fasco_realm_wait(realm, e);
}

int holder_exit_status(const struct fasco_exit_info *e)
{
	if (e->kind == FASCO_END_EXIT)
		return e->value & 0xff;
	if (e->kind == FASCO_END_CRASH)
		fprintf(stderr, "fasco-oci: realm crashed: %s\n", e->detail);
	else if (e->kind == FASCO_END_FAULT)
		fprintf(stderr, "fasco-oci: %s\n", e->detail);
	if (e->value <= 0 || e->value > SIGRTMAX)
		return 255;
	return 128 + e->value;
}
