/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The org.fasco.stages annotation: the confidential stages of a composite
 * container, each a program run in a realm of its own beside the
 * container's process (stage "main"). Its value is a JSON array read as
 * strictly as config.json, errors naming the field inside it:
 * annotations["org.fasco.stages"][1].args[0]: expected a string.
 *
 *   [ { "name": "agent", "args": ["/bin/agent", "-v"],
 *       "env": ["K=V"], "cwd": "/", "memory": "64M" }, ... ]
 *
 * name and args are required; env, cwd and memory default to the
 * container process's (memory: the container's realm memory).
 */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/size.h"
#include "oci/config.h"

static int read_stage(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("name", oci_read_string, struct oci_stage, name, true),
		OCI_FIELD("args", oci_read_strv, struct oci_stage, args, true),
		OCI_FIELD("env", oci_read_strv, struct oci_stage, env, false),
		OCI_FIELD("cwd", oci_read_string, struct oci_stage, cwd, false),
		OCI_FIELD("memory", oci_read_string, struct oci_stage, memory_text, false),
	};
	struct oci_stage *s = dst;
	uint64_t seen;
	int r = oci_read_object(p, fields, ARRAY_SIZE(fields), s, &seen);

	s->has_env = seen & 4;
	return r;
}

static int read_stages(struct oci_parser *p, void *dst)
{
	struct oci_stages *st = dst;

	return oci_read_array(p, (void **)&st->v, &st->n, sizeof(struct oci_stage), read_stage);
}

static bool valid_name(const char *name)
{
	size_t len = strlen(name);

	return len && len <= OCI_STAGE_NAME_MAX && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == len &&
	       name[0] != '-';
}

/* One stage's values, at its path. */
static int check_stage(struct oci_parser *p, const struct oci_stages *st, size_t i)
{
	struct oci_stage *s = &st->v[i];
	size_t mark = oci_path_key(p, "name");
	int r;

	if (!valid_name(s->name))
		return oci_fail(p, "\"%s\": expected 1 to %d of a-z, 0-9 and '-', not starting with '-'",
				s->name, OCI_STAGE_NAME_MAX);
	if (!strcmp(s->name, OCI_STAGE_MAIN))
		return oci_fail(p, "\"%s\" names the container's process", s->name);
	for (size_t j = 0; j < i; j++)
		if (!strcmp(st->v[j].name, s->name))
			return oci_fail(p, "\"%s\" is declared twice", s->name);
	oci_path_pop(p, mark);
	if ((r = oci_check_run(p, &s->args, &s->env, s->cwd)) < 0)
		return r;
	mark = oci_path_key(p, "memory");
	if (s->memory_text && (parse_size(s->memory_text, &s->memory) < 0 || !s->memory))
		return oci_fail(p, "\"%s\" is not a size (bytes, or a number with K, M or G)",
				s->memory_text);
	oci_path_pop(p, mark);
	return 0;
}

static int check_stages(struct oci_parser *p, const struct oci_stages *st)
{
	if (!st->n)
		return oci_fail(p, "expected at least one stage");
	if (st->n > OCI_STAGES_MAX)
		return oci_fail(p, "%zu stages, at most %d", st->n, OCI_STAGES_MAX);
	for (size_t i = 0; i < st->n; i++) {
		size_t mark = oci_path_index(p, i);
		int r = check_stage(p, st, i);

		if (r < 0)
			return r;
		oci_path_pop(p, mark);
	}
	return 0;
}

int oci_stages_decode(const struct oci_parser *outer, const char *value, struct oci_stages *ret)
{
	_cleanup_free_ struct oci_parser *p = malloc(sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	oci_parser_init(p, value, strlen(value));
	/* errors inside the value name the annotation first */
	memcpy(p->path, outer->path, outer->path_len + 1);
	p->path_len = outer->path_len;
	r = read_stages(p, ret);
	if (r >= 0 && (r = json_finish(&p->j)) < 0)
		r = fasco_fail_wrap(r, "%s: after the array", p->path);
	return r < 0 ? r : check_stages(p, ret);
}

void oci_stages_free(struct oci_stages *st)
{
	for (size_t i = 0; i < st->n; i++) {
		struct oci_stage *s = &st->v[i];

		free(s->name);
		oci_strv_free(&s->args);
		oci_strv_free(&s->env);
		free(s->cwd);
		free(s->memory_text);
	}
	free(st->v);
	*st = (struct oci_stages){ 0 };
}
