/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A composite container's stages on the host: the holder records each
 * realm's end as stage-<name>.end (its exit status, as a shell reports it)
 * in the container's directory, and `state` reports every stage's status
 * and exit status next to its evidence (org.fasco.stage.<name>.*). The
 * records need no fsync: a crash of the machine ends the container, whose
 * stages then all read as stopped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/realm_config.h"
#include "oci/store.h"

#define END_RECORD_MAX 16

static void end_record_name(const char *stage, char *out, size_t cap)
{
	snprintf(out, cap, "stage-%s.end", stage);
}

void stages_record_end(int dirfd, const char *stage, int status)
{
	char file[64], text[END_RECORD_MAX];
	int n = snprintf(text, sizeof(text), "%d", status);

	end_record_name(stage, file, sizeof(file));
	if (oci_write_atomic_as(dirfd, file, text, (size_t)n, 0600, OCI_VOLATILE) < 0)
		log_msg(LOG_WARN, "stage %s: %s", stage, fasco_last_error());
}

void stages_key(const char *stage, const char *what, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s.%s", EVIDENCE_STAGE_PREFIX, stage, what);
}

/* One stage's status (and exit status once it ended) into the state's annotations. */
static int annotate_stage(struct container *c, const char *stage, enum oci_status status)
{
	_cleanup_free_ char *end = NULL;
	char file[64], key[128];
	size_t len;
	int r;

	end_record_name(stage, file, sizeof(file));
	if (oci_read_file(c->dirfd, file, END_RECORD_MAX, &end, &len) < 0)
		end = NULL;
	else if (status == OCI_STATUS_RUNNING || status == OCI_STATUS_PAUSED)
		status = OCI_STATUS_STOPPED;
	stages_key(stage, "status", key, sizeof(key));
	if ((r = oci_annotation_set(&c->st.annotations, key, oci_status_name(status))) < 0)
		return r;
	stages_key(stage, "exit-status", key, sizeof(key));
	return end ? oci_annotation_set(&c->st.annotations, key, end) : 0;
}

int stages_annotate(struct container *c, enum oci_status status)
{
	struct oci_config *cfg;
	int r = 0;

	if (!oci_annotation_get(&c->st.annotations, STAGES_ANNOTATION))
		return 0; /* a single realm: the container's status is its own */
	cfg = container_config(c);
	for (size_t i = 0; cfg && r == 0 && i < oci_realm_count(cfg); i++)
		r = annotate_stage(c, oci_realm_name(cfg, i), status);
	oci_config_free(cfg);
	return r;
}

void stages_token_file(const char *stage, char *out, size_t cap)
{
	if (stage)
		snprintf(out, cap, "token-%s.cbor", stage);
	else
		snprintf(out, cap, "%s", EVIDENCE_TOKEN_FILE);
}
