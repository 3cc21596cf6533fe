/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Linux configfs-tsm report interface inside a realm, served by the
 * realm monitor (never by the system realm, which is not trusted for
 * attestation): a program makes /sys/kernel/config/tsm/report/<name>, writes
 * a challenge of up to 64 bytes to its inblob, and reads a CCA attestation
 * token from its outblob; provider reads "arm_cca_guest". Files are memfds
 * installed in the realm's descriptor table, so reads, seeks and closes
 * are served like any other. Nothing under /sys/kernel/config/tsm ever
 * reaches the container's file system.
 *
 * The measurement registers appear as Linux's tsm-mr files do:
 * /sys/devices/virtual/misc/arm_cca_guest/measurements/{rim,rem0..rem3}:HASH
 * read the current value; writing 1..64 bytes to a REM file extends it
 * (RSI_MEASUREMENT_EXTEND).
 */
#ifndef FASCO_CORE_TSM_H
#define FASCO_CORE_TSM_H

#include <stdint.h>

#include "abi/realm_abi.h"
#include "core/event_log.h"
#include "core/realm_attest.h"
#include "sysrealm/service.h"

#define TSM_MAX_REPORTS 16
#define TSM_NAME_MAX 64
#define TSM_MAX_WRITERS 8

struct tsm_report {
	char name[TSM_NAME_MAX];
	int inblob;          /* memfd holding what the realm wrote, or -1 */
	uint32_t generation; /* bumped by each write open of inblob */
};

/* A REM file open for writing: recognised by the identity of its memfd. */
struct tsm_writer {
	int memfd;        /* our own reference keeps the inode alive, or -1 */
	int realm_fd;     /* the number the realm got for it */
	uint64_t dev, ino;
	unsigned rem;     /* 1..4: the slot it extends */
};

struct tsm {
	struct tsm_report reports[TSM_MAX_REPORTS];
	unsigned n_reports;
	struct tsm_writer writers[TSM_MAX_WRITERS];
	struct realm_attester *attester;
	struct rmm_realm *rmm; /* NULL: the realm is not measured */
	unsigned hash_algo;
	struct event_log *events; /* every REM extension is logged (the monitor's) */
};

void tsm_init(struct tsm *t, struct realm_attester *attester, struct rmm_realm *rmm,
	      unsigned hash_algo);

/*
 * If the call names the tsm tree, serve it and return 1 with the result in
 * *ret; otherwise return 0 and let the system realm serve it. hdr is the
 * copied header, data the shared data area (hostile; copied once here).
 */
int tsm_serve(struct tsm *t, struct service *svc, const struct fasco_slot_header *hdr,
	      const uint8_t *data, int64_t *ret);

#endif
