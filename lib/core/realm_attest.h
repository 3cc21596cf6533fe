/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A realm's attestation, as the RMM and the platform would produce it on
 * CCA hardware: the realm token carries the realm's measurements and a
 * per-realm attestation key (RAK, P-384), the platform token is signed by
 * this host's software platform key (CPAK) and says truthfully that no
 * hardware protects it. Served by the realm monitor from the RMM model,
 * never by the system realm.
 */
#ifndef FASCO_CORE_REALM_ATTEST_H
#define FASCO_CORE_REALM_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/crypto.h"
#include "core/internal.h"

#define REALM_CHALLENGE_SIZE 64

struct realm_attester {
	struct attest_privkey platform; /* CPAK, loaded before the sandbox */
	struct attest_privkey realm;    /* RAK, derived on first use */
	bool have_platform, have_realm;
	uint8_t rpv[64];
	uint8_t rak_seed[REALM_RAK_SEED_SIZE];
	int load_error;                 /* why there is no CPAK (0 if there is) */
};

/*
 * Load (creating on first use) the platform key under state_dir. The RAK
 * is derived from rak_seed, so the library and the realm's monitor, which
 * share the seed, attest with one realm key.
 */
void realm_attester_init(struct realm_attester *a, const char *state_dir, const uint8_t rpv[64],
			 const uint8_t rak_seed[REALM_RAK_SEED_SIZE]);
void realm_attester_fini(struct realm_attester *a);

/* A token for challenge with these measurements (hash_algo: enum rmm_hash_algo). */
int realm_attester_token(struct realm_attester *a, const struct realm_measurements *meas,
			 unsigned hash_algo, const uint8_t challenge[REALM_CHALLENGE_SIZE],
			 uint8_t *out, size_t cap, size_t *ret_len);

#endif
