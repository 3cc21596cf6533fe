/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_CORE_POPULATE_H
#define FASCO_CORE_POPULATE_H

#include "core/monitor.h"

/* FASCO_OP_POPULATE: back the runs in the slot's data area with host
 * memory. 0, or -EINVAL for a run outside private memory (nothing done). */
int64_t populate_serve(struct monitor *m, const struct fasco_slot_header *h, const uint8_t *data);

#endif
