/* SPDX-License-Identifier: Apache-2.0 */
/* kill [--all] ID [SIGNAL]: signal the container process (the keeper), with --all the exec processes too. */
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "cli.h"

int cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' }, { 0 } };
	struct container c = CONTAINER_INIT;
	enum oci_status status;
	int signo = SIGTERM, ch, r;
	bool all = false;

	/* --all: the container's keeper (which forwards to its realm) and every exec's */
	while ((ch = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (ch != 'a')
			return usage_error("kill", "unknown option");
		all = true;
	}
	if (optind >= argc || argc - optind > 2)
		return usage_error("kill", "expected a container id and an optional signal");
	if (argc - optind == 2 && (signo = signal_parse(argv[optind + 1])) < 0)
		return fail("unknown signal \"%s\"", argv[optind + 1]);
	if (container_open(argv[optind], &c, true)) {
		container_close(&c);
		return 1;
	}
	status = container_status(&c);
	if (status != OCI_STATUS_CREATED && status != OCI_STATUS_RUNNING &&
	    status != OCI_STATUS_PAUSED) {
		container_close(&c);
		return fail("container not running");
	}
	r = container_signal(&c, signo);
	/* paused: other signals wait for resume; SIGKILL must reach the stopped monitors too */
	if (status == OCI_STATUS_PAUSED && signo == SIGKILL)
		container_signal_all(&c, SIGKILL);
	if (all)
		execs_signal(c.dirfd, signo);
	container_close(&c);
	if (r == -ESRCH)
		return fail("container not running");
	return r < 0 ? fail("kill: %s", strerror(-r)) : 0;
}
