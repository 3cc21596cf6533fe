/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container a realm sees: bind and tmpfs mounts, the default devices,
 * a read-only root, the hostname and the user from config.json, what the
 * program inside observes of each; targets that try to leave the root;
 * mounts the runtime must refuse, with the reason, leaving no container.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char host[96]; /* a host directory the mounts take their sources from */

static void link_applets(void)
{
	static const char *const applets[] = { "cat", "id", "hostname", "ls", "head", "wc", "stat",
					       "chown" };
	char path[512];

	for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", bundle, applets[i]);
		ck_assert_int_eq(symlink("/bin/busybox", path), 0);
	}
	snprintf(host, sizeof(host), "%s/host", dir);
	snprintf(path, sizeof(path), "mkdir -p %s/data %s/ro %s/canary && chmod 777 %s/data", host,
		 host, host, host);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/data/in", host);
	write_file(path, "from the host\n");
	snprintf(path, sizeof(path), "%s/ro/f", host);
	write_file(path, "read-only\n");
}

/* config.json with its text old (from the spec template) replaced by new. */
static void edit_config(const char *old, const char *new)
{
	char path[256], edited[65536], *doc, *at;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	doc = read_file(path);
	at = strstr(doc, old);
	ck_assert_msg(at, "config.json has no %s", old);
	snprintf(edited, sizeof(edited), "%.*s%s%s", (int)(at - doc), doc, new, at + strlen(old));
	write_file(path, edited);
}

/* The template's mounts replaced by these (the body of a JSON array). */
static void set_mounts(const char *args, const char *mounts, const char *more)
{
	char path[256], edited[65536], *doc, *from, *to;

	set_config(args, more);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	doc = read_file(path);
	from = strstr(doc, "\"mounts\": [");
	ck_assert_ptr_nonnull(from);
	to = strstr(from, "\n\t],");
	ck_assert_ptr_nonnull(to);
	snprintf(edited, sizeof(edited), "%.*s\"mounts\": [ %s ]%s", (int)(from - doc), doc, mounts,
		 to + strlen("\n\t]"));
	write_file(path, edited);
}

START_TEST(test_container_environment)
{
	char mounts[2048], path[512];
	struct result r;
	struct stat st;

	NEED_KVM();
	link_applets();
	snprintf(mounts, sizeof(mounts),
		 "{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
		 "  \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },"
		 "{ \"destination\": \"/data\", \"type\": \"bind\", \"source\": \"%s/data\","
		 "  \"options\": [ \"rbind\", \"rw\" ] },"
		 "{ \"destination\": \"/ro\", \"source\": \"%s/ro\", \"options\": [ \"bind\", \"ro\" ] },"
		 "{ \"destination\": \"/scratch\", \"type\": \"tmpfs\", \"options\": [ \"mode=1777\", \"size=1m\" ] },"
		 "{ \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" }",
		 host, host);
	set_mounts("\"sh\", \"-c\", \"hostname; id; cat /data/in; echo out > /data/out;"
		   " echo x > /ro/g || echo ro mount refused;"
		   " echo y > /new || echo ro root refused;"
		   " echo z > /scratch/f && cat /scratch/f; stat -c %a /scratch;"
		   " echo gone > /dev/null && head -c 5 /dev/zero | wc -c; ls /dev\"",
		   mounts,
		   "\"hostname\": \"realmhost\"");
	edit_config("\"user\": { \"uid\": 0, \"gid\": 0 }",
		    "\"user\": { \"uid\": 1000, \"gid\": 1000, \"additionalGids\": [ 5 ] }");
	edit_config("\"readonly\": false", "\"readonly\": true");
	OCI(&r, "run", "--bundle", bundle, "env");
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "realmhost\n"
				"uid=1000 gid=1000 groups=5\n"
				"from the host\n"
				"ro mount refused\n"
				"ro root refused\n"
				"z\n"
				"1777\n"
				"5\n"
				"full\nnull\nrandom\ntty\nurandom\nzero\n");
	ck_assert_msg(strstr(r.err, "sh: can't create /ro/g: Read-only file system") &&
			      strstr(r.err, "sh: can't create /new: Read-only file system"),
		      "stderr: %s", r.err);
	/* proc is reported, not mounted */
	ck_assert_msg(strstr(r.err, "mounts.type: not honoured"), "stderr: %s", r.err);
	/* what the container wrote through the bind is the user's, on the host */
	snprintf(path, sizeof(path), "%s/data/out", host);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_uid, 1000);
	ck_assert_uint_eq(st.st_gid, 1000);
	ck_assert_str_eq(read_file(path), "out\n");
	/* nothing written through /dev/null: the device, not a file in the image */
	snprintf(path, sizeof(path), "%s/rootfs/dev/null", bundle);
	ck_assert_int_ne(stat(path, &st), 0);
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

/*
 * A link in the image that points out of the root leads a target back into
 * it: to the image's own directory of that name, not the host's.
 */
