/* SPDX-License-Identifier: Apache-2.0 */
#include <libfdt.h>
#include <sys/mman.h>

#include "abi/realm_abi.h"
#include "common/error.h"
#include "loader/manifest.h"

static int prop_u64(void *fdt, const char *name, uint64_t v)
{
	return fdt_property_u64(fdt, name, v);
}

static int build(const struct manifest_info *mi, void *fdt, size_t cap)
{
	fdt64_t areas[MANIFEST_MAX_AREAS * 3];
	fdt64_t reg[2];
	int err = 0;

	for (unsigned i = 0; i < mi->n_areas; i++) {
		areas[3 * i] = cpu_to_fdt64(mi->areas[i].start);
		areas[3 * i + 1] = cpu_to_fdt64(mi->areas[i].end);
		areas[3 * i + 2] = cpu_to_fdt64(mi->areas[i].flags);
	}
	err = err ?: fdt_create(fdt, (int)cap);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", "fasco,realm-v1");
	err = err ?: fdt_property_u32(fdt, "#address-cells", 2);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 2);

	reg[0] = cpu_to_fdt64(0);
	reg[1] = cpu_to_fdt64(mi->private_size);
	err = err ?: fdt_begin_node(fdt, "memory@0");
	err = err ?: fdt_property_string(fdt, "device_type", "memory");
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err ?: fdt_end_node(fdt);

	err = err ?: fdt_begin_node(fdt, "cpus");
	err = err ?: fdt_property_u32(fdt, "count", mi->vcpus);
	err = err ?: fdt_end_node(fdt);

	err = err ?: fdt_begin_node(fdt, "fasco");
	err = err ?: fdt_property_u32(fdt, "abi-version", 1);
	err = err ?: fdt_property_u32(fdt, "platform", mi->platform);
	err = err ?: prop_u64(fdt, "private-size", mi->private_size);
	err = err ?: prop_u64(fdt, "shared-base", mi->shared_gpa);
	err = err ?: prop_u64(fdt, "shared-size", mi->shared_size);
	err = err ?: prop_u64(fdt, "slot-size", mi->slot_size);
	err = err ?: prop_u64(fdt, "free-base", mi->free_base);
	err = err ?: prop_u64(fdt, "page-table-root", mi->page_table_root);
	err = err ?: prop_u64(fdt, "brk-base", mi->brk_base);
	err = err ?: prop_u64(fdt, "entry", mi->entry);
	err = err ?: prop_u64(fdt, "stack-pointer", mi->stack_pointer);
	err = err ?: prop_u64(fdt, "stack-limit", mi->stack_limit);
	err = err ?: prop_u64(fdt, "at-random", mi->at_random);
	err = err ?: fdt_property(fdt, "areas", areas, (int)(mi->n_areas * 3 * sizeof(fdt64_t)));
	err = err ?: fdt_property_string(fdt, "program", mi->program ? mi->program : "");
	if (mi->config_digest_len)
		err = err ?: fdt_property(fdt, "config-digest", mi->config_digest,
					  (int)mi->config_digest_len);
	if (mi->measure_exec)
		err = err ?: fdt_property_u32(fdt, "measure-exec", 1);
	err = err ?: fdt_end_node(fdt);

	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err;
}

/* The shim keeps the areas as a sorted list of page ranges: give it one. */
static int check_areas(const struct manifest_info *mi)
{
	const uint64_t known = PROT_READ | PROT_WRITE | PROT_EXEC | MANIFEST_AREA_STACK;
	uint64_t prev_end = 0;

	if (mi->n_areas > MANIFEST_MAX_AREAS)
		return fasco_fail(FASCO_E_MANIFEST, "manifest: %u areas (at most %u)", mi->n_areas,
				  MANIFEST_MAX_AREAS);
	for (unsigned i = 0; i < mi->n_areas; i++) {
		const struct manifest_area *a = &mi->areas[i];

		if (a->start >= a->end || (a->start | a->end) % FASCO_PAGE_SIZE)
			return fasco_fail(FASCO_E_MANIFEST,
					  "manifest: area %u [0x%llx, 0x%llx) is not a range of whole pages",
					  i, (unsigned long long)a->start, (unsigned long long)a->end);
		if (a->start < prev_end)
			return fasco_fail(FASCO_E_MANIFEST,
					  "manifest: area %u at 0x%llx overlaps or precedes area %u",
					  i, (unsigned long long)a->start, i - 1);
		if (a->flags & ~known)
			return fasco_fail(FASCO_E_MANIFEST, "manifest: area %u has unknown flags 0x%llx",
					  i, (unsigned long long)(a->flags & ~known));
		prev_end = a->end;
	}
	return 0;
}

int manifest_build(const struct manifest_info *mi, void *buf, size_t cap, size_t *ret_len)
{
	int err;

	if ((err = check_areas(mi)) < 0)
		return err;
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	err = build(mi, buf, cap);
	if (err == -FDT_ERR_NOSPACE)
		return fasco_fail(FASCO_E_MANIFEST, "manifest: does not fit in %zu bytes", cap);
	if (err < 0)
		return fasco_fail(FASCO_E_MANIFEST, "manifest: %s", fdt_strerror(err));
	*ret_len = fdt_totalsize(buf);
	return 0;
}
