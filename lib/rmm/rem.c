/* SPDX-License-Identifier: Apache-2.0 */
/*
 * REM extension (RSI_MEASUREMENT_EXTEND, CCA.md §1.9). TF-RMM and Islet
 * hash the old value at digest length followed by the size bytes given;
 * the spec text hashes the whole 64-byte old value followed by the value
 * zero-padded to 64 bytes. The two disagree (CCA.md §6 item 2), so the
 * formula is a realm option. new_rem may be old.
 */
#include <string.h>

#include "common/error.h"
#include "rmm/rmm.h"

int rmm_rem_compute(unsigned algo, enum rmm_rem_mode mode, const uint8_t old[RMM_SLOT_SIZE],
		    const void *value, size_t size, uint8_t new_rem[RMM_SLOT_SIZE])
{
	uint8_t padded[RMM_SLOT_SIZE] = { 0 };
	struct rmm_hash_ctx ctx;
	int r;

	if (mode != RMM_REM_TFRMM && mode != RMM_REM_SPEC)
		return fasco_fail(FASCO_E_CONFIG, "rmm: REM mode %d unknown", (int)mode);
	if (size > RMM_SLOT_SIZE)
		return fasco_fail(FASCO_E_CONFIG, "rmm: REM extension of %zu bytes (at most %u)",
				  size, RMM_SLOT_SIZE);
	r = rmm_hash_init(&ctx, algo);
	if (r < 0)
		return r;
	if (mode == RMM_REM_TFRMM) {
		rmm_hash_update(&ctx, old, rmm_hash_len(algo));
		rmm_hash_update(&ctx, value, size);
	} else {
		if (size)
			memcpy(padded, value, size);
		rmm_hash_update(&ctx, old, RMM_SLOT_SIZE);
		rmm_hash_update(&ctx, padded, sizeof(padded));
	}
	rmm_hash_final(&ctx, new_rem);
	return 0;
}
