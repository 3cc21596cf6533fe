/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the attestation parsers: the token verifier (with
 * the platform signature skipped so that mutated tokens reach the claims
 * checks), the JSON renderer, the bare CBOR walker and the key parsers.
 */
#include <stdlib.h>

#include "attest/cbor.h"
#include "attest/claims.h"
#include "attest/keys.h"
#include "attest/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const uint8_t *data, size_t size, unsigned flags)
{
	struct cbor_dec d;

	cbor_dec_init(&d, data, size, flags);
	while (d.off < d.len && cbor_skip(&d) == 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fasco_verify_opts skip = { .size = sizeof(skip),
						.flags = FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE };
	struct fasco_realm_claims realm;
	struct fasco_platform_claims platform;
	struct attest_anchor anchors[ATTEST_MAX_ANCHORS];
	struct attest_pubkey key;
	char *json = NULL;
	size_t n;

	walk(data, size, CBOR_STRICT);
	walk(data, size, 0);
	(void)attest_token_verify(data, size, NULL, 0, &skip, NULL);
	if (attest_token_json(data, size, &json) == 0)
		free(json);
	(void)attest_realm_claims_parse(data, size, &realm);
	(void)attest_platform_claims_parse(data, size, &platform);
	(void)attest_pubkey_from_cose_key(data, size, &key);
	(void)attest_pubkey_from_jwk((const char *)data, size, &key);
	(void)attest_anchors_parse((const char *)data, size, anchors, ATTEST_MAX_ANCHORS, &n);
	return 0;
}
