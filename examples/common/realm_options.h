/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line options shared by the tools that describe a realm
 * (fasco-run runs it, fasco-measure predicts its measurement), so both
 * read the same inputs the same way.
 */
#ifndef FASCO_EXAMPLES_REALM_OPTIONS_H
#define FASCO_EXAMPLES_REALM_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

#include <fasco/fasco.h>

#include "common/size.h"

#define EXIT_USAGE 125 /* our own failure, as container runtimes report it */

#define REALM_OPTION_TABLE                                                         \
	{ "rootfs", required_argument, NULL, 'r' }, { "mem", required_argument, NULL, 'm' }, \
	{ "env", required_argument, NULL, 'e' },    { "cwd", required_argument, NULL, 'c' }, \
	{ "rpv", required_argument, NULL, 'R' },    { "hash", required_argument, NULL, 'H' }, \
	{ "config-digest", required_argument, NULL, 'D' }, { "vcpus", required_argument, NULL, 'V' }

#define REALM_OPTION_HELP                                                                   \
	"  --rootfs DIR  container root directory (default /)\n"                            \
	"  --mem SIZE    realm memory, e.g. 256M or 1G (default 256M)\n"                    \
	"  --env K=V     add an environment entry (repeatable)\n"                           \
	"  --cwd DIR     working directory inside the root (default: the current\n"         \
	"                directory with the host's root, / with --rootfs)\n"                \
	"  --rpv HEX     64-byte realm personalization value (128 hex digits)\n"            \
	"  --hash ALGO   measurement hash: sha256 (default) or sha512\n"                   \
	"  --vcpus N     vCPUs: the most threads the program runs at once (default 16)\n" \
	"  --config-digest HEX  digest of the container's configuration (<= 64 bytes),\n" \
	"                measured with the realm\n"

struct realm_options {
	const char *tool;   /* for messages */
	const char *rootfs;
	int cwd_set;
};

/* Print "tool: what: <code name>: <detail>" and return EXIT_USAGE. */
int realm_options_fail(const struct realm_options *o, const char *what, int code);

/* 1: option c was ours and applied; 0: not ours; -1: bad value (printed). */
int realm_option(fasco_config *cfg, struct realm_options *o, int c, const char *arg);

/* Program and arguments from argv[first..], and the default working directory. */
int realm_options_finish(fasco_config *cfg, struct realm_options *o, int argc, char **argv,
			 int first);

/* Exactly len bytes of hex; -1 otherwise. */
int parse_hex(const char *s, uint8_t *out, size_t len);

#endif
