/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ps [--format table|json] ID: the container's processes on the host (its
 * keeper and realm monitor, and each exec's; members.c). json is runc's: an
 * array of pids, which containerd's shim reads. The table is our own, read
 * from /proc: no ps(1) is run, so ps options are refused.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "oci/proc.h"

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static void print_table(const pid_t *pids, size_t n)
{
	printf("%-8s %-8s %-4s %-7s %s\n", "PID", "PPID", "STAT", "THREADS", "CMD");
	for (size_t i = 0; i < n; i++) {
		struct oci_proc_info info;

		if (oci_proc_info(pids[i], &info) == 0)
			printf("%-8d %-8d %-4c %-7llu %s\n", (int)pids[i], (int)info.ppid, info.state,
			       (unsigned long long)info.threads, info.comm);
	}
}

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, { 0 } };
	static pid_t pids[CONTAINER_PIDS_MAX];
	struct container c = CONTAINER_INIT;
	bool json = false;
	size_t n = 0;
	int ch, r, ret = 1;

	while ((ch = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (ch != 'f' || (strcmp(optarg, "json") && strcmp(optarg, "table")))
			return usage_error("ps", "--format: expected table or json");
		json = !strcmp(optarg, "json");
	}
	if (optind >= argc)
		return usage_error("ps", "expected a container id");
	if (argc - optind > 1)
		return usage_error("ps", "ps options (\"%s\") are not supported: the table is "
				   "read from /proc", argv[optind + 1]);
	if (container_open(argv[optind], &c, false))
		goto out;
	if ((r = container_pids(&c, pids, CONTAINER_PIDS_MAX, &n)) < 0) {
		fail("%s: %s", c.id, strerror(-r));
		goto out;
	}
	qsort(pids, n, sizeof(pids[0]), cmp_pid);
	if (json) {
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		puts("]");
	} else {
		print_table(pids, n);
	}
	ret = 0;
out:
	container_close(&c);
	return ret;
}
