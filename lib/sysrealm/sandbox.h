/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Confinement of the process that serves a realm: its mount namespace has
 * the container's root as "/" (pivot_root), so every path a realm names
 * resolves inside the container, and it keeps no capability afterwards.
 */
#ifndef FASCO_SYSREALM_SANDBOX_H
#define FASCO_SYSREALM_SANDBOX_H

/* Enter root ("/" = stay in the host's root) and change to cwd inside it. */
int sandbox_enter(const char *root, const char *cwd);
/* No new privileges, empty capability sets and bounding set. */
int sandbox_drop_privileges(void);

#endif
