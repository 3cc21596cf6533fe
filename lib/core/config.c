/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "abi/realm_abi.h"
#include "core/internal.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static const struct {
	uint64_t min, max, dflt;
} bounds[] = {
	[FASCO_PARAM_MEMORY_BYTES] = { 16 * MIB, 32 * GIB, 256 * MIB },
	[FASCO_PARAM_VCPUS] = { 1, 64, 16 },
	[FASCO_PARAM_STACK_BYTES] = { 64 << 10, 1 * GIB, 8 * MIB },
	[FASCO_PARAM_HASH_ALGO] = { 0, 1, 0 },
	/* KVM gives a guest without KVM_SET_CPUID2 a 36-bit physical width:
	 * the shared region (top half) must stay below 2^36 */
	[FASCO_PARAM_IPA_BITS] = { 32, 36, 36 },
	[FASCO_PARAM_POLL_NS] = { 0, 10000000, 200000 },
	[FASCO_PARAM_MEASURE] = { 0, 1, 1 },
};

#define PARAM_FIRST FASCO_PARAM_MEMORY_BYTES
#define PARAM_LAST FASCO_PARAM_MEASURE

static uint64_t *param_slot(fasco_config *c, int param)
{
	switch (param) {
	case FASCO_PARAM_MEMORY_BYTES: return &c->memory_bytes;
	case FASCO_PARAM_VCPUS: return &c->vcpus;
	case FASCO_PARAM_STACK_BYTES: return &c->stack_bytes;
	case FASCO_PARAM_HASH_ALGO: return &c->hash_algo;
	case FASCO_PARAM_IPA_BITS: return &c->ipa_bits;
	case FASCO_PARAM_POLL_NS: return &c->poll_ns;
	case FASCO_PARAM_MEASURE: return &c->measure;
	default: return NULL;
	}
}

