/* SPDX-License-Identifier: Apache-2.0 */
/* The system realm handle: the container its sandboxes build (sandbox.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"

int fasco_sysrealm_create(fasco_ctx *ctx, const char *root_dir, fasco_sysrealm **ret_sysrealm)
{
	fasco_sysrealm *s;
	char *root;
	struct stat st;

	fasco_error_clear();
	fasco_check_arg(ctx && ret_sysrealm);
	if (!root_dir || !*root_dir)
		root_dir = "/";
	if (!(root = realpath(root_dir, NULL)))
		return fasco_fail(-errno, "root directory %s: %s", root_dir, strerror(errno));
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(root);
		return fasco_fail(-ENOTDIR, "root %s is not a directory", root_dir);
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		free(root);
		return -ENOMEM;
	}
	s->ctx = ctx;
	sandbox_spec_init(&s->spec);
	s->spec.root = root;
	*ret_sysrealm = s;
	return 0;
}

void fasco_sysrealm_destroy(fasco_sysrealm *s)
{
	if (!s)
		return;
	sandbox_spec_free(&s->spec);
	free(s);
}

/* An absolute path of bounded length; what it names is resolved later. */
static int check_path(const char *what, const char *path)
{
	if (!path || path[0] != '/')
		return fasco_fail(-EINVAL, "%s must be an absolute path: %s", what, path ? path : "(none)");
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return fasco_fail(-ENAMETOOLONG, "%s is longer than %d bytes", what, PATH_MAX - 1);
	return 0;
}

/* A target names a place in the root: no ".." (resolution stays inside anyway). */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

static int mount_type_of(const char *type, enum sandbox_mount_type *ret)
{
	if (type && strcmp(type, "bind") == 0)
		*ret = SANDBOX_BIND;
	else if (type && strcmp(type, "tmpfs") == 0)
		*ret = SANDBOX_TMPFS;
	else
		return fasco_fail(FASCO_E_UNSUPPORTED, "mount type %s: only bind and tmpfs are supported",
				  type ? type : "(none)");
	return 0;
}

