/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI hooks: each runs as its own process with the container's state on
 * stdin, its args and env from config.json, its stdout and stderr those of
 * the runtime's stderr, and killed when its timeout passes. Hooks run in
 * the runtime's namespaces (the container realm has none of its own).
 */
#ifndef FASCO_OCI_HOOKS_H
#define FASCO_OCI_HOOKS_H

#include <stddef.h>

#include "oci/config.h"

/* Default when a hook gives no timeout: never wait forever. */
#define OCI_HOOK_DEFAULT_TIMEOUT_S 120

/*
 * Run the hooks of one kind in order; the first failure (cannot start,
 * non-zero exit, signal, timeout) stops the list and is returned.
 */
int oci_hooks_run(const struct oci_hook_list *hooks, enum oci_hook_kind kind,
		  const char *state, size_t state_len);

#endif
