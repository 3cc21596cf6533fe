/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key formats of the attestation layer.
 *
 * Public keys come in as PEM/DER SubjectPublicKeyInfo, JWK, Veraison
 * trust-anchor JSON, COSE_Key or a raw SEC1 point, and all end up as a
 * struct attest_pubkey. Private keys live in PEM files (mode 0600) written
 * atomically and never replaced behind a reader's back.
 */
#ifndef FASCO_ATTEST_KEYS_H
#define FASCO_ATTEST_KEYS_H

#include <stdbool.h>

#include <fasco/attest.h>

#include "attest/cbor.h"
#include "attest/crypto.h"

#define ATTEST_MAX_ANCHORS 16
#define ATTEST_KEY_FILE_MAX (64 * 1024)

/* A platform trust anchor: key plus the ids it is for (when given). */
struct attest_anchor {
	struct attest_pubkey key;
	bool has_implementation_id;
	bool has_instance_id;
	uint8_t implementation_id[32];
	uint8_t instance_id[33];
};

int attest_pubkey_from_raw(const uint8_t *buf, size_t len, struct attest_pubkey *ret);
int attest_pubkey_from_cose_key(const uint8_t *buf, size_t len, struct attest_pubkey *ret);
int attest_pubkey_from_pem(const uint8_t *buf, size_t len, struct attest_pubkey *ret);
int attest_pubkey_from_jwk(const char *json, size_t len, struct attest_pubkey *ret);

/* Trust-anchor JSON: an array of anchors, or one anchor object. */
int attest_anchors_parse(const char *json, size_t len, struct attest_anchor *out, size_t cap,
			 size_t *ret_count);

/* Detect the format (FASCO_KEY_AUTO) from the first bytes. */
int attest_key_format_guess(const uint8_t *buf, size_t len);

/* Any single-key format (enum fasco_key_format) into ret. */
int attest_pubkey_parse(const uint8_t *buf, size_t len, int format, struct attest_pubkey *ret);

/* COSE_Key {1: 2, -1: crv, -2: x, -3: y}, the encoding the RAK claim uses. */
void attest_pubkey_put_cose(struct cbor_enc *e, const struct attest_pubkey *key);

/* NUL-terminated PEM SubjectPublicKeyInfo. */
int attest_pubkey_to_pem(const struct attest_pubkey *key, char *out, size_t cap);

/* Read a whole file of at most ATTEST_KEY_FILE_MAX bytes (caller frees). */
int attest_read_file(const char *path, uint8_t **ret, size_t *ret_len);

/*
 * Private key files. save writes PEM to a temporary file in the same
 * directory (O_CREAT|O_EXCL|O_NOFOLLOW, 0600), fsyncs it, and links it into
 * place only if path does not exist yet (-EEXIST otherwise). load refuses
 * files that are not regular or are accessible by group or others.
 */
int attest_privkey_save(const struct attest_privkey *key, const char *path);
int attest_privkey_load(struct attest_privkey *key, const char *path);

/*
 * The platform attestation key of this host: <state_dir>/cca-platform-key.pem,
 * a P-384 key created on first use. Safe against concurrent first use: the
 * loser of the race loads the winner's key.
 */
#define ATTEST_PLATFORM_KEY_FILE "cca-platform-key.pem"
int attest_platform_key_load_or_create(const char *state_dir, struct attest_privkey *ret);

#endif
