/* SPDX-License-Identifier: Apache-2.0 */
/* Library status -> exit status of a rejected token; the same table documents them. */
#include "tool.h"

struct verdict {
	int code;          /* enum fasco_status */
	int exit_status;   /* enum tool_exit */
	const char *name;  /* stable, for scripts reading --json */
	const char *help;
};

static const struct verdict verdicts[] = {
	{ FASCO_E_CBOR, EXIT_CBOR, "cbor",
	  "malformed CBOR (truncated, not CBOR, wrong tag, non-minimal)" },
	{ FASCO_E_COSE, EXIT_COSE, "cose",
	  "malformed COSE_Sign1 or unsupported signature algorithm" },
	{ FASCO_E_DUPLICATE, EXIT_DUPLICATE, "duplicate",
	  "a map holds the same key twice" },
	{ FASCO_E_KEY, EXIT_KEY, "key",
	  "no trust anchor matches the platform, or the realm key is unusable" },
	{ FASCO_E_SIGNATURE, EXIT_SIGNATURE, "signature",
	  "a signature does not verify (tampering or wrong anchor)" },
	{ FASCO_E_BINDING, EXIT_BINDING, "binding",
	  "the platform challenge is not the hash of the realm key" },
	{ FASCO_E_CLAIM_MISSING, EXIT_CLAIM_MISSING, "claim-missing",
	  "a mandatory claim is missing" },
	{ FASCO_E_CLAIM_INVALID, EXIT_CLAIM_INVALID, "claim-invalid",
	  "a claim has the wrong type, size or value" },
	{ FASCO_E_CHALLENGE, EXIT_CHALLENGE, "challenge",
	  "the realm challenge differs from --challenge" },
	{ FASCO_E_REFERENCE, EXIT_REFERENCE, "reference",
	  "the RIM or RPV differs from --rim or --rpv, or code matches no --lib-ref" },
	{ FASCO_E_EVENT_LOG, EXIT_EVENT_LOG, "event-log",
	  "the --event-log is malformed or does not reproduce the token's REMs" },
};

static const struct verdict *verdict_of(int code)
{
	static const struct verdict other = { 0, EXIT_REJECTED, "other", NULL };

	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (verdicts[i].code == code)
			return &verdicts[i];
	return &other;
}

int verdict_exit(int code)
{
	return verdict_of(code)->exit_status;
}

const char *verdict_name(int code)
{
	return verdict_of(code)->name;
}

void verdict_help(FILE *f)
{
	fprintf(f, "exit status:\n"
		   "  %2d  accepted (verify) / shown (show)\n"
		   "  %2d  rejected for another reason (e.g. out of memory)\n"
		   "  %2d  usage error; input missing, unreadable, empty or over 1 MiB; bad anchor file\n",
		EXIT_ACCEPTED, EXIT_REJECTED, EXIT_USAGE);
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		fprintf(f, "  %2d  %-13s %s\n", verdicts[i].exit_status, verdicts[i].name,
			verdicts[i].help);
}

void report_failure(const char *what, int code)
{
	const char *detail = fasco_last_error();

	fprintf(stderr, "fasco-attest: %s: %s\n", what, *detail ? detail : fasco_strerror(code));
}

int usage_error(const char *command)
{
	fprintf(stderr, "fasco-attest: %s: see fasco-attest --help\n", command);
	return EXIT_USAGE;
}
