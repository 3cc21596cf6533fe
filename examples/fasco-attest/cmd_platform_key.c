/* SPDX-License-Identifier: Apache-2.0 */
/* fasco-attest platform-key: this host's platform public key, for pinning. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "tool.h"

static int set_state_dir(int c, void *state_dir)
{
	(void)c;
	*(const char **)state_dir = optarg;
	return 0;
}

int cmd_platform_key(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_dir = NULL;
	fasco_ctx *ctx = NULL;
	char pem[1024];
	size_t len;
	int r = parse_options(argc, argv, "platform-key", opts, set_state_dir, &state_dir);

	if (r)
		return r < 0 ? 0 : r;
	if (optind != argc) {
		fprintf(stderr, "fasco-attest: platform-key: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (state_dir && !*state_dir) {
		fprintf(stderr, "fasco-attest: platform-key: --state-dir is empty\n");
		return EXIT_USAGE;
	}
	r = fasco_ctx_create(FASCO_BACKEND_AUTO, state_dir, &ctx);
	if (r == -ENOMEM && !state_dir) {
		fprintf(stderr, "fasco-attest: platform-key: no default state directory "
				"(HOME and XDG_STATE_HOME unset); give --state-dir\n");
		return EXIT_USAGE;
	}
	if (r < 0) {
		report_failure("platform-key", r);
		return EXIT_USAGE;
	}
	r = fasco_platform_key_pem(ctx, pem, sizeof(pem), &len);
	fasco_ctx_destroy(ctx);
	if (r < 0) {
		report_failure("platform-key", r);
		return EXIT_USAGE;
	}
	fwrite(pem, 1, len, stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}
