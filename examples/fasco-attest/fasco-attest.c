/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-attest: the relying party's side of CCA attestation.
 *
 *   fasco-attest platform-key [--state-dir DIR]
 *   fasco-attest verify TOKEN [--anchor KEYFILE] [--rim HEX] [--rpv HEX]
 *                             [--challenge HEX] [--event-log FILE [--lib-ref FILE]...]
 *                             [--json]
 *   fasco-attest show TOKEN [--json]
 *   fasco-attest claims realm|platform FILE [--json]
 *
 * One file per subcommand (cmd_*.c), dispatched from the table below.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{ "platform-key", cmd_platform_key,
	  "platform-key [--state-dir DIR]\n"
	  "      print this host's platform attestation public key (PEM), creating the\n"
	  "      software P-384 key on first use; pin it with verify --anchor\n" },
	{ "verify", cmd_verify,
	  "verify TOKEN [--anchor KEYFILE] [--rim HEX] [--rpv HEX] [--challenge HEX]\n"
	  "             [--event-log FILE [--lib-ref FILE]...] [--json]\n"
	  "      check both signatures, the binding and every claim, then compare the\n"
	  "      given reference values; TOKEN may be - for standard input\n" },
	{ "show", cmd_show,
	  "show TOKEN [--json]\n"
	  "      print the claims of a token WITHOUT checking anything (use verify)\n" },
	{ "claims", cmd_claims,
	  "claims realm|platform FILE [--json]\n"
	  "      check an unsigned claims map (a token payload): mandatory claims,\n"
	  "      types and sizes; proves nothing about its origin\n" },
};

void tool_usage(FILE *f)
{
	fprintf(f, "usage: fasco-attest COMMAND [ARGS]   (fasco-attest COMMAND --help)\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s", commands[i].synopsis);
	fprintf(f, "\nverify options:\n"
		   "  --anchor KEYFILE  platform public key: PEM, JWK, or Veraison trust-anchor\n"
		   "                    JSON (the anchor whose ids match the token is used)\n"
		   "  --rim HEX         expected initial measurement (32, 48 or 64 bytes)\n"
		   "  --rpv HEX         expected personalization value (64 bytes)\n"
		   "  --challenge HEX   expected realm challenge, 1 to 64 bytes, zero-padded to\n"
		   "                    64 as the realm's attestation interface pads it\n"
		   "  --skip-platform-signature\n"
		   "                    diagnosis only: check all but the platform signature\n"
		   "  --event-log FILE  the realm's event log (fasco-run --event-log): replayed, it\n"
		   "                    must give the token's REMs; its entries are listed\n"
		   "  --lib-ref FILE    (repeatable) a library the verifier trusts: every code\n"
		   "                    range in the event log must be bytes of one of them\n"
		   "  --json            print the verdict and claims as JSON on stdout\n"
		   "platform-key options:\n"
		   "  --state-dir DIR   default /var/lib/fasco for root, else $XDG_STATE_HOME/fasco\n"
		   "                    or ~/.local/state/fasco (as fasco_ctx_create)\n\n");
	verdict_help(f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		tool_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		tool_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("fasco-attest %s\n", fasco_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "fasco-attest: unknown command '%s'\n", argv[1]);
	tool_usage(stderr);
	return EXIT_USAGE;
}
