/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Measuring a realm's initial state with the software RMM model, as the RMM
 * would see the host build it: DATA_CREATE (measured) of every populated
 * granule in the order it was first populated, RTT_INIT_RIPAS (RAM) over
 * the rest of private memory in ascending order, then REC_CREATE of each
 * vCPU (the first one runnable). fasco-measure runs the same code offline.
 */
#ifndef FASCO_CORE_MEASURE_H
#define FASCO_CORE_MEASURE_H

#include "core/image.h"
#include "rmm/rmm.h"

/* The measurement slots of rmm (all zero, digest_len 0, for NULL). */
void realm_measurements_of(const struct rmm_realm *rmm, struct realm_measurements *out);

/* The RMM realm parameters that config implies. */
void realm_rmm_config(const fasco_config *config, struct rmm_realm_config *ret);

/*
 * Measure a built image (realm_image_build's output); the realm stays NEW.
 * Granules that hold exactly one page of a file (fd still open) take their
 * digest from the page-digest cache in cache_dirfd (-1: none).
 */
int realm_measure(const struct realm_memory *mem, const fasco_config *config,
		  const struct vcpu_boot *boot, int cache_dirfd, struct rmm_realm **ret_realm);

#endif
