/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-run: run one program in a container realm.
 *
 *   fasco-run [--rootfs DIR] [--mem SIZE] [--env K=V]... [--cwd DIR] [--rpv HEX]
 *             [--hash ALGO] [--vcpus N] [--poll-us N] [--no-measure] [--rim] [--stats]
 *             [--event-log FILE]
 *             -- PROGRAM [ARGS...]
 *
 * The exit status is the program's; a realm ended by a signal or a fault
 * exits with 128 + the signal number, as a shell reports it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <fasco/measure.h>

#include "forward_signals.h"
#include "realm_options.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: fasco-run [OPTIONS] -- PROGRAM [ARGS...]\n" REALM_OPTION_HELP
		   "  --poll-us N   after a call, poll N microseconds for the next one without\n"
		   "                a VM exit (0: every call exits; default 200)\n"
		   "  --no-measure  skip the measurement (benchmarks; the realm cannot attest)\n"
		   "  --rim         print the realm's initial measurement (hex) to stderr\n"
		   "  --stats       print startup time, forwarded calls and peak memory to stderr\n"
		   "  --event-log FILE  write the log of the realm's REM extensions (JSON; code\n"
		   "                mapped at run time extends REM0) to FILE when it ends\n");
}

static void print_rim(fasco_realm *realm)
{
	uint8_t rim[FASCO_MEASURE_MAX_LEN];
	size_t len;

	if (fasco_realm_measurement(realm, 0, rim, sizeof(rim), &len) < 0) {
		fprintf(stderr, "fasco-run: rim: %s\n", fasco_last_error());
		return;
	}
	fprintf(stderr, "fasco-run: rim ");
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x", rim[i]);
	fprintf(stderr, "\n");
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
			fprintf(stderr, "fasco-run:   syscall %u: %llu%s\n", nr,
				(unsigned long long)st.per_syscall[nr],
				fasco_syscall_supported(nr) ? "" : " (unsupported: ENOSYS)");
}

static const char *event_log_path;

static int write_event_log(fasco_realm *realm)
{
	char *json = NULL;
	FILE *f;
	int ret = fasco_realm_event_log(realm, &json);

	if (ret < 0) {
		fprintf(stderr, "fasco-run: event log: %s\n", fasco_last_error());
		return ret;
	}
	f = fopen(event_log_path, "w");
	if (!f || fputs(json, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "fasco-run: cannot write %s\n", event_log_path);
		ret = -1;
	}
	fasco_free(json);
	return ret;
}

/* Our own options; 1 if applied, 0 if not ours, -1 on a bad value. */
static int run_option(fasco_config *cfg, struct realm_options *o, int c, const char *arg,
		      int *flags)
{
	uint64_t us;
	int ret;

	switch (c) {
	case 'p':
		if (parse_size(arg, &us) < 0 || us > UINT64_MAX / 1000) {
			fprintf(stderr, "fasco-run: bad number for --poll-us: %s\n", arg);
			return -1;
		}
		ret = fasco_config_set_param(cfg, FASCO_PARAM_POLL_NS, us * 1000);
		break;
	case 'n':
		ret = fasco_config_set_param(cfg, FASCO_PARAM_MEASURE, 0);
		break;
	case 'i': *flags |= 1; return 1;
	case 's': *flags |= 2; return 1;
	case 'L': event_log_path = arg; return 1;
	default: return 0;
	}
	if (ret < 0) {
		realm_options_fail(o, c == 'p' ? "--poll-us" : "--no-measure", ret);
		return -1;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		REALM_OPTION_TABLE,
		{ "poll-us", required_argument, NULL, 'p' }, { "no-measure", no_argument, NULL, 'n' },
		{ "rim", no_argument, NULL, 'i' },           { "stats", no_argument, NULL, 's' },
		{ "event-log", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
	};
	struct realm_options o = { .tool = "fasco-run", .rootfs = "/" };
	struct fasco_exit_info info = { .size = sizeof(info) };
	fasco_ctx *ctx = NULL;
	fasco_config *cfg = NULL;
	fasco_sysrealm *sys = NULL;
	fasco_realm *realm = NULL;
	int flags = 0, c, ret;

	if ((ret = fasco_config_create(&cfg)) < 0)
		return realm_options_fail(&o, "configuration", ret);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		ret = realm_option(cfg, &o, c, optarg);
		if (ret == 0)
			ret = run_option(cfg, &o, c, optarg, &flags);
		if (ret <= 0) {
			if (ret == 0)
				usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (realm_options_finish(cfg, &o, argc, argv, optind))
		return EXIT_USAGE;

	if ((ret = fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &ctx)) < 0)
		return realm_options_fail(&o, "library", ret);
	if ((ret = fasco_sysrealm_create(ctx, o.rootfs, &sys)) < 0)
		return realm_options_fail(&o, "system realm", ret);
	if ((ret = fasco_realm_create(ctx, cfg, &realm)) < 0 ||
	    (ret = fasco_attach_sysrealm(realm, sys)) < 0)
		return realm_options_fail(&o, "realm", ret);
	if ((ret = forward_signals_block()) < 0)
		return realm_options_fail(&o, "signal forwarding", ret);
	if ((ret = fasco_realm_load(realm)) < 0)
		return realm_options_fail(&o, argv[optind], ret);
	if (flags & 1)
		print_rim(realm);
	if ((ret = forward_signals_start(realm)) < 0)
		return realm_options_fail(&o, "signal forwarding", ret);
	ret = fasco_exec(realm, &info);
	forward_signals_to(NULL);
	if (ret < 0)
		return realm_options_fail(&o, argv[optind], ret);
	if (info.kind != FASCO_END_EXIT)
		fprintf(stderr, "fasco-run: %s: %s\n", argv[optind], info.detail);
	if (flags & 2)
		print_stats(realm);
	if (event_log_path && write_event_log(realm) < 0 && ret == 0)
		ret = 1;
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_config_destroy(cfg);
	fasco_ctx_destroy(ctx);
	return ret;
}
