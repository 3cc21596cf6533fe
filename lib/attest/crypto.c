/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA with raw r||s signatures and named hashes over mbedtls 2.28. */
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "attest/crypto.h"
#include "common/cleanup.h"
#include "common/error.h"

static const struct attest_alg algs[] = {
	{ COSE_ALG_ES256, ATTEST_CURVE_P256, MBEDTLS_MD_SHA256, 32, "ES256" },
	{ COSE_ALG_ES384, ATTEST_CURVE_P384, MBEDTLS_MD_SHA384, 48, "ES384" },
	{ COSE_ALG_ES512, ATTEST_CURVE_P521, MBEDTLS_MD_SHA512, 66, "ES512" },
};

static const struct {
	const char *name;
	mbedtls_md_type_t md;
} hashes[] = {
	{ "sha-256", MBEDTLS_MD_SHA256 },
	{ "sha-384", MBEDTLS_MD_SHA384 },
	{ "sha-512", MBEDTLS_MD_SHA512 },
};

const struct attest_alg *attest_alg_by_cose(int64_t cose_alg)
{
	for (size_t i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].cose_alg == cose_alg)
			return &algs[i];
	return NULL;
}

const struct attest_alg *attest_alg_by_curve(int curve)
{
	for (size_t i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].curve == curve)
			return &algs[i];
	return NULL;
}

const char *attest_curve_name(int curve)
{
	switch (curve) {
	case ATTEST_CURVE_P256: return "P-256";
	case ATTEST_CURVE_P384: return "P-384";
	case ATTEST_CURVE_P521: return "P-521";
	default: return "?";
	}
}

static mbedtls_ecp_group_id group_id(int curve)
{
	switch (curve) {
	case ATTEST_CURVE_P256: return MBEDTLS_ECP_DP_SECP256R1;
	case ATTEST_CURVE_P384: return MBEDTLS_ECP_DP_SECP384R1;
	case ATTEST_CURVE_P521: return MBEDTLS_ECP_DP_SECP521R1;
	default: return MBEDTLS_ECP_DP_NONE;
	}
}

static int curve_of_group(mbedtls_ecp_group_id id)
{
	for (int c = ATTEST_CURVE_P256; c <= ATTEST_CURVE_P521; c++)
		if (group_id(c) == id)
			return c;
	return 0;
}

mbedtls_md_type_t attest_hash_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(hashes); i++)
		if (strlen(hashes[i].name) == len && !memcmp(hashes[i].name, name, len))
			return hashes[i].md;
	return MBEDTLS_MD_NONE;
}

size_t attest_hash_len(mbedtls_md_type_t md)
{
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);

	return info ? mbedtls_md_get_size(info) : 0;
}

int attest_hash(mbedtls_md_type_t md, const void *data, size_t len, uint8_t *out)
{
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);

	if (!info || mbedtls_md(info, data, len, out) != 0)
		return fasco_fail(FASCO_E_INTERNAL, "crypto: hash %d unavailable", (int)md);
	return 0;
}

/* A group plus a point; the one shape both verify and import need. */
struct ec_public {
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
};

static void ec_public_free(struct ec_public *p)
{
	mbedtls_ecp_point_free(&p->q);
	mbedtls_ecp_group_free(&p->grp);
}

static int ec_public_load(struct ec_public *p, int curve, const uint8_t *point, size_t len)
{
	const struct attest_alg *alg = attest_alg_by_curve(curve);

	mbedtls_ecp_group_init(&p->grp);
	mbedtls_ecp_point_init(&p->q);
	if (!alg)
		return fasco_fail(FASCO_E_KEY, "key: unsupported curve %d", curve);
	if (len != 1 + 2 * alg->coord_len || point[0] != 0x04)
		return fasco_fail(FASCO_E_KEY, "key: %s point must be %zu bytes starting 0x04, got %zu",
				  attest_curve_name(curve), 1 + 2 * alg->coord_len, len);
	if (mbedtls_ecp_group_load(&p->grp, group_id(curve)) != 0 ||
	    mbedtls_ecp_point_read_binary(&p->grp, &p->q, point, len) != 0 ||
	    mbedtls_ecp_check_pubkey(&p->grp, &p->q) != 0)
		return fasco_fail(FASCO_E_KEY, "key: point is not on %s", attest_curve_name(curve));
	return 0;
}

