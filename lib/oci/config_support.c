/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a configuration asks for that fasco-oci accepts but cannot honour
 * yet. The runtime reports each one (log and `fasco-oci features`) rather
 * than pretending: the container realm has no kernel of its own, and the
 * system realm's sandbox does not yet build the container's mounts,
 * namespaces, credentials or cgroups from the bundle.
 */
#include <stdio.h>
#include <string.h>

#include "oci/config.h"

struct report {
	void (*fn)(void *userdata, const char *what);
	void *userdata;
	size_t count;
};

static void note(struct report *r, const char *what)
{
	r->fn(r->userdata, what);
	r->count++;
}

static void note_process(struct report *r, const struct oci_process *proc)
{
	size_t caps = 0;

	if (proc->user.uid || proc->user.gid || proc->user.n_additional_gids)
		note(r, "process.user: the realm's calls are served with the runtime's credentials "
			"(no user switch yet)");
	for (int i = 0; i < OCI_CAP_SETS; i++)
		caps += proc->capabilities[i].n;
	if (caps)
		note(r, "process.capabilities: the system realm serves calls without capabilities; "
			"none are granted");
}

static void note_linux(struct report *r, const struct oci_linux *l)
{
	const struct oci_resources *res = &l->resources;

	for (size_t i = 0; i < l->n_namespaces; i++) {
		if (l->namespaces[i].path) {
			note(r, "linux.namespaces[].path: joining existing namespaces is not "
				"supported yet (the sandbox creates its own mount namespace)");
			break;
		}
	}
	if (res->has_cpu_shares || res->has_cpu_quota || res->has_cpu_period)
		note(r, "linux.resources.cpu: no cgroup is applied yet");
	if (res->has_pids_limit)
		note(r, "linux.resources.pids: no cgroup is applied yet (realms do not fork yet)");
}

size_t oci_config_unhonoured(const struct oci_config *c,
			     void (*fn)(void *userdata, const char *what), void *userdata)
{
	struct report r = { fn, userdata, 0 };

	note_process(&r, &c->process);
	if (c->root.readonly)
		note(&r, "root.readonly: the root is served read-write");
	if (c->n_mounts)
		note(&r, "mounts: only the root filesystem is visible to the realm");
	if (c->hostname)
		note(&r, "hostname: the sandbox has no UTS namespace yet");
	note_linux(&r, &c->linux_);
	return r.count;
}
