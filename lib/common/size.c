/* SPDX-License-Identifier: Apache-2.0 */
#include "common/size.h"

int parse_size(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const char *c = s;

	if (*c < '0' || *c > '9')
		return -1;
	for (; *c >= '0' && *c <= '9'; c++) {
		if (v > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*c - '0');
	}
	switch (*c) {
	case 'k': case 'K': shift = 10; c++; break;
	case 'm': case 'M': shift = 20; c++; break;
	case 'g': case 'G': shift = 30; c++; break;
	default: break;
	}
	if (shift && *c == 'i')
		c++;
	if (*c || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*ret = v << shift;
	return 0;
}
