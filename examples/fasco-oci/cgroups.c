/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container's cgroup from the commands' side (lib/oci/cgroup.h does
 * the work): whether a new container gets one, making it, and finding it
 * again from the record in the container's directory. A container gets a
 * cgroup only when its config has linux.cgroupsPath or a limit in
 * linux.resources: without, no cgroup work slows its start. A host where
 * none can be made (not root, no writable hierarchy) runs a container
 * that asks for no limit without one, with a warning; one that asks for
 * limits fails.
 */
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "common/error.h"
#include "oci/cgroup.h"

int cgroup_plan(const char *id, const struct oci_config *cfg, struct oci_cgroup *cg)
{
	const struct oci_linux *l = &cfg->linux_;
	struct oci_cg_setting checked[OCI_CG_SETTINGS_MAX];
	int r;

	oci_cgroup_init(cg);
	if (!l->cgroups_path && !oci_resources_limit(&l->resources))
		return 0;
	cg->version = oci_cgroup_detect(cg->root);
	if (!cg->version && oci_resources_limit(&l->resources))
		return fail("%s: linux.resources: no cgroup file system at %s to apply them", id,
			    cg->root);
	if (!cg->version) {
		log_msg(LOG_WARN, "%s: linux.cgroupsPath: no cgroup file system at %s: running "
			"without a cgroup", id, cg->root);
		return 0;
	}
	if ((r = oci_cgroup_resolve(cg, l->cgroups_path, id, g.systemd_cgroup)) < 0 ||
	    (r = oci_cgroup_settings(cg->version, &l->resources, checked, OCI_CG_SETTINGS_MAX)) < 0) {
		cg->version = 0;
		return fail_code(r, id);
	}
	return 0;
}

int cgroup_make(const char *id, const struct oci_config *cfg, struct oci_cgroup *cg)
{
	const struct oci_resources *res = &cfg->linux_.resources;
	int r;

	if (!cg->version)
		return 0;
	r = oci_cgroup_create(cg, oci_cgroup_needs(cg->version, res));
	if (r < 0 && !oci_resources_limit(res)) {
		log_msg(LOG_WARN, "%s: %s: running without a cgroup", id, fasco_last_error());
		oci_cgroup_close(cg);
		cg->version = 0;
		return 0;
	}
	if (r == 0 && (r = oci_cgroup_apply(cg, res)) < 0)
		oci_cgroup_remove(cg, true);
	return r < 0 ? fail_code(r, id) : 0;
}

int cgroup_enter_briefly(struct oci_cgroup *cg, const char *id)
{
	int r;

	if (!cg->version)
		return 0;
	if ((r = oci_cgroup_own(cg)) < 0 || (r = oci_cgroup_join(cg)) < 0)
		return fail_code(r, id);
	return 0;
}

void cgroup_leave(struct oci_cgroup *cg, const char *id)
{
	int r;

	if (cg->version && (r = oci_cgroup_leave(cg)) < 0)
		log_msg(LOG_WARN, "%s: %s", id, fasco_last_error());
}

int cgroup_of(struct container *c, struct oci_cgroup *cg)
{
	int r;

	oci_cgroup_init(cg);
	if ((r = oci_cgroup_load(c->dirfd, cg)) < 0) {
		oci_cgroup_close(cg);
		return fail_code(r, c->id);
	}
	return 0;
}

int cgroup_remove_of(struct container *c)
{
	struct oci_cgroup cg;
	int r;

	oci_cgroup_init(&cg);
	if ((r = oci_cgroup_load(c->dirfd, &cg)) < 0) {
		/* a damaged record names nothing that could be removed safely */
		log_msg(LOG_WARN, "%s: %s: its cgroup, if any, is left", c->id, fasco_last_error());
		oci_cgroup_close(&cg);
		return 0;
	}
	r = oci_cgroup_remove(&cg, false);
	oci_cgroup_close(&cg);
	return r < 0 ? fail_code(r, c->id) : 0;
}
