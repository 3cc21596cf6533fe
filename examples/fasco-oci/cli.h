/* SPDX-License-Identifier: Apache-2.0 */
/* fasco-oci: shared pieces of the commands (one file per command). */
#ifndef FASCO_OCI_CLI_H
#define FASCO_OCI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <fasco/fasco.h>

#include "oci/config.h"
#include "oci/state.h"

#define DEFAULT_ROOT "/run/fasco-oci"

struct globals {
	const char *root;
	const char *log_path;
	bool log_json;
	bool debug;
};

extern struct globals g;

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* To the --log file (text or json); errors also to stderr. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Log an error and return the exit status 1. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with the library's detail for code appended. */
int fail_code(int code, const char *what);
/* A usage error (exit status 1, as runc). */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An opened container: its directory, lock and recorded state. */
struct container {
	const char *id;
	int rootfd, dirfd, lockfd;
	bool has_state; /* false: state.json missing or damaged */
	/*
	 * create in run's foreground: its files are written without fsync
	 * and made durable by container_sync() once the realm runs, so the
	 * disk's latency overlaps the realm instead of preceding it
	 */
	bool sync_later;
	struct oci_state st;
};

#define CONTAINER_INIT { .rootfd = -1, .dirfd = -1, .lockfd = -1 }

/*
 * Open an existing container (errors are logged); lock: serialise with
 * other commands (state and list only read, and never wait).
 */
int container_open(const char *id, struct container *c, bool lock);
void container_close(struct container *c);
enum oci_status container_status(struct container *c);
/* The config.json copied at create (for hooks), or NULL. */
struct oci_config *container_config(struct container *c);
struct keeper_request;
/*
 * One request to the container's keeper (keeper_ctl.h); its reply's bytes
 * into data (capacity cap), their length to *ret_len (may be NULL). Errors
 * are logged: "container not running" when no keeper answers, or the
 * keeper's own reason prefixed by what.
 */
int container_ask_keeper(struct container *c, const char *what, const struct keeper_request *req,
			 void *data, size_t cap, size_t *ret_len);
/* Signal the container process (checked against pid reuse). */
int container_signal(struct container *c, int signo);
/* fsync what create wrote (config.json, state.json) and the directory. */
int container_sync(struct container *c);
/* Kill what runs, run poststop hooks, remove the directory. */
int container_destroy(struct container *c);
/* Run the hooks of kind with the state rendered in status. */
int container_hooks(struct container *c, const struct oci_config *cfg, enum oci_hook_kind kind,
		    enum oci_status status);

/* Create (shared by create and run); ret_keeper: the container process. */
struct create_opts {
	const char *bundle, *pid_file, *console_socket;
	int preserve_fds;
};
/* create's options (run also takes -d/--detach when detach is given). */
int parse_create_opts(int argc, char **argv, struct create_opts *o, bool *detach);
int parse_preserve_fds(const char *cmd, const char *arg, int *ret);
struct holder;
/*
 * held: NULL, a keeper process holds the realm (its pid to *ret_keeper);
 * else this process holds it in *held (run in the foreground).
 */
int create_container(const char *id, const struct create_opts *o, pid_t *ret_keeper,
		     struct holder *held);
/* held: the realm this process holds, or NULL (its keeper is asked over the socket). */
int start_container(struct container *c, struct holder *held);

/*
 * The keeper: the process that holds a realm (keeper.c), the container's
 * or an exec's. dirfd: the container's directory, whose exec.fifo it waits
 * on before starting the realm; -1 (exec): it starts at once.
 */
struct keeper_args {
	const struct oci_config *cfg;
	fasco_config *const *fasco_cfg; /* one per realm of cfg (oci_realm_count) */
	size_t n_realms;   /* 1 for an exec */
	const char *rootfs;
	pid_t parent;
	pid_t join_monitor; /* an exec: serve in the namespaces of the container's monitor */
	int dirfd, report_fd, commit_fd, tty_fd, preserve_fds;
};

__attribute__((noreturn)) void keeper_main(const struct keeper_args *a);

/* What the keeper reports to create through its pipe. */
struct keeper_report {
	int code;          /* 0: loaded */
	char detail[512];
	/* the loaded realm's RIM and REM0..3 (fasco_realm_measurement) */
	uint32_t meas_len; /* digest length; 0: not measured */
	uint8_t meas[5][64];
};

/* The parent's side (keeper_spawn.c). */
struct keeper_pipes {
	int report[2], commit[2];
};

