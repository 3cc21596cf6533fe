/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host namespaces a sandbox serves in: joined (opened and checked when
 * the caller names them, entered with setns) or new (unshare). Only the
 * calling thread changes, so the monitor enters them before it starts the
 * threads that serve calls.
 */
#include <fcntl.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"
#include "sysrealm/sandbox.h"

static const struct {
	const char *name;
	int clone_flag;
} ns_kinds[SANDBOX_NS_COUNT] = {
	[SANDBOX_NS_MOUNT] = { "mount", CLONE_NEWNS },
	[SANDBOX_NS_UTS] = { "uts", CLONE_NEWUTS },
	[SANDBOX_NS_IPC] = { "ipc", CLONE_NEWIPC },
	[SANDBOX_NS_NET] = { "network", CLONE_NEWNET },
	[SANDBOX_NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
};

int sandbox_ns_set(struct sandbox_spec *spec, enum sandbox_ns type, const char *path)
{
	const char *name = ns_kinds[type].name;
	int fd = -1, kind;

	if (path) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return fasco_fail(-errno, "%s namespace %s: %s", name, path, strerror(errno));
		/* a file that is no namespace, or one of another kind, is refused now */
		kind = ioctl(fd, NS_GET_NSTYPE);
		if (kind != ns_kinds[type].clone_flag) {
			close(fd);
			return fasco_fail(FASCO_E_CONFIG, "%s is not a %s namespace", path, name);
		}
	}
	if (spec->join_fd[type] >= 0)
		close(spec->join_fd[type]);
	spec->join_fd[type] = fd;
	spec->ns[type] = path ? SANDBOX_NS_JOIN : SANDBOX_NS_NEW;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	return fd < 0 ? -errno : io_write_all(fd, text, strlen(text));
}

/* Without CAP_SYS_ADMIN, a user namespace maps us to root inside it. */
static int unshare_namespaces(int flags)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(flags) == 0)
		return 0;
	if (errno != EPERM)
		return fasco_fail(FASCO_E_SANDBOX, "unshare(0x%x): %s", flags, strerror(errno));
	if (unshare(CLONE_NEWUSER | flags) < 0)
		return fasco_fail(FASCO_E_SANDBOX,
				  "cannot create namespaces (not root, and user namespaces: %s)",
				  strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/setgroups", "deny") < 0 ||
	    write_file("/proc/self/uid_map", map) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "cannot map the user namespace");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (write_file("/proc/self/gid_map", map) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "cannot map the user namespace groups");
	return 0;
}

/* A new network namespace has only a loopback, and down: runc and crun bring it up. */
static int loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "loopback: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "bring the loopback up: %s", strerror(errno));
	return 0;
}

static int join_all(struct sandbox_spec *spec)
{
	for (int t = 0; t < SANDBOX_NS_COUNT; t++) {
		if (spec->ns[t] != SANDBOX_NS_JOIN)
			continue;
		/* a mount namespace is joined by a thread with a working directory of its own */
		if (t == SANDBOX_NS_MOUNT && unshare(CLONE_FS) < 0)
			return fasco_fail(FASCO_E_SANDBOX, "unshare(CLONE_FS): %s", strerror(errno));
		if (setns(spec->join_fd[t], ns_kinds[t].clone_flag) < 0)
			return fasco_fail(FASCO_E_SANDBOX, "join the %s namespace: %s", ns_kinds[t].name,
					  strerror(errno));
		close(spec->join_fd[t]);
		spec->join_fd[t] = -1;
	}
	return 0;
}

int sandbox_ns_enter(struct sandbox_spec *spec)
{
	int flags = 0, ret;

	if ((ret = join_all(spec)) < 0)
		return ret;
	for (int t = 0; t < SANDBOX_NS_COUNT; t++)
		if (spec->ns[t] == SANDBOX_NS_NEW)
			flags |= ns_kinds[t].clone_flag;
	if (spec->ns[SANDBOX_NS_MOUNT] != SANDBOX_NS_JOIN && sandbox_own_root(spec))
		flags |= CLONE_NEWNS;
	if (spec->ns[SANDBOX_NS_UTS] != SANDBOX_NS_JOIN && spec->hostname)
		flags |= CLONE_NEWUTS;
	if (flags && (ret = unshare_namespaces(flags)) < 0)
		return ret;
	if ((flags & CLONE_NEWNET) && (ret = loopback_up()) < 0)
		return ret;
	return 0;
}
