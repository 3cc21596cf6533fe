/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Realm handles. Each realm is served by its own monitor process (see
 * monitor.c); the handle holds its pid, a pidfd and two pipes: status
 * messages up, the start signal down.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "abi/syscall_layout.h"
#include "core/event_log.h"
#include "core/internal.h"
#include "core/realm_attest.h"
#include "rmm/rmm.h"

int fasco_realm_create(fasco_ctx *ctx, const fasco_config *config, fasco_realm **ret_realm)
{
	fasco_realm *r;
	int ret;

	fasco_error_clear();
	fasco_check_arg(ctx && config && ret_realm);
	if (!config->program)
		return fasco_fail(FASCO_E_CONFIG, "no program configured");
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	r->monitor = -1;
	r->pidfd = r->status_fd = r->go_fd = -1;
	if ((ret = config_copy(config, &r->config)) < 0) {
		free(r);
		return ret;
	}
	if (!r->config->argv) {
		const char *argv0[] = { r->config->program };

		fasco_config_set_argv(r->config, 1, argv0);
		if (!r->config->argv) {
			fasco_realm_destroy(r);
			return -ENOMEM;
		}
	}
	*ret_realm = r;
	return 0;
}

int fasco_attach_sysrealm(fasco_realm *realm, fasco_sysrealm *sysrealm)
{
	fasco_error_clear();
	fasco_check_arg(realm && sysrealm);
	if (realm_state(realm) != REALM_NEW)
		return fasco_fail(FASCO_E_STATE, "a realm is attached before it is loaded");
	if (realm->sysrealm)
		realm->sysrealm->attached--;
	realm->sysrealm = sysrealm;
	sysrealm->attached++;
	return 0;
}

static int read_msg(int fd, struct monitor_msg *msg)
{
	uint8_t *p = (uint8_t *)msg;
	size_t got = 0;

	while (got < sizeof(*msg)) {
		ssize_t n = read(fd, p + got, sizeof(*msg) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return got == 0 ? 0 : -EPIPE;
		got += (size_t)n;
	}
	return 1;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every descriptor but those in keep[0..n) (sorted here). */
static void close_all_but(int *keep, size_t n)
{
	unsigned next = 0;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)keep[i] > next)
			syscall(SYS_close_range, next, (unsigned)keep[i] - 1, 0);
		next = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, next, ~0u, 0);
}

/* The monitor ended without a report: it was killed. */
static void reap(fasco_realm *r)
{
	int status = 0;

	if (r->monitor > 0 && waitpid(r->monitor, &status, 0) == r->monitor) {
		r->monitor = -1;
		if (r->exit.kind == 0 && WIFSIGNALED(status)) {
			r->exit.kind = FASCO_END_SIGNAL;
			r->exit.value = WTERMSIG(status);
			snprintf(r->exit.detail, sizeof(r->exit.detail), "killed by signal %d", r->exit.value);
		}
	}
	if (r->exit.kind == 0) {
		r->exit.kind = FASCO_END_CRASH;
		r->exit.value = SIGKILL;
		snprintf(r->exit.detail, sizeof(r->exit.detail), "the realm monitor ended without a report");
	}
	r->exit.size = sizeof(r->exit);
}

int fasco_realm_load_begin(fasco_realm *realm)
{
	int status[2], go[2];
	pid_t pid, owner;
	int ret;

	fasco_error_clear();
	fasco_check_arg(realm);
	if (realm_state(realm) != REALM_NEW)
		return fasco_fail(FASCO_E_STATE, "realm already loaded");
	if (!realm->sysrealm)
		return fasco_fail(FASCO_E_STATE, "attach the realm to a system realm first");
	/* the realm key's seed: the monitor gets it by fork, nothing else has it */
	if (getrandom(realm->rak_seed, sizeof(realm->rak_seed), 0) != (ssize_t)sizeof(realm->rak_seed))
		return fasco_fail_errno("getrandom");
	if (pipe2(status, O_CLOEXEC) < 0)
		return fasco_fail_errno("pipe");
	if (pipe2(go, O_CLOEXEC) < 0) {
		close(status[0]);
		close(status[1]);
		return fasco_fail_errno("pipe");
	}
	realm_reap_pending();
	owner = getpid();
	pid = fork();
	if (pid < 0) {
		ret = fasco_fail_errno("fork realm monitor");
		close(status[0]), close(status[1]), close(go[0]), close(go[1]);
		return ret;
	}
	if (pid == 0) {
		int owner_pidfd = (int)syscall(SYS_pidfd_open, owner, 0);
		const int *ns_fd = realm->sysrealm->spec.join_fd;
		int keep[6 + SANDBOX_NS_COUNT] = { 0, 1, 2, status[1], go[0], owner_pidfd };
		size_t n_keep = 6;

		/* the owner may have died before the pidfd was taken */
		if (owner_pidfd < 0 || getppid() != owner)
			_exit(1);
		/* the caller's other descriptors have no business where realm
		 * calls are served: the realm's stdio is 0-2, nothing else */
		for (int t = 0; t < SANDBOX_NS_COUNT; t++) /* the namespaces it joins */
			if (ns_fd[t] >= 0)
				keep[n_keep++] = ns_fd[t];
		close_all_but(keep, n_keep);
		monitor_main(realm, status[1], go[0], owner_pidfd);
	}
	close(status[1]);
	close(go[0]);
	realm->monitor = pid;
	realm->status_fd = status[0];
	realm->go_fd = go[1];
	realm->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	realm_set_state(realm, REALM_LOADING);
	return 0;
}

