/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest_build(): the blob read back with libfdt, and what it refuses:
 * a buffer too small (never written past), too many areas, areas that are
 * not sorted ranges of whole pages, unknown area flags.
 */
#include <libfdt.h>
#include <stdio.h>
#include <sys/mman.h>

#include "abi/realm_abi.h"
#include "loader/manifest.h"
#include "../check_suite.h"

#define CAP (16 * 4096) /* what the realm image reserves */

static struct manifest_info mi;
static uint8_t *buf;

static void setup(void)
{
	mi = (struct manifest_info){
		.platform = FASCO_PLATFORM_KVM_PVM, .vcpus = 2, .private_size = 256ull << 20,
		.shared_gpa = 1ull << 35, .shared_size = 2ull << 20, .slot_size = FASCO_SLOT_SIZE,
		.free_base = 0x200000, .page_table_root = 0x100000, .brk_base = 0x405000,
		.entry = 0x401000, .stack_pointer = 0x7fffffffe000, .stack_limit = 8ull << 20,
		.at_random = 0x7fffffffefe0, .n_areas = 3, .program = "/bin/busybox",
		.areas = {
			{ 0x400000, 0x402000, PROT_READ | PROT_EXEC },
			{ 0x402000, 0x405000, PROT_READ | PROT_WRITE },
			{ FASCO_GVA_STACK_TOP - (8ull << 20), FASCO_GVA_STACK_TOP,
			  PROT_READ | PROT_WRITE | MANIFEST_AREA_STACK },
		},
	};
	buf = malloc(CAP);
	ck_assert_ptr_nonnull(buf);
}

static void teardown(void)
{
	free(buf);
}

static uint64_t u64_prop(const char *path, const char *name)
{
	int node = fdt_path_offset(buf, path), len;
	const fdt64_t *v = fdt_getprop(buf, node, name, &len);

	ck_assert_msg(v && len == 8, "%s/%s missing", path, name);
	return fdt64_ld(v);
}

START_TEST(read_back)
{
	size_t len = 0;
	int node, plen;
	const fdt64_t *areas;
	const fdt32_t *count;

	ck_assert_int_eq(manifest_build(&mi, buf, CAP, &len), 0);
	ck_assert_int_eq(fdt_check_header(buf), 0);
	ck_assert_uint_eq(len, fdt_totalsize(buf));
	ck_assert_uint_le(len, CAP);
	ck_assert_uint_eq(u64_prop("/fasco", "entry"), mi.entry);
	ck_assert_uint_eq(u64_prop("/fasco", "stack-pointer"), mi.stack_pointer);
	ck_assert_uint_eq(u64_prop("/fasco", "shared-base"), mi.shared_gpa);
	ck_assert_uint_eq(u64_prop("/fasco", "free-base"), mi.free_base);
	node = fdt_path_offset(buf, "/fasco");
	areas = fdt_getprop(buf, node, "areas", &plen);
	ck_assert_int_eq(plen, 3 * 24);
	ck_assert_uint_eq(fdt64_ld(&areas[6]), mi.areas[2].start);
	ck_assert_uint_eq(fdt64_ld(&areas[8]), mi.areas[2].flags);
	ck_assert_str_eq(fdt_getprop(buf, node, "program", NULL), "/bin/busybox");
	count = fdt_getprop(buf, fdt_path_offset(buf, "/cpus"), "count", &plen);
	ck_assert_int_eq(plen, 4);
	ck_assert_uint_eq(fdt32_ld(count), 2);
}
END_TEST

START_TEST(no_program_no_areas)
{
	size_t len;

	mi.program = NULL;
	mi.n_areas = 0;
	ck_assert_int_eq(manifest_build(&mi, buf, CAP, &len), 0);
	ck_assert_str_eq(fdt_getprop(buf, fdt_path_offset(buf, "/fasco"), "program", NULL), "");
}
END_TEST

/* The first byte from `from` on that is no longer the fill pattern, or CAP. */
static size_t first_written(size_t from)
{
	while (from < CAP && buf[from] == 0xcc)
		from++;
	return from;
}

/* Every capacity below what is needed fails, and nothing past it is written. */
START_TEST(buffer_too_small)
{
	size_t need, len = 0;
	char needle[64];

	ck_assert_int_eq(manifest_build(&mi, buf, CAP, &need), 0);
	for (size_t cap = 0; cap < need; cap++) {
		memset(buf, 0xcc, CAP);
		snprintf(needle, sizeof(needle), "manifest: does not fit in %zu bytes", cap);
		ck_assert_fails(manifest_build(&mi, buf, cap, &len), FASCO_E_MANIFEST, needle);
		ck_assert_uint_eq(first_written(cap), CAP);
	}
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(manifest_build(&mi, buf, need, &len), 0);
	ck_assert_uint_eq(len, need);
}
END_TEST

/* A program path longer than the whole manifest area. */
START_TEST(program_too_long)
{
	size_t len;
	char *p = malloc(CAP + 1);

	ck_assert_ptr_nonnull(p);
	memset(p, 'x', CAP);
	p[CAP] = '\0';
	mi.program = p;
	ck_assert_fails(manifest_build(&mi, buf, CAP, &len), FASCO_E_MANIFEST, "does not fit in 65536 bytes");
	free(p);
}
END_TEST

START_TEST(too_many_areas)
{
	size_t len;

	for (unsigned i = 0; i < MANIFEST_MAX_AREAS; i++)
		mi.areas[i] = (struct manifest_area){ 0x400000 + i * 0x2000ull, 0x401000 + i * 0x2000ull, PROT_READ };
	mi.n_areas = MANIFEST_MAX_AREAS;
	ck_assert_int_eq(manifest_build(&mi, buf, CAP, &len), 0);
	mi.n_areas = MANIFEST_MAX_AREAS + 1;
	ck_assert_fails(manifest_build(&mi, buf, CAP, &len), FASCO_E_MANIFEST, "manifest: 21 areas (at most 20)");
	mi.n_areas = UINT32_MAX;
	ck_assert_fails(manifest_build(&mi, buf, CAP, &len), FASCO_E_MANIFEST, "areas (at most 20)");
}
END_TEST

START_TEST(bad_areas)
{
	const struct {
		struct manifest_area a;
		const char *needle;
	} cases[] = {
		{ { 0x406000, 0x406000, PROT_READ }, "area 2 [0x406000, 0x406000) is not a range of whole pages" },
		{ { 0x407000, 0x406000, PROT_READ }, "area 2 [0x407000, 0x406000) is not a range" },
		{ { 0x406001, 0x407000, PROT_READ }, "is not a range of whole pages" },
		{ { 0x406000, 0x407fff, PROT_READ }, "is not a range of whole pages" },
		{ { 0x404000, 0x406000, PROT_READ }, "area 2 at 0x404000 overlaps or precedes area 1" },
		{ { 0x10000, 0x11000, PROT_READ }, "area 2 at 0x10000 overlaps or precedes area 1" },
		{ { 0x406000, 0x407000, 0x8 }, "area 2 has unknown flags 0x8" },
		{ { 0x406000, 0x407000, 0x200 | PROT_READ }, "area 2 has unknown flags 0x200" },
	};
	size_t len;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mi.areas[2] = cases[i].a;
		ck_assert_fails(manifest_build(&mi, buf, CAP, &len), FASCO_E_MANIFEST, cases[i].needle);
	}
}
END_TEST

int main(void)
{
	return RUN_TESTS("loader-manifest", setup, teardown,
			 read_back, no_program_no_areas, buffer_too_small, program_too_long, too_many_areas,
			 bad_areas);
}
