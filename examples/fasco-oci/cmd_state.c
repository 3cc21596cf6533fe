/* SPDX-License-Identifier: Apache-2.0 */
/* state and list: the derived status, rendered as runc renders it. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/cleanup.h"
#include "oci/store.h"

static int print_state(struct container *c, FILE *out)
{
	_cleanup_free_ char *doc = NULL;
	size_t len;
	int r;

	enum oci_status status = container_status(c);

	if (!c->st.id)
		c->st.id = strdup(c->id); /* a directory without usable state */
	if ((r = stages_annotate(c, status)) < 0)
		return fail_code(r, c->id);
	r = oci_state_render(&c->st, status, OCI_VIEW_RUNC, &doc, &len);
	if (r < 0)
		return fail_code(r, c->id);
	fwrite(doc, 1, len, out);
	return 0;
}

int cmd_state(int argc, char **argv)
{
	struct container c = CONTAINER_INIT;
	int ret;

	if (argc != 2)
		return usage_error("state", "expected exactly one container id");
	if (container_open(argv[1], &c, false)) {
		container_close(&c);
		return 1;
	}
	ret = print_state(&c, stdout);
	if (!ret)
		putchar('\n');
	container_close(&c);
	return ret;
}

static void list_one(const char *id, bool json, bool *first)
{
	struct container c = CONTAINER_INIT;

	if (oci_id_check(id) < 0)
		return;
	if (container_open(id, &c, false) == 0) {
		if (json) {
			fputs(*first ? "" : ",", stdout);
			print_state(&c, stdout);
		} else {
			printf("%-24s %-8d %-10s %-40s %-22s %s\n", id,
			       container_status(&c) == OCI_STATUS_STOPPED ? 0 : c.st.pid,
			       oci_status_name(container_status(&c)), c.st.bundle ? c.st.bundle : "",
			       c.st.created ? c.st.created : "", c.st.owner ? c.st.owner : "");
		}
		*first = false;
	}
	container_close(&c);
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	bool json = false, first = true;
	struct dirent **names;
	int n, ch;

	while ((ch = getopt_long(argc, argv, "f:q", opts, NULL)) != -1) {
		if (ch == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else if (ch != 'q')
			return usage_error("list", "--format: expected table or json");
	}
	n = scandir(g.root, &names, NULL, alphasort);
	if (!json)
		printf("%-24s %-8s %-10s %-40s %-22s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	else
		putchar('[');
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			list_one(names[i]->d_name, json, &first);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	if (json)
		puts("]");
	return 0;
}
