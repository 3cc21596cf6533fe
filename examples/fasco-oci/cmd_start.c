/* SPDX-License-Identifier: Apache-2.0 */
/*
 * start: run the startContainer hooks, ask the keeper to start the realm
 * (over its control socket: it removes the "created" marker, answers and
 * starts; its death shows as a refused or closed connection, so nothing
 * polls), run the poststart hooks. No state is written: with the marker
 * gone, the state derives "running" from the living keeper.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "holder.h"
#include "keeper_ctl.h"

static int release_keeper(struct container *c)
{
	struct keeper_request req = { .magic = KEEPER_MAGIC, .op = KEEPER_OP_START };

	return container_ask_keeper(c, "start", &req, NULL, 0, NULL);
}

/* The realm this process holds: the marker goes, the realm starts. */
static int start_here(struct container *c, struct holder *h)
{
	int r;

	unlinkat(c->dirfd, OCI_CREATED_FILE, 0);
	if ((r = holder_start(h)) < 0)
		return fail_code(r, c->id);
	return 0;
}

int start_container(struct container *c, struct holder *held)
{
	struct oci_config *cfg;
	enum oci_status status = container_status(c);
	int r;

	if (status == OCI_STATUS_STOPPED)
		return fail("cannot start a container that has stopped");
	if (status == OCI_STATUS_RUNNING)
		return fail("cannot start an already running container");
	if (status != OCI_STATUS_CREATED)
		return fail("cannot start a container in the %s state", oci_status_name(status));
	cfg = container_config(c);
	if ((r = container_hooks(c, cfg, OCI_HOOK_START_CONTAINER, OCI_STATUS_CREATED)) < 0) {
		/* a failing startContainer hook stops the container */
		if (held)
			holder_release(held);
		else
			container_signal(c, SIGKILL);
		oci_config_free(cfg);
		return fail_code(r, c->id);
	}
	fault_point("start-hooks");
	if (held ? start_here(c, held) : release_keeper(c)) {
		oci_config_free(cfg);
		return 1;
	}
	fault_point("start-released");
	c->st.status = OCI_STATUS_RUNNING;
	if ((r = container_hooks(c, cfg, OCI_HOOK_POSTSTART, OCI_STATUS_RUNNING)) < 0)
		log_msg(LOG_WARN, "%s: %s", c->id, fasco_last_error());
	oci_config_free(cfg);
	return 0;
}

int cmd_start(int argc, char **argv)
{
	struct container c = CONTAINER_INIT;
	int ret;

	if (argc != 2)
		return usage_error("start", "expected exactly one container id");
	if (container_open(argv[1], &c, true)) {
		container_close(&c);
		return 1;
	}
	ret = start_container(&c, NULL);
	container_close(&c);
	return ret;
}
