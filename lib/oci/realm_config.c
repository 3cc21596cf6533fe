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

static const char *env_path(const struct oci_config *c)
{
	for (size_t i = 0; i < c->process.env.n; i++)
		if (!strncmp(c->process.env.v[i], "PATH=", 5))
			return c->process.env.v[i] + 5;
	return OCI_DEFAULT_PATH;
}

int oci_find_program(int rootfd, const struct oci_config *c, char *out, size_t cap)
{
	const char *name = c->process.args.v[0];
	const char *dir = env_path(c);

	if (strchr(name, '/')) {
		/* relative names start from the working directory, as execve's would */
		int n = name[0] == '/' ? snprintf(out, cap, "%s", name)
				       : snprintf(out, cap, "%s/%s", c->process.cwd, name);

		if (n < 0 || (size_t)n >= cap)
			return fasco_fail(FASCO_E_CONFIG, "process.args[0]: path too long");
		if (!executable_in_root(rootfd, out))
			return fasco_fail(FASCO_E_CONFIG, "process.args[0]: %s: no executable file in "
					  "the root", name);
		return 0;
	}
	while (*dir) {
		size_t len = strcspn(dir, ":");
		int n = snprintf(out, cap, "%.*s/%s", (int)len, len ? dir : ".", name);

		if (n > 0 && (size_t)n < cap && out[0] == '/' && executable_in_root(rootfd, out))
			return 0;
		dir += len + (dir[len] == ':');
	}
	return fasco_fail(FASCO_E_CONFIG, "process.args[0]: \"%s\" not found in $PATH inside the "
			  "root", name);
}

static int set_param(fasco_config *cfg, int param, uint64_t value, const char *field)
{
	int r = fasco_config_set_param(cfg, param, value);

	return r < 0 ? fasco_fail_wrap(r, "%s", field) : 0;
}

/* Memory: the annotation, else the memory limit; 2 MiB granules, bounded. */
static int set_memory(const struct oci_config *c, fasco_config *cfg, oci_warn_fn warn, void *ud)
{
	const char *field = "annotations[\"org.fasco.memory\"]";
	uint64_t want = c->fasco.memory, min, max, v;
	char msg[256];
	int r;

	if (!want && c->linux_.resources.has_memory_limit && c->linux_.resources.memory_limit > 0) {
		want = (uint64_t)c->linux_.resources.memory_limit;
		field = "linux.resources.memory.limit";
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

int oci_realm_config(const struct oci_config *c, const char *program, fasco_config *cfg,
		     oci_warn_fn warn, void *userdata)
{
	const struct oci_process *proc = &c->process;
	int r;

	fasco_error_clear();
	if ((r = fasco_config_set_program(cfg, program)) < 0 ||
	    (r = fasco_config_set_argv(cfg, (int)proc->args.n, (const char *const *)proc->args.v)) < 0 ||
	    (r = fasco_config_set_cwd(cfg, proc->cwd)) < 0)
		return r;
	for (size_t i = 0; i < proc->env.n; i++)
		if ((r = fasco_config_add_env(cfg, proc->env.v[i])) < 0)
			return fasco_fail_wrap(r, "process.env[%zu]", i);
	if ((r = set_memory(c, cfg, warn, userdata)) < 0)
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
