/* SPDX-License-Identifier: Apache-2.0 */
/* Writing JSON text to a stdio stream (open_memstream for documents). */
#ifndef FASCO_OCI_JSONW_H
#define FASCO_OCI_JSONW_H

#include <stdio.h>

#include "oci/config.h"

/* s as a quoted JSON string, escaped (bytes >= 0x80 pass through). */
void oci_json_string(FILE *f, const char *s);
/* {"key": "value", ...} */
void oci_json_annotations(FILE *f, const struct oci_annotations *a);

#endif
