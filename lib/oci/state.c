/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "oci/jsonw.h"
#include "oci/proc.h"
#include "oci/state.h"
#include "oci/store.h"

#define STATE_MAX_BYTES (1u << 20)

static const char *const status_names[] = {
	[OCI_STATUS_CREATING] = "creating",
	[OCI_STATUS_CREATED] = "created",
	[OCI_STATUS_RUNNING] = "running",
	[OCI_STATUS_STOPPED] = "stopped",
	[OCI_STATUS_PAUSED] = "paused",
};

const char *oci_status_name(enum oci_status status)
{
	return status < sizeof(status_names) / sizeof(status_names[0]) ? status_names[status]
								       : "unknown";
}

static void field(FILE *f, const char *name, const char *value)
{
	fprintf(f, ",\"%s\":", name);
	oci_json_string(f, value ? value : "");
}

int oci_state_render(const struct oci_state *s, enum oci_status status, enum oci_state_view view,
		     char **ret, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	fputs("{\"ociVersion\":\"1.0.2\"", f);
	field(f, "id", s->id);
	field(f, "status", oci_status_name(status));
	/* a container that is not running has no process to name */
	fprintf(f, ",\"pid\":%d",
		status == OCI_STATUS_STOPPED && view != OCI_VIEW_DISK ? 0 : s->pid);
	field(f, "bundle", s->bundle);
	if (view != OCI_VIEW_SPEC) {
		field(f, "rootfs", s->rootfs);
		field(f, "created", s->created);
		field(f, "owner", s->owner);
	}
	if (view == OCI_VIEW_DISK)
		fprintf(f, ",\"startTime\":%llu", (unsigned long long)s->start_time);
	fputs(",\"annotations\":", f);
	oci_json_annotations(f, &s->annotations);
	fputs("}", f);
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

int oci_state_save(int dirfd, const struct oci_state *s, enum oci_durability durability)
{
	_cleanup_free_ char *doc = NULL;
	size_t len;
	int r = oci_state_render(s, s->status, OCI_VIEW_DISK, &doc, &len);

	if (r < 0)
		return r;
	return oci_write_atomic_as(dirfd, OCI_STATE_FILE, doc, len, 0600, durability);
}

static int read_status(struct oci_parser *p, void *dst)
{
	_cleanup_free_ char *name = NULL;
	int r = oci_read_string(p, &name);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
		if (!strcmp(name, status_names[i])) {
			*(enum oci_status *)dst = (enum oci_status)i;
			return 0;
		}
	}
	return oci_fail(p, "unknown status \"%s\"", name);
}

static int read_pid(struct oci_parser *p, void *dst)
{
	uint32_t v;
	int r = oci_read_u32(p, &v);

	if (r < 0)
		return r;
	if (v > 4194304) /* PID_MAX_LIMIT */
		return oci_fail(p, "%u is not a process id", v);
	*(int *)dst = (int)v;
	return 0;
}

int oci_state_load(int dirfd, struct oci_state *s)
{
	static const struct oci_field fields[] = {
		OCI_FIELD("id", oci_read_string, struct oci_state, id, true),
		OCI_FIELD("status", read_status, struct oci_state, status, true),
		OCI_FIELD("pid", read_pid, struct oci_state, pid, true),
		OCI_FIELD("bundle", oci_read_string, struct oci_state, bundle, true),
		OCI_FIELD("rootfs", oci_read_string, struct oci_state, rootfs, false),
		OCI_FIELD("created", oci_read_string, struct oci_state, created, false),
		OCI_FIELD("owner", oci_read_string, struct oci_state, owner, false),
		OCI_FIELD("startTime", oci_read_u64, struct oci_state, start_time, false),
		OCI_FIELD("annotations", oci_read_annotations, struct oci_state, annotations, false),
	};
	_cleanup_free_ struct oci_parser *p = malloc(sizeof(*p));
	_cleanup_free_ char *doc = NULL;
	size_t len;
	int r;

	*s = (struct oci_state){ 0 };
	if (!p)
		return -ENOMEM;
	if ((r = oci_read_file(dirfd, OCI_STATE_FILE, STATE_MAX_BYTES, &doc, &len)) < 0)
		return r;
	oci_parser_init(p, doc, len);
	r = oci_read_object(p, fields, sizeof(fields) / sizeof(fields[0]), s, NULL);
	if (r >= 0 && (r = json_finish(&p->j)) < 0)
		fasco_fail_wrap(r, "state.json");
	if (r < 0)
		oci_state_clear(s);
	return r;
}

void oci_state_clear(struct oci_state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->rootfs);
	free(s->created);
	free(s->owner);
	oci_annotations_free(&s->annotations);
	*s = (struct oci_state){ 0 };
}

enum oci_status oci_state_derive(const struct oci_state *s, int dirfd)
{
	uint64_t start;
	struct stat st;
	char letter;

	if (s->status == OCI_STATUS_STOPPED || !oci_proc_alive(s->pid, s->start_time))
		return OCI_STATUS_STOPPED;
	if (s->status == OCI_STATUS_CREATING)
		return OCI_STATUS_CREATING;
	if (fstatat(dirfd, OCI_CREATED_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return OCI_STATUS_CREATED;
	/* pause stops the container's processes with SIGSTOP */
	if (oci_proc_stat(s->pid, &start, &letter) == 0 && letter == 'T')
		return OCI_STATUS_PAUSED;
	return OCI_STATUS_RUNNING;
}
