/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: build a CCA token the way a realm of this host would be
 * attested - platform key from the state directory, fresh realm key - so
 * the shell test can check it against `fasco-attest platform-key`.
 *
 *   make-token STATE_DIR CHALLENGE_HEX RIM_HEX RPV_HEX OUT
 *
 * The RIM length picks the realm hash algorithm (32 SHA-256, 48 SHA-384,
 * 64 SHA-512); the challenge is zero-padded to 64 bytes. Recognisable
 * filler claims (implementation id 0xAA..., REMs 0xE0...) let the test find
 * bytes to tamper with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/keys.h"
#include "attest/token.h"

static int hex(const char *s, uint8_t *out, size_t cap, size_t *ret_len)
{
	size_t n = strlen(s) / 2;

	if (strlen(s) % 2 || n > cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*ret_len = n;
	return 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "make-token: %s: %s\n", what, fasco_last_error());
	return 1;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

static int build(const char *state_dir, struct attest_token_inputs *in, const char *out)
{
	static const uint8_t measurement[32] = { 0x5a }, signer[32] = { 0x51 };
	struct attest_sw_component sw = { .type = "make-token", .measurement = measurement,
					   .measurement_len = 32, .signer_id = signer,
					   .signer_id_len = 32 };
	struct attest_privkey platform _cleanup_privkey_, realm _cleanup_privkey_;
	struct attest_keys keys = { .platform = &platform, .realm = &realm };
	static uint8_t token[16384];
	size_t len;

	attest_privkey_init(&platform);
	attest_privkey_init(&realm);
	if (attest_platform_key_load_or_create(state_dir, &platform) < 0)
		return fail("platform key");
	if (attest_privkey_generate(&realm, ATTEST_CURVE_P384) < 0)
		return fail("realm key");
	memset(in->implementation_id, 0xaa, sizeof(in->implementation_id));
	for (int i = 0; i < 4; i++)
		memset(in->rem[i], 0xe0 + i, 64);
	in->config = (const uint8_t *)"make-token";
	in->config_len = 10;
	in->sw = &sw;
	in->sw_count = 1;
	if (attest_token_build(in, &keys, token, sizeof(token), &len) < 0)
		return fail("token");
	return write_file(out, token, len);
}

int main(int argc, char **argv)
{
	static struct attest_token_inputs in;
	size_t n, rim_len;

	if (argc != 6) {
		fprintf(stderr, "usage: make-token STATE_DIR CHALLENGE_HEX RIM_HEX RPV_HEX OUT\n");
		return 2;
	}
	if (hex(argv[2], in.challenge, 64, &n) < 0 || hex(argv[3], in.rim, 64, &rim_len) < 0 ||
	    hex(argv[4], in.rpv, 64, &n) < 0 || n != 64) {
		fprintf(stderr, "make-token: bad hex argument\n");
		return 2;
	}
	switch (rim_len) {
	case 32: in.hash_algo = 0; break;
	case 64: in.hash_algo = 1; break;
	case 48: in.hash_algo = 2; break;
	default: fprintf(stderr, "make-token: RIM of %zu bytes\n", rim_len); return 2;
	}
	return build(argv[1], &in, argv[5]);
}
