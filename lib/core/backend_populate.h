/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Handing a built image to a backend whose firmware measures the realm
 * (cca's vm_populate), in the order measure.c measured it.
 */
#ifndef FASCO_CORE_BACKEND_POPULATE_H
#define FASCO_CORE_BACKEND_POPULATE_H

#include "backend/backend.h"
#include "core/image.h"

/*
 * Call be->vm_populate with mem's granules in measurement order, the
 * vCPUs' boot states and config's realm parameters; 0 at once for a
 * backend without vm_populate. The monitor is to call it after
 * realm_measure (a backend may retire the host's copy of the image) and
 * before realm_memory_release (mem->ranges are needed) and vm_seal, as
 * lib/core/monitor.c and exec.c do.
 */
int realm_backend_populate(const struct realm_backend_ops *be, struct realm_vm *vm,
			   const struct realm_memory *mem, const fasco_config *config,
			   const struct vcpu_boot *boot);

#endif
