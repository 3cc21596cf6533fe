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
#include <linux/capability.h>

#define SANDBOX_MOUNTS_MAX 256
#define SANDBOX_GROUPS_MAX 64
#define SANDBOX_HOSTNAME_MAX 64 /* HOST_NAME_MAX */

/*
 * The capabilities a sandbox may serve with: their effect stays inside
 * the container's root, namespaces and files. Not MKNOD (no device cgroup
 * stops a node of the host's disk from being opened), not
 * DAC_READ_SEARCH (open_by_handle_at reaches outside the root), nor
 * anything administrative.
 */
#define SANDBOX_CAPS_GRANTABLE                                                               \
	((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_FOWNER) |           \
	 (1ull << CAP_FSETID) | (1ull << CAP_KILL) | (1ull << CAP_SETGID) |                  \
	 (1ull << CAP_SETUID) | (1ull << CAP_NET_BIND_SERVICE) | (1ull << CAP_NET_RAW) |      \
	 (1ull << CAP_AUDIT_WRITE))

enum sandbox_mount_type {
	SANDBOX_BIND,
	SANDBOX_TMPFS,
};

/* The namespaces a sandbox can have of its own or join (FASCO_NS_* - 1). */
enum sandbox_ns {
	SANDBOX_NS_MOUNT,
	SANDBOX_NS_UTS,
	SANDBOX_NS_IPC,
	SANDBOX_NS_NET,
	SANDBOX_NS_CGROUP,
	SANDBOX_NS_COUNT,
};

enum sandbox_ns_mode {
	SANDBOX_NS_INHERIT, /* the caller's (a mount or UTS namespace may still be made: see below) */
	SANDBOX_NS_NEW,
	SANDBOX_NS_JOIN,    /* join_fd[] holds the namespace, open */
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
	uint64_t caps; /* served with: a subset of SANDBOX_CAPS_GRANTABLE */
	enum sandbox_ns_mode ns[SANDBOX_NS_COUNT];
	int join_fd[SANDBOX_NS_COUNT]; /* -1 unless joined */
};

void sandbox_spec_init(struct sandbox_spec *spec);
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
int sandbox_enter(struct sandbox_spec *spec, const char *cwd);
/*
 * Open and check the namespace of type at path for spec, or ask for a new
 * one (path NULL); the previous choice for type is replaced (sandbox_ns.c).
 */
int sandbox_ns_set(struct sandbox_spec *spec, enum sandbox_ns type, const char *path);
/*
 * Join the spec's joined namespaces and unshare the new ones, adding a
 * mount namespace for an own root and a UTS one for a hostname unless
 * those are joined; the calling thread only, and what it creates later.
 * The joined namespaces' descriptors are closed: nothing that serves a
 * realm keeps a handle on a host namespace.
 */
int sandbox_ns_enter(struct sandbox_spec *spec);
/* Build spec's mounts and devices under the root open at rootfd (sandbox_mounts.c). */
int sandbox_mount_all(const struct sandbox_spec *spec, int rootfd);
/*
 * No new privileges, an empty bounding set and only the spec's
 * capabilities, with CAP_SETUID/CAP_SETGID when a user is set: the switch waits for
 * sandbox_become_user(), once the runtime has applied the container's
 * rlimits and cpuset to this process as the same user (a caller without
 * CAP_SYS_RESOURCE could not prlimit a process of another user).
 */
int sandbox_drop_privileges(const struct sandbox_spec *spec);
/* The container user's credentials, then the spec's capabilities only. */
int sandbox_become_user(const struct sandbox_spec *spec);

#endif
