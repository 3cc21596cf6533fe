/* SPDX-License-Identifier: Apache-2.0 */
/* The members of a process group, from a scan of /proc. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include "oci/proc.h"

int oci_proc_group(pid_t pgid, pid_t *out, size_t cap, size_t *ret_n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		struct oci_proc_info info;
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || oci_proc_info((pid_t)pid, &info) < 0 || info.pgrp != pgid)
			continue;
		/* a zombie is no longer part of what runs */
		if (info.state == 'Z' || info.state == 'X')
			continue;
		if (n < cap)
			out[n] = (pid_t)pid;
		n++;
	}
	closedir(d);
	*ret_n = n;
	return 0;
}
