/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libfasco: lightweight confidential containers.
 *
 * Each container runs as a *container realm* (a hardware-isolated address
 * space holding only the program and a tiny in-realm shim) whose system calls
 * are forwarded over shared buffers to a *system realm* that serves them
 * inside the container's root filesystem.
 *
 * Conventions (kept by every function below):
 *  - Functions return 0 (or a non-negative count) on success and a negative
 *    value from enum fasco_status or a negative errno on failure.
 *    fasco_strerror() names a code; fasco_last_error() gives the detail of
 *    the last failure on the calling thread.
 *  - Output parameters (ret_*) are written only on success.
 *  - Handles are opaque; each has exactly one destructor, which accepts NULL.
 *  - The library never exits, never prints and never aborts on bad input;
 *    diagnostics go to the log callback the caller installs.
 *  - Threading: a context may be shared between threads; a realm or
 *    system-realm handle must be used by one thread at a time.
 */
#ifndef FASCO_FASCO_H
#define FASCO_FASCO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(FASCO_BUILDING_LIBRARY)
#define FASCO_API __attribute__((visibility("default")))
#else
#define FASCO_API
#endif

#define FASCO_VERSION_MAJOR 0
#define FASCO_VERSION_MINOR 1
#define FASCO_VERSION_PATCH 0
#define FASCO_VERSION_NUMBER \
	(FASCO_VERSION_MAJOR * 10000 + FASCO_VERSION_MINOR * 100 + FASCO_VERSION_PATCH)

/*
 * Status codes. Negative errno values (-ENOMEM, -EINVAL, ...) are returned
 * as they are; library-specific conditions use this reserved range, which
 * lies below any errno (Linux errno values stay under 4096). Values are
 * never renumbered.
 */
enum fasco_status {
	FASCO_OK = 0,
	FASCO_E_INTERNAL = -20000,   /* a bug in libfasco; please report */
	FASCO_E_UNSUPPORTED = -20001, /* not available with this backend/build */
	FASCO_E_NO_KVM = -20002,     /* /dev/kvm missing or not usable */
	FASCO_E_KVM = -20003,        /* a KVM operation failed */
	FASCO_E_BAD_ELF = -20004,    /* the program is not a loadable ELF */
	FASCO_E_MANIFEST = -20005,   /* the boot manifest could not be built */
	FASCO_E_SANDBOX = -20006,    /* the system realm sandbox failed */
	FASCO_E_STATE = -20007,      /* the handle is in the wrong state */
	FASCO_E_CONFIG = -20008,     /* invalid configuration value */
	FASCO_E_NO_MEMORY = -20009,  /* realm memory budget exhausted */
	FASCO_E_PROTOCOL = -20010,   /* the realm broke the shared-buffer protocol */
	FASCO_E_CBOR = -20100,       /* malformed CBOR */
	FASCO_E_COSE = -20101,       /* malformed COSE structure */
	FASCO_E_SIGNATURE = -20102,  /* a signature does not verify */
	FASCO_E_BINDING = -20103,    /* platform challenge != hash of realm key */
	FASCO_E_CLAIM_MISSING = -20104, /* a mandatory claim is absent */
	FASCO_E_CLAIM_INVALID = -20105, /* a claim has the wrong type or size */
	FASCO_E_REFERENCE = -20106,  /* a measurement differs from the reference */
	FASCO_E_CHALLENGE = -20107,  /* the challenge differs from the expected */
	FASCO_E_KEY = -20108,        /* a key could not be parsed or used */
	FASCO_E_DUPLICATE = -20109,  /* a map holds the same key twice */
	FASCO_E_BUFFER = -20110,     /* the caller's buffer is too small */
	FASCO_E_EVENT_LOG = -20111,  /* an event log is malformed or does not replay */
};

/* Name of a status code or negative errno; never NULL. */
FASCO_API const char *fasco_strerror(int code);

/*
 * Detail of the last failure on the calling thread ("" if none). The string
 * stays valid until the next libfasco call on this thread.
 */
FASCO_API const char *fasco_last_error(void);

/* Runtime version, "MAJOR.MINOR.PATCH"; fasco_version_number() as above. */
FASCO_API const char *fasco_version(void);
FASCO_API unsigned fasco_version_number(void);

/* Free a buffer that libfasco returned with ownership (NULL is fine). */
FASCO_API void fasco_free(void *ptr);

