/* SPDX-License-Identifier: Apache-2.0 */
/* Writing JSON strings to a stdio stream (open_memstream for documents). */
#ifndef FASCO_COMMON_JSON_OUT_H
#define FASCO_COMMON_JSON_OUT_H

#include <stdio.h>

/* s quoted and escaped; bytes outside printable ASCII as \u00XX, so bytes
 * that are not UTF-8 (a host path) still make valid JSON. */
void json_write_string(FILE *f, const char *s);

#endif
