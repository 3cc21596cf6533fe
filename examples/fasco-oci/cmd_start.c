/* SPDX-License-Identifier: Apache-2.0 */
/*
 * start: run the startContainer hooks, open exec.fifo for reading (which
 * releases the keeper blocked opening it for writing), wait for its byte,
 * record "running", run the poststart hooks.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/proc.h"

#define START_TIMEOUT_MS 10000

/* The keeper's byte on the fifo, or an error if it died first. */
static int release_keeper(struct container *c)
{
	_cleanup_close_ int fd = openat(c->dirfd, OCI_FIFO_FILE, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char byte;

	if (fd < 0)
		return fail("%s: exec.fifo: %s", c->id, strerror(errno));
	for (int waited = 0; waited < START_TIMEOUT_MS; waited += 100) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, 100);

		if (n > 0 && read(fd, &byte, 1) == 1)
			return 0;
		if (!oci_proc_alive(c->st.pid, c->st.start_time))
			return fail("%s: the container process is gone", c->id);
	}
	return fail("%s: the container process did not answer on exec.fifo", c->id);
}

int start_container(struct container *c)
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
		container_signal(c, SIGKILL);
		oci_config_free(cfg);
		return fail_code(r, c->id);
	}
	fault_point("start-hooks");
	if (release_keeper(c)) {
		oci_config_free(cfg);
		return 1;
	}
	fault_point("start-released");
	unlinkat(c->dirfd, OCI_FIFO_FILE, 0);
	c->st.status = OCI_STATUS_RUNNING;
	if ((r = oci_state_save(c->dirfd, &c->st)) < 0)
		log_msg(LOG_WARN, "%s: %s", c->id, fasco_last_error());
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
	ret = start_container(&c);
	container_close(&c);
	return ret;
}
