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
#include "oci/realm_config.h"
#include "oci/sysrealm_config.h"

int holder_load_begin(struct holder *h, const char *rootfs, const struct oci_config *cfg,
		      fasco_config *const *fcfg, size_t n, const char **what)
{
	int r;

	if ((r = fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &h->ctx)) < 0)
		return *what = "library context", r;
	if ((r = fasco_sysrealm_create(h->ctx, rootfs, &h->sys)) < 0)
		return *what = "system realm", r;
	r = h->join_monitor > 0 ? oci_sysrealm_join(cfg, h->join_monitor, h->sys)
				: oci_sysrealm_config(cfg, h->sys);
	if (r < 0)
		return *what = "container", r;
	for (h->n = 0; h->n < n && h->n < HOLDER_REALMS_MAX; h->n++) {
		size_t i = h->n;

		snprintf(h->name[i], sizeof(h->name[i]), "%s", oci_realm_name(cfg, i));
		*what = h->name[i];
		if ((r = fasco_realm_create(h->ctx, fcfg[i], &h->realm[i])) < 0)
			return r;
		if ((r = fasco_attach_sysrealm(h->realm[i], h->sys)) < 0 ||
		    (r = fasco_realm_load_begin(h->realm[i])) < 0) {
			h->n++; /* created: released with the others */
			return r;
		}
	}
	return 0;
}

int holder_load_finish(struct holder *h, const char **what)
{
	for (size_t i = 0; i < h->n; i++) {
		int r = fasco_realm_load(h->realm[i]);

		if (r < 0)
			return *what = h->name[i], r;
	}
	return 0;
}

int holder_load(struct holder *h, const char *rootfs, const struct oci_config *cfg,
		fasco_config *const *fcfg, size_t n, const char **what)
{
	int r = holder_load_begin(h, rootfs, cfg, fcfg, n, what);

	return r < 0 ? r : holder_load_finish(h, what);
}

void holder_release(struct holder *h)
{
	for (size_t i = 0; i < h->n; i++)
		fasco_realm_destroy(h->realm[i]);
	fasco_sysrealm_destroy(h->sys);
	fasco_ctx_destroy(h->ctx);
	if (h->lfd >= 0)
		close(h->lfd);
	*h = (struct holder)HOLDER_INIT;
}

static int confine_monitor(fasco_realm *realm, const struct oci_config *cfg, const char **what)
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

int holder_confine_monitors(const struct holder *h, const struct oci_config *cfg,
			    const char **what)
{
	for (size_t i = 0; i < h->n; i++) {
		int r = confine_monitor(h->realm[i], cfg, what);

		if (r < 0)
			return r;
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

/* The realm a request names (its stage; none: the container's process), or NULL. */
static fasco_realm *named_realm(const struct holder *h, const struct keeper_request *req)
{
	const char *name = req->stage[0] ? req->stage : OCI_STAGE_MAIN;

	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->name[i], name))
			return h->realm[i];
	return NULL;
}

static void serve_attest(const struct holder *h, int conn, const struct keeper_request *req)
{
	uint8_t token[KEEPER_DATA_MAX];
	size_t len = 0;
	fasco_realm *realm = named_realm(h, req);
	int r;

	if (!realm) {
		keeper_ctl_reply(conn, FASCO_E_CONFIG, "the container has no such stage", NULL, 0);
		return;
	}
	r = fasco_realm_attest(realm, req->challenge, req->challenge_len, token, sizeof(token),
			       &len);
	keeper_ctl_reply(conn, r, r < 0 ? fasco_last_error() : "", token, r < 0 ? 0 : len);
}

/*
 * Only while the realm has not ended: until then its monitor has not been
 * reaped, so the pid still names it (an exec checks again after opening
 * its namespaces).
 */
static void serve_monitor(const struct holder *h, int conn, const struct keeper_request *req)
{
	fasco_realm *realm = named_realm(h, req);
	struct pollfd ended = { .fd = realm ? fasco_realm_fd(realm) : -1, .events = POLLIN };
	int32_t pid = realm ? fasco_realm_pid(realm) : -1;

	if (!realm)
		keeper_ctl_reply(conn, FASCO_E_CONFIG, "the container has no such stage", NULL, 0);
	else if (pid <= 0 || ended.fd < 0 || poll(&ended, 1, 0) != 0)
		keeper_ctl_reply(conn, FASCO_E_STATE, "the container's process has ended", NULL, 0);
	else
		keeper_ctl_reply(conn, 0, "", &pid, sizeof(pid));
}

bool holder_serve(struct holder *h, int dirfd)
{
	struct keeper_request req;
	int conn = keeper_ctl_accept(h->lfd, &req);

	if (conn < 0)
		return false;
	if (req.op == KEEPER_OP_ATTEST) {
		serve_attest(h, conn, &req);
		return false;
	}
	if (req.op == KEEPER_OP_MONITOR) {
		serve_monitor(h, conn, &req);
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
	for (size_t i = 0; i < h->n; i++) {
		int r = fasco_realm_start(h->realm[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Realm i has ended (its descriptor is readable): a stage's end is recorded. */
static void realm_ended(struct holder *h, size_t i)
{
	struct fasco_exit_info e = { .size = sizeof(e) };

	if (fasco_realm_wait(h->realm[i], &e) == 0 && h->dirfd >= 0 && h->n > 1)
		stages_record_end(h->dirfd, h->name[i], holder_exit_status(&e));
}

/* Poll the realms still running, the forwarded signals and the control socket. */
static int poll_once(struct holder *h, int sfd, bool *ended, size_t *left)
{
	struct pollfd pfd[2 + HOLDER_REALMS_MAX] = { { .fd = sfd, .events = POLLIN },
						       { .fd = h->lfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	int n;

	for (size_t i = 0; i < h->n; i++)
		pfd[2 + i] = (struct pollfd){ .fd = ended[i] ? -1 : fasco_realm_fd(h->realm[i]),
					      .events = POLLIN };
	for (size_t i = 0; i < h->n; i++) {
		if (!ended[i] && pfd[2 + i].fd < 0) { /* never loaded: nothing to wait for */
			ended[i] = true;
			--*left;
		}
	}
	n = poll(pfd, 2 + h->n, h->on_running ? h->running_ms : -1);
	if (n == 0) {
		h->on_running(h->on_running_arg);
		h->on_running = NULL;
	}
	if (n <= 0)
		return n < 0 && errno != EINTR ? -errno : 0;
	if (pfd[0].revents && read(sfd, &si, sizeof(si)) == sizeof(si))
		for (size_t i = 0; i < h->n; i++)
			if (!ended[i])
				fasco_realm_kill(h->realm[i], (int)si.ssi_signo);
	if (pfd[1].revents)
		holder_serve(h, -1);
	for (size_t i = 0; i < h->n; i++) {
		if (!ended[i] && pfd[2 + i].revents) {
			ended[i] = true;
			--*left;
			realm_ended(h, i);
		}
	}
	return 0;
}

int holder_wait(struct holder *h, struct fasco_exit_info *e)
{
	/* the realms' ends, not their monitors' exits: no VM teardown is waited for */
	bool ended[HOLDER_REALMS_MAX] = { false };
	int sfd = signalfd(-1, &h->forwarded, SFD_CLOEXEC);
	size_t left = h->n;

	while (sfd >= 0 && left && poll_once(h, sfd, ended, &left) == 0)
		;
	if (sfd >= 0)
		close(sfd);
	*e = (struct fasco_exit_info){ .size = sizeof(*e) };
	return fasco_realm_wait(h->realm[0], e);
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
