/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pause ID / resume ID: freeze and thaw a running container. Its processes
 * (members.c: the keepers and the realms' monitors, whose vCPU threads
 * leave KVM_RUN on the signal) are stopped with SIGSTOP and continued with
 * SIGCONT; `state` derives "paused" from the stopped holder, so nothing is
 * recorded and a crash cannot leave a stale "paused" behind. pause returns
 * once every process is stopped: one that a realm forked while the others
 * were being stopped is found by the next scan.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "oci/proc.h"

#define SETTLE_STEPS 1000 /* of 1 ms: a stop or continue takes effect at once */

/*
 * Until the status has left from: the signal took effect (or, resumed, a
 * signal that waited for it ended the container, which is fine too).
 */
static int settle(struct container *c, enum oci_status from)
{
	for (int i = 0; i < SETTLE_STEPS; i++) {
		if (container_status(c) != from)
			return 0;
		usleep(1000);
	}
	return fail("%s: still %s after 1 s", c->id, oci_status_name(from));
}

/* SIGSTOP what is not stopped yet, until everything is. */
static int stop_all(struct container *c)
{
	static pid_t pids[CONTAINER_PIDS_MAX];

	for (int i = 0; i < SETTLE_STEPS; i++) {
		size_t n = 0, running = 0;
		int r = container_pids(c, pids, CONTAINER_PIDS_MAX, &n);

		if (r < 0)
			return fail("%s: %s", c->id, strerror(-r));
		for (size_t k = 0; k < n; k++) {
			struct oci_proc_info info;

			if (oci_proc_info(pids[k], &info) == 0 && info.state != 'T') {
				kill(pids[k], SIGSTOP);
				running++;
			}
		}
		if (!running)
			return n ? 0 : fail("container %s is stopped", c->id);
		usleep(i ? 1000 : 0);
	}
	return fail("%s: still running after 1 s", c->id);
}

static int freeze(const char *id, bool pause)
{
	struct container c = CONTAINER_INIT;
	enum oci_status from = pause ? OCI_STATUS_RUNNING : OCI_STATUS_PAUSED;
	enum oci_status to = pause ? OCI_STATUS_PAUSED : OCI_STATUS_RUNNING;
	enum oci_status status;
	int ret = 1, r;

	if (container_open(id, &c, true))
		goto out;
	status = container_status(&c);
	if (status != from) {
		if (pause && status == to)
			fail("container %s is already paused", id);
		else
			fail("container %s is %s, not %s", id, oci_status_name(status),
			     oci_status_name(from));
		goto out;
	}
	if (pause) {
		ret = stop_all(&c);
		goto out;
	}
	if ((r = container_signal_all(&c, SIGCONT)) < 0) {
		fail("%s: %s", id, strerror(-r));
		goto out;
	}
	ret = settle(&c, from);
out:
	container_close(&c);
	return ret;
}

static int cmd_freeze(int argc, char **argv, bool pause)
{
	if (argc != 2)
		return usage_error(argv[0], "expected exactly one container id");
	return freeze(argv[1], pause);
}

int cmd_pause(int argc, char **argv)
{
	return cmd_freeze(argc, argv, true);
}

int cmd_resume(int argc, char **argv)
{
	return cmd_freeze(argc, argv, false);
}
