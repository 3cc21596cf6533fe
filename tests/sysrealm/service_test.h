/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system realm's service without a VM: a service context and a data
 * area in ordinary memory standing in for the shared slot, and calls built
 * the way the shim builds them (header copied once, then served).
 */
#ifndef FASCO_TESTS_SERVICE_TEST_H
#define FASCO_TESTS_SERVICE_TEST_H

#include <stdint.h>

#include "../check_suite.h"
#include "sysrealm/service.h"

extern struct service *svc;
extern uint8_t *data; /* FASCO_SLOT_DATA_MAX bytes, the slot's data area */

void service_setup(void);
void service_teardown(void);

/* Serve system call nr with args and pointer mask, as the monitor does. */
int64_t serve(uint64_t nr, uint32_t mask, const uint64_t args[6]);
#define SERVE(nr, mask, ...) serve((nr), (mask), (const uint64_t[6]){ __VA_ARGS__ })

/* A pipe in the realm's table (non-blocking); its realm numbers in fds. */
void realm_pipe(int fds[2]);

/* Descriptors open in this process (to see that nothing leaks). */
unsigned host_fd_count(void);

#endif
