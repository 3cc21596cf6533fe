/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_SYSREALM_MSG_CALLS_H
#define FASCO_SYSREALM_MSG_CALLS_H

#include <sys/syscall.h>

#include "sysrealm/service.h"

/* Serve a flattened sendmsg or recvmsg (abi/msg_wire.h); a[] are the host
 * arguments (descriptor translated, meta in host-private memory). */
int64_t msg_call(struct service *svc, uint64_t nr, const uint64_t args[6], const long a[6]);

#endif
