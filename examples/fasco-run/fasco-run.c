/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-run: run one program in a container realm.
 *
 *   fasco-run [--rootfs DIR] [--mem SIZE] [--env K=V]... [--cwd DIR] [--poll-us N]
 *             [--stats] -- PROGRAM [ARGS...]
 *
 * The exit status is the program's; a realm ended by a signal or a fault
 * exits with 128 + the signal number, as a shell reports it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fasco/fasco.h>

#define EXIT_USAGE 125 /* our own failure, as container runtimes report it */

static void usage(FILE *f)
{
	fprintf(f, "usage: fasco-run [--rootfs DIR] [--mem SIZE] [--env K=V]... [--cwd DIR]\n"
		   "                 [--poll-us N] [--stats] -- PROGRAM [ARGS...]\n"
		   "  --rootfs DIR  container root directory (default /)\n"
		   "  --mem SIZE    realm memory, e.g. 256M or 1G (default 256M)\n"
		   "  --env K=V     add an environment entry (repeatable)\n"
		   "  --cwd DIR     working directory inside the root (default: the current\n"
		   "                directory with the host's root, / with --rootfs)\n"
		   "  --poll-us N   after a call, poll N microseconds for the next one without\n"
		   "                a VM exit (0: every call exits; default 200)\n"
		   "  --stats       print startup time, forwarded calls and peak memory to stderr\n");
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int fail(const char *what, int code)
{
	const char *detail = fasco_last_error();

	fprintf(stderr, "fasco-run: %s: %s%s%s\n", what, fasco_strerror(code), *detail ? ": " : "", detail);
	return EXIT_USAGE;
}

static void print_stats(fasco_realm *realm)
{
	static struct fasco_realm_stats st = { .size = sizeof(st) };

	if (fasco_realm_stats(realm, &st) < 0)
		return;
	fprintf(stderr, "fasco-run: startup %.3f ms, run %.3f ms, %llu exits, %llu forwarded calls "
			"(%llu without an exit), %llu unsupported, peak host memory %.1f MiB\n",
		st.startup_ns / 1e6, st.run_ns / 1e6, (unsigned long long)st.exits,
		(unsigned long long)st.forwarded, (unsigned long long)st.polled,
		(unsigned long long)st.unsupported, st.peak_rss_bytes / 1048576.0);
	for (unsigned nr = 0; nr < 512; nr++)
		if (st.per_syscall[nr])
			fprintf(stderr, "fasco-run:   syscall %u: %llu\n", nr,
				(unsigned long long)st.per_syscall[nr]);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rootfs", required_argument, NULL, 'r' }, { "mem", required_argument, NULL, 'm' },
		{ "env", required_argument, NULL, 'e' },    { "cwd", required_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 's' },        { "help", no_argument, NULL, 'h' },
		{ "poll-us", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rootfs = "/";
	fasco_ctx *ctx = NULL;
	fasco_config *cfg = NULL;
	fasco_sysrealm *sys = NULL;
	fasco_realm *realm = NULL;
	struct fasco_exit_info info = { .size = sizeof(info) };
	int stats = 0, cwd_set = 0, c, ret;
	uint64_t mem, poll_us;

	if ((ret = fasco_config_create(&cfg)) < 0)
		return fail("configuration", ret);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rootfs = optarg; break;
		case 'm':
			if (parse_size(optarg, &mem) < 0) {
				fprintf(stderr, "fasco-run: bad size for --mem: %s\n", optarg);
				return EXIT_USAGE;
			}
			if ((ret = fasco_config_set_param(cfg, FASCO_PARAM_MEMORY_BYTES, mem)) < 0)
				return fail("--mem", ret);
			break;
		case 'e':
			if ((ret = fasco_config_add_env(cfg, optarg)) < 0)
				return fail("--env", ret);
			break;
		case 'c':
			if ((ret = fasco_config_set_cwd(cfg, optarg)) < 0)
				return fail("--cwd", ret);
			cwd_set = 1;
			break;
		case 'p':
			if (parse_size(optarg, &poll_us) < 0 || poll_us > UINT64_MAX / 1000) {
				fprintf(stderr, "fasco-run: bad number for --poll-us: %s\n", optarg);
				return EXIT_USAGE;
			}
			if ((ret = fasco_config_set_param(cfg, FASCO_PARAM_POLL_NS, poll_us * 1000)) < 0)
				return fail("--poll-us", ret);
			break;
		case 's': stats = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* with the host's root, run where we are, like any command; in a
	 * container root, start at its "/" unless --cwd says otherwise */
	if (!cwd_set && strcmp(rootfs, "/") == 0) {
		char here[4096];

		if (getcwd(here, sizeof(here)) && (ret = fasco_config_set_cwd(cfg, here)) < 0)
			return fail("working directory", ret);
	}
	if ((ret = fasco_config_set_program(cfg, argv[optind])) < 0 ||
	    (ret = fasco_config_set_argv(cfg, argc - optind, (const char *const *)argv + optind)) < 0)
		return fail("program", ret);

	if ((ret = fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &ctx)) < 0)
		return fail("library", ret);
	if ((ret = fasco_sysrealm_create(ctx, rootfs, &sys)) < 0)
		return fail("system realm", ret);
	if ((ret = fasco_realm_create(ctx, cfg, &realm)) < 0 ||
	    (ret = fasco_attach_sysrealm(realm, sys)) < 0)
		return fail("realm", ret);
	ret = fasco_exec(realm, &info);
	if (ret < 0)
		return fail(argv[optind], ret);
	if (info.kind != FASCO_END_EXIT)
		fprintf(stderr, "fasco-run: %s: %s\n", argv[optind], info.detail);
	if (stats)
		print_stats(realm);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_config_destroy(cfg);
	fasco_ctx_destroy(ctx);
	return ret;
}
