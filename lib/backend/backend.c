/* SPDX-License-Identifier: Apache-2.0 */
#include <unistd.h>

#include "backend/backend.h"
#include "common/error.h"

const struct realm_backend_ops *backend_get(int which)
{
	switch (which) {
	case FASCO_BACKEND_AUTO:
	case FASCO_BACKEND_KVM:
#if defined(__x86_64__)
		return &kvm_backend_ops;
#else
		return NULL;
#endif
	default:
		return NULL; /* cca: compiled only for arm64 builds */
	}
}
