/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An OCI bundle's config.json (runtime-spec 1.x), read strictly into typed
 * fields. Every count and length is bounded (parse.h); a malformed or
 * unsupported value fails with FASCO_E_CONFIG and a message naming its
 * JSON path. Unknown members are ignored, as the specification requires.
 */
#ifndef FASCO_OCI_CONFIG_H
#define FASCO_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oci/parse.h"

#define OCI_CONFIG_MAX_BYTES (4u << 20)

struct oci_rlimit {
	char *type;   /* "RLIMIT_NOFILE", ... */
	int resource; /* RLIMIT_* number */
	uint64_t soft, hard;
};

struct oci_user {
	uint32_t uid, gid;
	uint32_t *additional_gids;
	size_t n_additional_gids;
};

enum oci_cap_set {
	OCI_CAP_BOUNDING,
	OCI_CAP_EFFECTIVE,
	OCI_CAP_INHERITABLE,
	OCI_CAP_PERMITTED,
	OCI_CAP_AMBIENT,
	OCI_CAP_SETS,
};

struct oci_process {
	struct oci_strv args, env;
	char *cwd;
	struct oci_user user;
	bool terminal;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	struct oci_strv capabilities[OCI_CAP_SETS];
};

struct oci_root {
	char *path;
	bool readonly;
};

struct oci_mount {
	char *destination, *type, *source;
	struct oci_strv options;
};

struct oci_namespace {
	char *type; /* pid, network, mount, ipc, uts, user, cgroup, time */
	char *path; /* join this namespace instead of creating one (or NULL) */
};

/* A field given in the document sets its has_ flag. */
struct oci_resources {
	int64_t memory_limit;
	uint64_t cpu_shares, cpu_period;
	int64_t cpu_quota;
	int64_t pids_limit;
	char *cpu_cpus; /* cpuset list ("0-3,6"), or NULL */
	bool has_memory_limit, has_cpu_shares, has_cpu_quota, has_cpu_period, has_pids_limit;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_resources resources;
};

struct oci_hook {
	char *path;
	struct oci_strv args, env;
	int64_t timeout; /* seconds; 0 = none */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_KINDS,
};

struct oci_hook_list {
	struct oci_hook *v;
	size_t n;
};

struct oci_annotation {
	char *key, *value;
};

struct oci_annotations {
	struct oci_annotation *v;
	size_t n;
};

/* The value of annotation key, or NULL. */
const char *oci_annotation_get(const struct oci_annotations *a, const char *key);
/* A JSON object of strings; a name given twice is an error. */
int oci_read_annotations(struct oci_parser *p, void *dst); /* struct oci_annotations * */
/* Set key to a copy of value, replacing an earlier value. */
int oci_annotation_set(struct oci_annotations *a, const char *key, const char *value);
void oci_annotations_free(struct oci_annotations *a);

/*
 * A composite container's confidential stages (org.fasco.stages,
 * config_stages.c): each runs in a realm of its own beside the container's
 * process, the stage named OCI_STAGE_MAIN.
 */
#define OCI_STAGE_MAIN "main"
#define OCI_STAGES_MAX 8
#define OCI_STAGE_NAME_MAX 31

struct oci_stage {
	char *name;
	struct oci_strv args, env; /* env: the process's unless has_env */
	bool has_env;
	char *cwd;                 /* NULL: the process's */
	char *memory_text;
	uint64_t memory;           /* bytes; 0: the container's */
};

struct oci_stages {
	struct oci_stage *v;
	size_t n;
};

void oci_stages_free(struct oci_stages *st);

/* org.fasco.* annotations, decoded and checked. */
struct oci_fasco {
	uint64_t memory;   /* bytes, 0 = not given */
	uint8_t rpv[64];
	bool has_rpv;
	int hash_algo;     /* FASCO_PARAM_HASH_ALGO value, -1 = not given */
	uint64_t vcpus;    /* 0 = not given */
	struct oci_stages stages; /* org.fasco.stages; none: a single realm */
};

