/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where linux.cgroupsPath puts a container's cgroup in each hierarchy:
 * absolute paths from the hierarchy's root, relative ones from this
 * process's own cgroup, the systemd form as the directory systemd would
 * give the unit. Every result is a clean path ("/a/b") strictly below the
 * root; the parser has already refused ".." and control characters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "oci/cgroup.h"

#define FIELD "linux.cgroupsPath"
#define DEFAULT_PARENT "/fasco"
#define SYSTEMD_PARENT "system.slice"

/* Append the components of add to out ("" and "." dropped, ".." refused). */
static int append_clean(char *out, size_t cap, const char *add)
{
	size_t len = strlen(out);

	while (*add) {
		size_t n;

		add += strspn(add, "/");
		n = strcspn(add, "/");
		if (!n || (n == 1 && add[0] == '.')) {
			add += n;
			continue;
		}
		if (n == 2 && add[0] == '.' && add[1] == '.')
			return fasco_fail(FASCO_E_CONFIG, FIELD ": a \"..\" component would leave the "
					  "cgroup hierarchy");
		if (len + 1 + n >= cap)
			return fasco_fail(FASCO_E_CONFIG, FIELD ": longer than %zu bytes", cap - 1);
		out[len++] = '/';
		memcpy(out + len, add, n);
		len += n;
		out[len] = '\0';
		add += n;
	}
	return 0;
}

/*
 * A systemd slice as its directory: "a-b.slice" is /a.slice/a-b.slice,
 * "-.slice" the root.
 */
static int expand_slice(const char *slice, char *out, size_t cap)
{
	size_t len = strlen(slice), suffix = strlen(".slice");

	out[0] = '\0';
	if (!strcmp(slice, "-.slice"))
		return 0;
	if (len <= suffix || strcmp(slice + len - suffix, ".slice") || strchr(slice, '/') ||
	    slice[0] == '-' || strstr(slice, "--") || slice[len - suffix - 1] == '-')
		return fasco_fail(FASCO_E_CONFIG, FIELD ": \"%s\" is not a systemd slice name", slice);
	for (size_t i = 0; i < len - suffix; i++) {
		if (slice[i] != '-')
			continue;
		if ((size_t)snprintf(out + strlen(out), cap - strlen(out), "/%.*s.slice", (int)i,
				     slice) >= cap - strlen(out))
			return fasco_fail(FASCO_E_CONFIG, FIELD ": too long");
	}
	if ((size_t)snprintf(out + strlen(out), cap - strlen(out), "/%s", slice) >= cap - strlen(out))
		return fasco_fail(FASCO_E_CONFIG, FIELD ": too long");
	return 0;
}

/* "slice:prefix:name" as the unit's directory. */
static int systemd_path(const char *path, char *out, size_t cap)
{
	char slice[256], prefix[256], unit[512];
	const char *c1 = strchr(path, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	const char *name = c2 ? c2 + 1 : NULL;
	int r;

	if (!c2 || strchr(name, ':') || !*name || (size_t)(c1 - path) >= sizeof(slice) ||
	    (size_t)(c2 - c1 - 1) >= sizeof(prefix) || strlen(name) >= 256)
		return fasco_fail(FASCO_E_CONFIG, FIELD ": \"%s\": --systemd-cgroup expects "
				  "\"slice:prefix:name\"", path);
	snprintf(slice, sizeof(slice), "%.*s", (int)(c1 - path), path);
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	if ((r = expand_slice(*slice ? slice : SYSTEMD_PARENT, out, cap)) < 0)
		return r;
	if (strlen(name) > 6 && !strcmp(name + strlen(name) - 6, ".slice"))
		snprintf(unit, sizeof(unit), "%s", name); /* a slice of its own */
	else
		snprintf(unit, sizeof(unit), "%s%s%s.scope", prefix, *prefix ? "-" : "", name);
	if (strchr(unit, '/'))
		return fasco_fail(FASCO_E_CONFIG, FIELD ": \"%s\": a unit name has no '/'", path);
	return append_clean(out, cap, unit);
}

int oci_cgroup_own_parse(struct oci_cgroup *cg, const char *text)
{
	for (const char *line = text, *next; *line; line = next) {
		size_t end = strcspn(line, "\n");
		const char *c1 = memchr(line, ':', end);
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(line + end - c1 - 1)) : NULL;

		next = line + end + (line[end] == '\n');
		if (!c2)
			continue;
		for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++) {
			const char *want = cg->version == 1 ? oci_cg_ctrl_name((enum oci_cg_ctrl)i) : "";
			size_t wl = strlen(want);
			bool match = cg->version == 2 ? c2 == c1 + 1 && !strncmp(line, "0:", 2) : false;

			for (const char *s = c1 + 1; cg->version == 1 && s < c2; s += strcspn(s, ",:") + 1)
				match |= (size_t)(strcspn(s, ",:")) == wl && !strncmp(s, want, wl);
			if (match)
				snprintf(cg->h[i].own, sizeof(cg->h[i].own), "%.*s",
					 (int)(line + end - c2 - 1), c2 + 1);
		}
	}
	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++)
		if (!cg->h[i].own[0])
			snprintf(cg->h[i].own, sizeof(cg->h[i].own), "/");
	return 0;
}

int oci_cgroup_own(struct oci_cgroup *cg)
{
	_cleanup_close_ int fd = -1;
	char text[8192];
	ssize_t n;

	if (cg->h[0].own[0])
		return 0;
	fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, text, sizeof(text) - 1)) < 0)
		return fasco_fail(-errno, "/proc/self/cgroup: %s", strerror(errno));
	text[n] = '\0';
	return oci_cgroup_own_parse(cg, text);
}

/* The path of hierarchy i from base (a clean path, "" for the root) and rel. */
static int place(struct oci_cgroup *cg, size_t i, const char *base, const char *rel,
		 const char *given)
{
	struct oci_cg_hier *h = &cg->h[i];
	int r;

	h->path[0] = '\0';
	if ((r = append_clean(h->path, sizeof(h->path), base)) < 0 ||
	    (r = append_clean(h->path, sizeof(h->path), rel)) < 0)
		return r;
	if (!h->path[0])
		return fasco_fail(FASCO_E_CONFIG, FIELD ": \"%s\" names the root of the cgroup "
				  "hierarchy", given);
	if (h->own[0] && !strcmp(h->path, h->own))
		return fasco_fail(FASCO_E_CONFIG, FIELD ": \"%s\" names fasco-oci's own cgroup",
				  given);
	return 0;
}

int oci_cgroup_resolve(struct oci_cgroup *cg, const char *path, const char *id, bool systemd)
{
	char rel[OCI_CGROUP_PATH_MAX];
	bool relative;
	int r;

	if (!path) {
		snprintf(rel, sizeof(rel), DEFAULT_PARENT "/%s", id);
	} else if (systemd) {
		if ((r = systemd_path(path, rel, sizeof(rel))) < 0)
			return r;
	} else {
		snprintf(rel, sizeof(rel), "%s", path);
	}
	relative = rel[0] != '/';
	if (relative && (r = oci_cgroup_own(cg)) < 0)
		return r;
	for (size_t i = 0; i < oci_cgroup_hiers(cg->version); i++)
		if ((r = place(cg, i, relative ? cg->h[i].own : "", rel, path ? path : rel)) < 0)
			return r;
	return 0;
}
