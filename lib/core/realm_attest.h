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
#include "rmm/rmm.h"

#define REALM_CHALLENGE_SIZE 64

struct realm_attester {
	struct attest_privkey platform; /* CPAK, loaded before the sandbox */
	struct attest_privkey realm;    /* RAK, made on first use */
	bool have_platform, have_realm;
	uint8_t rpv[64];
	int load_error;                 /* why there is no CPAK (0 if there is) */
};

/* Load (creating on first use) the platform key under state_dir. */
void realm_attester_init(struct realm_attester *a, const char *state_dir, const uint8_t rpv[64]);
void realm_attester_fini(struct realm_attester *a);

/* A token for challenge, with the realm's measurements as they are now. */
int realm_attester_token(struct realm_attester *a, const struct rmm_realm *rmm,
			 const uint8_t challenge[REALM_CHALLENGE_SIZE], uint8_t *out, size_t cap,
			 size_t *ret_len);

#endif
