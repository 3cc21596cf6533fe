/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attestation cost against its floor, in one run.
 *
 * A CCA token costs at least two ES384 signatures (platform and realm
 * COSE_Sign1) to make and two ES384 verifications to check. The floor is
 * that work done with mbedtls directly on the same bytes - SHA-384 of each
 * token's Sig_structure, then mbedtls_ecdsa_sign_det_ext with a DRBG seeded
 * once / mbedtls_ecdsa_verify with the keys loaded once - so the ratios show
 * what CBOR, claim checks, key loading and per-call seeding add on top.
 * Two more rows add to the floor the one thing lib/attest does per call
 * that the floor does once (seed a DRBG; load the curve, which drops
 * mbedtls's cached comb table for the base point), to attribute the gap.
 * Iterations interleave all measurements so drift hits them alike.
 *
 *   bench-attest [ITERATIONS]   (default 200)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/sha512.h>

#include "attest/cose.h"
#include "attest/keys.h"
#include "attest/token.h"

#define TOKEN_CAP 8192
#define SIG_STRUCT_CAP 4096

enum row {
	BUILD, SIGN_SEEDED, FLOOR_SIGN,
	VERIFY, VERIFY_PUBLIC, VERIFY_LOADED, FLOOR_VERIFY,
	ROWS
};

static const char *const row_names[ROWS] = {
	[BUILD] = "token generation (attest_token_build)",
	[SIGN_SEEDED] = "  floor + a DRBG seeded per signature (as lib/attest)",
	[FLOOR_SIGN] = "floor: 2 x (SHA-384 + ES384 sign), mbedtls",
	[VERIFY] = "token verification (anchor preloaded)",
	[VERIFY_PUBLIC] = "token verification (fasco_token_verify, PEM anchor)",
	[VERIFY_LOADED] = "  floor + the curve loaded per verification (as lib/attest)",
	[FLOOR_VERIFY] = "floor: 2 x (SHA-384 + ES384 verify), mbedtls",
};

/* One signed half of the token, as the floor sees it. */
struct half {
	uint8_t tbs[SIG_STRUCT_CAP]; /* Sig_structure: what ES384 signs */
	size_t tbs_len;
	mbedtls_ecp_keypair *key;
	mbedtls_mpi r, s;
};

struct bench {
	struct attest_privkey platform, realm;
	struct attest_sw_component sw;
	struct attest_token_inputs in;
	struct attest_keys keys;
	struct attest_anchor anchor;
	struct fasco_verify_opts opts;
	char pem[1024];
	uint8_t token[TOKEN_CAP];
	size_t token_len;
	struct half half[2];
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
};

static void die(const char *what)
{
	fprintf(stderr, "bench-attest: %s: %s\n", what, fasco_last_error());
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ["Signature1", protected, h'', payload] of one COSE_Sign1 in the token. */
static void half_init(struct half *h, const uint8_t *cose, size_t len,
		      const struct attest_privkey *key)
{
	struct cose_sign1 msg;
	struct cbor_enc e;

	if (cose_sign1_decode(cose, len, CBOR_STRICT, &msg) < 0)
		die("decode");
	cbor_enc_init(&e, h->tbs, sizeof(h->tbs));
	cbor_put_array(&e, 4);
	cbor_put_tstr(&e, "Signature1");
	cbor_put_bstr(&e, msg.protected_hdr, msg.protected_len);
	cbor_put_bstr(&e, NULL, 0);
	cbor_put_bstr(&e, msg.payload, msg.payload_len);
	if (cbor_enc_finish(&e, &h->tbs_len) < 0)
		die("Sig_structure");
	h->key = mbedtls_pk_ec(key->pk);
	mbedtls_mpi_init(&h->r);
	mbedtls_mpi_init(&h->s);
}

static void setup(struct bench *b)
{
	static const uint8_t measurement[32] = { 1 }, signer[32] = { 2 };
	struct attest_collection col;
	size_t pem_len;

	attest_privkey_init(&b->platform);
	attest_privkey_init(&b->realm);
	if (attest_privkey_generate(&b->platform, ATTEST_CURVE_P384) < 0 ||
	    attest_privkey_generate(&b->realm, ATTEST_CURVE_P384) < 0)
		die("key");
	b->sw = (struct attest_sw_component){ .type = "bench", .measurement = measurement,
					      .measurement_len = 32, .signer_id = signer,
					      .signer_id_len = 32 };
	memset(b->in.challenge, 0xc1, 64);
	memset(b->in.rim, 0x49, 32);
	b->in.sw = &b->sw;
	b->in.sw_count = 1;
	b->keys = (struct attest_keys){ .platform = &b->platform, .realm = &b->realm };
	if (attest_privkey_public(&b->platform, &b->anchor.key) < 0 ||
	    fasco_key_to_pem(b->anchor.key.point, b->anchor.key.point_len, b->pem, sizeof(b->pem),
			     &pem_len) < 0)
		die("public key");
	b->opts = (struct fasco_verify_opts){ .size = sizeof(b->opts), .anchor = (uint8_t *)b->pem,
					      .anchor_len = pem_len, .challenge = b->in.challenge,
					      .challenge_len = 64, .rim = b->in.rim, .rim_len = 32 };
	if (attest_token_build(&b->in, &b->keys, b->token, sizeof(b->token), &b->token_len) < 0 ||
	    attest_collection_decode(b->token, b->token_len, &col) < 0)
		die("token");
	half_init(&b->half[0], col.platform, col.platform_len, &b->platform);
	half_init(&b->half[1], col.realm, col.realm_len, &b->realm);
	mbedtls_entropy_init(&b->entropy);
	mbedtls_ctr_drbg_init(&b->drbg);
	if (mbedtls_ctr_drbg_seed(&b->drbg, mbedtls_entropy_func, &b->entropy, NULL, 0) != 0)
		die("drbg");
}

/* seed_each: a fresh DRBG per signature, as attest_ecdsa_sign() does. */
static void floor_sign(struct bench *b, bool seed_each)
{
	uint8_t hash[64]; /* mbedtls declares the output as [64] */

	for (int i = 0; i < 2; i++) {
		struct half *h = &b->half[i];
		mbedtls_entropy_context entropy;
		mbedtls_ctr_drbg_context fresh;
		mbedtls_ctr_drbg_context *drbg = seed_each ? &fresh : &b->drbg;

		if (seed_each) {
			mbedtls_entropy_init(&entropy);
			mbedtls_ctr_drbg_init(&fresh);
			if (mbedtls_ctr_drbg_seed(&fresh, mbedtls_entropy_func, &entropy, NULL, 0))
				die("drbg");
		}
		if (mbedtls_sha512_ret(h->tbs, h->tbs_len, hash, 1) != 0 ||
		    mbedtls_ecdsa_sign_det_ext(&h->key->grp, &h->r, &h->s, &h->key->d, hash, 48,
					       MBEDTLS_MD_SHA384, mbedtls_ctr_drbg_random, drbg) != 0)
			die("floor sign");
		if (seed_each) {
			mbedtls_ctr_drbg_free(&fresh);
			mbedtls_entropy_free(&entropy);
		}
	}
}

/* load_each: a freshly loaded curve per verification, as attest_ecdsa_verify() does. */
static void floor_verify(struct bench *b, bool load_each)
{
	uint8_t hash[64];

	for (int i = 0; i < 2; i++) {
		struct half *h = &b->half[i];
		mbedtls_ecp_group fresh, *grp = load_each ? &fresh : &h->key->grp;

		if (load_each) {
			mbedtls_ecp_group_init(&fresh);
			if (mbedtls_ecp_group_load(&fresh, MBEDTLS_ECP_DP_SECP384R1) != 0)
				die("group");
		}
		if (mbedtls_sha512_ret(h->tbs, h->tbs_len, hash, 1) != 0 ||
		    mbedtls_ecdsa_verify(grp, hash, 48, &h->key->Q, &h->r, &h->s) != 0)
			die("floor verify");
		if (load_each)
			mbedtls_ecp_group_free(&fresh);
	}
}

static void run_once(struct bench *b, int row)
{
	switch (row) {
	case BUILD:
		if (attest_token_build(&b->in, &b->keys, b->token, sizeof(b->token),
				       &b->token_len) < 0)
			die("build");
		break;
	case SIGN_SEEDED: floor_sign(b, true); break;
	case FLOOR_SIGN: floor_sign(b, false); break;
	case VERIFY:
		if (attest_token_verify(b->token, b->token_len, &b->anchor, 1, &b->opts, NULL) < 0)
			die("verify");
		break;
	case VERIFY_PUBLIC:
		if (fasco_token_verify(b->token, b->token_len, &b->opts, NULL) < 0)
			die("fasco_token_verify");
		break;
	case VERIFY_LOADED: floor_verify(b, true); break;
	case FLOOR_VERIFY: floor_verify(b, false); break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_us(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
}

int main(int argc, char **argv)
{
	static struct bench b;
	int n = argc > 1 ? atoi(argv[1]) : 200;
	uint64_t *t[ROWS];
	double med[ROWS];

	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: bench-attest [ITERATIONS 1..100000]\n");
		return 2;
	}
	setup(&b);
	for (int r = 0; r < ROWS; r++) {
		t[r] = calloc((size_t)n, sizeof(uint64_t));
		if (!t[r])
			return 1;
		run_once(&b, r); /* warm-up */
	}
	for (int i = 0; i < n; i++)
		for (int r = 0; r < ROWS; r++) {
			uint64_t t0 = now_ns();

			run_once(&b, r);
			t[r][i] = now_ns() - t0;
		}
	printf("token: %zu bytes, ES384 platform and realm signatures, %d iterations\n\n",
	       b.token_len, n);
	printf("| what | median | ratio to floor |\n|---|---|---|\n");
	for (int r = 0; r < ROWS; r++)
		med[r] = median_us(t[r], n);
	for (int r = 0; r < ROWS; r++) {
		double floor = r <= FLOOR_SIGN ? med[FLOOR_SIGN] : med[FLOOR_VERIFY];

		printf("| %s | %.0f us | %.2f |\n", row_names[r], med[r], med[r] / floor);
		free(t[r]);
	}
	return 0;
}
