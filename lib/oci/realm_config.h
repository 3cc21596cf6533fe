/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From an OCI configuration to a realm configuration: the program (found
 * inside the root like execvp would), argv, env, cwd, and the realm's
 * parameters from the org.fasco.* annotations and linux.resources.
 */
#ifndef FASCO_OCI_REALM_CONFIG_H
#define FASCO_OCI_REALM_CONFIG_H

#include <fasco/fasco.h>

#include "oci/config.h"

#define OCI_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

typedef void (*oci_warn_fn)(void *userdata, const char *message);

/*
 * The realms of a container: index 0 runs the container's process (the
 * stage "main"), index i its stage i - 1 (org.fasco.stages), whose env,
 * cwd and memory default to the process's.
 */
size_t oci_realm_count(const struct oci_config *c);
const char *oci_realm_name(const struct oci_config *c, size_t index);

/*
 * Path inside the root of the program that args[0] of realm index names:
 * as given if it holds a '/', else the first executable regular file on
 * the PATH of its env. Symbolic links resolve inside the root (rootfd).
 */
int oci_find_program(int rootfd, const struct oci_config *c, size_t index, char *out,
		     size_t cap);

/* Fill cfg (fresh from fasco_config_create) for realm index; warn reports adjustments. */
int oci_realm_config(const struct oci_config *c, size_t index, const char *program,
		     fasco_config *cfg, oci_warn_fn warn, void *userdata);

/*
 * SHA-256 of the config.json bytes, folded into cfg's measured manifest
 * (fasco_config_set_config_digest): the RIM then binds the OCI
 * configuration, and `fasco-measure --config-digest` predicts it.
 */
#define OCI_CONFIG_DIGEST_LEN 32
int oci_realm_config_digest(fasco_config *cfg, const char *doc, size_t len,
			    uint8_t digest[OCI_CONFIG_DIGEST_LEN]);

#endif
