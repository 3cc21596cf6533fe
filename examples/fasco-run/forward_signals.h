/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_RUN_FORWARD_SIGNALS_H
#define FASCO_RUN_FORWARD_SIGNALS_H

#include <fasco/fasco.h>

/*
 * Signals sent to fasco-run itself (kill PID, a supervisor's SIGTERM) go on
 * to the program in the realm, as they would reach a program a shell exec'd.
 * Block them before the realm is loaded (its monitor inherits the mask, and
 * a signal sent meanwhile waits); start the forwarding thread only once the
 * monitor is forked: a thread starting up during fork() can hold an
 * allocator lock the child then never sees released (ASan's does). 0 or -errno.
 */
int forward_signals_block(void);
int forward_signals_start(fasco_realm *realm);
/* Forward to realm from now on (NULL: no longer; then it may be destroyed). */
void forward_signals_to(fasco_realm *realm);

#endif
