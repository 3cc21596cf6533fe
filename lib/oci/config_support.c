/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a configuration asks for that fasco-oci accepts but cannot honour
 * yet. The runtime reports each one (log and `fasco-oci features`) rather
 * than pretending: the container realm has no kernel of its own, and the
 * system realm's sandbox builds the container's bind and tmpfs mounts,
 * devices, hostname, user and namespaces (sysrealm_config.c) but no
 * cgroups and no capabilities.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "oci/config.h"

const struct oci_limitation oci_limitations[] = {
	[OCI_LIMIT_CAPS] = { "process.capabilities",
		"of the effective set, only CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, "
		"CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_NET_BIND_SERVICE, CAP_NET_RAW and "
		"CAP_AUDIT_WRITE are granted: the others would reach beyond the container" },
	[OCI_LIMIT_MOUNT_TYPES] = { "mounts.type",
		"only bind and tmpfs mounts are made; proc, sysfs, devpts, mqueue and cgroup are "
		"not: the realm has no kernel for them to describe, and a procfs would show the "
		"system realm's own processes, including the one that holds the realm's "
		"attestation key" },
	[OCI_LIMIT_NAMESPACES] = { "linux.namespaces",
		"user and time namespaces are not made and a pid namespace is not joined: the "
		"system realm serves in the runtime's user namespace, and the realm's process ids "
		"are its own whatever the host's" },
	[OCI_LIMIT_CPU] = { "linux.resources.cpu",
		"shares, quota and period need a cgroup, which is not applied yet (cpus is honoured)" },
	[OCI_LIMIT_PIDS] = { "linux.resources.pids",
		"no cgroup is applied yet (realms do not fork yet)" },
	[OCI_LIMIT_PRESERVE_FDS] = { "--preserve-fds",
		"the descriptors stay open in the container process, but the realm's descriptor "
		"table starts with 0, 1 and 2 only" },
	[OCI_LIMIT_SIGSTOP] = { "kill SIGSTOP/SIGCONT",
		"stop and continue act on the container process, not on the realm" },
	{ NULL, NULL },
};

/* The capabilities a container may be served with (the sandbox's grantable set). */
static const struct {
	const char *name;
	int bit;
} grantable_caps[] = {
	{ "CAP_CHOWN", CAP_CHOWN }, { "CAP_DAC_OVERRIDE", CAP_DAC_OVERRIDE },
	{ "CAP_FOWNER", CAP_FOWNER }, { "CAP_FSETID", CAP_FSETID }, { "CAP_KILL", CAP_KILL },
	{ "CAP_SETGID", CAP_SETGID }, { "CAP_SETUID", CAP_SETUID },
	{ "CAP_NET_BIND_SERVICE", CAP_NET_BIND_SERVICE }, { "CAP_NET_RAW", CAP_NET_RAW },
	{ "CAP_AUDIT_WRITE", CAP_AUDIT_WRITE },
};

int oci_capability_bit(const char *name)
{
	for (size_t i = 0; i < sizeof(grantable_caps) / sizeof(grantable_caps[0]); i++)
		if (strcmp(grantable_caps[i].name, name) == 0)
			return grantable_caps[i].bit;
	return -1;
}

static bool has_option(const struct oci_mount *m, const char *word)
{
	for (size_t i = 0; i < m->options.n; i++)
		if (strcmp(m->options.v[i], word) == 0)
			return true;
	return false;
}

bool oci_mount_is_bind(const struct oci_mount *m)
{
	return (m->type && strcmp(m->type, "bind") == 0) || has_option(m, "bind") ||
	       has_option(m, "rbind");
}

bool oci_mount_skipped(const struct oci_mount *m)
{
	return !oci_mount_is_bind(m) && !(m->type && strcmp(m->type, "tmpfs") == 0);
}

struct report {
	void (*fn)(void *userdata, const char *field, const char *why);
	void *userdata;
	size_t count;
};

static void note(struct report *r, enum oci_limit which)
{
	r->fn(r->userdata, oci_limitations[which].field, oci_limitations[which].why);
	r->count++;
}

static void note_process(struct report *r, const struct oci_process *proc)
{
	const struct oci_strv *effective = &proc->capabilities[OCI_CAP_EFFECTIVE];

	for (size_t i = 0; i < effective->n; i++) {
		if (oci_capability_bit(effective->v[i]) < 0) {
			note(r, OCI_LIMIT_CAPS);
			return;
		}
	}
}

static void note_linux(struct report *r, const struct oci_linux *l)
{
	const struct oci_resources *res = &l->resources;

	for (size_t i = 0; i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];

		if (!strcmp(ns->type, "user") || !strcmp(ns->type, "time") ||
		    (!strcmp(ns->type, "pid") && ns->path)) {
			note(r, OCI_LIMIT_NAMESPACES);
			break;
		}
	}
	if (res->has_cpu_shares || res->has_cpu_quota || res->has_cpu_period)
		note(r, OCI_LIMIT_CPU);
	if (res->has_pids_limit)
		note(r, OCI_LIMIT_PIDS);
}

size_t oci_config_unhonoured(const struct oci_config *c,
			     void (*fn)(void *userdata, const char *field, const char *why),
			     void *userdata)
{
	struct report r = { fn, userdata, 0 };

	note_process(&r, &c->process);
	for (size_t i = 0; i < c->n_mounts; i++) {
		if (oci_mount_skipped(&c->mounts[i])) {
			note(&r, OCI_LIMIT_MOUNT_TYPES);
			break;
		}
	}
	note_linux(&r, &c->linux_);
	return r.count;
}
