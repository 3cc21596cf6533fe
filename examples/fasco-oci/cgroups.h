/* SPDX-License-Identifier: Apache-2.0 */
/* The container's cgroup as the commands use it (cgroups.c). */
#ifndef FASCO_OCI_CGROUPS_H
#define FASCO_OCI_CGROUPS_H

#include "cli.h"
#include "oci/cgroup.h"

/*
 * Where a new container's cgroup goes (cg->version 0: it gets none),
 * checked before anything is made; errors are logged.
 */
int cgroup_plan(const char *id, const struct oci_config *cfg, struct oci_cgroup *cg);
/* Make it and write the limits (or, asked for none and impossible, go without). */
int cgroup_make(const char *id, const struct oci_config *cfg, struct oci_cgroup *cg);
/*
 * This process into it while it forks the realms' monitors (run in the
 * foreground), and back out: the monitors, not the runtime, stay in it.
 */
int cgroup_enter_briefly(struct oci_cgroup *cg, const char *id);
void cgroup_leave(struct oci_cgroup *cg, const char *id);
/* The cgroup of an existing container (version 0: none), opened. */
int cgroup_of(struct container *c, struct oci_cgroup *cg);
/* Remove it once its processes are gone (killing any left). */
int cgroup_remove_of(struct container *c);

#endif
