/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "core/measure.h"

#define GRANULE RMM_GRANULE_SIZE
#define BITS_PER_WORD 64

void realm_rmm_config(const fasco_config *config, struct rmm_realm_config *ret)
{
	rmm_realm_config_init(ret);
	ret->params.hash_algo = config->hash_algo ? RMM_HASH_SHA512 : RMM_HASH_SHA256;
	ret->params.s2sz = (uint8_t)config->ipa_bits;
	memcpy(ret->params.rpv, config->rpv, sizeof(ret->params.rpv));
}

static int test_and_set(uint64_t *bits, uint64_t index)
{
	uint64_t mask = 1ull << (index % BITS_PER_WORD);
	int was = !!(bits[index / BITS_PER_WORD] & mask);

	bits[index / BITS_PER_WORD] |= mask;
	return was;
}

/* Each granule once, with the content it has now that the build is done. */
static int measure_data(struct rmm_realm *rmm, const struct realm_memory *mem, uint64_t *done)
{
	for (size_t i = 0; i < mem->n_ranges; i++) {
		const struct populated_range *r = &mem->ranges[i];
		uint64_t end = (r->gpa + r->len + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
		int ret;

		for (uint64_t g = r->gpa & ~(uint64_t)(GRANULE - 1); g < end; g += GRANULE) {
			if (test_and_set(done, g / GRANULE))
				continue;
			if ((ret = rmm_data_create(rmm, g, mem->private_mem + g, true)) < 0)
				return ret;
		}
	}
	return 0;
}

/* RAM over every run of granules that holds no data. */
static int measure_ripas(struct rmm_realm *rmm, const struct realm_memory *mem, const uint64_t *done)
{
	uint64_t n = mem->private_size / GRANULE, run = 0;
	int ret;

	for (uint64_t g = 0; g <= n; g++) {
		int populated = g == n || (done[g / BITS_PER_WORD] >> (g % BITS_PER_WORD) & 1);

		if (!populated)
			continue;
		if (g > run && (ret = rmm_ripas_init(rmm, run * GRANULE, g * GRANULE)) < 0)
			return ret;
		run = g + 1;
	}
	return 0;
}

/*
 * The x86 boot state the host sets, in the REC's measured fields: pc and
 * gprs[0..7] (on Arm, x0..x7). Segment and control registers are fixed
 * constants of the backend; everything they point to is measured data.
 */
static int measure_recs(struct rmm_realm *rmm, const fasco_config *config,
			const struct vcpu_boot *boot)
{
	for (unsigned i = 0; i < config->vcpus; i++) {
		const struct vcpu_boot *b = &boot[i];
		struct rmm_rec_params rec = {
			.flags = i == 0 ? RMM_REC_FLAG_RUNNABLE : 0,
			.mpidr = i,
			.pc = b->entry,
			.gprs = { b->arg0, b->stack, b->page_table_root, b->percpu, b->gdt, b->idt,
				  b->tss, b->syscall_entry | (uint64_t)!!b->user_mode << 63 },
		};
		int ret = rmm_rec_create(rmm, &rec);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int realm_measure(const struct realm_memory *mem, const fasco_config *config,
		  const struct vcpu_boot *boot, struct rmm_realm **ret_realm)
{
	struct rmm_realm_config rc;
	_cleanup_rmm_realm_ struct rmm_realm *rmm = NULL;
	uint64_t words = (mem->private_size / GRANULE + BITS_PER_WORD - 1) / BITS_PER_WORD;
	_cleanup_free_ uint64_t *done = calloc(words ? words : 1, sizeof(uint64_t));
	int ret;

	if (!done)
		return -ENOMEM;
	realm_rmm_config(config, &rc);
	if ((ret = rmm_realm_new(&rc, &rmm)) < 0 ||
	    (ret = measure_data(rmm, mem, done)) < 0 ||
	    (ret = measure_ripas(rmm, mem, done)) < 0 ||
	    (ret = measure_recs(rmm, config, boot)) < 0)
		return ret;
	*ret_realm = take_ptr(rmm);
	return 0;
}
