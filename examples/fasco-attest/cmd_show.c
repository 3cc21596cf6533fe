/* SPDX-License-Identifier: Apache-2.0 */
/* fasco-attest show: a token's claims for people; nothing is checked. */
#include <getopt.h>
#include <stdlib.h>

#include "tool.h"

int cmd_show(int argc, char **argv)
{
	bool json = false;
	uint8_t *token = NULL;
	char *doc = NULL;
	size_t len;
	int r;

	r = parse_json_flag(argc, argv, "show", &json);
	if (r)
		return r < 0 ? 0 : r;
	if (argc - optind != 1) {
		fprintf(stderr, "fasco-attest: show: expected one TOKEN (a file, or - for stdin)\n");
		return EXIT_USAGE;
	}
	if (read_input("token", argv[optind], &token, &len) < 0)
		return EXIT_USAGE;
	r = fasco_token_show_json(token, len, &doc);
	free(token);
	if (r < 0) {
		report_failure("show", r);
		return verdict_exit(r);
	}
	if (json) {
		printf("%s\n", doc);
	} else {
		printf("# decoded only: no signature or claim was checked (use verify)\n");
		if (json_print_text(stdout, doc) < 0)
			printf("%s\n", doc);
	}
	fasco_free(doc);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}