/* ------------------------------------------------------------------------ */
/* Library context                                                          */

typedef struct fasco_ctx fasco_ctx;

enum fasco_backend {
	FASCO_BACKEND_AUTO = 0, /* the best backend this host can run */
	FASCO_BACKEND_KVM = 1,  /* KVM VM per realm (x86-64) */
	FASCO_BACKEND_CCA = 2,  /* Arm CCA realm (arm64 Linux with RMI) */
};

enum fasco_log_level {
	FASCO_LOG_ERROR = 0,
	FASCO_LOG_WARNING = 1,
	FASCO_LOG_INFO = 2,
	FASCO_LOG_DEBUG = 3,
};

typedef void (*fasco_log_fn)(void *userdata, int level, const char *message);

/*
 * Create a library context. backend is an enum fasco_backend; AUTO probes.
 * state_dir holds persistent state (the platform key, the page-digest
 * cache); NULL means the default (/var/lib/fasco for root,
 * $XDG_STATE_HOME/fasco or ~/.local/state/fasco otherwise). Without any,
 * realms still run, unattestable and measured without the cache.
 */
FASCO_API int fasco_ctx_create(int backend, const char *state_dir, fasco_ctx **ret_ctx);
FASCO_API void fasco_ctx_destroy(fasco_ctx *ctx);

/* Install a log callback; messages at or below max_level reach it. */
FASCO_API void fasco_ctx_set_log(fasco_ctx *ctx, int max_level, fasco_log_fn fn, void *userdata);