int attest_pubkey_from_point(int curve, const uint8_t *point, size_t len,
			     struct attest_pubkey *ret)
{
	struct ec_public p __attribute__((cleanup(ec_public_free)));
	int r = ec_public_load(&p, curve, point, len);

	if (r < 0)
		return r;
	ret->curve = curve;
	ret->point_len = len;
	memcpy(ret->point, point, len);
	return 0;
}

static void mpi_pair_free(mbedtls_mpi (*rs)[2])
{
	mbedtls_mpi_free(&(*rs)[0]);
	mbedtls_mpi_free(&(*rs)[1]);
}

int attest_ecdsa_verify(const struct attest_pubkey *key, const uint8_t *hash, size_t hash_len,
			const uint8_t *sig, size_t sig_len)
{
	const struct attest_alg *alg = attest_alg_by_curve(key->curve);
	struct ec_public p __attribute__((cleanup(ec_public_free)));
	mbedtls_mpi rs[2] __attribute__((cleanup(mpi_pair_free)));
	int r;

	mbedtls_mpi_init(&rs[0]);
	mbedtls_mpi_init(&rs[1]);
	r = ec_public_load(&p, key->curve, key->point, key->point_len);
	if (r < 0)
		return r;
	if (sig_len != 2 * alg->coord_len)
		return fasco_fail(FASCO_E_SIGNATURE, "crypto: %s signature must be %zu bytes, got %zu",
				  alg->name, 2 * alg->coord_len, sig_len);
	if (mbedtls_mpi_read_binary(&rs[0], sig, alg->coord_len) != 0 ||
	    mbedtls_mpi_read_binary(&rs[1], sig + alg->coord_len, alg->coord_len) != 0)
		return fasco_fail(-ENOMEM, "crypto: out of memory");
	if (mbedtls_ecdsa_verify(&p.grp, hash, hash_len, &p.q, &rs[0], &rs[1]) != 0)
		return fasco_fail(FASCO_E_SIGNATURE, "crypto: %s signature does not verify", alg->name);
	return 0;
}

struct drbg {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context ctr;
};

static void drbg_free(struct drbg *g)
{
	mbedtls_ctr_drbg_free(&g->ctr);
	mbedtls_entropy_free(&g->entropy);
}

static int drbg_seed(struct drbg *g)
{
	static const char pers[] = "libfasco attest";

	mbedtls_entropy_init(&g->entropy);
	mbedtls_ctr_drbg_init(&g->ctr);
	if (mbedtls_ctr_drbg_seed(&g->ctr, mbedtls_entropy_func, &g->entropy,
				  (const unsigned char *)pers, sizeof(pers) - 1) != 0)
		return fasco_fail(-EIO, "crypto: cannot seed the random generator");
	return 0;
}

int attest_random(uint8_t *buf, size_t len)
{
	struct drbg g __attribute__((cleanup(drbg_free)));
	int r = drbg_seed(&g);

	if (r < 0)
		return r;
	if (mbedtls_ctr_drbg_random(&g.ctr, buf, len) != 0)
		return fasco_fail(-EIO, "crypto: random generator failed");
	return 0;
}

int attest_ecdsa_sign(const struct attest_privkey *key, mbedtls_md_type_t md,
		      const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_len)
{
	const struct attest_alg *alg = attest_alg_by_curve(attest_privkey_curve(key));
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(key->pk);
	struct drbg g __attribute__((cleanup(drbg_free)));
	mbedtls_mpi rs[2] __attribute__((cleanup(mpi_pair_free)));
	int r;

	mbedtls_mpi_init(&rs[0]);
	mbedtls_mpi_init(&rs[1]);
	r = drbg_seed(&g);
	if (r < 0)
		return r;
	if (!alg || sig_len != 2 * alg->coord_len)
		return fasco_fail(FASCO_E_INTERNAL, "crypto: signature buffer of %zu bytes", sig_len);
	/* RFC 6979 nonce; the generator only blinds the computation. */
	if (mbedtls_ecdsa_sign_det_ext(&ec->grp, &rs[0], &rs[1], &ec->d, hash, hash_len, md,
				       mbedtls_ctr_drbg_random, &g.ctr) != 0 ||
	    mbedtls_mpi_write_binary(&rs[0], sig, alg->coord_len) != 0 ||
	    mbedtls_mpi_write_binary(&rs[1], sig + alg->coord_len, alg->coord_len) != 0)
		return fasco_fail(FASCO_E_KEY, "crypto: %s signing failed", alg->name);
	return 0;
}

