/* SPDX-License-Identifier: Apache-2.0 */
/*
 * FASCO_OP_MEASURE_EXEC, served by the realm monitor as the RMM serves
 * RSI_MEASUREMENT_EXTEND (the system realm never takes part): check the
 * shim's event (hostile bytes, copied once), extend REM[0] by the SHA-256 of
 * its record and log it with what the host believes the file is.
 */
#ifndef FASCO_CORE_EXEC_MEASURE_H
#define FASCO_CORE_EXEC_MEASURE_H

#include "core/monitor.h"

/* The request's result: 0, or -errno (the shim then fails the mapping). */
int64_t exec_measure_serve(struct monitor *m, struct vcpu_host *cpu,
			   const struct fasco_slot_header *h);

/* After MSG_END: the log as JSON to the library (nothing if not measured). */
void exec_measure_send_log(struct monitor *m);

#endif
