/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's evidence in its state: the realm's measurements (RIM,
 * REM0..3, hash algorithm) and the config.json digest, recorded at create
 * as org.fasco.* annotations of state.json (so they land with the
 * "created" record, in the same atomic write, and `state` reports them).
 * The config parser refuses these names in a bundle, so none is shadowed.
 */
#include <stdio.h>

#include <fasco/measure.h>

#include "cli.h"
#include "common/hex.h"

static const char *hash_name(uint64_t algo)
{
	switch (algo) {
	case FASCO_HASH_SHA256: return "sha256";
	case FASCO_HASH_SHA512: return "sha512";
	case FASCO_HASH_SHA384: return "sha384";
	default: return "unknown";
	}
}

static int set_hex(struct oci_annotations *a, const char *key, const uint8_t *b, size_t len)
{
	char hex[2 * 64 + 1];

	hex_encode(b, len, hex);
	return oci_annotation_set(a, key, hex);
}

int evidence_annotate(struct oci_annotations *a, const struct keeper_report *rep,
		      const fasco_config *cfg, const uint8_t *config_digest, size_t digest_len)
{
	uint64_t algo = 0;
	char key[32];
	int r;

	if ((r = set_hex(a, EVIDENCE_CONFIG_DIGEST, config_digest, digest_len)) < 0)
		return r;
	if (!rep->meas_len || rep->meas_len > sizeof(rep->meas[0]))
		return 0; /* a realm created without measurement */
	fasco_config_get_param(cfg, FASCO_PARAM_HASH_ALGO, &algo);
	if ((r = oci_annotation_set(a, EVIDENCE_HASH, hash_name(algo))) < 0 ||
	    (r = set_hex(a, EVIDENCE_RIM, rep->meas[0], rep->meas_len)) < 0)
		return r;
	for (unsigned i = 1; i < 5; i++) {
		snprintf(key, sizeof(key), EVIDENCE_REM "%u", i - 1);
		if ((r = set_hex(a, key, rep->meas[i], rep->meas_len)) < 0)
			return r;
	}
	return 0;
}