START_TEST(test_targets_stay_in_the_root)
{
	char mounts[1024], path[512];
	struct result r;
	struct stat st;

	NEED_KVM();
	link_applets();
	snprintf(path, sizeof(path), "mkdir -p %s/rootfs/%s/canary", bundle, host);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/rootfs/escape", bundle);
	snprintf(mounts, sizeof(mounts), "/../../../../../../%s/canary", host);
	ck_assert_int_eq(symlink(mounts, path), 0);
	snprintf(mounts, sizeof(mounts),
		 "{ \"destination\": \"/escape/sub\", \"type\": \"tmpfs\" },"
		 "{ \"destination\": \"/escape/f\", \"type\": \"bind\", \"source\": \"%s/ro/f\","
		 "  \"options\": [ \"bind\", \"ro\" ] }",
		 host);
	set_mounts("\"sh\", \"-c\", \"echo t > /escape/sub/t && cat /escape/sub/t /escape/f\"", mounts,
		   NULL);
	OCI(&r, "run", "--bundle", bundle, "esc");
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "t\nread-only\n");
	/* the host's directory is untouched; the mount points were made in the image */
	snprintf(path, sizeof(path), "%s/canary/sub", host);
	ck_assert_int_ne(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/canary/f", host);
	ck_assert_int_ne(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/rootfs/%s/canary/sub", bundle, host);
	ck_assert_int_eq(stat(path, &st), 0);
}
END_TEST

/* Mounts that cannot be made fail the container with the reason, leaving nothing. */
START_TEST(test_bad_mounts)
{
	static const struct {
		const char *mount, *error;
	} cases[] = {
		{ "{ \"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [ \"size=banana\" ] }",
		  "tmpfs on /t: option size" },
		{ "{ \"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [ \"bogus=1\" ] }",
		  "tmpfs on /t: option bogus" },
		{ "{ \"destination\": \"/b\", \"type\": \"bind\", \"source\": \"/nonexistent/dir\" }",
		  "bind mount of /nonexistent/dir: No such file or directory" },
		{ "{ \"destination\": \"/b\", \"type\": \"bind\" }", "mount /b: a bind mount needs a source" },
		{ "{ \"destination\": \"/b\", \"type\": \"bind\", \"source\": \"relative\" }",
		  "bind mount source must be an absolute path: relative" },
		{ "{ \"destination\": \"/a/../../b\", \"type\": \"tmpfs\" }",
		  "mount target /a/../../b must not contain '..'" },
		{ "{ \"destination\": \"/b\", \"type\": \"bind\", \"source\": \"/tmp\","
		  "  \"options\": [ \"bind\", \"size=1m\" ] }",
		  "mount /b: option size=1m is not supported for a bind mount" },
	};
	struct result r;

	NEED_KVM();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_mounts("\"true\"", cases[i].mount, NULL);
		OCI(&r, "run", "--bundle", bundle, "bad");
		ck_assert_msg(r.status != 0 && strstr(r.err, cases[i].error),
			      "case %zu: status %d, stderr: %s", i, r.status, r.err);
		ck_assert_uint_eq(root_entries(), 0);
	}
}
END_TEST

/*
 * A root container's calls are served with the grantable part of its
 * effective capabilities: CAP_CHOWN lets it give a file away; without it
 * root in the container cannot; CAP_SYS_ADMIN is reported, not granted.
 */
START_TEST(test_capabilities)
{
	char mounts[512], path[512];
	struct result r;
	struct stat st;

	NEED_KVM();
	link_applets();
	snprintf(mounts, sizeof(mounts),
		 "{ \"destination\": \"/data\", \"type\": \"bind\", \"source\": \"%s/data\" }", host);
	set_mounts("\"sh\", \"-c\", \"echo x > /data/mine && chown 1000:1000 /data/mine && echo given\"",
		   mounts, NULL);
	edit_config("\"noNewPrivileges\": true", "\"noNewPrivileges\": true, \"capabilities\": {"
		    "\"effective\": [ \"CAP_CHOWN\", \"CAP_SYS_ADMIN\" ] }");
	OCI(&r, "run", "--bundle", bundle, "caps");
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "given\n");
	ck_assert_msg(strstr(r.err, "process.capabilities: not honoured"), "stderr: %s", r.err);
	snprintf(path, sizeof(path), "%s/data/mine", host);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_uid, 1000);
	/* none: root in the container is not root on the host's files */
	set_mounts("\"sh\", \"-c\", \"echo y > /data/other; chown 1000:1000 /data/other || echo refused\"",
		   mounts, NULL);
	OCI(&r, "run", "--bundle", bundle, "nocaps");
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "refused\n");
	ck_assert_msg(strstr(r.err, "Operation not permitted"), "stderr: %s", r.err);
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("mounts");

	tcase_add_test(tc, test_container_environment);
	tcase_add_test(tc, test_targets_stay_in_the_root);
	tcase_add_test(tc, test_bad_mounts);
	tcase_add_test(tc, test_capabilities);
	return harness_run("oci-mounts", tc);
}
