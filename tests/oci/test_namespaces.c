/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host namespaces a container's realm is served in: a network
 * namespace of its own (loopback only, up), a CNI-style one joined by
 * path, and exec joining the running container's namespaces (its tmpfs,
 * hostname and network) rather than building a second container.
 * Namespace paths the runtime must refuse fail with the reason and leave
 * no container.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static void link_applets(void)
{
	static const char *const applets[] = { "cat", "hostname", "ip", "grep" };
	char path[512];

	for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", bundle, applets[i]);
		ck_assert_int_eq(symlink("/bin/busybox", path), 0);
	}
}

/* The spec template's namespaces replaced by these (the body of a JSON array). */
static void set_namespaces(const char *args, const char *namespaces, const char *more)
{
	char path[256], edited[65536], *doc, *from, *to;

	set_config(args, more);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	doc = read_file(path);
	from = strstr(doc, "\"namespaces\": [");
	ck_assert_ptr_nonnull(from);
	to = strstr(from, "]");
	ck_assert_ptr_nonnull(to);
	snprintf(edited, sizeof(edited), "%.*s\"namespaces\": [ %s ]%s", (int)(from - doc), doc,
		 namespaces, to + 1);
	write_file(path, edited);
}

/* Interfaces `ip link` lists: lines that start with an index. */
static unsigned interfaces(const char *out)
{
	unsigned n = 0;

	for (const char *line = out; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (*line >= '1' && *line <= '9')
			n++;
	return n;
}

START_TEST(test_network_namespace_of_its_own)
{
	struct result r;

	NEED_KVM();
	link_applets();
	set_namespaces("\"ip\", \"link\"", "{ \"type\": \"mount\" }, { \"type\": \"network\" }", NULL);
	OCI(&r, "run", "--bundle", bundle, "net");
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	/* only its loopback, up; the host's interfaces are not there */
	ck_assert_uint_eq(interfaces(r.out), 1);
	ck_assert_msg(strstr(r.out, "1: lo: <LOOPBACK,UP"), "ip link: %s", r.out);
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

/* A network namespace made beforehand (as CNI does), told apart by its loopback's MTU. */
START_TEST(test_network_namespace_joined)
{
	char name[64], cmd[256], ns[512];
	struct result r;

	NEED_KVM();
	link_applets();
	snprintf(name, sizeof(name), "fasco-test-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s && ip -n %s link set lo mtu 9000", name, name);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(ns, sizeof(ns), "{ \"type\": \"mount\" }, { \"type\": \"network\", \"path\": \"/run/netns/%s\" }",
		 name);
	set_namespaces("\"ip\", \"link\"", ns, NULL);
	OCI(&r, "run", "--bundle", bundle, "cni");
	snprintf(cmd, sizeof(cmd), "ip netns del %s", name);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(r.status == 0, "run: %d %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "1: lo: <LOOPBACK> mtu 9000"), "ip link: %s", r.out);
	ck_assert_uint_eq(interfaces(r.out), 1);
}
END_TEST

/* exec is served in the container's namespaces: its /dev/shm tmpfs, hostname and network. */
START_TEST(test_exec_joins_the_container)
{
	struct result r;

	NEED_KVM();
	link_applets();
	set_config("\"sh\", \"-c\", \"echo from-main > /dev/shm/m; exec sleep 100\"",
		   "\"hostname\": \"inside\"");
	OCI_OK("run", "-d", "--bundle", bundle, "x");
	wait_status("x", "running");
	for (int i = 0; i < 200; i++) { /* the main process writes it once it runs */
		OCI(&r, "exec", "x", "cat", "/dev/shm/m");
		if (r.status == 0)
			break;
		usleep(10000);
	}
	ck_assert_msg(r.status == 0, "exec cat: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "from-main\n");
	OCI(&r, "exec", "x", "sh", "-c", "hostname; echo from-exec > /dev/shm/e; ip link | grep -c '^[0-9]'");
	ck_assert_msg(r.status == 0, "exec: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "inside\n1\n");
	/* a second exec sees what the first left in the container's tmpfs */
	OCI(&r, "exec", "x", "cat", "/dev/shm/e");
	ck_assert_msg(r.status == 0, "exec cat: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "from-exec\n");
	OCI_OK("kill", "x", "KILL");
	wait_status("x", "stopped");
	OCI_OK("delete", "x");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

START_TEST(test_bad_namespaces)
{
	static const struct {
		const char *namespaces, *error;
	} cases[] = {
		{ "{ \"type\": \"network\", \"path\": \"/nonexistent/ns\" }",
		  "linux.namespaces: network namespace /nonexistent/ns: No such file or directory" },
		{ "{ \"type\": \"network\", \"path\": \"/etc/hostname\" }",
		  "linux.namespaces: /etc/hostname is not a network namespace" },
		{ "{ \"type\": \"uts\", \"path\": \"/proc/self/ns/net\" }",
		  "linux.namespaces: /proc/self/ns/net is not a uts namespace" },
		{ "{ \"type\": \"mount\", \"path\": \"/proc/self/ns/mnt\" }",
		  "linux.namespaces: joining the mount namespace /proc/self/ns/mnt is not supported" },
	};
	struct result r;

	NEED_KVM();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_namespaces("\"true\"", cases[i].namespaces, NULL);
		OCI(&r, "run", "--bundle", bundle, "bad");
		ck_assert_msg(r.status != 0 && strstr(r.err, cases[i].error),
			      "case %zu: status %d, stderr: %s", i, r.status, r.err);
		ck_assert_uint_eq(root_entries(), 0);
	}
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("namespaces");

	tcase_add_test(tc, test_network_namespace_of_its_own);
	tcase_add_test(tc, test_network_namespace_joined);
	tcase_add_test(tc, test_exec_joins_the_container);
	tcase_add_test(tc, test_bad_namespaces);
	return harness_run("oci-namespaces", tc);
}