/*
 * Fork the keeper of a (cfg, fasco_cfg, rootfs, preserve_fds set); dirfd
 * and tty (either may be NULL) are moved above the preserved descriptors.
 * Returns its pid or a negative errno.
 */
pid_t keeper_spawn(struct keeper_args *a, int *dirfd, int *tty, struct keeper_pipes *kp);
void keeper_pipes_close(struct keeper_pipes *kp);
int keeper_read_report(int fd, struct keeper_report *rep);
/* From now on the keeper outlives us; it acknowledges. */
int keeper_commit(const struct keeper_pipes *kp);

/*
 * The evidence annotations a created container's state carries (evidence.c):
 * org.fasco.<what> for the container's process (rim, rem0..rem3,
 * measurement-hash, image-sha256), org.fasco.stage.<name>.<what> for each
 * stage of a composite container, and the config.json digest once.
 */
#define EVIDENCE_CONFIG_DIGEST "org.fasco.config-sha256"
#define EVIDENCE_TOKEN_FILE "token.cbor" /* the latest token (fasco-oci attest) */
#define EVIDENCE_IMAGE "image-sha256"    /* the program, in the artifact store */
#define EVIDENCE_STAGE_PREFIX "org.fasco.stage."

/* stage: a stage's name, or NULL for the container's process. */
void evidence_key(const char *stage, const char *what, char *out, size_t cap);
int evidence_annotate(struct oci_annotations *a, const char *stage,
		      const struct keeper_report *rep, const fasco_config *cfg);
int evidence_config_digest(struct oci_annotations *a, const uint8_t *digest, size_t len);

/*
 * The measured image in the artifact store, referenced by the container,
 * its digest under the evidence key of stage (or of the process: NULL) (artifacts.c).
 */
int artifacts_store(struct container *c, const char *rootfs, const char *program,
		    const char *stage);
/* Drop the container's references; unreferenced images leave the store. */
void artifacts_release(int rootfd, const char *id);

/*
 * A composite container's stages (stages.c): each realm's end recorded by
 * its holder, each stage's status and exit status reported by `state`.
 */
#define STAGES_ANNOTATION "org.fasco.stages"
void stages_record_end(int dirfd, const char *stage, int status);
/* org.fasco.stage.<stage>.<what> */
void stages_key(const char *stage, const char *what, char *out, size_t cap);
/* Add org.fasco.stage.<name>.status (and .exit-status) for the container in status. */
int stages_annotate(struct container *c, enum oci_status status);
/* The token file of a stage (NULL: the container's process). */
void stages_token_file(const char *stage, char *out, size_t cap);

/* Wait for our child, forwarding our signals; its status, 128 + signal if killed. */
int wait_child(pid_t pid);
int write_pid_file(const char *path, pid_t pid);

/*
 * Exec processes, recorded as exec-<pid> files (pid and start time) in the
 * container's directory so that kill --all and delete reach them (execs.c).
 */
int exec_record(int dirfd, pid_t pid);
/* Signal every live exec process; stale records are removed. */
void execs_signal(int dirfd, int signo);
/* SIGKILL every exec process and wait (bounded) until they are gone. */
int execs_kill_wait(int dirfd);
/* The pids of the live exec processes (their keepers), at most cap. */
size_t execs_pids(int dirfd, pid_t *out, size_t cap);

/*
 * The container's processes (members.c): its holder's (the keeper, or run
 * in the foreground) and each exec keeper's, the roots, and their
 * descendants (the realms' monitors).
 */
#define CONTAINER_ROOTS_MAX 256
#define CONTAINER_PIDS_MAX 4096
size_t container_roots(struct container *c, pid_t *out, size_t cap);
/* Every live process of the container, at most cap (*ret_n: how many stored). */
int container_pids(struct container *c, pid_t *out, size_t cap, size_t *ret_n);
/* Send signo to each (pause: SIGSTOP, resume: SIGCONT); 0, -ESRCH for none, or -errno. */
int container_signal_all(struct container *c, int signo);

/* Console: a pty whose master goes to the --console-socket. */
int console_setup(const char *socket_path, int *ret_slave);

/*
 * Fault injection for the tests: with FASCO_OCI_FAULT=<point> in the
 * environment, the command kills itself (SIGKILL) at that point.
 */
void fault_point(const char *point);

/* Signal names (KILL, SIGKILL) or numbers. */
int signal_parse(const char *s);

/* Commands. */
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_spec(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_update(int argc, char **argv);

#endif
