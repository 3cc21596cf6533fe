/* SPDX-License-Identifier: Apache-2.0 */
/* Objects behind the public handles. */
#ifndef FASCO_CORE_INTERNAL_H
#define FASCO_CORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <fasco/fasco.h>

#include "backend/backend.h"
#include "common/error.h"
#include "sysrealm/sandbox.h"

struct fasco_ctx {
	const struct realm_backend_ops *backend;
	int backend_id;
	char *state_dir;
	fasco_log_fn log_fn;
	void *log_userdata;
	int log_level;
};

void ctx_log(const fasco_ctx *ctx, int level, const char *fmt, ...) FASCO_PRINTF(3, 4);

struct fasco_config {
	char *program;
	char **argv;  /* NULL-terminated */
	char **envp;  /* NULL-terminated */
	size_t envc;
	char *cwd;
	uint64_t memory_bytes;
	uint64_t vcpus;
	uint64_t stack_bytes;
	uint64_t hash_algo;
	uint64_t ipa_bits;
	uint64_t poll_ns;
	uint64_t measure;
	uint8_t rpv[64];
	uint8_t config_digest[64]; /* measured in the manifest (0 bytes: none) */
	size_t config_digest_len;
};

int config_copy(const fasco_config *src, fasco_config **ret);
/* Replace the environment with n strings taken as they are (execve's). */
int config_set_envv(fasco_config *c, size_t n, const char *const *v);

struct fasco_sysrealm {
	fasco_ctx *ctx;
	struct sandbox_spec spec; /* the root, mounts, devices, hostname, user */
	unsigned attached;
};

enum realm_state {
	REALM_NEW,      /* configured */
	REALM_LOADING,  /* its monitor is forked and builds it (fasco_realm_load_begin) */
	REALM_LOADED,   /* monitor prepared it; first instruction not run */
	REALM_RUNNING,
	REALM_ENDED,
};

#define REALM_RAK_SEED_SIZE 48 /* the private scalar of the P-384 RAK */

/* A realm's measurement slots as its monitor reports them. */
struct realm_measurements {
	uint8_t slot[5][64]; /* RIM, REM[0..3] */
	uint32_t digest_len; /* 0: the realm is not measured */
};

struct fasco_realm {
	fasco_ctx *ctx;
	fasco_config *config;
	fasco_sysrealm *sysrealm;
	enum realm_state state;
	pid_t monitor;   /* until reaped */
	int reported_end; /* the monitor sent MSG_END and exits by itself */
	int pidfd;
	int status_fd; /* monitor -> library messages */
	int go_fd;     /* library -> monitor: start */
	struct fasco_exit_info exit;
	struct fasco_realm_stats stats;
	struct realm_measurements meas;
	char *event_log;  /* JSON, received with the end of a measured realm */
	uint8_t rak_seed[REALM_RAK_SEED_SIZE]; /* shared with the monitor by fork */
};

/* Reap a monitor that reported its realm's end without waiting for it
 * (takes the pidfd); monitors still pending are reaped by the next call of
 * realm_reap_pending() that finds them gone (reap.c). */
void realm_reap_later(int pidfd);
void realm_reap_pending(void);
/* After the end report: until the monitor's end of the status pipe is closed (realm_fd.c). */
void realm_fd_settle(fasco_realm *realm);

/* The state is read by fasco_realm_kill() while another thread waits. */
static inline enum realm_state realm_state(const struct fasco_realm *r)
{
	return __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
}

/* Loaded (or since started, or ended): its measurements are known. */
static inline bool realm_is_loaded(const struct fasco_realm *r)
{
	return realm_state(r) != REALM_NEW && realm_state(r) != REALM_LOADING;
}

static inline void realm_set_state(struct fasco_realm *r, enum realm_state s)
{
	__atomic_store_n(&r->state, s, __ATOMIC_RELEASE);
}

/* Messages from the monitor process (lib/core/monitor.c). */
enum monitor_msg_type {
	MSG_LOADED = 1,
	MSG_ERROR = 2,
	MSG_END = 3,
};

struct monitor_msg {
	uint32_t type;
	int32_t code;
	char detail[256];
	struct fasco_exit_info exit;
	struct fasco_realm_stats stats;
	struct realm_measurements meas; /* LOADED: the RIM; END: all slots */
};

/* Run in the forked monitor: never returns. */
__attribute__((noreturn)) void monitor_main(fasco_realm *realm, int status_fd, int go_fd,
					    int owner_pidfd);

#endif
