/* SPDX-License-Identifier: Apache-2.0 */
/* spec: a template config.json; features: what this runtime supports. */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "oci/jsonw.h"
#include "oci/sysrealm_config.h"

/* Only what fasco-oci honours, so that the template runs without warnings. */
static const char spec_template[] =
	"{\n"
	"\t\"ociVersion\": \"1.0.2\",\n"
	"\t\"process\": {\n"
	"\t\t\"terminal\": false,\n"
	"\t\t\"user\": { \"uid\": 0, \"gid\": 0 },\n"
	"\t\t\"args\": [ \"sh\" ],\n"
	"\t\t\"env\": [\n"
	"\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	"\t\t\t\"TERM=xterm\"\n"
	"\t\t],\n"
	"\t\t\"cwd\": \"/\",\n"
	"\t\t\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
	"\t\t\"noNewPrivileges\": true\n"
	"\t},\n"
	"\t\"root\": { \"path\": \"rootfs\", \"readonly\": false },\n"
	"\t\"mounts\": [\n"
	"\t\t{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"\t\t  \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
	"\t\t{ \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
	"\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] }\n"
	"\t],\n"
	"\t\"linux\": {\n"
	"\t\t\"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"ipc\" }, { \"type\": \"uts\" },\n"
	"\t\t\t{ \"type\": \"mount\" }, { \"type\": \"network\" } ]\n"
	"\t},\n"
	"\t\"annotations\": { \"org.fasco.memory\": \"256M\" }\n"
	"}\n";

int cmd_spec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'r' },
		{ 0 },
	};
	const char *bundle = ".";
	char path[PATH_MAX];
	int ch, fd;

	while ((ch = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (ch == 'b')
			bundle = optarg;
		else if (ch != 'r')
			return usage_error("spec", "unknown option");
	}
	if (optind != argc)
		return usage_error("spec", "no arguments expected");
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return fail("spec: bundle path too long");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail("spec: %s: %s", path, errno == EEXIST ? "File exists" : strerror(errno));
	if (write(fd, spec_template, sizeof(spec_template) - 1) != (ssize_t)sizeof(spec_template) - 1) {
		close(fd);
		return fail("spec: write %s: %s", path, strerror(errno));
	}
	return close(fd) < 0 ? fail("spec: %s: %s", path, strerror(errno)) : 0;
}

static void string_list(const char *const *v, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			putchar(',');
		oci_json_string(stdout, v[i]);
	}
	putchar(']');
}

/* The runtime-spec features document, and what is not honoured yet. */
int cmd_features(int argc, char **argv)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop" };
	/* pid: a realm's process ids are its own in any case */
	static const char *const namespaces[] = { "mount", "uts", "ipc", "network", "cgroup", "pid" };
	const char *mount_options[64];
	size_t n_options = 0;

	(void)argv;
	if (argc != 1)
		return usage_error("features", "no arguments expected");
	printf("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.1.0\",\"hooks\":");
	string_list(hooks, 6);
	while (n_options < 64 && (mount_options[n_options] = oci_mount_option(n_options)))
		n_options++;
	printf(",\"mountOptions\":");
	string_list(mount_options, n_options);
	printf(",\"linux\":{\"namespaces\":");
	string_list(namespaces, sizeof(namespaces) / sizeof(namespaces[0]));
	printf(",\"capabilities\":[],\"cgroup\":{\"v1\":false,\"v2\":false,\"systemd\":false,"
	       "\"systemdUser\":false},\"seccomp\":{\"enabled\":false},\"apparmor\":{\"enabled\":"
	       "false},\"selinux\":{\"enabled\":false}},\"annotations\":{");
	printf("\"org.fasco.memory\":\"realm memory: bytes or K/M/G (else linux.resources.memory."
	       "limit), rounded up to 2 MiB\",\"org.fasco.rpv\":\"realm personalization value, 128 "
	       "hex digits\",\"org.fasco.hash-algo\":\"sha256 or sha512\",\"org.fasco.vcpus\":"
	       "\"vCPU count\"");
	for (size_t i = 0; oci_limitations[i].field; i++) {
		char key[128];

		snprintf(key, sizeof(key), "org.fasco.not-honoured.%s", oci_limitations[i].field);
		putchar(',');
		oci_json_string(stdout, key);
		putchar(':');
		oci_json_string(stdout, oci_limitations[i].why);
	}
	printf("}}\n");
	return 0;
}
