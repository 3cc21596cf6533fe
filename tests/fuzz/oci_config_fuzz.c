/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the OCI config.json reader: any document must give
 * a configuration or FASCO_E_CONFIG with a message, never a crash or a
 * leak; an accepted one is walked by the unhonoured-settings report.
 */
#include <stdlib.h>
#include <string.h>

#include "oci/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *userdata, const char *field, const char *why)
{
	(void)userdata;
	(void)field;
	(void)why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_config *c = NULL;
	int r = oci_config_parse((const char *)data, size, &c);

	if (r == 0) {
		oci_config_unhonoured(c, ignore, NULL);
		oci_config_free(c);
	} else if (r != FASCO_E_CONFIG && r != -ENOMEM) {
		abort(); /* only these two failures exist */
	} else if (!*fasco_last_error()) {
		abort(); /* every rejection explains itself */
	}
	return 0;
}
