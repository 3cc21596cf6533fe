/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From an OCI configuration to the container its system realm serves:
 * mounts (bind and tmpfs), the default devices, a read-only root, the
 * hostname, the namespaces and the user the realm's calls are served as.
 */
#ifndef FASCO_OCI_SYSREALM_CONFIG_H
#define FASCO_OCI_SYSREALM_CONFIG_H

#include <stdbool.h>
#include <sys/types.h>

#include <fasco/fasco.h>

#include "oci/config.h"

/* The mount options understood besides tmpfs parameters: the i-th, or NULL. */
const char *oci_mount_option(size_t i);

/* Configure sys (fresh from fasco_sysrealm_create) for container c. */
int oci_sysrealm_config(const struct oci_config *c, fasco_sysrealm *sys);
/*
 * Configure sys for a further process of a running container whose realm
 * is served by host process monitor: the same namespaces (so the same
 * root, mounts, hostname and network), c's user.
 */
int oci_sysrealm_join(const struct oci_config *c, pid_t monitor, fasco_sysrealm *sys);

#endif