int fasco_sysrealm_add_mount(fasco_sysrealm *s, const char *type, const char *source,
			     const char *target, uint32_t flags, const char *options)
{
	const uint32_t known = FASCO_MOUNT_RDONLY | FASCO_MOUNT_RECURSIVE | FASCO_MOUNT_NOSUID |
			       FASCO_MOUNT_NODEV | FASCO_MOUNT_NOEXEC;
	struct sandbox_mount m = { .flags = flags };
	struct sandbox_mount *grown;
	int ret;

	fasco_error_clear();
	fasco_check_arg(s && !(flags & ~known));
	if (!sandbox_own_root(&s->spec))
		return fasco_fail(FASCO_E_CONFIG, "mounts need a container root other than /");
	if (s->spec.n_mounts == SANDBOX_MOUNTS_MAX)
		return fasco_fail(FASCO_E_CONFIG, "more than %d mounts", SANDBOX_MOUNTS_MAX);
	if ((ret = mount_type_of(type, &m.type)) < 0 || (ret = check_path("mount target", target)) < 0)
		return ret;
	if (has_dotdot(target))
		return fasco_fail(-EINVAL, "mount target %s must not contain '..'", target);
	if (m.type == SANDBOX_BIND && (ret = check_path("bind mount source", source)) < 0)
		return ret;
	if (m.type == SANDBOX_TMPFS && (flags & FASCO_MOUNT_RECURSIVE))
		return fasco_fail(FASCO_E_CONFIG, "tmpfs on %s: recursive applies to binds only", target);
	if (options && strnlen(options, 4096) >= 4096)
		return fasco_fail(FASCO_E_CONFIG, "mount options for %s are too long", target);
	grown = realloc(s->spec.mounts, (s->spec.n_mounts + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->spec.mounts = grown;
	m.target = strdup(target);
	m.source = source && m.type == SANDBOX_BIND ? strdup(source) : NULL;
	m.options = options && *options ? strdup(options) : NULL;
	if (!m.target || (m.type == SANDBOX_BIND && !m.source) || (options && *options && !m.options)) {
		free(m.target);
		free(m.source);
		free(m.options);
		return -ENOMEM;
	}
	s->spec.mounts[s->spec.n_mounts++] = m;
	return 0;
}

int fasco_sysrealm_set_readonly(fasco_sysrealm *s, int readonly)
{
	fasco_error_clear();
	fasco_check_arg(s);
	if (readonly && !sandbox_own_root(&s->spec))
		return fasco_fail(FASCO_E_CONFIG, "a read-only root needs a container root other than /");
	s->spec.readonly = readonly != 0;
	return 0;
}

int fasco_sysrealm_add_default_devices(fasco_sysrealm *s)
{
	fasco_error_clear();
	fasco_check_arg(s);
	if (!sandbox_own_root(&s->spec))
		return fasco_fail(FASCO_E_CONFIG, "devices need a container root other than /");
	s->spec.devices = true;
	return 0;
}

int fasco_sysrealm_set_hostname(fasco_sysrealm *s, const char *hostname)
{
	size_t len;
	char *copy;

	fasco_error_clear();
	fasco_check_arg(s && hostname);
	len = strnlen(hostname, SANDBOX_HOSTNAME_MAX + 1);
	if (len == 0 || len > SANDBOX_HOSTNAME_MAX || memchr(hostname, '/', len))
		return fasco_fail(FASCO_E_CONFIG, "hostname must be 1 to %d bytes without '/'",
				  SANDBOX_HOSTNAME_MAX);
	if (!(copy = strdup(hostname)))
		return -ENOMEM;
	free(s->spec.hostname);
	s->spec.hostname = copy;
	return 0;
}

int fasco_sysrealm_set_user(fasco_sysrealm *s, uint32_t uid, uint32_t gid, size_t n_groups,
			    const uint32_t *groups)
{
	fasco_error_clear();
	fasco_check_arg(s && (n_groups == 0 || groups));
	/* -1 means "unchanged" to setresuid(2): never a user to serve as */
	if (uid == UINT32_MAX || gid == UINT32_MAX)
		return fasco_fail(FASCO_E_CONFIG, "uid and gid must not be 4294967295");
	if (n_groups > SANDBOX_GROUPS_MAX)
		return fasco_fail(FASCO_E_CONFIG, "more than %d additional groups", SANDBOX_GROUPS_MAX);
	s->spec.set_user = true;
	s->spec.uid = uid;
	s->spec.gid = gid;
	s->spec.n_groups = n_groups;
	if (n_groups)
		memcpy(s->spec.groups, groups, n_groups * sizeof(*groups));
	return 0;
}

int fasco_sysrealm_set_capabilities(fasco_sysrealm *s, uint64_t caps)
{
	uint64_t refused = caps & ~SANDBOX_CAPS_GRANTABLE;

	fasco_error_clear();
	fasco_check_arg(s);
	if (refused)
		return fasco_fail(FASCO_E_CONFIG, "capability %d cannot be granted: its effect would "
				  "reach beyond the container", __builtin_ctzll(refused));
	s->spec.caps = caps;
	return 0;
}

int fasco_sysrealm_set_namespace(fasco_sysrealm *s, enum fasco_namespace type, const char *path)
{
	fasco_error_clear();
	fasco_check_arg(s && type >= FASCO_NS_MOUNT && type <= FASCO_NS_CGROUP);
	if (path && (strnlen(path, PATH_MAX) >= PATH_MAX || !*path))
		return fasco_fail(-EINVAL, "namespace path must be 1 to %d bytes", PATH_MAX - 1);
	return sandbox_ns_set(&s->spec, (enum sandbox_ns)(type - FASCO_NS_MOUNT), path);
}
