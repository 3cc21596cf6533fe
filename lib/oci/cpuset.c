/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <fasco/fasco.h>

#include "common/error.h"
#include "oci/cpuset.h"

static int cpu_number(const char **s, unsigned long *ret)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	*ret = strtoul(*s, &end, 10);
	if (errno || *ret >= CPU_SETSIZE)
		return -1;
	*s = end;
	return 0;
}

int oci_cpuset_parse(const char *list, cpu_set_t *ret)
{
	const char *s = list;

	CPU_ZERO(ret);
	for (;;) {
		unsigned long lo, hi;

		if (cpu_number(&s, &lo) < 0)
			return fasco_fail(FASCO_E_CONFIG, "cpus \"%s\": expected a CPU number below %d "
					  "at offset %zu", list, CPU_SETSIZE, (size_t)(s - list));
		hi = lo;
		if (*s == '-' && (s++, cpu_number(&s, &hi) < 0 || hi < lo))
			return fasco_fail(FASCO_E_CONFIG, "cpus \"%s\": bad range at offset %zu", list,
					  (size_t)(s - list));
		for (unsigned long cpu = lo; cpu <= hi; cpu++)
			CPU_SET(cpu, ret);
		if (*s != ',')
			break;
		s++;
	}
	if (*s)
		return fasco_fail(FASCO_E_CONFIG, "cpus \"%s\": unexpected '%c' at offset %zu", list,
				  *s, (size_t)(s - list));
	return 0;
}

int oci_cpuset_apply(pid_t pid, const cpu_set_t *set)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((e = readdir(d))) {
		long tid = strtol(e->d_name, NULL, 10);

		if (tid > 0 && sched_setaffinity((pid_t)tid, sizeof(*set), set) < 0 &&
		    errno != ESRCH && !ret)
			ret = -errno;
	}
	closedir(d);
	return ret;
}
