/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's evidence in its state: the realm's measurements (RIM,
 * REM0..3, hash algorithm) and the config.json digest, recorded at create
 * as org.fasco.* annotations of state.json (a composite container's stages
 * under org.fasco.stage.<name>.*) (so they land with the
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

int evidence_annotate(struct oci_annotations *a, const char *stage,
		      const struct keeper_report *rep, const fasco_config *cfg)
{
	uint64_t algo = 0;
	char key[128];
	int r;

	if (!rep->meas_len || rep->meas_len > sizeof(rep->meas[0]))
		return 0; /* a realm created without measurement */
	fasco_config_get_param(cfg, FASCO_PARAM_HASH_ALGO, &algo);
	evidence_key(stage, "measurement-hash", key, sizeof(key));
	if ((r = oci_annotation_set(a, key, hash_name(algo))) < 0)
		return r;
	for (unsigned i = 0; i < 5; i++) {
		char what[8] = "rim";

		if (i)
			snprintf(what, sizeof(what), "rem%u", i - 1);
		evidence_key(stage, what, key, sizeof(key));
		if ((r = set_hex(a, key, rep->meas[i], rep->meas_len)) < 0)
			return r;
	}
	return 0;
}

int evidence_config_digest(struct oci_annotations *a, const uint8_t *digest, size_t len)
{
	return set_hex(a, EVIDENCE_CONFIG_DIGEST, digest, len);
}

void evidence_key(const char *stage, const char *what, char *out, size_t cap)
{
	if (stage)
		stages_key(stage, what, out, cap);
	else
		snprintf(out, cap, "org.fasco.%s", what);
}
