/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "sysrealm/sandbox.h"

void sandbox_spec_init(struct sandbox_spec *spec)
{
	*spec = (struct sandbox_spec){ 0 };
	for (int t = 0; t < SANDBOX_NS_COUNT; t++)
		spec->join_fd[t] = -1;
}

void sandbox_spec_free(struct sandbox_spec *spec)
{
	for (size_t i = 0; i < spec->n_mounts; i++) {
		free(spec->mounts[i].source);
		free(spec->mounts[i].target);
		free(spec->mounts[i].options);
	}
	free(spec->mounts);
	free(spec->hostname);
	free(spec->root);
	for (int t = 0; t < SANDBOX_NS_COUNT; t++)
		if (spec->join_fd[t] >= 0)
			close(spec->join_fd[t]);
	sandbox_spec_init(spec);
}

/* The root bound onto itself, its mounts and devices built, then read-only if asked. */
static int build_root(const struct sandbox_spec *spec)
{
	const char *root = spec->root;
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	_cleanup_close_ int rootfd = -1;
	int ret;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "bind-mount %s: %s", root, strerror(errno));
	/* opened after the bind: the descriptor is on the sandbox's own mount */
	if ((rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "open %s: %s", root, strerror(errno));
	if ((ret = sandbox_mount_all(spec, rootfd)) < 0)
		return ret;
	/* the root only: the mounts on it keep their own flags */
	if (spec->readonly && mount_setattr(rootfd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "make %s read-only: %s", root, strerror(errno));
	return 0;
}

int sandbox_enter(struct sandbox_spec *spec, const char *cwd)
{
	const char *root = spec->root;
	/* a joined mount namespace is a running container's: its root is built */
	bool build = sandbox_own_root(spec) && spec->ns[SANDBOX_NS_MOUNT] != SANDBOX_NS_JOIN;
	int ret;

	if ((ret = sandbox_ns_enter(spec)) < 0)
		return ret;
	if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "hostname %s: %s", spec->hostname, strerror(errno));
	if (build) {
		if ((ret = build_root(spec)) < 0)
			return ret;
		if (chdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
		    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
			return fasco_fail(FASCO_E_SANDBOX, "pivot_root into %s: %s", root, strerror(errno));
	}
	if (cwd && chdir(cwd) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "working directory %s: %s", cwd, strerror(errno));
	return 0;
}

/*
 * The container user's credentials for every thread (glibc's wrappers
 * apply them process-wide). EINVAL: the id is not mapped, as in the user
 * namespace of an unprivileged runtime, which maps only its own.
 */
static int switch_user(const struct sandbox_spec *spec)
{
	gid_t groups[SANDBOX_GROUPS_MAX];

	for (size_t i = 0; i < spec->n_groups; i++)
		groups[i] = spec->groups[i];
	if (setgroups(spec->n_groups, groups) < 0 && !(errno == EPERM && spec->n_groups == 0))
		return fasco_fail(FASCO_E_SANDBOX, "additional groups: %s", strerror(errno));
	if (setresgid(spec->gid, spec->gid, spec->gid) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "group %u: %s", spec->gid, strerror(errno));
	/* the permitted set survives a uid leaving 0 (the effective one is restored below) */
	if (spec->caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "keep capabilities: %s", strerror(errno));
	if (setresuid(spec->uid, spec->uid, spec->uid) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "user %u: %s", spec->uid, strerror(errno));
	return 0;
}

/* Effective and permitted: exactly caps (this thread, and those it creates). */
static int set_capabilities(uint64_t caps)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	data[0].effective = data[0].permitted = (uint32_t)caps;
	data[1].effective = data[1].permitted = (uint32_t)(caps >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "capset: %s", strerror(errno));
	return 0;
}

#define SETID_CAPS ((1ull << CAP_SETUID) | (1ull << CAP_SETGID))

int sandbox_drop_privileges(const struct sandbox_spec *spec)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "no_new_privs: %s", strerror(errno));
	/* EINVAL: past the kernel's last capability, none further exists */
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 || errno == EPERM)
			continue;
		if (errno == EINVAL)
			break;
		return fasco_fail(FASCO_E_SANDBOX, "drop capability %d: %s", cap, strerror(errno));
	}
	return set_capabilities(spec->caps | (spec->set_user ? SETID_CAPS : 0));
}

int sandbox_become_user(const struct sandbox_spec *spec)
{
	int ret;

	if (!spec->set_user)
		return 0;
	if ((ret = switch_user(spec)) < 0)
		return ret;
	return set_capabilities(spec->caps);
}
