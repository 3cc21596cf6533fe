/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-measure: predict, without /dev/kvm, the initial measurement (RIM)
 * of the realm that fasco-run would create from the same inputs, so it can
 * be registered as a reference value before the container ever runs.
 *
 *   fasco-measure [fasco-run's realm options] [--platform NAME] [--json]
 *                 -- PROGRAM [ARGS...]
 *
 * Prints the RIM in hex, or with --json a reference-value document.
 */
#include <stdio.h>
#include <string.h>

#include <fasco/measure.h>

#include "realm_options.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: fasco-measure [OPTIONS] -- PROGRAM [ARGS...]\n" REALM_OPTION_HELP
		   "  --platform P  kvm-pvm or kvm (VMX/SVM); default: this host's\n"
		   "  --json        print a reference-value document instead of the hex RIM\n");
}

static void print_hex(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", b[i]);
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const fasco_config *cfg, int argc, char **argv, int first,
		       const char *platform, const uint8_t *rim, size_t len)
{
	uint64_t mem = 0, vcpus = 0;

	fasco_config_get_param(cfg, FASCO_PARAM_MEMORY_BYTES, &mem);
	fasco_config_get_param(cfg, FASCO_PARAM_VCPUS, &vcpus);
	printf("{\n  \"profile\": \"fasco-realm-reference/1\",\n  \"hash-algorithm\": \"%s\",\n",
	       len == 32 ? "sha-256" : "sha-512");
	printf("  \"rim\": \"");
	print_hex(rim, len);
	printf("\",\n  \"platform\": \"%s\",\n  \"memory-bytes\": %llu,\n  \"vcpus\": %llu,\n",
	       platform, (unsigned long long)mem, (unsigned long long)vcpus);
	printf("  \"argv\": [");
	for (int i = first; i < argc; i++) {
		print_json_string(argv[i]);
		printf(i + 1 < argc ? ", " : "");
	}
	printf("]\n}\n");
}

static int parse_platform(const char *name, int *ret)
{
	if (strcmp(name, "kvm-pvm") == 0)
		*ret = FASCO_PLATFORM_KVM_PVM;
	else if (strcmp(name, "kvm") == 0)
		*ret = FASCO_PLATFORM_KVM_HW;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		REALM_OPTION_TABLE,
		{ "platform", required_argument, NULL, 'P' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 },
	};
	struct realm_options o = { .tool = "fasco-measure", .rootfs = "/" };
	fasco_config *cfg = NULL;
	uint8_t rim[FASCO_MEASURE_MAX_LEN];
	const char *platform_name = NULL;
	int platform = FASCO_PLATFORM_HOST, json = 0, c, ret;
	size_t len;

	if ((ret = fasco_config_create(&cfg)) < 0)
		return realm_options_fail(&o, "configuration", ret);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		case 'j': json = 1; continue;
		case 'P':
			if (parse_platform(optarg, &platform) < 0) {
				fprintf(stderr, "fasco-measure: unknown platform '%s' (kvm-pvm or kvm)\n",
					optarg);
				return EXIT_USAGE;
			}
			platform_name = optarg;
			continue;
		}
		ret = realm_option(cfg, &o, c, optarg);
		if (ret <= 0) {
			if (ret == 0)
				usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (realm_options_finish(cfg, &o, argc, argv, optind))
		return EXIT_USAGE;
	ret = fasco_measure_config(cfg, o.rootfs, platform, rim, sizeof(rim), &len);
	if (ret < 0)
		return realm_options_fail(&o, argv[optind], ret);
	if (!platform_name) {
		fasco_ctx *ctx = NULL;

		/* the host's platform, named as the library names it */
		platform_name = fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &ctx) == 0
					? (strstr(fasco_ctx_platform(ctx), "pvm") ? "kvm-pvm" : "kvm")
					: "host";
		fasco_ctx_destroy(ctx);
	}
	if (json) {
		print_json(cfg, argc, argv, optind, platform_name, rim, len);
	} else {
		print_hex(rim, len);
		putchar('\n');
	}
	fasco_config_destroy(cfg);
	return 0;
}
