/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The granule order measure.c measures in is the order a backend whose
 * firmware measures the realm (cca) is given: the firmware's RIM can only
 * equal the prediction if both agree. Expected orders are written out by
 * hand; the RIM is replayed through the RMM model operation by operation.
 */
#include "../check_suite.h"
#include "core/backend_populate.h"
#include "core/granule_order.h"
#include "core/internal.h"
#include "core/measure.h"

#define PRIVATE_SIZE 0x8000u

/* Ranges in populate order: the second reaches back below the first and
 * shares granule 0x3000 with it; the third is one byte-sized record. */
static struct populated_range ranges[] = {
	{ .gpa = 0x3000, .len = 0x2000, .fd = -1 },
	{ .gpa = 0x1000, .len = 0x2800, .fd = -1 },
	{ .gpa = 0x5800, .len = 0x10, .fd = -1 },
};
static const uint64_t expected[] = { 0x3000, 0x4000, 0x1000, 0x2000, 0x5000 };

static uint8_t *memory;

static struct realm_memory test_memory(void)
{
	struct realm_memory mem = {
		.private_mem = memory,
		.private_size = PRIVATE_SIZE,
		.ranges = ranges,
		.n_ranges = sizeof(ranges) / sizeof(ranges[0]),
		.interp_fd = -1,
	};

	return mem;
}

static fasco_config *test_config(void)
{
	fasco_config *c = NULL;

	ck_assert_int_eq(fasco_config_create(&c), 0);
	c->memory_bytes = PRIVATE_SIZE;
	c->vcpus = 1;
	return c;
}

static const struct vcpu_boot boot = {
	.entry = 0x1000, .stack = 0x3ff0, .arg0 = 0x5800, .page_table_root = 0x4000,
	.percpu = 0x2000, .gdt = 0x2100, .idt = 0x2200, .tss = 0x2300,
	.syscall_entry = 0x1100, .user_mode = 1,
};

static void setup(void)
{
	memory = calloc(1, PRIVATE_SIZE);
	ck_assert_ptr_nonnull(memory);
	for (unsigned i = 0; i < PRIVATE_SIZE; i++)
		memory[i] = (uint8_t)(i * 7 + i / 4096);
}

static void teardown(void)
{
	free(memory);
}

START_TEST(order_first_reach)
{
	struct realm_memory mem = test_memory();
	uint64_t *order = NULL;
	size_t n = 0;

	ck_assert_int_eq(realm_granule_order(&mem, &order, &n), 0);
	ck_assert_uint_eq(n, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(order[i], expected[i]);
	free(order);
}
END_TEST

/* RIM of the model driven by hand: DATA in the given order, RIPAS RAM over
 * the two unpopulated runs, the boot REC with pc and x0..x7 as the cca
 * backend sets them. */
static void replay_rim(const fasco_config *c, const uint64_t *order, uint8_t rim[RMM_SLOT_SIZE])
{
	struct rmm_realm_config rc;
	struct rmm_realm *rmm = NULL;
	struct rmm_rec_params rec = {
		.flags = RMM_REC_FLAG_RUNNABLE,
		.pc = boot.entry,
		.gprs = { boot.arg0, boot.stack, boot.page_table_root, boot.percpu, boot.gdt,
			  boot.idt, boot.tss, boot.syscall_entry | 1ull << 63 },
	};
	size_t len;

	realm_rmm_config(c, &rc);
	rc.record = false;
	ck_assert_int_eq(rmm_realm_new(&rc, &rmm), 0);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		ck_assert_int_eq(rmm_data_create(rmm, order[i], memory + order[i], true), 0);
	ck_assert_int_eq(rmm_ripas_init(rmm, 0, 0x1000), 0);
	ck_assert_int_eq(rmm_ripas_init(rmm, 0x6000, PRIVATE_SIZE), 0);
	ck_assert_int_eq(rmm_rec_create(rmm, &rec), 0);
	ck_assert_int_eq(rmm_realm_measurement(rmm, RMM_RIM_INDEX, rim, &len), 0);
	rmm_realm_free(rmm);
}

START_TEST(measure_follows_the_order)
{
	static const uint64_t ascending[] = { 0x1000, 0x2000, 0x3000, 0x4000, 0x5000 };
	struct realm_memory mem = test_memory();
	fasco_config *c = test_config();
	struct rmm_realm *rmm = NULL;
	uint8_t measured[RMM_SLOT_SIZE], replayed[RMM_SLOT_SIZE], sorted[RMM_SLOT_SIZE];
	size_t len;

	ck_assert_int_eq(realm_measure(&mem, c, &boot, -1, &rmm), 0);
	ck_assert_int_eq(rmm_realm_measurement(rmm, RMM_RIM_INDEX, measured, &len), 0);
	replay_rim(c, expected, replayed);
	ck_assert_mem_eq(measured, replayed, len);
	/* the order is part of the measurement: address order is another RIM */
	replay_rim(c, ascending, sorted);
	ck_assert(memcmp(measured, sorted, len) != 0);
	rmm_realm_free(rmm);
	fasco_config_destroy(c);
}
END_TEST

/* What a firmware-measuring backend receives (a recording vm_populate). */
static struct realm_build seen;
static uint64_t seen_granules[8];
static uint8_t seen_rpv[RMM_RPV_SIZE];

static int record_build(struct realm_vm *vm, const struct realm_build *b)
{
	(void)vm;
	seen = *b;
	ck_assert_uint_le(b->n_granules, 8);
	memcpy(seen_granules, b->granules, b->n_granules * sizeof(uint64_t));
	memcpy(seen_rpv, b->rpv, RMM_RPV_SIZE);
	return 0;
}

START_TEST(backend_gets_the_order)
{
	const struct realm_backend_ops recorder = { .name = "recorder", .vm_populate = record_build };
	const struct realm_backend_ops plain = { .name = "kvm-like" };
	struct realm_memory mem = test_memory();
	fasco_config *c = test_config();

	c->hash_algo = 1;
	c->rpv[0] = 0xa5;
	ck_assert_int_eq(realm_backend_populate(&recorder, NULL, &mem, c, &boot), 0);
	ck_assert_uint_eq(seen.n_granules, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_uint_eq(seen_granules[i], expected[i]);
	ck_assert_uint_eq(seen.hash_algo, RMM_HASH_SHA512);
	ck_assert_uint_eq(seen_rpv[0], 0xa5);
	ck_assert_uint_eq(seen.vcpus, 1);
	ck_assert_ptr_eq(seen.boot, &boot);
	/* a backend without vm_populate is not asked */
	ck_assert_int_eq(realm_backend_populate(&plain, NULL, &mem, c, &boot), 0);
	fasco_config_destroy(c);
}
END_TEST

/* The REC register mapping measure.c and the cca backend share. */
START_TEST(rec_registers)
{
	uint64_t g[8];

	vcpu_boot_gprs(&boot, g);
	ck_assert_uint_eq(g[0], boot.arg0);
	ck_assert_uint_eq(g[1], boot.stack);
	ck_assert_uint_eq(g[2], boot.page_table_root);
	ck_assert_uint_eq(g[7], boot.syscall_entry | 1ull << 63);
}
END_TEST

int main(void)
{
	return RUN_TESTS("granule-order", setup, teardown, order_first_reach,
			 measure_follows_the_order, backend_gets_the_order, rec_registers);
}
