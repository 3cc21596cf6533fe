/* SPDX-License-Identifier: Apache-2.0 */
/* measure.h compiles on its own (it includes what it needs). */
#include <fasco/measure.h>

int header_alone_measure(void);

int header_alone_measure(void)
{
	return FASCO_MEASURE_MAX_LEN + FASCO_REM_SPEC;
}
