/* SPDX-License-Identifier: Apache-2.0 */
/* The host's cgroups as the cgroup tests read them: see cgroup_host.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroup_host.h"

int host_cgroup_version(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/cgroup", &fs) < 0)
		return 0;
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return 2;
	return statfs("/sys/fs/cgroup/memory", &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC;
}

const char *host_cgroup_dir(const char *ctrl, const char *path)
{
	static char dir[1024];

	if (host_cgroup_version() == 2)
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s", path);
	else
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s%s", ctrl, path);
	return dir;
}

bool host_cgroup_exists(const char *ctrl, const char *path)
{
	struct stat st;

	return stat(host_cgroup_dir(ctrl, path), &st) == 0;
}

const char *host_cgroup_value(const char *ctrl, const char *path, const char *file)
{
	static char value[256];
	char name[1200];
	FILE *f;

	value[0] = '\0';
	snprintf(name, sizeof(name), "%s/%s", host_cgroup_dir(ctrl, path), file);
	if ((f = fopen(name, "r"))) {
		if (fgets(value, sizeof(value), f))
			value[strcspn(value, "\n")] = '\0';
		fclose(f);
	}
	return value;
}

/* Call fn on each pid in cgroup.procs until it returns true. */
static pid_t each_member(const char *ctrl, const char *path, bool (*fn)(pid_t, pid_t), pid_t arg)
{
	char name[1200];
	long pid;
	FILE *f;

	snprintf(name, sizeof(name), "%s/cgroup.procs", host_cgroup_dir(ctrl, path));
	if (!(f = fopen(name, "r")))
		return 0;
	while (fscanf(f, "%ld", &pid) == 1) {
		if (fn((pid_t)pid, arg)) {
			fclose(f);
			return (pid_t)pid;
		}
	}
	fclose(f);
	return 0;
}

static bool same(pid_t pid, pid_t want)
{
	return pid == want;
}

static bool child(pid_t pid, pid_t ppid)
{
	char name[64], buf[512], *c;
	FILE *f;
	int parent = 0;

	snprintf(name, sizeof(name), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(name, "r")))
		return false;
	if (fgets(buf, sizeof(buf), f) && (c = strrchr(buf, ')')))
		sscanf(c + 3, "%d", &parent);
	fclose(f);
	return parent == ppid;
}

bool host_cgroup_has(const char *ctrl, const char *path, pid_t pid)
{
	return each_member(ctrl, path, same, pid) == pid;
}

pid_t host_cgroup_child_of(const char *ctrl, const char *path, pid_t ppid)
{
	return each_member(ctrl, path, child, ppid);
}

void host_cgroup_purge(const char *path)
{
	static const char *const ctrls[] = { "cpu", "cpuacct", "cpuset", "memory", "pids" };
	char cmd[1200];

	for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		if (!host_cgroup_exists(ctrls[i], path))
			continue;
		snprintf(cmd, sizeof(cmd), "find '%s' -depth -type d -exec rmdir {} + 2>/dev/null",
			 host_cgroup_dir(ctrls[i], path));
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", host_cgroup_dir(ctrls[i], path));
	}
}
