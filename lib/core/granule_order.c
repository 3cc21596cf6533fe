/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "core/granule_order.h"
#include "rmm/rmm.h"

#define GRANULE RMM_GRANULE_SIZE
#define BITS_PER_WORD 64

int granule_bit_set(uint64_t *bits, uint64_t index)
{
	uint64_t mask = 1ull << (index % BITS_PER_WORD);
	int was = !!(bits[index / BITS_PER_WORD] & mask);

	bits[index / BITS_PER_WORD] |= mask;
	return was;
}

int realm_granules_each(const struct realm_memory *mem, uint64_t *seen, granule_visit_fn fn,
			void *opaque)
{
	for (size_t i = 0; i < mem->n_ranges; i++) {
		const struct populated_range *r = &mem->ranges[i];

		for (uint64_t g = r->gpa & ~(uint64_t)(GRANULE - 1); g < r->gpa + r->len;
		     g += GRANULE) {
			int ret;

			if (granule_bit_set(seen, g / GRANULE))
				continue;
			if ((ret = fn(opaque, r, g)) < 0)
				return ret;
		}
	}
	return 0;
}

struct order_list {
	uint64_t *gpa;
	size_t n, cap;
};

static int append(void *opaque, const struct populated_range *r, uint64_t gpa)
{
	struct order_list *l = opaque;

	(void)r;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		uint64_t *p = realloc(l->gpa, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->gpa = p;
		l->cap = cap;
	}
	l->gpa[l->n++] = gpa;
	return 0;
}

int realm_granule_order(const struct realm_memory *mem, uint64_t **ret, size_t *ret_n)
{
	size_t words = (mem->private_size / GRANULE + BITS_PER_WORD - 1) / BITS_PER_WORD + 1;
	_cleanup_free_ uint64_t *seen = calloc(words, sizeof(uint64_t));
	struct order_list l = { 0 };
	int r;

	if (!seen)
		return -ENOMEM;
	if ((r = realm_granules_each(mem, seen, append, &l)) < 0) {
		free(l.gpa);
		return r;
	}
	*ret = l.gpa;
	*ret_n = l.n;
	return 0;
}
