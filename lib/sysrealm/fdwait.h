/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Waiting on descriptors (poll, ppoll, select, pselect6): the realm names
 * its own descriptor numbers inside the arrays and bitmaps, so they are
 * translated to host descriptors for the call and back after.
 */
#ifndef FASCO_SYSREALM_FDWAIT_H
#define FASCO_SYSREALM_FDWAIT_H

#include <stdint.h>

#include "sysrealm/service.h"

/* poll or ppoll (nr) on the host-private pollfd array a[0] of nfds entries. */
int64_t fdwait_poll(struct service *svc, uint64_t nr, uint64_t nfds, long a[6]);

/* select or pselect6 (nr) on the host-private fd_sets a[1..3] of nfds bits. */
int64_t fdwait_select(struct service *svc, uint64_t nr, uint64_t nfds, long a[6]);

#endif