/* The monitor's answer to a load: loaded, or why not. */
static int load_finish(fasco_realm *realm)
{
	struct monitor_msg msg;
	int ret = read_msg(realm->status_fd, &msg);

	if (ret == 1 && msg.type == MSG_LOADED) {
		realm->meas = msg.meas;
		realm_set_state(realm, REALM_LOADED);
		ctx_log(realm->ctx, FASCO_LOG_INFO, "realm %s loaded (monitor %d, %s)",
			realm->config->program, (int)realm->monitor,
			realm->meas.digest_len ? "measured" : "not measured");
		return 0;
	}
	realm_set_state(realm, REALM_ENDED);
	reap(realm);
	if (ret == 1 && msg.type == MSG_ERROR)
		return fasco_fail(msg.code, "%s", msg.detail);
	return fasco_fail(FASCO_E_INTERNAL, "realm monitor died while loading: %s", realm->exit.detail);
}

int fasco_realm_load(fasco_realm *realm)
{
	int ret;

	fasco_error_clear();
	fasco_check_arg(realm);
	if (realm_state(realm) == REALM_NEW && (ret = fasco_realm_load_begin(realm)) < 0)
		return ret;
	if (realm_state(realm) != REALM_LOADING)
		return fasco_fail(FASCO_E_STATE, "realm already loaded");
	return load_finish(realm);
}

int fasco_realm_start(fasco_realm *realm)
{
	int ret;

	fasco_error_clear();
	fasco_check_arg(realm);
	if ((realm_state(realm) == REALM_NEW || realm_state(realm) == REALM_LOADING) &&
	    (ret = fasco_realm_load(realm)) < 0)
		return ret;
	if (realm_state(realm) != REALM_LOADED)
		return fasco_fail(FASCO_E_STATE, "realm is not loaded");
	if (write(realm->go_fd, "g", 1) != 1)
		return fasco_fail_errno("start realm");
	realm_set_state(realm, REALM_RUNNING);
	return 0;
}

int fasco_realm_wait(fasco_realm *realm, struct fasco_exit_info *info)
{
	struct monitor_msg msg;
	int ret;

	fasco_error_clear();
	fasco_check_arg(realm);
	fasco_check_arg(!info || info->size >= sizeof(*info));
	if (realm_state(realm) == REALM_RUNNING) {
		ret = read_msg(realm->status_fd, &msg);
		if (ret == 1 && msg.type == MSG_END) {
			realm->reported_end = 1;
			/* the event log follows the report, before the EOF settle waits for */
			if (event_log_receive(realm->status_fd, &realm->event_log) < 0)
				ctx_log(realm->ctx, FASCO_LOG_WARNING, "%s", fasco_last_error());
			realm_fd_settle(realm);
			realm->exit = msg.exit;
			realm->stats = msg.stats;
			realm->meas = msg.meas;
			ctx_log(realm->ctx, FASCO_LOG_INFO, "realm %s: %s", realm->config->program,
				msg.exit.detail);
		}
		realm_set_state(realm, REALM_ENDED);
		if (!realm->reported_end)
			reap(realm); /* its status says how it ended */
		if (ret == 1 && msg.type == MSG_ERROR)
			return fasco_fail(msg.code, "%s", msg.detail);
	}
	if (realm_state(realm) != REALM_ENDED)
		return fasco_fail(FASCO_E_STATE, "realm was not started");
	if (info)
		*info = realm->exit;
	return 0;
}

/*
 * Safe while another thread waits for the realm: the pidfd stays open until
 * fasco_realm_destroy(), so it can never name another process, and the
 * state is read atomically.
 */
