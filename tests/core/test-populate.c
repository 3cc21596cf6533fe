/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FASCO_OP_POPULATE from a hostile realm: runs outside private memory,
 * unaligned, empty, wrapping or too many are refused before anything is
 * done; an accepted request backs the pages without changing a byte of
 * them (the host never writes realm memory here).
 */
#include <sys/mman.h>

#include "../check_suite.h"
#include "core/populate.h"

#define PRIVATE_SIZE (64u * 4096u)

static struct monitor m;
static struct fasco_populate_run runs[FASCO_POPULATE_MAX_RUNS + 1];

static int64_t populate(uint64_t n)
{
	struct fasco_slot_header h = { .magic = FASCO_SLOT_MAGIC, .op = FASCO_OP_POPULATE };

	h.args[0] = n;
	return populate_serve(&m, &h, (const uint8_t *)runs);
}

static void setup(void)
{
	m.private_mem = mmap(NULL, PRIVATE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m.private_mem, MAP_FAILED);
	m.private_size = PRIVATE_SIZE;
}

static void teardown(void)
{
	munmap(m.private_mem, PRIVATE_SIZE);
}

START_TEST(hostile_runs_refused)
{
	const struct fasco_populate_run bad[] = {
		{ 0, 0 },                           /* empty */
		{ 0x800, 0x1000 },                  /* unaligned start */
		{ 0, 0x1800 },                      /* unaligned length */
		{ PRIVATE_SIZE, 0x1000 },           /* just past the end */
		{ PRIVATE_SIZE - 0x1000, 0x2000 },  /* across the end */
		{ UINT64_MAX & ~0xfffull, 0x2000 }, /* wrapping */
		{ 0x1000, UINT64_MAX & ~0xfffull },
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		runs[0] = (struct fasco_populate_run){ 0, 0x1000 }; /* a good one first */
		runs[1] = bad[i];
		ck_assert_int_eq(populate(2), -EINVAL);
	}
	ck_assert_int_eq(populate(FASCO_POPULATE_MAX_RUNS + 1), -EINVAL);
	ck_assert_int_eq(populate(UINT64_MAX), -EINVAL);
	ck_assert_int_eq(populate(0), 0);
}
END_TEST

START_TEST(populate_keeps_content)
{
	unsigned char in_core[PRIVATE_SIZE / 4096];

	memset(m.private_mem + 0x3000, 0x5a, 0x1000); /* one page written before */
	runs[0] = (struct fasco_populate_run){ 0x2000, 0x4000 };
	runs[1] = (struct fasco_populate_run){ PRIVATE_SIZE - 0x1000, 0x1000 };
	ck_assert_int_eq(populate(2), 0);
	ck_assert_int_eq(mincore(m.private_mem, PRIVATE_SIZE, in_core), 0);
	for (unsigned p = 2; p < 6; p++)
		ck_assert_msg(in_core[p] & 1, "page %u not backed", p);
	ck_assert(in_core[PRIVATE_SIZE / 4096 - 1] & 1);
	ck_assert(!(in_core[10] & 1)); /* nothing asked, nothing backed */
	for (unsigned i = 0; i < 0x1000; i++)
		ck_assert_uint_eq(m.private_mem[0x3000 + i], 0x5a);
	for (unsigned i = 0x2000; i < 0x3000; i++)
		ck_assert_uint_eq(m.private_mem[i], 0);
}
END_TEST

int main(void)
{
	return RUN_TESTS("core-populate", setup, teardown, hostile_runs_refused, populate_keeps_content);
}
