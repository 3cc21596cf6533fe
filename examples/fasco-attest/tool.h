/* SPDX-License-Identifier: Apache-2.0 */
/* fasco-attest: shared pieces of the subcommands. */
#ifndef FASCO_ATTEST_TOOL_H
#define FASCO_ATTEST_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <fasco/attest.h>

/*
 * Exit statuses. A rejection names its reason, so scripts can branch on it;
 * the table in verdict.c maps library codes onto them and feeds --help.
 */
enum tool_exit {
	EXIT_ACCEPTED = 0,
	EXIT_REJECTED = 1,     /* rejected for a reason not listed below */
	EXIT_USAGE = 2,        /* bad command line, unreadable file, bad anchor */
	EXIT_CBOR = 3,
	EXIT_COSE = 4,
	EXIT_DUPLICATE = 5,
	EXIT_KEY = 6,
	EXIT_SIGNATURE = 7,
	EXIT_BINDING = 8,
	EXIT_CLAIM_MISSING = 9,
	EXIT_CLAIM_INVALID = 10,
	EXIT_CHALLENGE = 11,
	EXIT_REFERENCE = 12,
	EXIT_EVENT_LOG = 13,
};

/* Tokens, claim sets and anchors are small; anything bigger is refused unread. */
#define TOOL_INPUT_MAX (1u << 20)

/* The full --help text, exit statuses included. */
void tool_usage(FILE *f);
/* Unknown option or missing argument: a hint on stderr, EXIT_USAGE. */
int usage_error(const char *command);

/*
 * getopt_long over opts (which must hold --help as 'h'); on_option gets
 * every other option and fails with -1 after saying why. Returns 0 to go
 * on with argv[optind...], -1 after printing --help, or EXIT_USAGE.
 */
struct option;
int parse_options(int argc, char **argv, const char *command, const struct option *opts,
		  int (*on_option)(int c, void *data), void *data);

/*
 * Options of a command that has only --json (and --help): 0 to go on with
 * argv[optind...], -1 after printing --help, or EXIT_USAGE.
 */
int parse_json_flag(int argc, char **argv, const char *command, bool *json);

/* Whole file (or stdin for "-"), at most TOOL_INPUT_MAX bytes; caller frees. */
int read_input(const char *what, const char *path, uint8_t **ret, size_t *ret_len);

/* Hex (upper or lower case, even length) into out; length within [min, max]. */
int parse_hex(const char *option, const char *hex, uint8_t *out, size_t min, size_t max,
	      size_t *ret_len);

/* "fasco-attest: WHAT: <detail of the last library failure>" on stderr. */
void report_failure(const char *what, int code);

/* Exit status for a library code and the text of each status for --help. */
int verdict_exit(int code);
const char *verdict_name(int code); /* "signature", "binding", ... or "other" */
void verdict_help(FILE *f);

/* The claims as JSON (NULL members are left out); caller frees. */
char *claims_json(const struct fasco_token_claims *c, bool realm, bool platform,
		  const char *verdict);

/* {"verdict": "rejected", "reason": ..., "exit status": ..., "error": ...} */
char *rejection_json(int code, int exit_status, const char *detail);

/* Any JSON document as indented "name: value" text. */
int json_print_text(FILE *f, const char *json);

int cmd_platform_key(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_show(int argc, char **argv);

#endif
