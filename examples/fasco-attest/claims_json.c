/* SPDX-License-Identifier: Apache-2.0 */
/* The claims a verification returned, as a JSON document. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* A writer that puts the commas between members itself. */
struct jw {
	FILE *f;
	bool comma;
};

static void jw_key(struct jw *w, const char *key)
{
	if (w->comma)
		fputc(',', w->f);
	w->comma = false;
	if (key)
		fprintf(w->f, "\"%s\":", key);
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	fputc(c, w->f);
}

static void jw_close(struct jw *w, char c)
{
	fputc(c, w->f);
	w->comma = true;
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	fputc('"', w->f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(w->f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(w->f, "\\u%04x", c);
		else
			fputc(c, w->f);
	}
	jw_close(w, '"');
}

static void jw_hex(struct jw *w, const char *key, const uint8_t *p, size_t len)
{
	jw_key(w, key);
	fputc('"', w->f);
	for (size_t i = 0; i < len; i++)
		fprintf(w->f, "%02x", p[i]);
	jw_close(w, '"');
}

static void jw_uint(struct jw *w, const char *key, uint32_t v)
{
	jw_key(w, key);
	fprintf(w->f, "%u", v);
	w->comma = true;
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->f);
	w->comma = true;
}

static const char *alg_name(int32_t alg)
{
	switch (alg) {
	case -7: return "ES256";
	case -35: return "ES384";
	case -36: return "ES512";
	default: return "none"; /* a bare claims set: nothing was signed */
	}
}

/* Security lifecycle ranges (CCA.md §2.3): bits 15:12 name the state. */
static const char *lifecycle_name(uint32_t v)
{
	static const char *const states[] = { "unknown", "assembly and test", "RoT provisioning",
					      "secured", "non-RoT debug", "recoverable RoT debug",
					      "decommissioned" };
	unsigned state = v >> 12, low = (v >> 8) & 0xf;

	if (v > 0xffff || low || state >= sizeof(states) / sizeof(states[0]))
		return "invalid";
	return states[state];
}

static void put_realm(struct jw *w, const struct fasco_realm_claims *r)
{
	jw_open(w, "realm", '{');
	jw_str(w, "signature algorithm", alg_name(r->alg));
	if (r->profile[0])
		jw_str(w, "profile", r->profile);
	jw_hex(w, "challenge", r->challenge, sizeof(r->challenge));
	jw_hex(w, "personalization value", r->rpv, sizeof(r->rpv));
	jw_str(w, "realm hash algorithm", r->hash_algo);
	jw_hex(w, "initial measurement", r->rim, r->measurement_len);
	jw_open(w, "extensible measurements", '[');
	for (int i = 0; i < 4; i++)
		jw_hex(w, NULL, r->rem[i], r->measurement_len);
	jw_close(w, ']');
	jw_hex(w, "realm public key", r->rak, r->rak_len);
	jw_str(w, "realm public key hash algorithm", r->rak_hash_algo);
	jw_close(w, '}');
}

static void put_component(struct jw *w, const struct fasco_sw_component *c)
{
	jw_open(w, NULL, '{');
	if (c->type[0])
		jw_str(w, "type", c->type);
	if (c->version[0])
		jw_str(w, "version", c->version);
	jw_hex(w, "measurement", c->measurement, c->measurement_len);
	jw_hex(w, "signer id", c->signer_id, c->signer_id_len);
	if (c->hash_algo[0])
		jw_str(w, "hash algorithm", c->hash_algo);
	jw_close(w, '}');
}

static void put_platform(struct jw *w, const struct fasco_platform_claims *p)
{
	uint32_t kept = p->sw_count < FASCO_MAX_SW_COMPONENTS ? p->sw_count : FASCO_MAX_SW_COMPONENTS;

	jw_open(w, "platform", '{');
	jw_str(w, "signature algorithm", alg_name(p->alg));
	jw_str(w, "profile", p->profile);
	jw_hex(w, "challenge", p->challenge, p->challenge_len);
	jw_hex(w, "implementation id", p->implementation_id, sizeof(p->implementation_id));
	jw_hex(w, "instance id", p->instance_id, sizeof(p->instance_id));
	jw_uint(w, "security lifecycle", p->lifecycle);
	jw_str(w, "security lifecycle state", lifecycle_name(p->lifecycle));
	jw_hex(w, "platform config", p->config,
	       p->config_len < FASCO_CLAIM_CONFIG ? p->config_len : FASCO_CLAIM_CONFIG);
	if (p->config_len > FASCO_CLAIM_CONFIG)
		jw_uint(w, "platform config length", p->config_len);
	jw_str(w, "platform hash algorithm", p->hash_algo);
	if (p->verification_service[0])
		jw_str(w, "verification service", p->verification_service);
	jw_open(w, "software components", '[');
	for (uint32_t i = 0; i < kept; i++)
		put_component(w, &p->sw[i]);
	jw_close(w, ']');
	if (p->sw_count > kept)
		jw_uint(w, "software component count", p->sw_count);
	jw_close(w, '}');
}

char *claims_json(const struct fasco_token_claims *c, bool realm, bool platform,
		  const char *verdict)
{
	char *buf = NULL;
	size_t len = 0;
	struct jw w = { .f = open_memstream(&buf, &len) };

	if (!w.f)
		return NULL;
	jw_open(&w, NULL, '{');
	jw_str(&w, "verdict", verdict);
	if (c->collection_tag) {
		jw_uint(&w, "collection tag", c->collection_tag);
		jw_bool(&w, "platform signature verified", c->platform_verified);
	}
	if (realm)
		put_realm(&w, &c->realm);
	if (platform)
		put_platform(&w, &c->platform);
	jw_close(&w, '}');
	if (ferror(w.f)) {
		fclose(w.f);
		free(buf);
		return NULL;
	}
	if (fclose(w.f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *rejection_json(int code, int exit_status, const char *detail)
{
	char *buf = NULL;
	size_t len = 0;
	struct jw w = { .f = open_memstream(&buf, &len) };

	if (!w.f)
		return NULL;
	jw_open(&w, NULL, '{');
	jw_str(&w, "verdict", "rejected");
	jw_str(&w, "reason", verdict_name(code));
	jw_uint(&w, "exit status", (uint32_t)exit_status);
	jw_str(&w, "error", detail);
	jw_close(&w, '}');
	if (fclose(w.f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
