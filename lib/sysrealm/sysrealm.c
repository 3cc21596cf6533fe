/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/internal.h"

int fasco_sysrealm_create(fasco_ctx *ctx, const char *root_dir, fasco_sysrealm **ret_sysrealm)
{
	fasco_sysrealm *s;
	char *root;
	struct stat st;

	fasco_error_clear();
	fasco_check_arg(ctx && ret_sysrealm);
	if (!root_dir || !*root_dir)
		root_dir = "/";
	if (!(root = realpath(root_dir, NULL)))
		return fasco_fail(-errno, "root directory %s: %s", root_dir, strerror(errno));
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(root);
		return fasco_fail(-ENOTDIR, "root %s is not a directory", root_dir);
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		free(root);
		return -ENOMEM;
	}
	s->ctx = ctx;
	s->root = root;
	*ret_sysrealm = s;
	return 0;
}

void fasco_sysrealm_destroy(fasco_sysrealm *s)
{
	if (!s)
		return;
	free(s->root);
	free(s);
}
