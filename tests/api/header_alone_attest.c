/* SPDX-License-Identifier: Apache-2.0 */
/* attest.h compiles on its own (it includes what it needs). */
#include <fasco/attest.h>

int header_alone_attest(void);

int header_alone_attest(void)
{
	struct fasco_verify_opts opts = { .size = sizeof(opts) };

	return (int)opts.flags + FASCO_KEY_MAX_POINT;
}
