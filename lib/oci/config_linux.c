/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "linux": namespaces, resources and cgroupsPath. */
#include <stdlib.h>
#include <string.h>

#include "oci/config.h"

static const char *const namespace_types[] = {
	"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time",
};

static int read_namespace(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("type", oci_read_string, struct oci_namespace, type, true),
		OCI_FIELD("path", oci_read_string, struct oci_namespace, path, false),
	};
	struct oci_namespace *ns = dst;
	int r = oci_read_object(p, fields, 2, ns, NULL);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(namespace_types) / sizeof(namespace_types[0]); i++)
		if (!strcmp(ns->type, namespace_types[i]))
			return 0;
	return oci_fail(p, "unknown namespace type \"%s\"", ns->type);
}

static int read_namespaces(struct oci_parser *p, void *dst)
{
	struct oci_linux *l = oci_container_of(dst, struct oci_linux, namespaces);
	int r = oci_read_array(p, (void **)&l->namespaces, &l->n_namespaces,
			       sizeof(struct oci_namespace), read_namespace);

	if (r < 0)
		return r;
	for (size_t i = 0; i < l->n_namespaces; i++) {
		for (size_t k = 0; k < i; k++) {
			if (!strcmp(l->namespaces[i].type, l->namespaces[k].type)) {
				size_t mark = oci_path_index(p, i);

				r = oci_fail(p, "namespace \"%s\" given twice", l->namespaces[i].type);
				oci_path_pop(p, mark);
				return r;
			}
		}
	}
	return 0;
}

/* Sub-objects of "resources" set the has_ flag of each member given. */
static int read_memory(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("limit", oci_read_i64, struct oci_resources, memory_limit, false),
		OCI_FIELD("reservation", oci_read_i64, struct oci_resources, memory_reservation, false),
		OCI_FIELD("swap", oci_read_i64, struct oci_resources, memory_swap, false),
	};
	struct oci_resources *res = dst;
	uint64_t seen;
	int r = oci_read_object(p, fields, 3, res, &seen);

	if (r < 0)
		return r;
	res->has_memory_limit = seen & 1;
	res->has_memory_reservation = seen & 2;
	res->has_memory_swap = seen & 4;
	return 0;
}

static int read_cpu(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("shares", oci_read_u64, struct oci_resources, cpu_shares, false),
		OCI_FIELD("quota", oci_read_i64, struct oci_resources, cpu_quota, false),
		OCI_FIELD("period", oci_read_u64, struct oci_resources, cpu_period, false),
		OCI_FIELD("cpus", oci_read_string, struct oci_resources, cpu_cpus, false),
		OCI_FIELD("mems", oci_read_string, struct oci_resources, cpu_mems, false),
	};
	struct oci_resources *res = dst;
	uint64_t seen;
	int r = oci_read_object(p, fields, 5, res, &seen);

	if (r < 0)
		return r;
	res->has_cpu_shares = seen & 1;
	res->has_cpu_quota = seen & 2;
	res->has_cpu_period = seen & 4;
	return 0;
}

static int read_pids(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("limit", oci_read_i64, struct oci_resources, pids_limit, true),
	};
	struct oci_resources *res = dst;
	int r = oci_read_object(p, fields, 1, res, NULL);

	res->has_pids_limit = r >= 0;
	return r;
}

int oci_read_resources(struct oci_parser *p, void *dst)
{
	/* all three sub-objects fill the same struct */
	static const struct oci_field fields[] = {
		{ "memory", read_memory, 0, false },
		{ "cpu", read_cpu, 0, false },
		{ "pids", read_pids, 0, false },
	};

	return oci_read_object(p, fields, 3, dst, NULL);
}

bool oci_resources_limit(const struct oci_resources *res)
{
	return res->has_memory_limit || res->has_memory_reservation || res->has_memory_swap ||
	       res->has_cpu_shares || res->has_cpu_quota || res->has_cpu_period ||
	       res->has_pids_limit || res->cpu_cpus || res->cpu_mems;
}

/*
 * A cgroupsPath names a directory under the cgroup hierarchy: bounded, no
 * control characters (it is recorded one per line), and no ".." component
 * (split at '/' and at the systemd form's ':'), which could climb out of
 * it. Where it leads is resolved at create (cgroup_path.c).
 */
static int check_cgroups_path(struct oci_parser *p, const char *path)
{
	size_t len = strlen(path), comp = 0;

	if (len >= OCI_CGROUP_PATH_MAX)
		return oci_fail(p, "longer than %u bytes", OCI_CGROUP_PATH_MAX - 1);
	for (size_t i = 0; i <= len; i++) {
		unsigned char ch = (unsigned char)path[i];

		if (ch && (ch < 0x20 || ch == 0x7f))
			return oci_fail(p, "\"%s\": control character at byte %zu", path, i);
		if (ch && ch != '/' && ch != ':') {
			if (++comp > 255)
				return oci_fail(p, "a component is longer than 255 bytes");
			continue;
		}
		if (comp == 2 && path[i - 1] == '.' && path[i - 2] == '.')
			return oci_fail(p, "\"%s\": a \"..\" component would leave the cgroup "
					"hierarchy", path);
		comp = 0;
	}
	return 0;
}

static int read_cgroups_path(struct oci_parser *p, void *dst)
{
	char **path = dst;
	int r = oci_read_string(p, path);

	if (r < 0)
		return r;
	if (!**path) { /* "": the runtime's default, as with runc */
		free(*path);
		*path = NULL;
		return 0;
	}
	return check_cgroups_path(p, *path);
}

int oci_read_linux(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("namespaces", read_namespaces, struct oci_linux, namespaces, false),
		OCI_FIELD("resources", oci_read_resources, struct oci_linux, resources, false),
		OCI_FIELD("cgroupsPath", read_cgroups_path, struct oci_linux, cgroups_path, false),
	};

	return oci_read_object(p, fields, 3, dst, NULL);
}

int oci_resources_parse(const char *doc, size_t len, struct oci_resources *ret)
{
	struct oci_resources res = { 0 };
	int r = oci_parse_part(doc, len, OCI_CONFIG_MAX_BYTES, "linux.resources",
			       oci_read_resources, &res);

	if (r < 0) {
		oci_resources_free(&res);
		return r;
	}
	*ret = res;
	return 0;
}

void oci_resources_free(struct oci_resources *res)
{
	free(res->cpu_cpus);
	free(res->cpu_mems);
	res->cpu_cpus = res->cpu_mems = NULL;
}

void oci_linux_free(struct oci_linux *l)
{
	oci_resources_free(&l->resources);
	free(l->cgroups_path);
	for (size_t i = 0; i < l->n_namespaces; i++) {
		free(l->namespaces[i].type);
		free(l->namespaces[i].path);
	}
	free(l->namespaces);
}
