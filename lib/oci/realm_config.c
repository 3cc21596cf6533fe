/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/realm_config.h"
#include "rmm/hash.h"

#define MIB (1ull << 20)
#define LARGE_PAGE (2 * MIB)

/* An executable regular file at path, resolved as if root were "/". */
static bool executable_in_root(int rootfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	_cleanup_close_ int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* What realm index runs, and the JSON path its errors name. */
struct run {
	const struct oci_strv *args, *env;
	const char *cwd;
	uint64_t memory; /* 0: the container's */
	char field[64];
};

size_t oci_realm_count(const struct oci_config *c)
{
	return 1 + c->fasco.stages.n;
}

const char *oci_realm_name(const struct oci_config *c, size_t index)
{
	return index ? c->fasco.stages.v[index - 1].name : OCI_STAGE_MAIN;
}

static int run_of(const struct oci_config *c, size_t index, struct run *r)
{
	const struct oci_stage *s = index ? &c->fasco.stages.v[index - 1] : NULL;

	if (index >= oci_realm_count(c))
		return fasco_fail(-EINVAL, "no realm %zu in the configuration", index);
	r->args = s ? &s->args : &c->process.args;
	r->env = s && s->has_env ? &s->env : &c->process.env;
	r->cwd = s && s->cwd ? s->cwd : c->process.cwd;
	r->memory = s ? s->memory : 0;
	if (s)
		snprintf(r->field, sizeof(r->field), "annotations[\"org.fasco.stages\"][%zu]", index - 1);
	else
		snprintf(r->field, sizeof(r->field), "process");
	return 0;
}

static const char *env_path(const struct run *run)
{
	for (size_t i = 0; i < run->env->n; i++)
		if (!strncmp(run->env->v[i], "PATH=", 5))
			return run->env->v[i] + 5;
	return OCI_DEFAULT_PATH;
}

int oci_find_program(int rootfd, const struct oci_config *c, size_t index, char *out, size_t cap)
{
	struct run run;
	const char *name, *dir;
	int r = run_of(c, index, &run);

	if (r < 0)
		return r;
	name = run.args->v[0];
	dir = env_path(&run);
	if (strchr(name, '/')) {
		/* relative names start from the working directory, as execve's would */
		int n = name[0] == '/' ? snprintf(out, cap, "%s", name)
				       : snprintf(out, cap, "%s/%s", run.cwd, name);

		if (n < 0 || (size_t)n >= cap)
			return fasco_fail(FASCO_E_CONFIG, "%s.args[0]: path too long", run.field);
		if (!executable_in_root(rootfd, out))
			return fasco_fail(FASCO_E_CONFIG, "%s.args[0]: %s: no executable file in "
					  "the root", run.field, name);
		return 0;
	}
	while (*dir) {
		size_t len = strcspn(dir, ":");
		int n = snprintf(out, cap, "%.*s/%s", (int)len, len ? dir : ".", name);

		if (n > 0 && (size_t)n < cap && out[0] == '/' && executable_in_root(rootfd, out))
			return 0;
		dir += len + (dir[len] == ':');
	}
	return fasco_fail(FASCO_E_CONFIG, "%s.args[0]: \"%s\" not found in $PATH inside the "
			  "root", run.field, name);
}

static int set_param(fasco_config *cfg, int param, uint64_t value, const char *field)
{
	int r = fasco_config_set_param(cfg, param, value);

	return r < 0 ? fasco_fail_wrap(r, "%s", field) : 0;
}

/* Memory: the stage's, else the annotation, else the memory limit; 2 MiB granules, bounded. */
static int set_memory(const struct oci_config *c, const struct run *run, fasco_config *cfg,
		      oci_warn_fn warn, void *ud)
{
	char field[96] = "annotations[\"org.fasco.memory\"]";
	uint64_t want = run->memory ? run->memory : c->fasco.memory, min, max, v;
	char msg[256];
	int r;

	if (run->memory)
		snprintf(field, sizeof(field), "%s.memory", run->field);
	if (!want && c->linux_.resources.has_memory_limit && c->linux_.resources.memory_limit > 0) {
		want = (uint64_t)c->linux_.resources.memory_limit;
		snprintf(field, sizeof(field), "linux.resources.memory.limit");
	}
	if (!want)
		return 0;
	if ((r = fasco_config_param_bounds(FASCO_PARAM_MEMORY_BYTES, &min, &max)) < 0)
		return r;
	v = want > max ? max : want < min ? min : (want + LARGE_PAGE - 1) & ~(LARGE_PAGE - 1);
	if (v != want && warn) {
		snprintf(msg, sizeof(msg), "%s: %llu bytes adjusted to %llu (2 MiB granules, "
			 "%llu to %llu bytes)", field, (unsigned long long)want,
			 (unsigned long long)v, (unsigned long long)min, (unsigned long long)max);
		warn(ud, msg);
	}
	return set_param(cfg, FASCO_PARAM_MEMORY_BYTES, v, field);
}

int oci_realm_config(const struct oci_config *c, size_t index, const char *program,
		     fasco_config *cfg, oci_warn_fn warn, void *userdata)
{
	struct run run;
	int r;

	fasco_error_clear();
	if ((r = run_of(c, index, &run)) < 0)
		return r;
	if ((r = fasco_config_set_program(cfg, program)) < 0 ||
	    (r = fasco_config_set_argv(cfg, (int)run.args->n, (const char *const *)run.args->v)) < 0 ||
	    (r = fasco_config_set_cwd(cfg, run.cwd)) < 0)
		return r;
	for (size_t i = 0; i < run.env->n; i++)
		if ((r = fasco_config_add_env(cfg, run.env->v[i])) < 0)
			return fasco_fail_wrap(r, "%s.env[%zu]", run.field, i);
	if ((r = set_memory(c, &run, cfg, warn, userdata)) < 0)
		return r;
	if (c->fasco.has_rpv && (r = fasco_config_set_rpv(cfg, c->fasco.rpv, sizeof(c->fasco.rpv))) < 0)
		return fasco_fail_wrap(r, "annotations[\"org.fasco.rpv\"]");
	if (c->fasco.hash_algo >= 0 &&
	    (r = set_param(cfg, FASCO_PARAM_HASH_ALGO, (uint64_t)c->fasco.hash_algo,
			   "annotations[\"org.fasco.hash-algo\"]")) < 0)
		return r;
	if (c->fasco.vcpus &&
	    (r = set_param(cfg, FASCO_PARAM_VCPUS, c->fasco.vcpus, "annotations[\"org.fasco.vcpus\"]")) < 0)
		return r;
	return 0;
}

int oci_realm_config_digest(fasco_config *cfg, const char *doc, size_t len,
			    uint8_t digest[OCI_CONFIG_DIGEST_LEN])
{
	uint8_t slot[RMM_HASH_SLOT_SIZE];
	int r = rmm_hash(RMM_HASH_SHA256, doc, len, slot);

	if (r < 0)
		return r;
	memcpy(digest, slot, OCI_CONFIG_DIGEST_LEN);
	r = fasco_config_set_config_digest(cfg, digest, OCI_CONFIG_DIGEST_LEN);
	return r < 0 ? fasco_fail_wrap(r, "config.json digest") : 0;
}
