/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the process that holds a container's realm does with it: load it,
 * report its measurements, serve the control socket (keeper_ctl.h), start
 * it, forward signals to it until it ends. The forked keeper (keeper.c)
 * holds it for create; `run` in the foreground holds it itself (no keeper
 * process, no handshake with one).
 */
#ifndef FASCO_OCI_HOLDER_H
#define FASCO_OCI_HOLDER_H

#include <signal.h>
#include <stdbool.h>

#include <fasco/fasco.h>

#include "cli.h"

/* Create, attach and load the realm; *what names the step that failed. */
int holder_load(const char *rootfs, fasco_config *fcfg, fasco_realm **ret, const char **what);
/*
 * The container's rlimits and cpu.cpus on the loaded realm's monitor (the
 * process that serves the realm's calls and runs its vCPUs), for a holder
 * that does not take them itself; *what names the field that failed.
 */
int holder_confine_monitor(fasco_realm *realm, const struct oci_config *cfg, const char **what);
/* The RIM and REMs of the loaded realm into rep (meas_len 0: not measured). */
void holder_measurements(fasco_realm *realm, struct keeper_report *rep);
/*
 * Serve one control request on lfd; true if it was start's (dirfd >= 0:
 * still created, whose marker its acceptance removes).
 */
bool holder_serve(fasco_realm *realm, int lfd, int dirfd);
/* Block the signals to forward (into set) and start the realm. */
int holder_start(fasco_realm *realm, sigset_t *set);
/* Forward set's signals, serve lfd (or -1) until the realm ends; its end. */
int holder_wait(fasco_realm *realm, const sigset_t *set, int lfd, struct fasco_exit_info *e);
/* How a shell reports the end: the exit status, or 128 + signal (said on stderr). */
int holder_exit_status(const struct fasco_exit_info *e);

#endif
