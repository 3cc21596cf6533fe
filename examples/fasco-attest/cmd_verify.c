/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-attest verify: appraise a token against a trust anchor and
 * reference values. fasco-attest claims: check an unsigned claims map.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define MAX_LIB_REFS 64

struct verify_args {
	const char *anchor_path;
	uint8_t rim[64], rpv[64], challenge[64];
	size_t rim_len, rpv_len, challenge_len;
	bool json, skip_platform;
	const char *event_log;
	const char *lib_refs[MAX_LIB_REFS];
	size_t n_lib_refs;
};

/* Print the verdict (text or JSON) and return the exit status. */
static int conclude(int code, const struct fasco_token_claims *c, bool realm, bool platform,
		    bool json, const char *accepted)
{
	int status = code < 0 ? verdict_exit(code) : EXIT_ACCEPTED;
	char *doc;

	if (code < 0)
		report_failure("rejected", code);
	doc = code < 0 ? rejection_json(code, status, fasco_last_error())
		       : claims_json(c, realm, platform, accepted);
	if (!doc) {
		fprintf(stderr, "fasco-attest: out of memory\n");
		return code < 0 ? status : EXIT_REJECTED;
	}
	if (json)
		printf("%s\n", doc);
	else if (code >= 0 && json_print_text(stdout, doc) < 0)
		printf("%s\n", doc);
	free(doc);
	if (fflush(stdout) != 0)
		return code < 0 ? status : EXIT_USAGE;
	return status;
}

static int parse_verify_option(int c, void *data)
{
	struct verify_args *a = data;
	static const size_t digest_sizes[] = { 32, 48, 64 };
	size_t n;

	switch (c) {
	case 'a': a->anchor_path = optarg; return 0;
	case 'j': a->json = true; return 0;
	case 's': a->skip_platform = true; return 0;
	case 'e': a->event_log = optarg; return 0;
	case 'l':
		if (a->n_lib_refs == MAX_LIB_REFS) {
			fprintf(stderr, "fasco-attest: at most %d --lib-ref\n", MAX_LIB_REFS);
			return -1;
		}
		a->lib_refs[a->n_lib_refs++] = optarg;
		return 0;
	case 'c':
		/* Shorter nonces are zero-padded to 64, as the realm's interface pads them. */
		memset(a->challenge, 0, sizeof(a->challenge));
		a->challenge_len = sizeof(a->challenge);
		return parse_hex("--challenge", optarg, a->challenge, 1, 64, &n);
	case 'p': return parse_hex("--rpv", optarg, a->rpv, 64, 64, &a->rpv_len);
	case 'r':
		if (parse_hex("--rim", optarg, a->rim, 32, 64, &a->rim_len) < 0)
			return -1;
		for (size_t i = 0; i < 3; i++)
			if (a->rim_len == digest_sizes[i])
				return 0;
		fprintf(stderr, "fasco-attest: --rim: %zu bytes, expected 32, 48 or 64\n",
			a->rim_len);
		return -1;
	default: return -1;
	}
}

