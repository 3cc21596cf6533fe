/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "common/cleanup.h"
#include "core/backend_populate.h"
#include "core/granule_order.h"
#include "core/measure.h"

int realm_backend_populate(const struct realm_backend_ops *be, struct realm_vm *vm,
			   const struct realm_memory *mem, const fasco_config *config,
			   const struct vcpu_boot *boot)
{
	_cleanup_free_ uint64_t *granules = NULL;
	struct rmm_realm_config rc;
	struct realm_build build;
	size_t n = 0;
	int ret;

	if (!be->vm_populate)
		return 0;
	if ((ret = realm_granule_order(mem, &granules, &n)) < 0)
		return ret;
	/* the parameters the model measured, so a backend can refuse what its
	 * kernel cannot configure instead of starting a differently measured realm */
	realm_rmm_config(config, &rc);
	build = (struct realm_build){
		.granules = granules,
		.n_granules = n,
		.boot = boot,
		.vcpus = (unsigned)config->vcpus,
		.hash_algo = rc.params.hash_algo,
		.rpv = rc.params.rpv,
	};
	return be->vm_populate(vm, &build);
}
