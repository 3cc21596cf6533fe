/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fasco/measure.h>

#include "common/hex.h"
#include "common/size.h"
#include "realm_options.h"

int parse_hex(const char *s, uint8_t *out, size_t len)
{
	return strlen(s) == 2 * len ? hex_decode(s, out, len, NULL) : -1;
}

int realm_options_fail(const struct realm_options *o, const char *what, int code)
{
	const char *detail = fasco_last_error();

	fprintf(stderr, "%s: %s: %s%s%s\n", o->tool, what, fasco_strerror(code), *detail ? ": " : "",
		detail);
	return EXIT_USAGE;
}

static int bad_value(const struct realm_options *o, const char *option, const char *arg,
		     const char *expected)
{
	fprintf(stderr, "%s: bad value for --%s: '%s' (expected %s)\n", o->tool, option, arg,
		expected);
	return -1;
}

static int set_param(fasco_config *cfg, const struct realm_options *o, const char *option,
		     int param, uint64_t value)
{
	int ret = fasco_config_set_param(cfg, param, value);

	if (ret < 0) {
		realm_options_fail(o, option, ret);
		return -1;
	}
	return 1;
}

int realm_option(fasco_config *cfg, struct realm_options *o, int c, const char *arg)
{
	uint8_t rpv[64];
	uint64_t v;
	int ret;

	switch (c) {
	case 'r':
		o->rootfs = arg;
		return 1;
	case 'm':
		if (parse_size(arg, &v) < 0)
			return bad_value(o, "mem", arg, "a size such as 256M");
		return set_param(cfg, o, "--mem", FASCO_PARAM_MEMORY_BYTES, v);
	case 'V': {
		char *end;

		errno = 0;
		v = strtoull(arg, &end, 10);
		if (errno || end == arg || *end)
			return bad_value(o, "vcpus", arg, "a number");
		return set_param(cfg, o, "--vcpus", FASCO_PARAM_VCPUS, v);
	}
	case 'e':
		ret = fasco_config_add_env(cfg, arg);
		break;
	case 'c':
		o->cwd_set = 1;
		ret = fasco_config_set_cwd(cfg, arg);
		break;
	case 'R':
		if (parse_hex(arg, rpv, sizeof(rpv)) < 0)
			return bad_value(o, "rpv", arg, "128 hex digits");
		ret = fasco_config_set_rpv(cfg, rpv, sizeof(rpv));
		break;
	case 'D': {
		size_t len = strlen(arg) / 2;

		if (len > sizeof(rpv) || parse_hex(arg, rpv, len) < 0)
			return bad_value(o, "config-digest", arg, "at most 128 hex digits");
		ret = fasco_config_set_config_digest(cfg, rpv, len);
		break;
	}
	case 'H':
		if (strcmp(arg, "sha256") && strcmp(arg, "sha512"))
			return bad_value(o, "hash", arg, "sha256 or sha512");
		return set_param(cfg, o, "--hash", FASCO_PARAM_HASH_ALGO,
				 strcmp(arg, "sha256") ? FASCO_HASH_SHA512 : FASCO_HASH_SHA256);
	default:
		return 0;
	}
	if (ret < 0) {
		realm_options_fail(o, arg, ret);
		return -1;
	}
	return 1;
}

int realm_options_finish(fasco_config *cfg, struct realm_options *o, int argc, char **argv,
			 int first)
{
	int ret;

	/* with the host's root, run where we are, like any command; in a
	 * container root, start at its "/" unless --cwd says otherwise */
	if (!o->cwd_set && strcmp(o->rootfs, "/") == 0) {
		char here[4096];

		if (getcwd(here, sizeof(here)) && (ret = fasco_config_set_cwd(cfg, here)) < 0)
			return realm_options_fail(o, "working directory", ret);
	}
	if ((ret = fasco_config_set_program(cfg, argv[first])) < 0 ||
	    (ret = fasco_config_set_argv(cfg, argc - first, (const char *const *)argv + first)) < 0)
		return realm_options_fail(o, "program", ret);
	return 0;
}