/* Backend actually in use (enum fasco_backend) and its platform name. */
FASCO_API int fasco_ctx_backend(const fasco_ctx *ctx);
FASCO_API const char *fasco_ctx_platform(const fasco_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Realm configuration: key/value setters so the ABI can grow.             */

typedef struct fasco_config fasco_config;

FASCO_API int fasco_config_create(fasco_config **ret_config);
FASCO_API void fasco_config_destroy(fasco_config *config);

/* Program path, resolved inside the root directory. */
FASCO_API int fasco_config_set_program(fasco_config *config, const char *path);
/* argv: argc strings, copied. argv[0] defaults to the program path. */
FASCO_API int fasco_config_set_argv(fasco_config *config, int argc, const char *const *argv);
/* Append one environment entry "KEY=VALUE" (copied). */
FASCO_API int fasco_config_add_env(fasco_config *config, const char *entry);
/* Working directory inside the root (default "/"). */
FASCO_API int fasco_config_set_cwd(fasco_config *config, const char *path);

enum fasco_config_param {
	FASCO_PARAM_MEMORY_BYTES = 1, /* realm private memory (default 256 MiB) */
	FASCO_PARAM_VCPUS = 2,        /* vCPUs: the most threads at once (default 16) */
	FASCO_PARAM_STACK_BYTES = 3,  /* initial stack limit (default 8 MiB) */
	FASCO_PARAM_HASH_ALGO = 4,    /* 0 = SHA-256, 1 = SHA-512 */
	FASCO_PARAM_IPA_BITS = 5,     /* guest-physical width, 32-36 (default 36) */
	/*
	 * Forwarded calls without a VM exit: after a call, the system realm
	 * polls the shared buffer for this many nanoseconds for the next one
	 * (0 = never poll: every call exits; default 200000, or 0 on a host
	 * with a single CPU). Polling spends host CPU while the program is busy.
	 */
	FASCO_PARAM_POLL_NS = 6,
	/*
	 * 1 (default): measure the realm as the RMM would (RIM over every
	 * byte placed in it); 0: skip it, for benchmarks only: such a realm
	 * has no measurements and cannot attest.
	 */
	FASCO_PARAM_MEASURE = 7,
};

/* Set a numeric parameter; -FASCO_E_CONFIG style failure if out of bounds. */
FASCO_API int fasco_config_set_param(fasco_config *config, int param, uint64_t value);
FASCO_API int fasco_config_get_param(const fasco_config *config, int param, uint64_t *ret_value);
/* Bounds of a parameter, inclusive. */
FASCO_API int fasco_config_param_bounds(int param, uint64_t *ret_min, uint64_t *ret_max);

/* 64-byte Realm Personalization Value, reported in the realm token. */
FASCO_API int fasco_config_set_rpv(fasco_config *config, const uint8_t *rpv, size_t len);

/*
 * A digest (at most 64 bytes; 0 clears it) of how the container is
 * configured, e.g. SHA-256 of its OCI config.json. It is placed in the
 * realm's measured boot manifest, so the RIM, and every token, proves not
 * only which program runs but how it was configured.
 */
FASCO_API int fasco_config_set_config_digest(fasco_config *config, const uint8_t *digest,
					     size_t len);

/* ------------------------------------------------------------------------ */
/* System realm: serves the forwarded calls of the realms attached to it.   */

typedef struct fasco_sysrealm fasco_sysrealm;

/*
 * Create a system realm that serves calls confined to root_dir ("/" or
 * NULL: the host's root). Each attached realm gets its own service
 * context (descriptor table, working directory).
 */
FASCO_API int fasco_sysrealm_create(fasco_ctx *ctx, const char *root_dir,
				    fasco_sysrealm **ret_sysrealm);
FASCO_API void fasco_sysrealm_destroy(fasco_sysrealm *sysrealm);

/*
 * The container a system realm serves, built in each attached realm's
 * sandbox before the realm loads (set these before fasco_realm_load).
 * Mounts, a read-only root and devices need a root other than "/".
 */
enum fasco_mount_flag {
	FASCO_MOUNT_RDONLY = 1,
	FASCO_MOUNT_RECURSIVE = 2, /* bind: submounts too (rbind) */
	FASCO_MOUNT_NOSUID = 4,
	FASCO_MOUNT_NODEV = 8,
	FASCO_MOUNT_NOEXEC = 16,
};

/*
 * Mount, in the order added: type "bind" (source: an absolute host path,
 * file or directory) or "tmpfs" (source ignored; options: "size=64m,
 * mode=1777"-style tmpfs parameters, or NULL). target is an absolute
 * path inside the root and resolves there: a symbolic link in the image
 * cannot lead it out. A missing target is created (a directory, or an
 * empty file for a file bind).
 */
FASCO_API int fasco_sysrealm_add_mount(fasco_sysrealm *sysrealm, const char *type,
				       const char *source, const char *target, uint32_t flags,
				       const char *options);
/* Serve the root read-only (mounts keep their own flags). */
FASCO_API int fasco_sysrealm_set_readonly(fasco_sysrealm *sysrealm, int readonly);
/*
 * The default devices a container has: /dev/null, zero, full, random,
 * urandom and tty (the host's, bound in) and the /dev/fd, stdin, stdout
 * and stderr links, after the mounts.
 */
FASCO_API int fasco_sysrealm_add_default_devices(fasco_sysrealm *sysrealm);
/* The hostname uname() reports (a UTS namespace of the sandbox's own). */
FASCO_API int fasco_sysrealm_set_hostname(fasco_sysrealm *sysrealm, const char *hostname);
/*
 * Serve calls with these credentials instead of the caller's: the user a
 * container runs as (file access, ownership of what it creates). Needs a
 * privileged caller for any uid other than the caller's own.
 */
FASCO_API int fasco_sysrealm_set_user(fasco_sysrealm *sysrealm, uint32_t uid, uint32_t gid,
				      size_t n_groups, const uint32_t *groups);

/*
 * Capabilities the calls are served with, as a mask of 1 << CAP_* bits
 * (linux/capability.h): what a container's user is allowed beyond its
 * uid, for example CAP_CHOWN, CAP_DAC_OVERRIDE or CAP_NET_BIND_SERVICE.
 * Only capabilities whose effect stays inside the container are granted:
 * CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID,
 * NET_BIND_SERVICE, NET_RAW and AUDIT_WRITE; asking for another one fails.
 * Default: none.
 */
FASCO_API int fasco_sysrealm_set_capabilities(fasco_sysrealm *sysrealm, uint64_t caps);

/* Namespaces of the host kernel that the sandbox serves a realm's calls in. */
enum fasco_namespace {
	FASCO_NS_MOUNT = 1,
	FASCO_NS_UTS = 2,
	FASCO_NS_IPC = 3,
	FASCO_NS_NET = 4,    /* the sockets a realm opens: its interfaces, ports, routes */
	FASCO_NS_CGROUP = 5,
};
/*
 * Serve in a namespace of its own (path NULL: a new one; a new network
 * namespace has its loopback up), or join the one at path, such as
 * /var/run/netns/NAME from CNI or /proc/PID/ns/net. The path is opened
 * and checked now, so a wrong one fails here. A joined mount namespace is
 * taken as it is, with its root, mounts and devices: the way to serve a
 * further process in a running container. Without a call, the sandbox
 * has a mount namespace of its own for a root other than "/", a UTS one
 * for a hostname, and shares the caller's others.
 */
FASCO_API int fasco_sysrealm_set_namespace(fasco_sysrealm *sysrealm, enum fasco_namespace type,
					   const char *path);

/* ------------------------------------------------------------------------ */
/* Container realms                                                         */

typedef struct fasco_realm fasco_realm;

/*
 * Create a realm from a configuration (copied; the caller keeps it). The
 * realm is not yet loaded: attach it to a system realm, then start it.
 */
FASCO_API int fasco_realm_create(fasco_ctx *ctx, const fasco_config *config,
				 fasco_realm **ret_realm);

/* Attach the realm to the system realm that will serve its calls. */
FASCO_API int fasco_attach_sysrealm(fasco_realm *realm, fasco_sysrealm *sysrealm);

/* How a realm ended. */
enum fasco_end_kind {
	FASCO_END_EXIT = 1,   /* the program exited: value = exit status */
	FASCO_END_SIGNAL = 2, /* ended by a signal: value = signal number */
	FASCO_END_FAULT = 3,  /* unhandled fault: value = signal it maps to */
	FASCO_END_CRASH = 4,  /* the realm broke (triple fault, protocol) */
};

/* Report on a finished realm; grows only at its end. */
struct fasco_exit_info {
	uint32_t size;      /* sizeof(struct fasco_exit_info), set by caller */
	uint32_t kind;      /* enum fasco_end_kind */
	int32_t value;      /* exit status or signal number */
	uint32_t vector;    /* FAULT: CPU exception vector */
	uint64_t address;   /* FAULT: faulting address (if any) */
	uint64_t ip;        /* FAULT: instruction pointer */
	uint64_t error_code; /* FAULT: CPU error code */
	char detail[160];   /* human-readable summary */
};

/*
 * Load the realm and prepare it to run; the program's first instruction has
 * not run when this returns (the OCI "created" state).
 */
FASCO_API int fasco_realm_load(fasco_realm *realm);
/*
 * Begin loading the realm and return at once: its monitor is forked and
 * builds the realm while the caller does other work; fasco_realm_load()
 * (or fasco_realm_start()) then waits until it is loaded and returns what
 * a load returns. Until then the realm is not loaded (its measurements and
 * descriptor are not there yet); fasco_realm_destroy() ends the load.
 */
FASCO_API int fasco_realm_load_begin(fasco_realm *realm);
/* Let a loaded realm run (loads it first if needed). Returns at once. */
FASCO_API int fasco_realm_start(fasco_realm *realm);
/*
 * Wait for a started realm to end. Returns 0 and fills *info, or a negative
 * code. Safe to call from a thread other than the one that started it.
 */
FASCO_API int fasco_realm_wait(fasco_realm *realm, struct fasco_exit_info *info);
/* Send a signal to a running realm (SIGKILL ends it at once). */
FASCO_API int fasco_realm_kill(fasco_realm *realm, int signo);
/* Host process id that represents the realm (its monitor), or negative. */
FASCO_API int fasco_realm_pid(const fasco_realm *realm);
/*
 * A descriptor that becomes readable (POLLIN) when the realm has ended, for
 * an event loop (poll, epoll, asyncio's add_reader) to wait without
 * blocking a thread. Once it is readable, fasco_realm_wait() of a started
 * realm returns without blocking; it stays readable afterwards. It is
 * ready before the realm's monitor has torn its VM down (that finishes in
 * the background). A loaded realm's descriptor also turns readable if its
 * monitor is killed before it starts.
 * Returns the descriptor (>= 0), or FASCO_E_STATE before fasco_realm_load().
 * Owned by the realm and valid until fasco_realm_destroy(): only poll it;
 * never read, write or close it. Close-on-exec.
 */
FASCO_API int fasco_realm_fd(const fasco_realm *realm);
/* Destroy the realm; kills it first if it still runs. */
FASCO_API void fasco_realm_destroy(fasco_realm *realm);

/*
 * Run to completion: load, start and wait. Returns the exit status (0-255)
 * if the program exited, or 128 + signal number if a signal or fault ended
 * it (as a shell reports it), or a negative code if it could not run.
 * info (optional) receives the details.
 */
FASCO_API int fasco_exec(fasco_realm *realm, struct fasco_exit_info *info);

/* Statistics of a finished realm (fasco-run --stats). */
struct fasco_realm_stats {
	uint32_t size;           /* sizeof(struct fasco_realm_stats), set by caller */
	uint32_t reserved;
	uint64_t startup_ns;     /* create of the VM to the first user instruction */
	uint64_t run_ns;         /* first user instruction to the end */
	uint64_t exits;          /* VM exits */
	uint64_t forwarded;      /* forwarded system calls */
	uint64_t unsupported;    /* calls answered ENOSYS */
	uint64_t peak_rss_bytes; /* peak host memory of the realm's monitor */
	uint64_t per_syscall[512]; /* forwarded calls by number (x86-64 numbers) */
	uint64_t polled;         /* forwarded calls answered without a VM exit */
};

FASCO_API int fasco_realm_stats(const fasco_realm *realm, struct fasco_realm_stats *stats);

/*
 * Whether realms serve x86-64 system call nr (in the shim or forwarded to
 * the system realm): 1, or 0 when it is answered ENOSYS (and counted in
 * fasco_realm_stats().unsupported / per_syscall).
 */
FASCO_API int fasco_syscall_supported(unsigned nr);

/*
 * A measurement of a loaded realm: index 0 is the RIM (fixed at load),
 * 1..4 the REMs (as of the realm's end, once it has ended). The digest
 * (32 or 64 bytes for SHA-256/512) goes to buf of capacity cap, its length
 * to *ret_len (may be NULL). FASCO_E_STATE before load, FASCO_E_UNSUPPORTED
 * for a realm created with FASCO_PARAM_MEASURE 0, FASCO_E_BUFFER if cap is
 * too small (64 always suffices).
 */
FASCO_API int fasco_realm_measurement(const fasco_realm *realm, unsigned index, uint8_t *buf,
				      size_t cap, size_t *ret_len);

/*
 * A CCA attestation token for a loaded realm, with its measurements as
 * fasco_realm_measurement() reports them and the same realm key the
 * program inside gets through configfs-tsm. challenge: up to 64 bytes,
 * zero padded. The token goes to buf (capacity cap; 8 KiB suffices), its
 * length to *ret_len; FASCO_E_BUFFER sets *ret_len to the size needed.
 * Verify it with fasco_token_verify() (attest.h).
 */
FASCO_API int fasco_realm_attest(fasco_realm *realm, const uint8_t *challenge,
				 size_t challenge_len, uint8_t *buf, size_t cap, size_t *ret_len);

/*
 * The event log of a measured realm's REM extensions, as JSON:
 *   {"version":1,"hash_algo":"sha-256","rem_mode":"tf-rmm","entries":[
 *    {"index":0,"rem":0,"kind":"exec","value":HEX,"content_sha256":HEX,
 *     "offset":N,"length":N,"prot":5,"source":"mmap","exec_index":0,
 *     "path":"/usr/lib/x86_64-linux-gnu/libc.so.6","dev":N,"ino":N}, ...]}
 * One entry per extension, in order. REM[0] is reserved for code: each
 * file range a program maps executable (or makes executable with mprotect)
 * extends it by SHA-256 of a record of the range's content digest, offset,
 * length, protection, source and exec index (abi/exec_event.h in the
 * source has the byte layout); "extend" entries are the program's own
 * writes to a REM file (value only). path, dev and ino are the host's
 * word, for people and reference lookup; everything else is checked by
 * replaying the log against a token (fasco_event_log_verify(), attest.h).
 * Returns the log as of the realm's end (a loaded realm's has no entries
 * yet); FASCO_E_STATE while it runs or before load, FASCO_E_UNSUPPORTED for
 * a realm created with FASCO_PARAM_MEASURE 0. *ret_json is NUL-terminated;
 * free it with fasco_free().
 */
FASCO_API int fasco_realm_event_log(const fasco_realm *realm, char **ret_json);

#ifdef __cplusplus
}
#endif

#endif /* FASCO_FASCO_H */