struct oci_config {
	char *oci_version;
	struct oci_process process;
	bool has_process;
	struct oci_root root;
	struct oci_mount *mounts;
	size_t n_mounts;
	char *hostname;
	struct oci_linux linux_;
	struct oci_hook_list hooks[OCI_HOOK_KINDS];
	struct oci_annotations annotations;
	struct oci_fasco fasco;
};

/* Parse a document (len bytes, no NUL needed). */
int oci_config_parse(const char *doc, size_t len, struct oci_config **ret);
/* Read and parse <bundle>/config.json; ret_doc (optional) gets its bytes. */
int oci_config_load(const char *bundle, struct oci_config **ret, char **ret_doc,
		    size_t *ret_len);
void oci_config_free(struct oci_config *c);
/*
 * A process object alone (runc exec --process FILE): errors name the field
 * as in config.json, "process.args[1]: expected a string".
 */
int oci_process_parse(const char *doc, size_t len, struct oci_process *ret);

/*
 * A resources object alone (runc update --resources FILE): errors name the
 * field as in config.json, "linux.resources.memory.limit: ...".
 */
int oci_resources_parse(const char *doc, size_t len, struct oci_resources *ret);
void oci_resources_free(struct oci_resources *res);

/* The name of a hook kind as in config.json ("createRuntime"). */
const char *oci_hook_kind_name(enum oci_hook_kind kind);

/* What fasco-oci accepts but does not honour yet, with the reason. */
enum oci_limit {
	OCI_LIMIT_CAPS,
	OCI_LIMIT_MOUNT_TYPES,
	OCI_LIMIT_NAMESPACES,
	OCI_LIMIT_CPU,
	OCI_LIMIT_PIDS,
	OCI_LIMIT_PRESERVE_FDS,
	OCI_LIMIT_SIGSTOP,
};

struct oci_limitation {
	const char *field, *why;
};

/* A bind mount: type "bind", or a "bind"/"rbind" option. */
bool oci_mount_is_bind(const struct oci_mount *m);
/*
 * Mount types with no meaning for a realm (proc, sysfs, devpts, mqueue,
 * cgroup, ...): not mounted, reported as not honoured. Bind and tmpfs are.
 */
bool oci_mount_skipped(const struct oci_mount *m);

/*
 * The bit (CAP_* number) of a capability a container's calls may be served
 * with, by its config.json name ("CAP_CHOWN"); -1 for any other.
 */
int oci_capability_bit(const char *name);

/* Indexed by enum oci_limit, ended by a NULL field. */
extern const struct oci_limitation oci_limitations[];

/*
 * The limitations a document runs into: fn is called once per setting it
 * asks for that is not honoured. Returns how many there were.
 */
size_t oci_config_unhonoured(const struct oci_config *c,
			     void (*fn)(void *userdata, const char *field, const char *why),
			     void *userdata);

/* Internal to the parser: readers of the sub-objects. */
int oci_read_process(struct oci_parser *p, void *dst);
int oci_read_linux(struct oci_parser *p, void *dst);
int oci_read_resources(struct oci_parser *p, void *dst); /* struct oci_resources * */
int oci_read_hooks(struct oci_parser *p, void *dst);
int oci_fasco_decode(struct oci_parser *p, struct oci_config *c);
/* The value of org.fasco.stages; outer holds the annotation's path. */
int oci_stages_decode(const struct oci_parser *outer, const char *value, struct oci_stages *ret);
/* What a realm runs (the process, a stage): args, env, cwd (NULL: none given). */
int oci_check_run(struct oci_parser *p, const struct oci_strv *args, const struct oci_strv *env,
		  const char *cwd);
void oci_process_free(struct oci_process *proc);
void oci_linux_free(struct oci_linux *l);
void oci_hooks_free(struct oci_hook_list *hooks);

#endif
