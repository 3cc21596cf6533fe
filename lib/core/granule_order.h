/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The order in which a realm's populated granules enter its measurement:
 * ranges in the order they were populated, each granule once, when the
 * first range reaches it. measure.c measures in this order, and a backend
 * whose firmware measures the realm itself (cca) must populate in it, or
 * the firmware's RIM differs from the prediction.
 */
#ifndef FASCO_CORE_GRANULE_ORDER_H
#define FASCO_CORE_GRANULE_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/image.h"

/* Set bit index of a bitmap of 64-bit words; whether it was set before. */
int granule_bit_set(uint64_t *bits, uint64_t index);

/* Called once per granule; a negative return stops the walk with it. */
typedef int (*granule_visit_fn)(void *opaque, const struct populated_range *r, uint64_t gpa);

/*
 * Visit every populated granule in measurement order. seen is a zeroed
 * bitmap of one bit per granule of private memory (64-bit words); on
 * return it marks every visited granule.
 */
int realm_granules_each(const struct realm_memory *mem, uint64_t *seen, granule_visit_fn fn,
			void *opaque);

/* The populated granules' addresses in measurement order (free() *ret). */
int realm_granule_order(const struct realm_memory *mem, uint64_t **ret, size_t *ret_n);

#endif
