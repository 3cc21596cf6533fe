/* SPDX-License-Identifier: Apache-2.0 */
/* The org.fasco.* annotations: realm memory, RPV, hash algorithm, vCPUs, stages. */
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/size.h"
#include "oci/config.h"

#define FASCO_PREFIX "org.fasco."

static int decode_one(struct oci_parser *p, struct oci_fasco *f, const char *name,
		      const char *value)
{
	if (!strcmp(name, "memory")) {
		if (parse_size(value, &f->memory) < 0 || f->memory == 0)
			return oci_fail(p, "\"%s\" is not a size (bytes, or a number with K, M or G)",
					value);
		return 0;
	}
	if (!strcmp(name, "rpv")) {
		if (strlen(value) != 2 * sizeof(f->rpv))
			return oci_fail(p, "expected %zu hex digits, got %zu", 2 * sizeof(f->rpv),
					strlen(value));
		size_t bad;

		if (hex_decode(value, f->rpv, sizeof(f->rpv), &bad) < 0)
			return oci_fail(p, "not a hex digit at position %zu", bad);
		f->has_rpv = true;
		return 0;
	}
	if (!strcmp(name, "hash-algo")) {
		if (!strcmp(value, "sha256"))
			f->hash_algo = 0;
		else if (!strcmp(value, "sha512"))
			f->hash_algo = 1;
		else
			return oci_fail(p, "\"%s\": expected sha256 or sha512", value);
		return 0;
	}
	if (!strcmp(name, "vcpus")) {
		if (parse_size(value, &f->vcpus) < 0 || strspn(value, "0123456789") != strlen(value) ||
		    f->vcpus == 0)
			return oci_fail(p, "\"%s\" is not a positive number", value);
		return 0;
	}
	if (!strcmp(name, "stages"))
		return oci_stages_decode(p, value, &f->stages);
	return oci_fail(p, "unknown fasco annotation (known: memory, rpv, hash-algo, vcpus, stages)");
}

int oci_fasco_decode(struct oci_parser *p, struct oci_config *c)
{
	size_t prefix = strlen(FASCO_PREFIX);

	for (size_t i = 0; i < c->annotations.n; i++) {
		const struct oci_annotation *a = &c->annotations.v[i];
		size_t mark;
		int r;

		if (strncmp(a->key, FASCO_PREFIX, prefix))
			continue;
		mark = oci_path_key(p, "annotations");
		oci_path_key(p, a->key);
		r = decode_one(p, &c->fasco, a->key + prefix, a->value);
		oci_path_pop(p, mark);
		if (r < 0)
			return r;
	}
	return 0;
}
