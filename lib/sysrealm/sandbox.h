/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Confinement of the process that serves a realm: its mount namespace has
 * the container's root as "/" (pivot_root), so every path a realm names
 * resolves inside the container, with the container's mounts, devices and
 * hostname; it serves with the container user's credentials and keeps no
 * capability afterwards.
 */
#ifndef FASCO_SYSREALM_SANDBOX_H
#define FASCO_SYSREALM_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SANDBOX_MOUNTS_MAX 256
#define SANDBOX_GROUPS_MAX 64
#define SANDBOX_HOSTNAME_MAX 64 /* HOST_NAME_MAX */

enum sandbox_mount_type {
	SANDBOX_BIND,
	SANDBOX_TMPFS,
};

struct sandbox_mount {
	enum sandbox_mount_type type;
	char *source;  /* bind: an absolute host path */
	char *target;  /* inside the root, resolved there */
	char *options; /* tmpfs: "key=value,..." for fsconfig, or NULL */
	uint32_t flags; /* FASCO_MOUNT_* */
};

/* What a system realm's sandbox is built from (fasco_sysrealm_* setters). */
struct sandbox_spec {
	char *root; /* "/" means the host's root: no mount namespace */
	struct sandbox_mount *mounts;
	size_t n_mounts;
	bool readonly;
	bool devices; /* the OCI default devices under /dev */
	char *hostname;
	bool set_user;
	uint32_t uid, gid;
	uint32_t groups[SANDBOX_GROUPS_MAX];
	size_t n_groups;
};

void sandbox_spec_free(struct sandbox_spec *spec);

/* A root of the container's own, not the host's "/": mounts can be made. */
static inline bool sandbox_own_root(const struct sandbox_spec *spec)
{
	return spec->root && strcmp(spec->root, "/") != 0;
}

/*
 * Enter the spec's root ("/" = stay in the host's root) with its mounts,
 * devices and hostname, and change to cwd inside it.
 */
int sandbox_enter(const struct sandbox_spec *spec, const char *cwd);
/* Build spec's mounts and devices under the root open at rootfd (sandbox_mounts.c). */
int sandbox_mount_all(const struct sandbox_spec *spec, int rootfd);
/*
 * No new privileges, an empty bounding set and no capabilities, but for
 * CAP_SETUID/CAP_SETGID when a user is set: the switch waits for
 * sandbox_become_user(), once the runtime has applied the container's
 * rlimits and cpuset to this process as the same user (a caller without
 * CAP_SYS_RESOURCE could not prlimit a process of another user).
 */
int sandbox_drop_privileges(const struct sandbox_spec *spec);
/* The container user's credentials, then no capability at all. */
int sandbox_become_user(const struct sandbox_spec *spec);

#endif
