/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_RUN_FORWARD_SIGNALS_H
#define FASCO_RUN_FORWARD_SIGNALS_H

#include <fasco/fasco.h>

/*
 * Signals sent to fasco-run itself (kill PID, a supervisor's SIGTERM) go on
 * to the program in the realm, as they would reach a program a shell exec'd.
 * Call before the realm is loaded (its monitor inherits the mask); 0 or -1.
 */
int forward_signals_start(void);
/* Forward to realm from now on (NULL: no longer; then it may be destroyed). */
void forward_signals_to(fasco_realm *realm);

#endif
