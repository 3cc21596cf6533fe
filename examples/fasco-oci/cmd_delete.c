/* SPDX-License-Identifier: Apache-2.0 */
/*
 * delete [--force] ID: remove a stopped or created container (as runc, a
 * created one is killed); a running one only with --force. A directory
 * without usable state (a create killed early) is removed as well.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "oci/store.h"

int cmd_delete(int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	struct container c = CONTAINER_INIT;
	enum oci_status status;
	bool force = false;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (ch != 'f')
			return usage_error("delete", "unknown option");
		force = true;
	}
	if (optind != argc - 1)
		return usage_error("delete", "expected exactly one container id");
	if (force && oci_id_check(argv[optind]) == 0) {
		/* --force on a container that does not exist succeeds, as with runc */
		int rootfd, dirfd;

		if (oci_root_open(g.root, false, &rootfd) < 0)
			return 0;
		if (oci_dir_open(rootfd, argv[optind], &dirfd) < 0) {
			close(rootfd);
			return 0;
		}
		close(dirfd);
		close(rootfd);
	}
	if (container_open(argv[optind], &c, true)) {
		container_close(&c);
		return 1;
	}
	status = container_status(&c);
	if (!force && (status == OCI_STATUS_RUNNING || status == OCI_STATUS_CREATING ||
		       status == OCI_STATUS_PAUSED)) {
		container_close(&c);
		return fail("cannot delete container %s that is not stopped: %s", argv[optind],
			    oci_status_name(status));
	}
	ret = container_destroy(&c);
	container_close(&c);
	return ret;
}
