/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RTT geometry for RTT_INIT_RIPAS (CCA.md §1.5). The RMM measures one
 * descriptor per RTT entry, so the RIM depends on how the host built its
 * stage-2 tables; this file is the model of that host.
 */
#include "rmm/rmm.h"

#define RTT_BITS_PER_LEVEL (RMM_GRANULE_SHIFT - 3) /* 9: 512 entries per table */
#define RTT_MIN_BLOCK_LEVEL 1                      /* no level-0 blocks at 4 KiB */
#define RTT_CONCAT_MAX_BITS 4                      /* concatenate up to 16 tables */

/* log2 of the block (or page) that one entry at level maps. */
static unsigned level_shift(unsigned level)
{
	return RMM_GRANULE_SHIFT + RTT_BITS_PER_LEVEL * (3 - level);
}

/*
 * Starting level of a stage-2 walk for an s2sz-bit IPA space when the host
 * concatenates up to 16 tables at the start (as KVM does), so a start level
 * that would resolve 4 bits or fewer is folded into the next one.
 */
static unsigned start_level(unsigned s2sz)
{
	unsigned table_bits = s2sz - RMM_GRANULE_SHIFT;
	unsigned levels = (table_bits + RTT_BITS_PER_LEVEL - 1) / RTT_BITS_PER_LEVEL;

	if (table_bits - RTT_BITS_PER_LEVEL * (levels - 1) <= RTT_CONCAT_MAX_BITS)
		levels--;
	return 4 - levels;
}

uint64_t rmm_rtt_entry_size(enum rmm_rtt_policy policy, unsigned s2sz, uint64_t ipa, uint64_t top)
{
	unsigned level = start_level(s2sz);

	if (policy == RMM_RTT_PAGES)
		return RMM_GRANULE_SIZE;
	if (level < RTT_MIN_BLOCK_LEVEL)
		level = RTT_MIN_BLOCK_LEVEL;
	for (; level < 3; level++) {
		uint64_t size = UINT64_C(1) << level_shift(level);

		if (!(ipa & (size - 1)) && top - ipa >= size)
			return size;
	}
	return RMM_GRANULE_SIZE;
}
