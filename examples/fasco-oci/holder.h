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

/* A loaded realm and what it needs, with its control socket (or -1). */
struct holder {
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	int lfd;
	sigset_t forwarded; /* blocked from the start, read from a signalfd */
	/* optional: called once if the realm still runs after running_ms */
	void (*on_running)(void *arg);
	void *on_running_arg;
	int running_ms;
};

#define HOLDER_INIT { .lfd = -1 }

/* Create, attach and load the realm; *what names the step that failed. */
int holder_load(struct holder *h, const char *rootfs, fasco_config *fcfg, const char **what);
/* Destroy the realm (killed if it runs) and the rest. */
void holder_release(struct holder *h);
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
/* Block the signals to forward and start the realm. */
int holder_start(struct holder *h);
/* Forward those signals, serve the control socket until the realm ends; its end. */
int holder_wait(struct holder *h, struct fasco_exit_info *e);
/* How a shell reports the end: the exit status, or 128 + signal (said on stderr). */
int holder_exit_status(const struct fasco_exit_info *e);

#endif
