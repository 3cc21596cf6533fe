/* SPDX-License-Identifier: Apache-2.0 */
/* The container a system realm serves, from config.json: see sysrealm_config.h. */
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "oci/sysrealm_config.h"

/* Options that are mount flags, or that a realm's private sandbox makes moot. */
static const struct flag_word {
	const char *word;
	uint32_t set, clear;
} flag_words[] = {
	{ "ro", FASCO_MOUNT_RDONLY, 0 },
	{ "rw", 0, FASCO_MOUNT_RDONLY },
	{ "nosuid", FASCO_MOUNT_NOSUID, 0 },
	{ "suid", 0, FASCO_MOUNT_NOSUID },
	{ "nodev", FASCO_MOUNT_NODEV, 0 },
	{ "dev", 0, FASCO_MOUNT_NODEV },
	{ "noexec", FASCO_MOUNT_NOEXEC, 0 },
	{ "exec", 0, FASCO_MOUNT_NOEXEC },
	{ "rbind", FASCO_MOUNT_RECURSIVE, 0 },
	{ "bind", 0, 0 },
	/* every sandbox mount is private to its namespace; times do not matter */
	{ "private", 0, 0 }, { "rprivate", 0, 0 }, { "slave", 0, 0 }, { "rslave", 0, 0 },
	{ "shared", 0, 0 }, { "rshared", 0, 0 }, { "unbindable", 0, 0 }, { "runbindable", 0, 0 },
	{ "strictatime", 0, 0 }, { "relatime", 0, 0 }, { "norelatime", 0, 0 }, { "noatime", 0, 0 },
	{ "atime", 0, 0 }, { "nodiratime", 0, 0 }, { "diratime", 0, 0 },
};

const char *oci_mount_option(size_t i)
{
	return i < sizeof(flag_words) / sizeof(flag_words[0]) ? flag_words[i].word : NULL;
}

/* Split options into flags and the tmpfs parameters passed on as they are. */
static int mount_options(const struct oci_mount *m, bool bind, uint32_t *flags, char *params,
			 size_t cap)
{
	size_t len = 0;

	*flags = 0;
	params[0] = '\0';
	for (size_t i = 0; i < m->options.n; i++) {
		const char *o = m->options.v[i];
		size_t k = 0, n = sizeof(flag_words) / sizeof(flag_words[0]);
		int w;

		while (k < n && strcmp(flag_words[k].word, o) != 0)
			k++;
		if (k < n) {
			*flags = (*flags & ~flag_words[k].clear) | flag_words[k].set;
			continue;
		}
		if (bind)
			return fasco_fail(FASCO_E_CONFIG, "mount %s: option %s is not supported for a bind mount",
					  m->destination, o);
		w = snprintf(params + len, cap - len, "%s%s", len ? "," : "", o);
		if (w < 0 || (size_t)w >= cap - len)
			return fasco_fail(FASCO_E_CONFIG, "mount %s: options are too long", m->destination);
		len += (size_t)w;
	}
	return 0;
}

static int add_mount(fasco_sysrealm *sys, const struct oci_mount *m)
{
	bool bind = oci_mount_is_bind(m);
	char params[4096];
	uint32_t flags;
	int r;

	if ((r = mount_options(m, bind, &flags, params, sizeof(params))) < 0)
		return r;
	if (bind && !m->source)
		return fasco_fail(FASCO_E_CONFIG, "mount %s: a bind mount needs a source", m->destination);
	return fasco_sysrealm_add_mount(sys, bind ? "bind" : "tmpfs", m->source, m->destination, flags,
					params[0] ? params : NULL);
}

static const struct {
	const char *type, *proc; /* config.json's name, /proc/PID/ns's */
	enum fasco_namespace ns;
} namespace_kinds[] = {
	{ "mount", "mnt", FASCO_NS_MOUNT }, { "uts", "uts", FASCO_NS_UTS },
	{ "ipc", "ipc", FASCO_NS_IPC }, { "network", "net", FASCO_NS_NET },
	{ "cgroup", "cgroup", FASCO_NS_CGROUP },
};

#define N_NAMESPACE_KINDS (sizeof(namespace_kinds) / sizeof(namespace_kinds[0]))

/*
 * New namespaces, or joined ones (a CNI-made network namespace). pid,
 * user and time are reported by oci_config_unhonoured(). A mount
 * namespace of the container's own is made in any case: the root is built
 * in it, so joining another one cannot be honoured.
 */
static int add_namespaces(const struct oci_linux *l, fasco_sysrealm *sys)
{
	for (size_t i = 0; i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];
		size_t k = 0;
		int r;

		while (k < N_NAMESPACE_KINDS && strcmp(namespace_kinds[k].type, ns->type) != 0)
			k++;
		if (k == N_NAMESPACE_KINDS || (namespace_kinds[k].ns == FASCO_NS_MOUNT && !ns->path))
			continue;
		if (namespace_kinds[k].ns == FASCO_NS_MOUNT)
			return fasco_fail(FASCO_E_CONFIG, "linux.namespaces: joining the mount namespace "
					  "%s is not supported: the container's root is built in one of its own",
					  ns->path);
		if ((r = fasco_sysrealm_set_namespace(sys, namespace_kinds[k].ns, ns->path)) < 0) {
			char why[256];

			snprintf(why, sizeof(why), "%s", fasco_last_error());
			return fasco_fail(r, "linux.namespaces: %s", why);
		}
	}
	return 0;
}

/* The user, and the grantable part of its effective capabilities (the rest is reported). */
static int set_user(const struct oci_config *c, fasco_sysrealm *sys)
{
	const struct oci_user *u = &c->process.user;
	const struct oci_strv *effective = &c->process.capabilities[OCI_CAP_EFFECTIVE];
	uint64_t caps = 0;
	int r;

	for (size_t i = 0; i < effective->n; i++) {
		int bit = oci_capability_bit(effective->v[i]);

		if (bit >= 0)
			caps |= 1ull << bit;
	}
	if ((r = fasco_sysrealm_set_capabilities(sys, caps)) < 0)
		return r;
	return fasco_sysrealm_set_user(sys, u->uid, u->gid, u->n_additional_gids, u->additional_gids);
}

int oci_sysrealm_config(const struct oci_config *c, fasco_sysrealm *sys)
{
	int r;

	for (size_t i = 0; i < c->n_mounts; i++)
		if (!oci_mount_skipped(&c->mounts[i]) && (r = add_mount(sys, &c->mounts[i])) < 0)
			return r;
	/* a container has them whatever its config says (runtime-spec, "Default Devices") */
	if ((r = fasco_sysrealm_add_default_devices(sys)) < 0 ||
	    (c->root.readonly && (r = fasco_sysrealm_set_readonly(sys, 1)) < 0) ||
	    (c->hostname && *c->hostname && (r = fasco_sysrealm_set_hostname(sys, c->hostname)) < 0) ||
	    (r = add_namespaces(&c->linux_, sys)) < 0)
		return r;
	return set_user(c, sys);
}

int oci_sysrealm_join(const struct oci_config *c, pid_t monitor, fasco_sysrealm *sys)
{
	char path[64];
	int r;

	for (size_t k = 0; k < N_NAMESPACE_KINDS; k++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)monitor, namespace_kinds[k].proc);
		if ((r = fasco_sysrealm_set_namespace(sys, namespace_kinds[k].ns, path)) < 0)
			return r;
	}
	return set_user(c, sys);
}
