/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Backing realm memory before the shim writes it. kvm-pvm's shadow MMU
 * maps one page per fault when the host has no page behind its neighbours,
 * and up to eight when it has: a shim about to fill a large range (a
 * library it loads) asks for the range first, and the fill takes an eighth
 * of the faults (686 -> ~100 for a dynamic /bin/true). Allocation only: no
 * byte of realm memory is read or written here (MADV_POPULATE_WRITE
 * faults pages in, zero-filled if new, content kept if not).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "core/populate.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int64_t populate_serve(struct monitor *m, const struct fasco_slot_header *h, const uint8_t *data)
{
	struct fasco_populate_run runs[FASCO_POPULATE_MAX_RUNS];
	uint64_t n = h->args[0];

	if (n > FASCO_POPULATE_MAX_RUNS)
		return -EINVAL;
	memcpy(runs, data, n * sizeof(runs[0])); /* copy once, then check */
	for (uint64_t i = 0; i < n; i++)
		if (!runs[i].len || (runs[i].gpa | runs[i].len) % FASCO_PAGE_SIZE ||
		    runs[i].gpa > m->private_size || runs[i].len > m->private_size - runs[i].gpa)
			return -EINVAL;
	for (uint64_t i = 0; i < n; i++)
		/* a hint: a host without MADV_POPULATE_WRITE only faults more */
		(void)madvise(m->private_mem + runs[i].gpa, runs[i].len, MADV_POPULATE_WRITE);
	return 0;
}
