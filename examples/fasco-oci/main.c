/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-oci: a runc-compatible OCI runtime whose containers run in
 * container realms. Global options come before the command, as with runc:
 *
 *   fasco-oci [--root DIR] [--log FILE] [--log-format text|json] [--debug]
 *             [--systemd-cgroup] COMMAND [OPTIONS] ARGS
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <fasco/fasco.h>

#include "cli.h"

struct globals g = { .root = DEFAULT_ROOT };

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "create", cmd_create, "create a container (loaded realm, program not started)" },
	{ "start", cmd_start, "start the program of a created container" },
	{ "run", cmd_run, "create and start a container, wait for it unless -d" },
	{ "exec", cmd_exec, "run another process in a running container" },
	{ "state", cmd_state, "print a container's state as JSON" },
	{ "list", cmd_list, "list containers (--format table|json)" },
	{ "kill", cmd_kill, "send a signal to a container's process (default SIGTERM)" },
	{ "delete", cmd_delete, "delete a container (--force: even if it runs)" },
	{ "ps", cmd_ps, "list a container's host processes (--format table|json)" },
	{ "events", cmd_events, "print a container's resource usage as JSON lines (--stats: once)" },
	{ "pause", cmd_pause, "freeze a running container" },
	{ "resume", cmd_resume, "thaw a paused container" },
	{ "update", cmd_update, "change a container's resources (--resources FILE|-, --cpuset-cpus)" },
	{ "attest", cmd_attest, "a fresh attestation token of a container (--challenge HEX)" },
	{ "spec", cmd_spec, "write a template config.json" },
	{ "features", cmd_features, "print what this runtime supports, as JSON" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: fasco-oci [global options] COMMAND [options] ARGS\n\n"
		   "global options:\n"
		   "  --root DIR           state directory (default %s)\n"
		   "  --log FILE           log file (appended)\n"
		   "  --log-format FMT     text or json (default text)\n"
		   "  --debug              debug messages\n"
		   "  --systemd-cgroup     cgroupsPath is \"slice:prefix:name\" (mapped to systemd's\n"
		   "                       directories; systemd itself is not asked)\n\ncommands:\n",
		DEFAULT_ROOT);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "systemd-cgroup", no_argument, NULL, 's' },
		{ "criu", required_argument, NULL, 'c' },
		{ "rootless", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	int c;

	/* "+": stop at the command; its own options are parsed by it */
	while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (c) {
		case 'r': g.root = optarg; break;
		case 'l': g.log_path = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return fail("--log-format: expected text or json, got \"%s\"", optarg);
			g.log_json = !strcmp(optarg, "json");
			break;
		case 'd': g.debug = true; break;
		case 's': g.systemd_cgroup = true; break;
		case 'c': case 'R': break;
		case 'h': usage(stdout); return 0;
		case 'v':
			printf("fasco-oci version %s\nspec: 1.0.2\n", fasco_version());
			return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			char **sub = argv + optind;
			int subc = argc - optind;

			optind = 0; /* getopt starts afresh on the command's arguments */
			return commands[i].fn(subc, sub);
		}
	}
	return fail("unknown command \"%s\"", argv[optind]);
}
