/* SPDX-License-Identifier: Apache-2.0 */
/* An existing container: open and lock, status, signals, removal, hooks. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fasco/fasco.h>

#include "cli.h"
#include "common/cleanup.h"
#include "keeper_ctl.h"
#include "oci/hooks.h"
#include "oci/proc.h"
#include "oci/store.h"

#define KILL_TIMEOUT_MS 10000

int container_open(const char *id, struct container *c, bool lock)
{
	int r;

	c->id = id;
	if ((r = oci_id_check(id)) < 0)
		return fail_code(r, id);
	r = oci_root_open(g.root, false, &c->rootfd);
	if (r == -ENOENT)
		return fail("container does not exist: %s", id);
	if (r < 0 || (r = oci_dir_open(c->rootfd, id, &c->dirfd)) < 0) {
		if (r == -ENOENT)
			return fail("container does not exist: %s", id);
		return fail_code(r, id);
	}
	if (lock && (r = oci_lock(c->dirfd, true, &c->lockfd)) < 0)
		return fail_code(r, id);
	/* a create killed before its first write leaves a directory only */
	r = oci_state_load(c->dirfd, &c->st);
	c->has_state = r >= 0;
	if (r < 0)
		log_msg(LOG_WARN, "%s: no usable state (%s): reported as stopped", id,
			fasco_last_error());
	return 0;
}

void container_close(struct container *c)
{
	int *fds[] = { &c->lockfd, &c->dirfd, &c->rootfd };

	for (size_t i = 0; i < 3; i++)
		if (*fds[i] >= 0)
			close(*fds[i]), *fds[i] = -1;
	oci_state_clear(&c->st);
}

enum oci_status container_status(struct container *c)
{
	return c->has_state ? oci_state_derive(&c->st, c->dirfd) : OCI_STATUS_STOPPED;
}

struct oci_config *container_config(struct container *c)
{
	_cleanup_free_ char *doc = NULL;
	struct oci_config *cfg;
	size_t len;

	if (oci_read_file(c->dirfd, OCI_CONFIG_FILE, OCI_CONFIG_MAX_BYTES, &doc, &len) < 0 ||
	    oci_config_parse(doc, len, &cfg) < 0) {
		log_msg(LOG_WARN, "%s: saved config.json unusable: %s", c->id, fasco_last_error());
		return NULL;
	}
	return cfg;
}

int container_ask_keeper(struct container *c, const char *what, const struct keeper_request *req,
			 void *data, size_t cap, size_t *ret_len)
{
	struct keeper_reply rep;
	int r = keeper_ctl_call(c->dirfd, req, &rep, data, cap);

	if (r == -ESRCH)
		return fail("%s: container not running", c->id);
	if (r < 0)
		return fail("%s: the container process did not answer: %s", c->id, strerror(-r));
	if (rep.code < 0)
		return fail("%s: %s: %s", c->id, what, rep.detail);
	if (ret_len)
		*ret_len = rep.len;
	return 0;
}

int container_signal(struct container *c, int signo)
{
	_cleanup_close_ int pidfd = -1;
	int r = oci_proc_pidfd(c->st.pid, c->st.start_time, &pidfd);

	if (r < 0)
		return r;
	if (syscall(SYS_pidfd_send_signal, pidfd, signo, NULL, 0) < 0)
		return -errno;
	return 0;
}

/* Kill the container process and wait (bounded) until it is gone. */
static int kill_and_wait(struct container *c)
{
	/* every process first: a paused container's monitors are stopped */
	container_signal_all(c, SIGKILL);
	if (oci_proc_kill_wait(c->st.pid, c->st.start_time, KILL_TIMEOUT_MS) < 0)
		return fail("%s: process %d did not die after SIGKILL", c->id, c->st.pid);
	return execs_kill_wait(c->dirfd) < 0 ? fail("%s: an exec process did not die after SIGKILL", c->id) : 0;
}

int container_hooks(struct container *c, const struct oci_config *cfg, enum oci_hook_kind kind,
		    enum oci_status status)
{
	_cleanup_free_ char *state = NULL;
	size_t len;
	int r;

	if (!cfg || !cfg->hooks[kind].n)
		return 0;
	if ((r = oci_state_render(&c->st, status, OCI_VIEW_SPEC, &state, &len)) < 0)
		return r;
	log_msg(LOG_DEBUG, "%s: running %zu %s hook(s)", c->id, cfg->hooks[kind].n,
		oci_hook_kind_name(kind));
	return oci_hooks_run(cfg->hooks, kind, state, len);
}

int container_sync(struct container *c)
{
	static const char *const written[] = { OCI_CONFIG_FILE, OCI_STATE_FILE, NULL };
	int r = oci_sync_files(c->dirfd, written);

	return r < 0 ? fail_code(r, c->id) : 0;
}

int container_destroy(struct container *c)
{
	struct oci_config *cfg = c->has_state ? container_config(c) : NULL;
	int r;

	if (c->has_state && kill_and_wait(c))
		return oci_config_free(cfg), 1;
	fault_point("delete-killed");
	r = oci_dir_remove(c->rootfd, c->id);
	if (r < 0) {
		oci_config_free(cfg);
		return fail_code(r, c->id);
	}
	artifacts_release(c->rootfd, c->id);
	/* poststop: after the container is gone; a failure is only a warning */
	if (container_hooks(c, cfg, OCI_HOOK_POSTSTOP, OCI_STATUS_STOPPED) < 0)
		log_msg(LOG_WARN, "%s: %s", c->id, fasco_last_error());
	oci_config_free(cfg);
	return 0;
}
