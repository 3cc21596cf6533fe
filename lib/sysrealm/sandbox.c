/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/error.h"
#include "sysrealm/sandbox.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/* Without CAP_SYS_ADMIN, a user namespace maps us to root inside it. */
static int unshare_mounts(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWNS) == 0)
		return 0;
	if (errno != EPERM)
		return fasco_fail(FASCO_E_SANDBOX, "unshare(CLONE_NEWNS): %s", strerror(errno));
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return fasco_fail(FASCO_E_SANDBOX,
				  "cannot create a mount namespace (not root, and user namespaces: %s)",
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

int sandbox_enter(const char *root, const char *cwd)
{
	int ret;

	if (root && strcmp(root, "/") != 0) {
		if ((ret = unshare_mounts()) < 0)
			return ret;
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
			return fasco_fail(FASCO_E_SANDBOX, "bind-mount %s: %s", root, strerror(errno));
		if (chdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
		    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
			return fasco_fail(FASCO_E_SANDBOX, "pivot_root into %s: %s", root, strerror(errno));
	}
	if (cwd && chdir(cwd) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "working directory %s: %s", cwd, strerror(errno));
	return 0;
}

int sandbox_drop_privileges(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

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
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fasco_fail(FASCO_E_SANDBOX, "capset: %s", strerror(errno));
	return 0;
}
