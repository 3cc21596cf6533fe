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

/*
 * The container's realms, loaded, and what they need, with the control
 * socket (or -1). realm[0] runs the container's process; a composite
 * container's stages (org.fasco.stages) follow, each in a realm of its
 * own. The holder lives until every one has ended.
 */
#define HOLDER_REALMS_MAX (1 + OCI_STAGES_MAX)

struct holder {
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm[HOLDER_REALMS_MAX];
	char name[HOLDER_REALMS_MAX][OCI_STAGE_NAME_MAX + 1];
	size_t n;
	int lfd;
	int dirfd; /* a composite container's directory (stage ends are recorded there), or -1 */
	pid_t join_monitor; /* an exec's: the monitor of the container whose namespaces it joins */
	sigset_t forwarded; /* blocked from the start, read from a signalfd */
	/* optional: called once if the realms still run after running_ms */
	void (*on_running)(void *arg);
	void *on_running_arg;
	int running_ms;
};

#define HOLDER_INIT { .lfd = -1, .dirfd = -1 }

/*
 * Create, attach and load n realms (fcfg[i] runs realm i of cfg, named
 * by it); *what names the step that failed.
 */
int holder_load(struct holder *h, const char *rootfs, const struct oci_config *cfg,
		fasco_config *const *fcfg, size_t n, const char **what);
/* The same in two steps: the monitors build the realms between them. */
int holder_load_begin(struct holder *h, const char *rootfs, const struct oci_config *cfg,
		      fasco_config *const *fcfg, size_t n, const char **what);
int holder_load_finish(struct holder *h, const char **what);
/* Destroy the realms (killed if they run) and the rest. */
void holder_release(struct holder *h);
/*
 * The container's rlimits and cpu.cpus on each loaded realm's monitor (the
 * process that serves the realm's calls and runs its vCPUs), for a holder
 * that does not take them itself; *what names the field that failed.
 */
int holder_confine_monitors(const struct holder *h, const struct oci_config *cfg,
			    const char **what);
/* The RIM and REMs of a loaded realm into rep (meas_len 0: not measured). */
void holder_measurements(fasco_realm *realm, struct keeper_report *rep);
/*
 * Serve one control request on h->lfd; true if it was start's (dirfd >= 0:
 * still created, whose marker its acceptance removes).
 */
bool holder_serve(struct holder *h, int dirfd);
/* Block the signals to forward and start every realm. */
int holder_start(struct holder *h);
/*
 * Forward those signals to every realm that runs and serve the control
 * socket until all have ended; the end of realm[0].
 */
int holder_wait(struct holder *h, struct fasco_exit_info *e);
/* How a shell reports the end: the exit status, or 128 + signal (said on stderr). */
int holder_exit_status(const struct fasco_exit_info *e);

#endif
