/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record of a container's cgroup in its state directory: the layout's
 * version, then the cgroup's path in each hierarchy, one per line. It is
 * written before the directories are made, so a create killed half-way
 * leaves what delete needs to remove them; read back, every path is
 * checked as hostile (absolute, clean, bounded).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/cgroup.h"
#include "oci/store.h"

#define RECORD_MAX (OCI_CG_CTRLS * OCI_CGROUP_PATH_MAX + 8)

int oci_cgroup_record(int dirfd, const struct oci_cgroup *cg)
{
	char buf[RECORD_MAX];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "v%d\n", cg->version);

	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s\n", cg->h[i].path);
	/* cgroups do not outlive a crash of the machine: nothing to make durable */
	return oci_write_atomic_as(dirfd, OCI_CGROUP_FILE, buf, len, 0600, OCI_VOLATILE);
}

/* An absolute path of clean components, none "." or "..", below the root. */
static bool clean_path(const char *p, size_t len)
{
	if (len < 2 || len >= OCI_CGROUP_PATH_MAX || p[0] != '/' || p[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(p + i + 1, "/\n");

		if (!n || (n == 1 && p[i + 1] == '.') || (n == 2 && !strncmp(p + i + 1, "..", 2)))
			return false;
		for (size_t k = i + 1; k <= i + n; k++)
			if ((unsigned char)p[k] < 0x20 || p[k] == 0x7f)
				return false;
		i += n + 1;
	}
	return true;
}

static int parse_record(const char *text, struct oci_cgroup *cg)
{
	const char *line = text + 3;
	int version = text[0] == 'v' && text[2] == '\n' ? text[1] - '0' : 0;

	if (version != 1 && version != 2)
		return fasco_fail(FASCO_E_CONFIG, OCI_CGROUP_FILE ": no version line");
	cg->version = version;
	for (size_t i = 0; i < oci_cgroup_hiers(version); i++) {
		const char *nl = strchr(line, '\n');

		if (!nl || !clean_path(line, (size_t)(nl - line)))
			return fasco_fail(FASCO_E_CONFIG, OCI_CGROUP_FILE ": line %zu: not a clean "
					  "absolute cgroup path", i + 2);
		snprintf(cg->h[i].path, sizeof(cg->h[i].path), "%.*s", (int)(nl - line), line);
		line = nl + 1;
	}
	return *line ? fasco_fail(FASCO_E_CONFIG, OCI_CGROUP_FILE ": trailing data") : 0;
}

int oci_cgroup_load(int dirfd, struct oci_cgroup *cg)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = oci_read_file(dirfd, OCI_CGROUP_FILE, RECORD_MAX, &text, &len);

	cg->version = 0;
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (strlen(text) != len || len < 3 || (r = parse_record(text, cg)) < 0) {
		cg->version = 0;
		return r < 0 ? r : fasco_fail(FASCO_E_CONFIG, OCI_CGROUP_FILE ": malformed");
	}
	return oci_cgroup_open(cg);
}
