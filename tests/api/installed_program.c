/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A consumer of the installed libfasco: built with only the installed
 * headers and `pkg-config --cflags --libs fasco`, it prints the path of the
 * library it runs against (the test checks that it is the installed one)
 * and exercises one call of each header.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <fasco/attest.h>
#include <fasco/fasco.h>
#include <fasco/measure.h>

static int fail(const char *what, int ret)
{
	fprintf(stderr, "%s: %d (%s): %s\n", what, ret, fasco_strerror(ret), fasco_last_error());
	return 1;
}

int main(void)
{
	static const uint8_t raw_bad[] = { 0x04, 0x01, 0x02 };
	uint8_t rim[FASCO_MEASURE_MAX_LEN], point[FASCO_KEY_MAX_POINT];
	fasco_config *config;
	uint64_t vcpus = 0;
	size_t len = 0;
	Dl_info where;
	int ret;

	if (!dladdr((void *)fasco_version, &where) || !where.dli_fname)
		return fail("dladdr", -1);
	printf("%s\n", where.dli_fname);
	if (fasco_version_number() != FASCO_VERSION_NUMBER)
		return fail("version", (int)fasco_version_number());
	if ((ret = fasco_config_create(&config)) < 0)
		return fail("fasco_config_create", ret);
	ret = fasco_config_set_param(config, FASCO_PARAM_VCPUS, 2);
	if (ret == 0)
		ret = fasco_config_get_param(config, FASCO_PARAM_VCPUS, &vcpus);
	fasco_config_destroy(config);
	if (ret < 0 || vcpus != 2)
		return fail("fasco_config_set_param", ret);
	ret = fasco_measure_rim_params(FASCO_HASH_SHA256, 48, 0, 0, 1, 1, 0, rim, sizeof(rim), &len);
	if (ret < 0 || len != 32 || rim[0] != 0x67)
		return fail("fasco_measure_rim_params", ret);
	ret = fasco_key_parse(raw_bad, sizeof(raw_bad), FASCO_KEY_RAW, point, sizeof(point), &len);
	if (ret != FASCO_E_KEY || !*fasco_last_error())
		return fail("fasco_key_parse of a bad point", ret);
	return 0;
}
