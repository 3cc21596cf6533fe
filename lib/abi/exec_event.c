/* SPDX-License-Identifier: Apache-2.0 */
#include "abi/exec_event.h"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void fasco_exec_record(const struct fasco_exec_event *e, uint8_t out[FASCO_EXEC_RECORD_SIZE])
{
	for (unsigned i = 0; i < 8; i++)
		out[i] = (uint8_t)FASCO_EXEC_TAG[i];
	for (unsigned i = 0; i < 32; i++)
		out[8 + i] = e->content[i];
	put_le(out + 40, e->offset, 8);
	put_le(out + 48, e->length, 8);
	put_le(out + 56, e->prot, 4);
	put_le(out + 60, e->source, 4);
	put_le(out + 64, e->index, 8);
}
