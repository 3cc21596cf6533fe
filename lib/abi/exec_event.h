/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time code measurement: what the shim reports when a program makes
 * file-backed memory executable, and the record whose SHA-256 extends
 * REM[0] (the realm's measurement register reserved for code loaded after
 * the realm started, as Linux IMA's mmap-exec policy records it). Freestanding:
 * compiled into the shim, the monitor and the verifier.
 *
 * The record (FASCO_EXEC_RECORD_SIZE bytes, integers little-endian):
 *   [0, 8)    "FASCOEX1": the record type and its version
 *   [8, 40)   content: SHA-256 of exactly the bytes placed in realm memory
 *             for the range (page-rounded, a zero tail past the file's end
 *             included)
 *   [40, 48)  offset of the range in the file
 *   [48, 56)  length of the range (a multiple of 4096)
 *   [56, 60)  protection it is mapped with (PROT_READ 1, PROT_WRITE 2,
 *             PROT_EXEC 4)
 *   [60, 64)  source: FASCO_EXEC_MMAP or FASCO_EXEC_MPROTECT
 *   [64, 72)  index: this is the realm image's index-th code event (from 0),
 *             so a reordered, dropped or added record changes its value
 * The value extended into REM[0] is SHA-256(record), 32 bytes, with the
 * realm's REM formula (RSI_MEASUREMENT_EXTEND).
 */
#ifndef FASCO_ABI_EXEC_EVENT_H
#define FASCO_ABI_EXEC_EVENT_H

#include <stdint.h>

#define FASCO_EXEC_REM 0 /* REM[0]: run-time code */
#define FASCO_EXEC_RECORD_SIZE 72
#define FASCO_EXEC_TAG "FASCOEX1"

enum fasco_exec_source {
	FASCO_EXEC_MMAP = 1,     /* a file mapped with PROT_EXEC */
	FASCO_EXEC_MPROTECT = 2, /* PROT_EXEC added to pages filled from a file */
};

/* FASCO_OP_MEASURE_EXEC: the slot's data area holds this; args[0] is the
 * realm descriptor the range was read from (metadata for the log only). */
struct fasco_exec_event {
	uint8_t content[32];
	uint64_t offset;
	uint64_t length;
	uint32_t prot;
	uint32_t source;
	uint64_t index;
	uint8_t value[32]; /* SHA-256 of the record, as the shim computed it */
};

/* The record of an event, byte by byte. */
void fasco_exec_record(const struct fasco_exec_event *e, uint8_t out[FASCO_EXEC_RECORD_SIZE]);

#endif
