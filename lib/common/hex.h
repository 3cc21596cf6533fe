/* SPDX-License-Identifier: Apache-2.0 */
/* Hex digits to bytes: one decoder for keys, configs and the tools. */
#ifndef FASCO_COMMON_HEX_H
#define FASCO_COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit (either case), or -1. */
int hex_digit(char c);

/*
 * Decode the 2 * n digits at s into out[0..n). Returns 0, or -1 with *bad
 * (may be NULL) set to the index of the first character that is not a hex
 * digit. The caller checks the length.
 */
int hex_decode(const char *s, uint8_t *out, size_t n, size_t *bad);

/* n bytes as 2 * n lower-case digits and a NUL into out (2 * n + 1 bytes). */
void hex_encode(const uint8_t *in, size_t n, char *out);

#endif
