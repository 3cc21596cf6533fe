/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Populate hints: runs of guest-physical frames the shim is about to write,
 * gathered in the slot's data area and sent in one polled request, so the
 * host backs them with memory first (lib/core/populate.c says why that
 * saves shadow-page faults on kvm-pvm). A hint: its failure costs faults,
 * never correctness.
 */
#include "shim.h"

static struct fasco_populate_run *runs(void)
{
	return (struct fasco_populate_run *)this_cpu()->slot_data;
}

void populate_flush(struct populate_req *r)
{
	if (!r->n)
		return;
	this_cpu()->slot->args[0] = r->n;
	(void)host_call(FASCO_OP_POPULATE);
	r->n = 0;
}

void populate_add(struct populate_req *r, uint64_t pa)
{
	struct fasco_populate_run *run = runs();

	if (r->n && run[r->n - 1].gpa + run[r->n - 1].len == pa) {
		run[r->n - 1].len += FASCO_PAGE_SIZE;
		return;
	}
	if (r->n == FASCO_POPULATE_MAX_RUNS)
		populate_flush(r);
	run[r->n].gpa = pa;
	run[r->n].len = FASCO_PAGE_SIZE;
	r->n++;
}
