/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "process": arguments, environment, user, limits, capabilities. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/cleanup.h"
#include "oci/config.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },         { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },       { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },   { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },     { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },   { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int read_rlimit(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("type", oci_read_string, struct oci_rlimit, type, true),
		OCI_FIELD("soft", oci_read_u64, struct oci_rlimit, soft, true),
		OCI_FIELD("hard", oci_read_u64, struct oci_rlimit, hard, true),
	};
	struct oci_rlimit *rl = dst;
	int r = oci_read_object(p, fields, 3, rl, NULL);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++) {
		if (!strcmp(rl->type, rlimit_names[i].name)) {
			rl->resource = rlimit_names[i].resource;
			if (rl->soft > rl->hard)
				return oci_fail(p, "soft limit %llu exceeds the hard limit %llu",
						(unsigned long long)rl->soft,
						(unsigned long long)rl->hard);
			return 0;
		}
	}
	return oci_fail(p, "unknown rlimit type \"%s\"", rl->type);
}

static int read_rlimits(struct oci_parser *p, void *dst)
{
	struct oci_process *proc = oci_container_of(dst, struct oci_process, rlimits);

	return oci_read_array(p, (void **)&proc->rlimits, &proc->n_rlimits,
			      sizeof(struct oci_rlimit), read_rlimit);
}

static int read_gids(struct oci_parser *p, void *dst)
{
	struct oci_user *u = oci_container_of(dst, struct oci_user, additional_gids);

	return oci_read_array(p, (void **)&u->additional_gids, &u->n_additional_gids,
			      sizeof(uint32_t), oci_read_u32);
}

static int read_user(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("uid", oci_read_u32, struct oci_user, uid, true),
		OCI_FIELD("gid", oci_read_u32, struct oci_user, gid, true),
		OCI_FIELD("additionalGids", read_gids, struct oci_user, additional_gids, false),
	};

	return oci_read_object(p, fields, 3, dst, NULL);
}

/* Capability names: "CAP_" and upper-case letters, digits or '_'. */
static int read_cap_name(struct oci_parser *p, void *dst)
{
	int r = oci_read_string(p, dst);
	const char *name = *(char **)dst;

	if (r < 0)
		return r;
	if (strncmp(name, "CAP_", 4) || !name[4] ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name))
		return oci_fail(p, "\"%s\" is not a capability name", name);
	return 0;
}

static int read_cap_set(struct oci_parser *p, void *dst)
{
	struct oci_strv *s = dst;

	return oci_read_array(p, (void **)&s->v, &s->n, sizeof(char *), read_cap_name);
}

static int read_capabilities(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		{ "bounding", read_cap_set, OCI_CAP_BOUNDING * sizeof(struct oci_strv), false },
		{ "effective", read_cap_set, OCI_CAP_EFFECTIVE * sizeof(struct oci_strv), false },
		{ "inheritable", read_cap_set, OCI_CAP_INHERITABLE * sizeof(struct oci_strv), false },
		{ "permitted", read_cap_set, OCI_CAP_PERMITTED * sizeof(struct oci_strv), false },
		{ "ambient", read_cap_set, OCI_CAP_AMBIENT * sizeof(struct oci_strv), false },
	};

	return oci_read_object(p, fields, OCI_CAP_SETS, dst, NULL);
}

/* The failure of a check at member key (and index, if not -1) of the current object. */
static int FASCO_PRINTF(4, 5) fail_at(struct oci_parser *p, const char *key, long index,
				      const char *fmt, ...)
{
	size_t mark = oci_path_key(p, key);
	char msg[256]; /* as oci_fail keeps it */
	va_list ap;
	int r;

	if (index >= 0)
		oci_path_index(p, (size_t)index);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r = oci_fail(p, "%s", msg);
	oci_path_pop(p, mark);
	return r;
}

int oci_check_run(struct oci_parser *p, const struct oci_strv *args, const struct oci_strv *env,
		  const char *cwd)
{
	if (args->n == 0)
		return fail_at(p, "args", -1, "at least the program is required");
	if (args->v[0][0] == '\0')
		return fail_at(p, "args", 0, "empty program name");
	if (cwd && cwd[0] != '/')
		return fail_at(p, "cwd", -1, "\"%s\" is not an absolute path", cwd);
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');

		if (!eq || eq == env->v[i])
			return fail_at(p, "env", (long)i, "\"%s\" is not NAME=VALUE", env->v[i]);
	}
	return 0;
}

int oci_read_process(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("args", oci_read_strv, struct oci_process, args, true),
		OCI_FIELD("env", oci_read_strv, struct oci_process, env, false),
		OCI_FIELD("cwd", oci_read_string, struct oci_process, cwd, true),
		OCI_FIELD("user", read_user, struct oci_process, user, false),
		OCI_FIELD("terminal", oci_read_bool, struct oci_process, terminal, false),
		OCI_FIELD("rlimits", read_rlimits, struct oci_process, rlimits, false),
		OCI_FIELD("noNewPrivileges", oci_read_bool, struct oci_process, no_new_privileges,
			  false),
		OCI_FIELD("capabilities", read_capabilities, struct oci_process, capabilities,
			  false),
	};
	struct oci_process *proc = dst;
	int r = oci_read_object(p, fields, sizeof(fields) / sizeof(fields[0]), proc, NULL);

	return r < 0 ? r : oci_check_run(p, &proc->args, &proc->env, proc->cwd);
}

void oci_process_free(struct oci_process *proc)
{
	oci_strv_free(&proc->args);
	oci_strv_free(&proc->env);
	free(proc->cwd);
	free(proc->user.additional_gids);
	for (size_t i = 0; i < proc->n_rlimits; i++)
		free(proc->rlimits[i].type);
	free(proc->rlimits);
	for (int i = 0; i < OCI_CAP_SETS; i++)
		oci_strv_free(&proc->capabilities[i]);
}

int oci_process_parse(const char *doc, size_t len, struct oci_process *ret)
{
	struct oci_process proc = { 0 };
	int r = oci_parse_part(doc, len, OCI_CONFIG_MAX_BYTES, "process", oci_read_process, &proc);

	if (r < 0) {
		oci_process_free(&proc);
		return r;
	}
	*ret = proc;
	return 0;
}
