/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the attestation tests. */
#ifndef FASCO_TESTS_ATTEST_TEST_H
#define FASCO_TESTS_ATTEST_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "attest/claims.h"
#include "attest/cose.h"
#include "attest/keys.h"
#include "attest/token.h"
#include "common/cleanup.h"

/* A vector file from tests/attest/vectors (caller frees). */
uint8_t *vec_read(const char *name, size_t *ret_len);

/* Keys and inputs of a generated token. */
struct test_rot {
	struct attest_privkey platform, realm;
	struct attest_sw_component sw[2];
	struct attest_token_inputs in;
};

void test_rot_init(struct test_rot *t, int platform_curve, int realm_curve);
void test_rot_free(struct test_rot *t);
/* Build a token into a new buffer (caller frees). */
uint8_t *test_rot_token(struct test_rot *t, size_t *ret_len);

/* Sign a claims payload into a tagged COSE_Sign1 (caller frees). */
uint8_t *test_sign(const struct attest_privkey *key, const uint8_t *payload, size_t len,
		   size_t *ret_len);
/* {44234: bstr platform, 44241: bstr realm} under tag 399 (caller frees). */
uint8_t *test_collection(const uint8_t *platform, size_t platform_len, const uint8_t *realm,
			 size_t realm_len, size_t *ret_len);

enum claim_edit {
	EDIT_REMOVE,  /* drop the claim */
	EDIT_REPLACE, /* drop it and append label: value */
	EDIT_ADD,     /* append label: value (a duplicate if it exists) */
};

/*
 * Re-encode a claims map with one claim edited; value_hex is the CBOR
 * encoding of the new value in hex. Returns a new buffer (caller frees).
 */
uint8_t *test_edit_claims(const uint8_t *payload, size_t len, int64_t label,
			  enum claim_edit edit, const char *value_hex, size_t *ret_len);

/* Verify with the platform key of t as the only anchor. */
int test_verify(struct test_rot *t, const uint8_t *token, size_t len,
		struct fasco_token_claims *claims);

/* Suites run in fork mode; returns the process exit status. */
int test_run(Suite *s);

#endif