int fasco_realm_kill(fasco_realm *realm, int signo)
{
	enum realm_state state;

	fasco_error_clear();
	fasco_check_arg(realm && signo > 0 && signo < 65);
	state = realm_state(realm);
	if (state != REALM_RUNNING && state != REALM_LOADED)
		return fasco_fail(FASCO_E_STATE, "realm is not running");
	if (realm->pidfd < 0)
		return fasco_fail(FASCO_E_INTERNAL, "no pidfd for the realm monitor");
	if (syscall(SYS_pidfd_send_signal, realm->pidfd, signo, NULL, 0) < 0) {
		if (errno == ESRCH)
			return 0; /* it ended on its own meanwhile */
		return fasco_fail_errno("signal realm monitor");
	}
	return 0;
}

int fasco_realm_pid(const fasco_realm *realm)
{
	/* an ended realm's monitor is only tearing down, if not gone */
	if (!realm || realm->monitor <= 0 || realm_state(realm) == REALM_ENDED)
		return -ESRCH;
	return realm->monitor;
}

/* The first release's struct fasco_realm_stats ended before "polled". */
#define STATS_SIZE_0_1 offsetof(struct fasco_realm_stats, polled)

int fasco_realm_stats(const fasco_realm *realm, struct fasco_realm_stats *stats)
{
	uint32_t size;

	fasco_error_clear();
	fasco_check_arg(realm && stats && stats->size >= STATS_SIZE_0_1);
	if (realm_state(realm) != REALM_ENDED)
		return fasco_fail(FASCO_E_STATE, "statistics are available once the realm has ended");
	/* a caller built against an older header gets the fields it knows */
	size = stats->size < sizeof(*stats) ? stats->size : (uint32_t)sizeof(*stats);
	memcpy(stats, &realm->stats, size);
	stats->size = size;
	return 0;
}

int fasco_syscall_supported(unsigned nr)
{
	const struct fasco_sys_spec *spec = fasco_sys_spec(nr);

	return spec && spec->kind != FASCO_SYS_UNSUPPORTED;
}

int fasco_realm_measurement(const fasco_realm *realm, unsigned index, uint8_t *buf, size_t cap,
			    size_t *ret_len)
{
	fasco_error_clear();
	fasco_check_arg(realm && buf && index < ARRAY_SIZE(realm->meas.slot));
	if (!realm_is_loaded(realm))
		return fasco_fail(FASCO_E_STATE, "the realm is measured when it is loaded");
	if (!realm->meas.digest_len)
		return fasco_fail(FASCO_E_UNSUPPORTED, "the realm was created without measurement");
	return rmm_digest_copy_out(realm->meas.slot[index], realm->meas.digest_len, buf, cap,
				   ret_len);
}

int fasco_realm_attest(fasco_realm *realm, const uint8_t *challenge, size_t challenge_len,
		       uint8_t *buf, size_t cap, size_t *ret_len)
{
	uint8_t padded[REALM_CHALLENGE_SIZE] = { 0 };
	struct realm_attester a;
	int ret;

	fasco_error_clear();
	fasco_check_arg(realm && (challenge || !challenge_len) && (buf || !cap) && ret_len);
	if (challenge_len > sizeof(padded))
		return fasco_fail(-EINVAL, "a challenge holds at most 64 bytes, not %zu", challenge_len);
	if (!realm_is_loaded(realm))
		return fasco_fail(FASCO_E_STATE, "the realm is measured when it is loaded");
	if (challenge_len)
		memcpy(padded, challenge, challenge_len);
	realm_attester_init(&a, realm->ctx->state_dir, realm->config->rpv, realm->rak_seed);
	ret = realm_attester_token(&a, &realm->meas, (unsigned)realm->config->hash_algo, padded,
				   buf, cap, ret_len);
	realm_attester_fini(&a);
	return ret;
}

void fasco_realm_destroy(fasco_realm *realm)
{
	if (!realm)
		return;
	if (realm->monitor > 0 && realm->reported_end && realm->pidfd >= 0) {
		realm_reap_later(realm->pidfd); /* takes the pidfd */
		realm->pidfd = -1;
	} else if (realm->monitor > 0) {
		kill(realm->monitor, SIGKILL);
		waitpid(realm->monitor, NULL, 0);
	}
	if (realm->sysrealm)
		realm->sysrealm->attached--;
	int fds[] = { realm->pidfd, realm->status_fd, realm->go_fd };

	for (unsigned i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fasco_config_destroy(realm->config);
	free(realm->event_log);
	free(realm);
}

int fasco_exec(fasco_realm *realm, struct fasco_exit_info *info)
{
	struct fasco_exit_info e = { .size = sizeof(e) };
	int ret;

	if ((ret = fasco_realm_start(realm)) < 0 || (ret = fasco_realm_wait(realm, &e)) < 0)
		return ret;
	if (info) {
		if (info->size < sizeof(*info))
			return fasco_fail(-EINVAL, "fasco_exec: info->size too small");
		*info = e;
	}
	return e.kind == FASCO_END_EXIT ? e.value : 128 + e.value;
}
