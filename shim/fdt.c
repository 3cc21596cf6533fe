/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal, bounded reader of the flattened device tree the host built with
 * libfdt: it finds a property of a node directly below the root. The
 * manifest is measured, but the reader still never leaves the blob.
 */
#include "shim.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t fdt_size;

int fdt_check(const void *blob, uint64_t max_size)
{
	uint32_t total;

	if (be32(blob) != FDT_MAGIC)
		return -1;
	total = be32((const uint8_t *)blob + 4);
	if (total < 40 || total > max_size)
		return -1;
	fdt_size = total;
	return 0;
}

const void *fdt_prop(const void *blob, const char *node, const char *name, uint32_t *len)
{
	const uint8_t *b = blob;
	uint32_t off = be32(b + 8), strings = be32(b + 12), strings_size = be32(b + 32);
	int depth = 0, in_node = 0;

	if (strings > fdt_size || strings_size > fdt_size - strings)
		return NULL;
	while (off + 4 <= fdt_size) {
		uint32_t tok = be32(b + off);

		off += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *n = (const char *)b + off;
			size_t l = shim_strnlen(n, fdt_size - off);

			depth++;
			if (depth == 2)
				in_node = shim_streq(n, node);
			off += ((uint32_t)l + 4) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (depth-- == 2)
				in_node = 0;
		} else if (tok == FDT_PROP) {
			uint32_t plen, nameoff;

			if (off + 8 > fdt_size)
				return NULL;
			plen = be32(b + off);
			nameoff = be32(b + off + 4);
			off += 8;
			if (plen > fdt_size - off || nameoff >= strings_size)
				return NULL;
			if ((in_node || (depth == 1 && node[0] == '\0')) &&
			    shim_streq((const char *)b + strings + nameoff, name)) {
				*len = plen;
				return b + off;
			}
			off += (plen + 3) & ~3u;
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			return NULL;
		}
	}
	return NULL;
}

uint64_t fdt_u64(const void *blob, const char *node, const char *name, uint64_t dflt)
{
	uint32_t len;
	const uint8_t *p = fdt_prop(blob, node, name, &len);

	if (!p)
		return dflt;
	if (len == 4)
		return be32(p);
	if (len == 8)
		return (uint64_t)be32(p) << 32 | be32(p + 4);
	return dflt;
}
