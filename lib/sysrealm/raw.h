/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_SYSREALM_RAW_H
#define FASCO_SYSREALM_RAW_H

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* The host kernel's answer to a call with host arguments: result or -errno. */
static inline long sys_raw(uint64_t nr, const long a[6])
{
	long r = syscall((long)nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	return r < 0 ? -errno : r;
}

#endif
