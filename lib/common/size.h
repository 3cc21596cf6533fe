/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes as people write them: one parser for annotations and the tools. */
#ifndef FASCO_COMMON_SIZE_H
#define FASCO_COMMON_SIZE_H

#include <stdint.h>

/* Decimal digits with an optional K, M or G (binary units, "i" allowed):
 * 0, or -1 when s is not such a size or it overflows 64 bits. */
int parse_size(const char *s, uint64_t *ret);

#endif