void attest_privkey_init(struct attest_privkey *key)
{
	mbedtls_pk_init(&key->pk);
}

void attest_privkey_free(struct attest_privkey *key)
{
	/* mbedtls_pk_free() frees the MPIs, which zeroizes their limbs. */
	mbedtls_pk_free(&key->pk);
	mbedtls_platform_zeroize(key, sizeof(*key));
}

int attest_privkey_curve(const struct attest_privkey *key)
{
	if (mbedtls_pk_get_type(&key->pk) != MBEDTLS_PK_ECKEY)
		return 0;
	return curve_of_group(mbedtls_pk_ec(key->pk)->grp.id);
}

int attest_privkey_generate(struct attest_privkey *key, int curve)
{
	struct drbg g __attribute__((cleanup(drbg_free)));
	int r;

	if (!attest_alg_by_curve(curve))
		return fasco_fail(FASCO_E_KEY, "key: unsupported curve %d", curve);
	r = drbg_seed(&g);
	if (r < 0)
		return r;
	mbedtls_pk_free(&key->pk);
	if (mbedtls_pk_setup(&key->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
	    mbedtls_ecp_gen_key(group_id(curve), mbedtls_pk_ec(key->pk), mbedtls_ctr_drbg_random,
				&g.ctr) != 0) {
		mbedtls_pk_free(&key->pk);
		return fasco_fail(FASCO_E_KEY, "key: cannot generate a %s key", attest_curve_name(curve));
	}
	return 0;
}

int attest_privkey_from_seed(struct attest_privkey *key, int curve, const uint8_t *seed,
			     size_t len)
{
	struct drbg g __attribute__((cleanup(drbg_free)));
	mbedtls_ecp_keypair *ec;
	int r;

	if (!attest_alg_by_curve(curve))
		return fasco_fail(FASCO_E_KEY, "key: unsupported curve %d", curve);
	if ((r = drbg_seed(&g)) < 0) /* blinding of the scalar multiplication */
		return r;
	mbedtls_pk_free(&key->pk);
	if (mbedtls_pk_setup(&key->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0)
		goto fail;
	ec = mbedtls_pk_ec(key->pk);
	if (mbedtls_ecp_group_load(&ec->grp, group_id(curve)) != 0 ||
	    mbedtls_mpi_read_binary(&ec->d, seed, len) != 0 ||
	    mbedtls_mpi_mod_mpi(&ec->d, &ec->d, &ec->grp.N) != 0 ||
	    mbedtls_mpi_cmp_int(&ec->d, 0) == 0 ||
	    mbedtls_ecp_mul(&ec->grp, &ec->Q, &ec->d, &ec->grp.G, mbedtls_ctr_drbg_random, &g.ctr) != 0)
		goto fail;
	return 0;
fail:
	mbedtls_pk_free(&key->pk);
	return fasco_fail(FASCO_E_KEY, "key: cannot derive a %s key", attest_curve_name(curve));
}

int attest_privkey_public(const struct attest_privkey *key, struct attest_pubkey *ret)
{
	int curve = attest_privkey_curve(key);
	const mbedtls_ecp_keypair *ec;
	size_t len;

	if (!curve)
		return fasco_fail(FASCO_E_KEY, "key: not an EC key on P-256, P-384 or P-521");
	ec = mbedtls_pk_ec(key->pk);
	if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &len,
					   ret->point, sizeof(ret->point)) != 0)
		return fasco_fail(FASCO_E_KEY, "key: cannot export the public point");
	ret->curve = curve;
	ret->point_len = len;
	return 0;
}
