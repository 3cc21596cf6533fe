/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "linux": namespaces and resources. */
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
	};
	struct oci_resources *res = dst;
	uint64_t seen;
	int r = oci_read_object(p, fields, 1, res, &seen);

	if (r < 0)
		return r;
	res->has_memory_limit = seen & 1;
	return 0;
}

static int read_cpu(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("shares", oci_read_u64, struct oci_resources, cpu_shares, false),
		OCI_FIELD("quota", oci_read_i64, struct oci_resources, cpu_quota, false),
		OCI_FIELD("period", oci_read_u64, struct oci_resources, cpu_period, false),
		OCI_FIELD("cpus", oci_read_string, struct oci_resources, cpu_cpus, false),
	};
	struct oci_resources *res = dst;
	uint64_t seen;
	int r = oci_read_object(p, fields, 4, res, &seen);

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

int oci_read_linux(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("namespaces", read_namespaces, struct oci_linux, namespaces, false),
		OCI_FIELD("resources", oci_read_resources, struct oci_linux, resources, false),
	};

	return oci_read_object(p, fields, 2, dst, NULL);
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
	res->cpu_cpus = NULL;
}

void oci_linux_free(struct oci_linux *l)
{
	oci_resources_free(&l->resources);
	for (size_t i = 0; i < l->n_namespaces; i++) {
		free(l->namespaces[i].type);
		free(l->namespaces[i].path);
	}
	free(l->namespaces);
}
