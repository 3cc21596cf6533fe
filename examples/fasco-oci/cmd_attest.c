/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attest ID --challenge HEX [--stage NAME] [--out FILE]: a fresh CCA token
 * of a created or running container (or of one stage of a composite
 * container), from its keeper (which holds the realms) over the control
 * socket. The token is kept as token.cbor (token-NAME.cbor) in the
 * container's directory and written to FILE, or to stdout when that is
 * not a terminal. Check it with `fasco-attest verify TOKEN --rim
 * <org.fasco.rim, or org.fasco.stage.NAME.rim> --challenge HEX`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/fileio.h"
#include "common/hex.h"
#include "keeper_ctl.h"
#include "oci/store.h"

struct attest_opts {
	const char *id, *out, *stage;
	struct keeper_request req;
};

static int parse_challenge(const char *hex, struct keeper_request *req)
{
	size_t n = strlen(hex), bad = 0;

	if (n == 0 || n % 2 || n / 2 > KEEPER_CHALLENGE_MAX)
		return usage_error("attest", "--challenge: expected 2 to %d hex digits, got %zu",
				   2 * KEEPER_CHALLENGE_MAX, n);
	if (hex_decode(hex, req->challenge, n / 2, &bad) < 0)
		return usage_error("attest", "--challenge: not a hex digit at position %zu", bad);
	req->challenge_len = (uint8_t)(n / 2);
	return 0;
}

static int parse_attest_opts(int argc, char **argv, struct attest_opts *o)
{
	static const struct option opts[] = {
		{ "challenge", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "stage", required_argument, NULL, 's' },
		{ 0 },
	};
	bool have_challenge = false;
	int ch;

	o->req = (struct keeper_request){ .magic = KEEPER_MAGIC, .op = KEEPER_OP_ATTEST };
	while ((ch = getopt_long(argc, argv, "c:o:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (parse_challenge(optarg, &o->req))
				return 1;
			have_challenge = true;
			break;
		case 'o': o->out = optarg; break;
		case 's':
			if (strlen(optarg) >= sizeof(o->req.stage))
				return usage_error("attest", "--stage: no stage has a name that long");
			strcpy(o->req.stage, optarg);
			o->stage = optarg;
			break;
		default: return usage_error("attest", "unknown option");
		}
	}
	if (optind != argc - 1)
		return usage_error("attest", "expected exactly one container id");
	if (!have_challenge)
		return usage_error("attest", "--challenge HEX is required (a fresh nonce)");
	if (!o->out && isatty(STDOUT_FILENO))
		return usage_error("attest", "stdout is a terminal: give --out FILE");
	o->id = argv[optind];
	return 0;
}

static int fetch_token(struct container *c, const struct keeper_request *req, uint8_t *token,
		       size_t *len)
{
	enum oci_status status = container_status(c);

	if (status == OCI_STATUS_PAUSED)
		return fail("%s: the container is paused", c->id);
	if (status != OCI_STATUS_CREATED && status != OCI_STATUS_RUNNING)
		return fail("%s: container not running (%s)", c->id, oci_status_name(status));
	return container_ask_keeper(c, "attest", req, token, KEEPER_DATA_MAX, len);
}

int cmd_attest(int argc, char **argv)
{
	static uint8_t token[KEEPER_DATA_MAX];
	struct attest_opts o = { 0 };
	struct container c = CONTAINER_INIT;
	char file[64];
	size_t len = 0;
	int r, ret = 1;

	if (parse_attest_opts(argc, argv, &o))
		return 1;
	if (container_open(o.id, &c, true) || fetch_token(&c, &o.req, token, &len))
		goto out;
	stages_token_file(o.stage, file, sizeof(file));
	if ((r = oci_write_atomic(c.dirfd, file, token, len, 0600)) < 0) {
		fail_code(r, file);
		goto out;
	}
	if (o.out && (r = oci_write_atomic_path(o.out, token, len, 0600, OCI_DURABLE)) < 0)
		ret = fail_code(r, "--out");
	else if (!o.out && (r = io_write_all(STDOUT_FILENO, token, len)) < 0)
		ret = fail("stdout: %s", strerror(-r));
	else
		ret = 0;
out:
	container_close(&c);
	return ret;
}