int fasco_config_create(fasco_config **ret_config)
{
	fasco_config *c;

	fasco_error_clear();
	fasco_check_arg(ret_config);
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (int p = PARAM_FIRST; p <= PARAM_LAST; p++)
		*param_slot(c, p) = bounds[p].dflt;
	/* polling needs a second CPU, or it only delays the vCPU it waits for */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		c->poll_ns = 0;
	c->envp = calloc(1, sizeof(char *));
	c->cwd = strdup("/");
	if (!c->envp || !c->cwd) {
		fasco_config_destroy(c);
		return -ENOMEM;
	}
	*ret_config = c;
	return 0;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void fasco_config_destroy(fasco_config *c)
{
	if (!c)
		return;
	free(c->program);
	free_strv(c->argv);
	free_strv(c->envp);
	free(c->cwd);
	free(c);
}

static int set_string(char **slot, const char *value, const char *what)
{
	char *copy;

	if (!value || !*value)
		return fasco_fail(-EINVAL, "%s must be a non-empty string", what);
	if (strlen(value) >= 4096)
		return fasco_fail(-ENAMETOOLONG, "%s is longer than 4095 bytes", what);
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

int fasco_config_set_program(fasco_config *c, const char *path)
{
	fasco_error_clear();
	fasco_check_arg(c);
	return set_string(&c->program, path, "program path");
}

int fasco_config_set_cwd(fasco_config *c, const char *path)
{
	fasco_error_clear();
	fasco_check_arg(c);
	if (path && path[0] != '/')
		return fasco_fail(-EINVAL, "working directory must be absolute: %s", path);
	return set_string(&c->cwd, path, "working directory");
}

static char **dup_strv(int n, const char *const *v)
{
	char **out = calloc((size_t)n + 1, sizeof(char *));

	for (int i = 0; out && i < n; i++) {
		if (!(out[i] = strdup(v[i]))) {
			free_strv(out);
			return NULL;
		}
	}
	return out;
}

int fasco_config_set_argv(fasco_config *c, int argc, const char *const *argv)
{
	char **copy;

	fasco_error_clear();
	fasco_check_arg(c && argc >= 0 && (argc == 0 || argv));
	for (int i = 0; i < argc; i++)
		fasco_check_arg(argv[i]);
	copy = dup_strv(argc, argv);
	if (!copy)
		return -ENOMEM;
	free_strv(c->argv);
	c->argv = copy;
	return 0;
}

int config_set_envv(fasco_config *c, size_t n, const char *const *v)
{
	char **copy = n <= INT32_MAX ? dup_strv((int)n, v) : NULL;

	if (!copy)
		return -ENOMEM;
	free_strv(c->envp);
	c->envp = copy;
	c->envc = n;
	return 0;
}

int fasco_config_add_env(fasco_config *c, const char *entry)
{
	char **grown, *copy;

	fasco_error_clear();
	fasco_check_arg(c && entry);
	if (!strchr(entry, '=') || entry[0] == '=')
		return fasco_fail(-EINVAL, "environment entry must be KEY=VALUE: %s", entry);
	copy = strdup(entry);
	grown = realloc(c->envp, (c->envc + 2) * sizeof(char *));
	if (!copy || !grown) {
		free(copy);
		if (grown)
			c->envp = grown;
		return -ENOMEM;
	}
	c->envp = grown;
	c->envp[c->envc++] = copy;
	c->envp[c->envc] = NULL;
	return 0;
}

int fasco_config_param_bounds(int param, uint64_t *ret_min, uint64_t *ret_max)
{
	fasco_error_clear();
	if (param < PARAM_FIRST || param > PARAM_LAST)
		return fasco_fail(FASCO_E_CONFIG, "unknown parameter %d", param);
	if (ret_min)
		*ret_min = bounds[param].min;
	if (ret_max)
		*ret_max = bounds[param].max;
	return 0;
}

int fasco_config_set_param(fasco_config *c, int param, uint64_t value)
{
	uint64_t *slot;

	fasco_error_clear();
	fasco_check_arg(c);
	slot = param_slot(c, param);
	if (!slot)
		return fasco_fail(FASCO_E_CONFIG, "unknown parameter %d", param);
	if (value < bounds[param].min || value > bounds[param].max)
		return fasco_fail(FASCO_E_CONFIG, "parameter %d = %llu is outside [%llu, %llu]", param,
				  (unsigned long long)value, (unsigned long long)bounds[param].min,
				  (unsigned long long)bounds[param].max);
	if (param == FASCO_PARAM_MEMORY_BYTES && (value & (FASCO_LARGE_PAGE_SIZE - 1)))
		return fasco_fail(FASCO_E_CONFIG, "memory size must be a multiple of 2 MiB");
	if (param == FASCO_PARAM_STACK_BYTES && (value & (FASCO_PAGE_SIZE - 1)))
		return fasco_fail(FASCO_E_CONFIG, "stack size must be a multiple of 4 KiB");
	*slot = value;
	return 0;
}

int fasco_config_get_param(const fasco_config *c, int param, uint64_t *ret_value)
{
	uint64_t *slot;

	fasco_error_clear();
	fasco_check_arg(c && ret_value);
	slot = param_slot((fasco_config *)c, param);
	if (!slot)
		return fasco_fail(FASCO_E_CONFIG, "unknown parameter %d", param);
	*ret_value = *slot;
	return 0;
}

int fasco_config_set_rpv(fasco_config *c, const uint8_t *rpv, size_t len)
{
	fasco_error_clear();
	fasco_check_arg(c && rpv);
	if (len != sizeof(c->rpv))
		return fasco_fail(FASCO_E_CONFIG, "personalization value must be 64 bytes, got %zu", len);
	memcpy(c->rpv, rpv, len);
	return 0;
}

int fasco_config_set_config_digest(fasco_config *c, const uint8_t *digest, size_t len)
{
	fasco_error_clear();
	fasco_check_arg(c && (digest || !len));
	if (len > sizeof(c->config_digest))
		return fasco_fail(FASCO_E_CONFIG, "a configuration digest holds at most 64 bytes, not %zu",
				  len);
	if (len)
		memcpy(c->config_digest, digest, len);
	c->config_digest_len = len;
	return 0;
}

int config_copy(const fasco_config *src, fasco_config **ret)
{
	fasco_config *c = calloc(1, sizeof(*c));
	size_t argc = 0;

	if (!c)
		return -ENOMEM;
	*c = *src;
	c->program = src->program ? strdup(src->program) : NULL;
	c->cwd = strdup(src->cwd);
	while (src->argv && src->argv[argc])
		argc++;
	c->argv = src->argv ? dup_strv((int)argc, (const char *const *)src->argv) : NULL;
	c->envp = dup_strv((int)src->envc, (const char *const *)src->envp);
	if ((src->program && !c->program) || !c->cwd || (src->argv && !c->argv) || !c->envp) {
		fasco_config_destroy(c);
		return -ENOMEM;
	}
	*ret = c;
	return 0;
}
