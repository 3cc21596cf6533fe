/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public headers as a C11 program sees them, built with -std=c11 -Wall
 * -Wextra -Werror -pedantic: fasco.h first and alone, then all of them in
 * reverse order and twice (include guards); the other headers alone in
 * their own files. Running it checks the library matches the header.
 */
#include <fasco/fasco.h>
#include <fasco/measure.h>
#include <fasco/attest.h>
#include <fasco/fasco.h>
#include <fasco/attest.h>

#include <stdio.h>
#include <string.h>

int header_alone_attest(void);
int header_alone_measure(void);

_Static_assert(FASCO_VERSION_NUMBER ==
	       FASCO_VERSION_MAJOR * 10000 + FASCO_VERSION_MINOR * 100 + FASCO_VERSION_PATCH,
	       "version macros");
_Static_assert(sizeof(((struct fasco_exit_info *)0)->size) == 4, "size member first");

int main(void)
{
	struct fasco_exit_info info = { .size = sizeof(info) };
	struct fasco_token_claims claims = { .size = sizeof(claims) };
	fasco_config *config = NULL;
	uint64_t lo = 0, hi = 0;

	if (fasco_version_number() != FASCO_VERSION_NUMBER) {
		fprintf(stderr, "library %s, header %d\n", fasco_version(), FASCO_VERSION_NUMBER);
		return 1;
	}
	if (fasco_config_create(&config) < 0 ||
	    fasco_config_param_bounds(FASCO_PARAM_VCPUS, &lo, &hi) < 0 || lo != 1) {
		fprintf(stderr, "config: %s\n", fasco_last_error());
		return 1;
	}
	fasco_config_destroy(config);
	if (strcmp(fasco_strerror(FASCO_E_CONFIG), "invalid configuration") != 0)
		return 1;
	(void)info;
	(void)claims;
	return header_alone_attest() > 0 && header_alone_measure() > 0 ? 0 : 1;
}