static int parse_verify_args(int argc, char **argv, struct verify_args *a, const char **token)
{
	static const struct option opts[] = {
		{ "anchor", required_argument, NULL, 'a' },
		{ "rim", required_argument, NULL, 'r' },
		{ "rpv", required_argument, NULL, 'p' },
		{ "challenge", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "skip-platform-signature", no_argument, NULL, 's' },
		{ "event-log", required_argument, NULL, 'e' },
		{ "lib-ref", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int r = parse_options(argc, argv, "verify", opts, parse_verify_option, a);

	if (r)
		return r;
	if (argc - optind != 1) {
		fprintf(stderr, "fasco-attest: verify: expected one TOKEN (a file, or - for stdin)\n");
		return EXIT_USAGE;
	}
	if (!a->anchor_path && !a->skip_platform) {
		fprintf(stderr, "fasco-attest: verify: no trust anchor: give --anchor KEYFILE "
				"(e.g. the output of fasco-attest platform-key)\n");
		return EXIT_USAGE;
	}
	if (a->n_lib_refs && !a->event_log) {
		fprintf(stderr, "fasco-attest: verify: --lib-ref needs --event-log\n");
		return EXIT_USAGE;
	}
	*token = argv[optind];
	return 0;
}

/* Replay the event log against the accepted token's REMs; lists the entries. */
static int check_event_log(const struct verify_args *a, const struct fasco_realm_claims *realm)
{
	uint8_t *log = NULL;
	char *report = NULL;
	size_t len;
	int r;

	if (read_input("event log", a->event_log, &log, &len) < 0)
		return EXIT_USAGE;
	r = fasco_event_log_verify((const char *)log, len, realm, a->lib_refs, a->n_lib_refs,
				   a->json ? NULL : &report);
	if (r >= 0 && report) {
		printf("event log: every entry checks and the replay gives the token's REMs\n");
		(void)json_print_text(stdout, report);
	}
	fasco_free(report);
	free(log);
	return r;
}

/* The anchor file, checked on its own so a bad file is not taken for a bad token. */
static int load_anchor(const char *path, uint8_t **ret, size_t *ret_len)
{
	int r;

	if (read_input("anchor", path, ret, ret_len) < 0)
		return -1;
	r = fasco_anchor_count(*ret, *ret_len, FASCO_KEY_AUTO);
	if (r < 0) {
		fprintf(stderr, "fasco-attest: anchor %s: %s\n", path, fasco_last_error());
		free(*ret);
		return -1;
	}
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { 0 };
	struct fasco_verify_opts opts = { .size = sizeof(opts) };
	struct fasco_token_claims *claims = NULL;
	uint8_t *token = NULL, *anchor = NULL;
	const char *token_path = NULL;
	size_t token_len;
	int r;

	r = parse_verify_args(argc, argv, &a, &token_path);
	if (r)
		return r < 0 ? 0 : r;
	if (a.anchor_path && load_anchor(a.anchor_path, &anchor, &opts.anchor_len) < 0)
		return EXIT_USAGE;
	if (read_input("token", token_path, &token, &token_len) < 0) {
		free(anchor);
		return EXIT_USAGE;
	}
	claims = calloc(1, sizeof(*claims));
	if (!claims) {
		free(anchor);
		free(token);
		fprintf(stderr, "fasco-attest: out of memory\n");
		return EXIT_REJECTED;
	}
	claims->size = sizeof(*claims);
	opts.anchor = anchor;
	opts.flags = a.skip_platform ? FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE : 0;
	opts.rim = a.rim_len ? a.rim : NULL;
	opts.rim_len = a.rim_len;
	opts.rpv = a.rpv_len ? a.rpv : NULL;
	opts.rpv_len = a.rpv_len;
	opts.challenge = a.challenge_len ? a.challenge : NULL;
	opts.challenge_len = a.challenge_len;
	r = fasco_token_verify(token, token_len, &opts, claims);
	if (r >= 0 && a.event_log && (r = check_event_log(&a, &claims->realm)) == EXIT_USAGE) {
		free(claims);
		free(anchor);
		free(token);
		return EXIT_USAGE;
	}
	if (r >= 0 && a.skip_platform)
		fprintf(stderr, "fasco-attest: WARNING: the platform signature was not checked; "
				"this token proves nothing about its platform\n");
	r = conclude(r, claims, true, true, a.json,
		     a.skip_platform ? "accepted without the platform signature" : "accepted");
	free(claims);
	free(anchor);
	free(token);
	return r;
}

int cmd_claims(int argc, char **argv)
{
	struct fasco_token_claims *claims = NULL;
	bool json = false, realm;
	uint8_t *data = NULL;
	size_t len;
	int r;

	r = parse_json_flag(argc, argv, "claims", &json);
	if (r)
		return r < 0 ? 0 : r;
	if (argc - optind != 2 || (strcmp(argv[optind], "realm") && strcmp(argv[optind], "platform"))) {
		fprintf(stderr, "fasco-attest: claims: expected realm|platform FILE\n");
		return EXIT_USAGE;
	}
	realm = !strcmp(argv[optind], "realm");
	if (read_input("claims", argv[optind + 1], &data, &len) < 0)
		return EXIT_USAGE;
	claims = calloc(1, sizeof(*claims));
	if (!claims) {
		free(data);
		fprintf(stderr, "fasco-attest: out of memory\n");
		return EXIT_REJECTED;
	}
	claims->size = sizeof(*claims);
	r = fasco_claims_check(data, len, realm ? FASCO_CLAIMS_REALM : FASCO_CLAIMS_PLATFORM, claims);
	r = conclude(r, claims, realm, !realm, json, "valid (unsigned)");
	free(claims);
	free(data);
	return r;
}
