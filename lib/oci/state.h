/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's OCI state, kept in <root>/<id>/state.json. The recorded
 * status is only what the last command knew: the status reported is
 * derived from it and from the host, so that a runtime killed at any point
 * still tells the truth (oci_state_derive).
 */
#ifndef FASCO_OCI_STATE_H
#define FASCO_OCI_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "oci/config.h"
#include "oci/store.h"

enum oci_status {
	OCI_STATUS_CREATING,
	OCI_STATUS_CREATED,
	OCI_STATUS_RUNNING,
	OCI_STATUS_STOPPED,
	OCI_STATUS_PAUSED, /* running, but frozen (pause): derived, never recorded */
};

#define OCI_STATE_FILE "state.json"
#define OCI_CONFIG_FILE "config.json"
/* Exists from create until the container's keeper accepts start's request. */
#define OCI_CREATED_FILE "created"

struct oci_state {
	char *id, *bundle, *rootfs, *created, *owner;
	int pid;             /* the container's process on the host, 0 = none */
	uint64_t start_time; /* its start time, against pid reuse */
	enum oci_status status;
	struct oci_annotations annotations;
};

const char *oci_status_name(enum oci_status status);

/* What a rendering holds. */
enum oci_state_view {
	OCI_VIEW_SPEC, /* the runtime-spec state (hooks' stdin) */
	OCI_VIEW_RUNC, /* `state` output: as runc prints it (rootfs, created, owner) */
	OCI_VIEW_DISK, /* everything, start time included */
};

/* Render s with the given status; *ret is malloc'ed and NUL-terminated. */
int oci_state_render(const struct oci_state *s, enum oci_status status, enum oci_state_view view,
		     char **ret, size_t *ret_len);
int oci_state_save(int dirfd, const struct oci_state *s, enum oci_durability durability);
/* Read state.json; a missing or damaged file is an error (caller decides). */
int oci_state_load(int dirfd, struct oci_state *s);
void oci_state_clear(struct oci_state *s);

/*
 * The true status: creating while its recorded process lives; created
 * while the container process lives and the "created" marker exists (its
 * keeper removes it when start asks); running while it lives afterwards,
 * paused while it is stopped by a signal (pause); stopped otherwise.
 */
enum oci_status oci_state_derive(const struct oci_state *s, int dirfd);

#endif
