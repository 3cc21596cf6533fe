/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's artifacts in the runtime root's content-addressed store
 * (lib/oci/cas.h): its measured image, the program file the realm is
 * loaded from, stored once for all the containers that run it, zstd-
 * compressed, referenced by each; its digest is reported by `state` as
 * org.fasco.image-sha256 (a stage's as org.fasco.stage.<name>.image-sha256).
 * delete drops the references.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/cas.h"

int artifacts_store(struct container *c, const char *rootfs, const char *program,
		    const char *stage)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY, .resolve = RESOLVE_IN_ROOT };
	_cleanup_close_ int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int store = -1, fd = -1;
	char hex[OCI_CAS_HEX], key[128];
	int r;

	evidence_key(stage, EVIDENCE_IMAGE, key, sizeof(key));
	/* the file the loader reads: resolved inside the root, as the sandbox does */
	if (root < 0 || (fd = (int)syscall(SYS_openat2, root, program, &how, sizeof(how))) < 0)
		return fail("%s: artifact store: open %s: %s", c->id, program, strerror(errno));
	if ((r = oci_cas_open(c->rootfd, &store)) < 0 || (r = oci_cas_add(store, fd, c->id, hex)) < 0 ||
	    (r = oci_annotation_set(&c->st.annotations, key, hex)) < 0)
		return fail_code(r, "artifact store");
	return 0;
}

void artifacts_release(int rootfd, const char *id)
{
	_cleanup_close_ int store = -1;

	if (oci_cas_open(rootfd, &store) < 0 || oci_cas_release(store, id) < 0)
		log_msg(LOG_WARN, "%s: artifact store: %s", id, fasco_last_error());
}
