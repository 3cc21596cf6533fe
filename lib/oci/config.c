/* SPDX-License-Identifier: Apache-2.0 */
/* config.json: the document, root, mounts, hooks and annotations. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "oci/config.h"
#include "oci/store.h"

static const char *const hook_names[OCI_HOOK_KINDS] = {
	[OCI_HOOK_PRESTART] = "prestart",
	[OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
	[OCI_HOOK_CREATE_CONTAINER] = "createContainer",
	[OCI_HOOK_START_CONTAINER] = "startContainer",
	[OCI_HOOK_POSTSTART] = "poststart",
	[OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_hook_kind_name(enum oci_hook_kind kind)
{
	return kind < OCI_HOOK_KINDS ? hook_names[kind] : "?";
}

static int read_root(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("path", oci_read_string, struct oci_root, path, true),
		OCI_FIELD("readonly", oci_read_bool, struct oci_root, readonly, false),
	};
	struct oci_root *root = dst;
	int r = oci_read_object(p, fields, 2, root, NULL);

	if (r >= 0 && !root->path[0]) {
		size_t mark = oci_path_key(p, "path");

		r = oci_fail(p, "empty path");
		oci_path_pop(p, mark);
	}
	return r;
}

static int read_mount(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("destination", oci_read_string, struct oci_mount, destination, true),
		OCI_FIELD("type", oci_read_string, struct oci_mount, type, false),
		OCI_FIELD("source", oci_read_string, struct oci_mount, source, false),
		OCI_FIELD("options", oci_read_strv, struct oci_mount, options, false),
	};

	return oci_read_object(p, fields, 4, dst, NULL);
}

static int read_mounts(struct oci_parser *p, void *dst)
{
	struct oci_config *c = oci_container_of(dst, struct oci_config, mounts);

	return oci_read_array(p, (void **)&c->mounts, &c->n_mounts, sizeof(struct oci_mount),
			      read_mount);
}

static int read_hook(struct oci_parser *p, void *dst)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("path", oci_read_string, struct oci_hook, path, true),
		OCI_FIELD("args", oci_read_strv, struct oci_hook, args, false),
		OCI_FIELD("env", oci_read_strv, struct oci_hook, env, false),
		OCI_FIELD("timeout", oci_read_i64, struct oci_hook, timeout, false),
	};
	struct oci_hook *h = dst;
	uint64_t seen;
	size_t mark;
	int r = oci_read_object(p, fields, 4, h, &seen);

	if (r < 0)
		return r;
	if (h->path[0] != '/') {
		mark = oci_path_key(p, "path");
		r = oci_fail(p, "\"%s\" is not an absolute path", h->path);
		oci_path_pop(p, mark);
	} else if ((seen & 8) && h->timeout <= 0) {
		mark = oci_path_key(p, "timeout");
		r = oci_fail(p, "must be greater than zero");
		oci_path_pop(p, mark);
	}
	return r;
}

static int read_hook_list(struct oci_parser *p, void *dst)
{
	struct oci_hook_list *l = dst;

	return oci_read_array(p, (void **)&l->v, &l->n, sizeof(struct oci_hook), read_hook);
}

int oci_read_hooks(struct oci_parser *p, void *dst)
{
	struct oci_field fields[OCI_HOOK_KINDS];

	for (int i = 0; i < OCI_HOOK_KINDS; i++)
		fields[i] = (struct oci_field){ hook_names[i], read_hook_list,
						i * sizeof(struct oci_hook_list), false };
	return oci_read_object(p, fields, OCI_HOOK_KINDS, dst, NULL);
}

void oci_hooks_free(struct oci_hook_list *hooks)
{
	for (int k = 0; k < OCI_HOOK_KINDS; k++) {
		for (size_t i = 0; i < hooks[k].n; i++) {
			free(hooks[k].v[i].path);
			oci_strv_free(&hooks[k].v[i].args);
			oci_strv_free(&hooks[k].v[i].env);
		}
		free(hooks[k].v);
	}
}

int oci_read_annotations(struct oci_parser *p, void *dst)
{
	struct oci_annotations *all = dst;
	char key[OCI_KEY_MAX];
	int r;

	if (json_peek(&p->j) != '{')
		return oci_fail(p, "expected an object");
	if ((r = json_object_begin(&p->j)) < 0)
		return fasco_fail_wrap(r, "%s", p->path);
	while ((r = json_object_next(&p->j, key, sizeof(key))) > 0) {
		size_t mark = oci_path_key(p, key);
		struct oci_annotation *a;

		if (all->n == OCI_ITEMS_MAX)
			return oci_fail(p, "more than %d annotations", OCI_ITEMS_MAX);
		if (!key[0])
			return oci_fail(p, "empty annotation name");
		if (oci_annotation_get(all, key))
			return oci_fail(p, "given twice");
		a = realloc(all->v, (all->n + 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		all->v = a;
		a = &a[all->n];
		*a = (struct oci_annotation){ .key = strdup(key) };
		all->n++;
		if (!a->key)
			return -ENOMEM;
		if ((r = oci_read_string(p, &a->value)) < 0)
			return r;
		oci_path_pop(p, mark);
	}
	return r < 0 ? fasco_fail_wrap(r, "%s", p->path) : 0;
}

const char *oci_annotation_get(const struct oci_annotations *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].key && !strcmp(a->v[i].key, key))
			return a->v[i].value;
	return NULL;
}

int oci_annotation_set(struct oci_annotations *a, const char *key, const char *value)
{
	char *copy = strdup(value);
	struct oci_annotation *v;

	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		if (a->v[i].key && !strcmp(a->v[i].key, key)) {
			free(a->v[i].value);
			a->v[i].value = copy;
			return 0;
		}
	}
	v = realloc(a->v, (a->n + 1) * sizeof(*v));
	if (!v || !(v[a->n].key = strdup(key))) {
		free(copy);
		if (v)
			a->v = v;
		return -ENOMEM;
	}
	a->v = v;
	v[a->n++].value = copy;
	return 0;
}

void oci_annotations_free(struct oci_annotations *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].value);
	}
	free(a->v);
	*a = (struct oci_annotations){ 0 };
}

static int read_document(struct oci_parser *p, struct oci_config *c)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("ociVersion", oci_read_string, struct oci_config, oci_version, true),
		OCI_FIELD("process", oci_read_process, struct oci_config, process, true),
		OCI_FIELD("root", read_root, struct oci_config, root, true),
		OCI_FIELD("mounts", read_mounts, struct oci_config, mounts, false),
		OCI_FIELD("hostname", oci_read_string, struct oci_config, hostname, false),
		OCI_FIELD("linux", oci_read_linux, struct oci_config, linux_, false),
		OCI_FIELD("hooks", oci_read_hooks, struct oci_config, hooks, false),
		OCI_FIELD("annotations", oci_read_annotations, struct oci_config, annotations,
			  false),
	};
	int r = oci_read_object(p, fields, sizeof(fields) / sizeof(fields[0]), c, NULL);

	if (r < 0)
		return r;
	if ((r = json_finish(&p->j)) < 0)
		return fasco_fail_wrap(r, "(document)");
	if (strncmp(c->oci_version, "1.", 2)) {
		size_t mark = oci_path_key(p, "ociVersion");

		r = oci_fail(p, "unsupported version \"%s\" (1.x expected)", c->oci_version);
		oci_path_pop(p, mark);
		return r;
	}
	c->has_process = true;
	return oci_fasco_decode(p, c);
}

int oci_config_parse(const char *doc, size_t len, struct oci_config **ret)
{
	_cleanup_free_ struct oci_parser *p = NULL;
	struct oci_config *c;
	int r;

	fasco_error_clear();
	if (len > OCI_CONFIG_MAX_BYTES)
		return fasco_fail(FASCO_E_CONFIG, "config.json: %zu bytes, more than the %u allowed",
				  len, OCI_CONFIG_MAX_BYTES);
	p = malloc(sizeof(*p));
	c = calloc(1, sizeof(*c));
	if (!p || !c) {
		free(c);
		return -ENOMEM;
	}
	oci_parser_init(p, doc, len);
	c->fasco.hash_algo = -1;
	if ((r = read_document(p, c)) < 0) {
		oci_config_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

int oci_config_load(const char *bundle, struct oci_config **ret, char **ret_doc, size_t *ret_len)
{
	_cleanup_free_ char *doc = NULL;
	char path[4096];
	size_t len;
	int r;

	fasco_error_clear();
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return fasco_fail(FASCO_E_CONFIG, "bundle path too long");
	if ((r = oci_read_file(AT_FDCWD, path, OCI_CONFIG_MAX_BYTES, &doc, &len)) < 0 ||
	    (r = oci_config_parse(doc, len, ret)) < 0)
		return r;
	if (ret_doc)
		*ret_doc = take_ptr(doc);
	if (ret_len)
		*ret_len = len;
	return 0;
}

void oci_config_free(struct oci_config *c)
{
	if (!c)
		return;
	free(c->oci_version);
	oci_process_free(&c->process);
	free(c->root.path);
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		oci_strv_free(&c->mounts[i].options);
	}
	free(c->mounts);
	free(c->hostname);
	oci_linux_free(&c->linux_);
	oci_hooks_free(c->hooks);
	oci_annotations_free(&c->annotations);
	oci_stages_free(&c->fasco.stages);
	free(c);
}
