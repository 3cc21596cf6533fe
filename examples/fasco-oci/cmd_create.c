/* SPDX-License-Identifier: Apache-2.0 */
/*
 * create: check the bundle, record the container as "creating", fork the
 * keeper (keeper.c) which loads the realm, run the create hooks, record
 * "created" and let the keeper outlive us. Any failure removes everything
 * created so far. Killed at any point, it leaves state that tells the
 * truth: until the commit below, the keeper dies with us (PDEATHSIG).
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fasco/fasco.h>

#include "cgroups.h"
#include "cli.h"
#include "holder.h"
#include "keeper_ctl.h"
#include "common/cleanup.h"
#include "oci/cpuset.h"
#include "oci/proc.h"
#include "oci/realm_config.h"
#include "oci/store.h"

static void warn_adjusted(void *userdata, const char *message)
{
	log_msg(LOG_WARN, "%s: %s", (const char *)userdata, message);
}

static void warn_unhonoured(void *userdata, const char *field, const char *why)
{
	log_msg(LOG_WARN, "%s: %s: not honoured: %s", (const char *)userdata, field, why);
}

/* What create builds before anything is written under --root. */
struct bundle {
	char path[PATH_MAX], rootfs[PATH_MAX];
	struct oci_config *cfg;
	char *doc;
	size_t doc_len;
	size_t n; /* realms: the container's process, then its stages */
	fasco_config *fcfg[HOLDER_REALMS_MAX];
	uint8_t config_digest[OCI_CONFIG_DIGEST_LEN];
	char program[HOLDER_REALMS_MAX][PATH_MAX]; /* inside the root */
	struct oci_cgroup cg; /* version 0: the container gets no cgroup */
};

static void bundle_free(struct bundle *b)
{
	oci_config_free(b->cfg);
	free(b->doc);
	for (size_t i = 0; i < b->n; i++)
		fasco_config_destroy(b->fcfg[i]);
	oci_cgroup_close(&b->cg);
}

/* Realm i's program and configuration. */
static int bundle_realm(const char *id, struct bundle *b, int rootfd, size_t i)
{
	int r;

	if ((r = oci_find_program(rootfd, b->cfg, i, b->program[i], sizeof(b->program[i]))) < 0)
		return fail_code(r, "config.json");
	if ((r = fasco_config_create(&b->fcfg[i])) < 0 ||
	    (r = oci_realm_config(b->cfg, i, b->program[i], b->fcfg[i], warn_adjusted, (void *)id)) < 0 ||
	    (r = oci_realm_config_digest(b->fcfg[i], b->doc, b->doc_len, b->config_digest)) < 0)
		return fail_code(r, "config.json");
	return 0;
}

static int bundle_load(const char *id, const struct create_opts *o, struct bundle *b)
{
	_cleanup_close_ int rootfd = -1;
	char joined[2 * PATH_MAX];
	int r;

	if (!realpath(o->bundle ? o->bundle : ".", b->path))
		return fail("bundle %s: %s", o->bundle ? o->bundle : ".", strerror(errno));
	if ((r = oci_config_load(b->path, &b->cfg, &b->doc, &b->doc_len)) < 0)
		return fail_code(r, "config.json");
	snprintf(joined, sizeof(joined), "%s%s%s", b->cfg->root.path[0] == '/' ? "" : b->path,
		 b->cfg->root.path[0] == '/' ? "" : "/", b->cfg->root.path);
	if (!realpath(joined, b->rootfs))
		return fail("root.path: %s: %s", joined, strerror(errno));
	rootfd = open(b->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fail("root.path: %s: %s", b->rootfs, strerror(errno));
	if (b->cfg->process.terminal && !o->console_socket)
		return fail("process.terminal is set: --console-socket is required");
	if (!b->cfg->process.terminal && o->console_socket)
		return fail("--console-socket given but process.terminal is not set");
	/* counted first: a configuration made before a failure is freed with the others */
	while (b->n < oci_realm_count(b->cfg))
		if (bundle_realm(id, b, rootfd, b->n++))
			return 1;
	if (b->cfg->linux_.resources.cpu_cpus &&
	    (r = oci_cpuset_parse(b->cfg->linux_.resources.cpu_cpus, &(cpu_set_t){ 0 })) < 0)
		return fail_code(r, "linux.resources.cpu");
	oci_config_unhonoured(b->cfg, warn_unhonoured, (void *)id);
	if (o->preserve_fds)
		warn_unhonoured((void *)id, oci_limitations[OCI_LIMIT_PRESERVE_FDS].field,
				oci_limitations[OCI_LIMIT_PRESERVE_FDS].why);
	return cgroup_plan(id, b->cfg, &b->cg);
}

/*
 * Record the state. Only the "created" record is made durable (its
 * directory fsync also covers config.json's rename): a crash of the
 * machine before it ends the create and leaves a directory whose state is
 * missing, damaged or names a dead process, which is reported as stopped
 * and deleted, the truth for a create that died. So the "creating" records
 * are written without fsync: they must only survive fasco-oci being
 * killed, which the atomic rename alone ensures.
 */
static int record(struct container *c, enum oci_status status, pid_t pid)
{
	uint64_t start = 0;
	char st;
	int r;

	if (oci_proc_stat(pid, &start, &st) < 0)
		return fail("%s: process %d vanished", c->id, (int)pid);
	c->st.status = status;
	c->st.pid = pid;
	c->st.start_time = start;
	if ((r = oci_state_save(c->dirfd, &c->st,
				status == OCI_STATUS_CREATED && !c->sync_later ? OCI_DURABLE
									       : OCI_VOLATILE)) < 0)
		return fail_code(r, "state.json");
	return 0;
}

static bool has_create_hooks(const struct oci_config *cfg)
{
	for (int k = OCI_HOOK_PRESTART; k <= OCI_HOOK_CREATE_CONTAINER; k++)
		if (cfg->hooks[k].n)
			return true;
	return false;
}

static int initial_state(struct container *c, const struct bundle *b)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	int r;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	c->st.id = strdup(c->id);
	c->st.bundle = strdup(b->path);
	c->st.rootfs = strdup(b->rootfs);
	c->st.created = strdup(when);
	c->st.owner = strdup("");
	if (!c->st.id || !c->st.bundle || !c->st.rootfs || !c->st.created || !c->st.owner)
		return fail("out of memory");
	/* the annotations move into the state; the config keeps none */
	c->st.annotations = b->cfg->annotations;
	b->cfg->annotations = (struct oci_annotations){ 0 };
	/* durable with the "created" record: delete's poststop hooks and exec read it */
	if ((r = oci_write_atomic_as(c->dirfd, OCI_CONFIG_FILE, b->doc, b->doc_len, 0600,
				     c->sync_later ? OCI_VOLATILE : OCI_DURABLE_FILE)) < 0)
		return fail_code(r, "config.json");
	r = openat(c->dirfd, OCI_CREATED_FILE, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		   0600);
	if (r < 0)
		return fail("%s: %s", OCI_CREATED_FILE, strerror(errno));
	close(r);
	return record(c, OCI_STATUS_CREATING, getpid());
}

int write_pid_file(const char *path, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	/* it names a process a crash of the machine ends: atomic is enough */
	int r = oci_write_atomic_path(path, buf, (size_t)n, 0644, OCI_VOLATILE);

	return r < 0 ? fail_code(r, "--pid-file") : 0;
}

/*
 * The realms this process holds (run in the foreground: no keeper, no
 * pipes), whose load began before the container's files were written.
 */
static int load_here(struct container *c, struct bundle *b, struct holder *h,
		     struct keeper_report *rep)
{
	const char *what = NULL;
	int r;

	if ((r = holder_load_finish(h, &what)) < 0 ||
	    (r = holder_confine_monitors(h, b->cfg, &what)) < 0)
		return fail("%s: %s: %s", c->id, what, fasco_last_error());
	if ((h->lfd = keeper_ctl_listen(c->dirfd)) < 0)
		return fail("%s: control socket: %s", c->id, strerror(-h->lfd));
	for (size_t i = 0; i < b->n; i++)
		holder_measurements(h->realm[i], &rep[i]);
	return 0;
}

/*
 * Run in the foreground: the realms' monitors are forked first and build
 * the realms while the container's files are written (load_here waits).
 */
static int begin_here(const char *id, struct bundle *b, struct holder *h)
{
	const char *what = NULL;
	int r;

	/* the monitors are forked in the cgroup and stay there; this process does not */
	if (cgroup_make(id, b->cfg, &b->cg) || cgroup_enter_briefly(&b->cg, id)) {
		oci_cgroup_remove(&b->cg, true);
		return 1;
	}
	r = holder_load_begin(h, b->rootfs, b->cfg, b->fcfg, b->n, &what);
	cgroup_leave(&b->cg, id);
	if (r < 0) {
		fail("%s: %s: %s", id, what, fasco_last_error());
		holder_release(h);
		oci_cgroup_remove(&b->cg, true);
		return 1;
	}
	return 0;
}

/* The name of realm i as evidence keys take it: NULL for the container's process. */
static const char *stage_of(const struct bundle *b, size_t i)
{
	return i ? oci_realm_name(b->cfg, i) : NULL;
}

/* Each realm's image in the artifact store, while the realms load. */
static int store_artifacts(struct container *c, const struct bundle *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (artifacts_store(c, b->rootfs, b->program[i], stage_of(b, i)))
			return 1;
	return 0;
}

/* The keeper's report of each realm it loaded (a failure ends its reports). */
static int read_reports(struct container *c, int fd, size_t n, struct keeper_report *rep)
{
	for (size_t i = 0; i < n; i++) {
		if (keeper_read_report(fd, &rep[i]) < 0)
			return fail("%s: the container process died while loading the realm", c->id);
		if (rep[i].code < 0)
			return fail("%s: %s", c->id, rep[i].detail);
	}
	return 0;
}

static int record_evidence(struct container *c, const struct bundle *b,
			   const struct keeper_report *rep)
{
	int r = evidence_config_digest(&c->st.annotations, b->config_digest,
				       sizeof(b->config_digest));

	for (size_t i = 0; r == 0 && i < b->n; i++)
		r = evidence_annotate(&c->st.annotations, stage_of(b, i), &rep[i], b->fcfg[i]);
	return r < 0 ? fail_code(r, "measurements") : 0;
}

/*
 * The container's cgroup, recorded before it is made (made: run in the
 * foreground made it already), so that a create killed half-way leaves
 * what delete needs to remove it.
 */
static int make_cgroup(struct container *c, struct bundle *b, bool made)
{
	int r;

	if (!b->cg.version)
		return 0;
	if ((r = oci_cgroup_record(c->dirfd, &b->cg)) < 0)
		return fail_code(r, OCI_CGROUP_FILE);
	if (made)
		return 0;
	if (cgroup_make(c->id, b->cfg, &b->cg))
		return 1;
	if (!b->cg.version) /* none could be made, and none was needed */
		unlinkat(c->dirfd, OCI_CGROUP_FILE, 0);
	return 0;
}

/* After the container directory exists: everything that can fail and be undone. */
static int create_in_dir(struct container *c, const struct create_opts *o, struct bundle *b,
			 pid_t *ret_keeper, struct holder *held)
{
	struct keeper_args a = { .cfg = b->cfg, .fasco_cfg = b->fcfg, .n_realms = b->n,
				 .rootfs = b->rootfs, .preserve_fds = o->preserve_fds };
	struct keeper_pipes kp = { { -1, -1 }, { -1, -1 } };
	struct keeper_report rep[HOLDER_REALMS_MAX] = { 0 };
	_cleanup_close_ int tty = -1;
	pid_t keeper = getpid();
	int r;

	fault_point("create-dir");
	c->sync_later = held != NULL;
	if (initial_state(c, b) || make_cgroup(c, b, held != NULL))
		return 1;
	a.cgroup = b->cg.version ? &b->cg : NULL;
	fault_point("create-state");
	if (!held && o->console_socket && (r = console_setup(o->console_socket, &tty)) < 0)
		return fail_code(r, "--console-socket");
	if (!held && (keeper = keeper_spawn(&a, &c->dirfd, &tty, &kp)) < 0)
		return fail("fork: %s", strerror(-keeper));
	*ret_keeper = keeper;
	_cleanup_close_ int report = kp.report[0], commit = kp.commit[1];

	/* while the realms load (in the keeper, or begun by create_container) */
	if (store_artifacts(c, b))
		return 1;
	fault_point("create-fork");
	if (held ? load_here(c, b, held, rep) : read_reports(c, report, b->n, rep))
		return 1;
	fault_point("create-loaded");
	if (record_evidence(c, b, rep))
		return 1;
	/* the hooks' state on disk names the container process (and only then is it needed) */
	if (has_create_hooks(b->cfg) && record(c, OCI_STATUS_CREATING, keeper))
		return 1;
	for (int k = OCI_HOOK_PRESTART; k <= OCI_HOOK_CREATE_CONTAINER; k++)
		if ((r = container_hooks(c, b->cfg, k, OCI_STATUS_CREATING)) < 0)
			return fail_code(r, c->id);
	fault_point("create-hooks");
	if (record(c, OCI_STATUS_CREATED, keeper))
		return 1;
	fault_point("create-created");
	/* commit: the keeper stops dying with us, then acknowledges */
	if (!held && keeper_commit(&kp) < 0)
		return fail("%s: the container process died before it was committed", c->id);
	fault_point("create-committed");
	if (o->pid_file && write_pid_file(o->pid_file, keeper))
		return 1;
	return 0;
}

int create_container(const char *id, const struct create_opts *o, pid_t *ret_keeper,
		     struct holder *held)
{
	struct container c = CONTAINER_INIT;
	struct bundle b = { 0 };
	pid_t keeper = -1;
	int r, ret;

	c.id = id;
	oci_cgroup_init(&b.cg);
	if ((r = oci_id_check(id)) < 0)
		return fail_code(r, "create");
	/* everything is checked before anything is written under --root */
	if (bundle_load(id, o, &b) || (held && begin_here(id, &b, held))) {
		bundle_free(&b);
		return 1;
	}
	if ((r = oci_root_open(g.root, true, &c.rootfd)) < 0 ||
	    (r = oci_dir_create(c.rootfd, id, &c.dirfd)) < 0 ||
	    (r = oci_lock(c.dirfd, false, &c.lockfd)) < 0) {
		ret = fail_code(r, "create");
		if (c.dirfd >= 0)
			oci_dir_remove(c.rootfd, id);
		if (held)
			holder_release(held);
		oci_cgroup_remove(&b.cg, true);
		container_close(&c);
		bundle_free(&b);
		return ret;
	}
	ret = create_in_dir(&c, o, &b, &keeper, held);
	if (ret) {
		if (held) {
			holder_release(held);
		} else if (keeper > 0) {
			kill(keeper, SIGKILL);
			waitpid(keeper, NULL, 0);
		}
		/* the monitors still exiting are waited for (and killed) first */
		if (oci_cgroup_remove(&b.cg, true) < 0)
			log_msg(LOG_WARN, "%s: %s", id, fasco_last_error());
		oci_dir_remove(c.rootfd, id);
		artifacts_release(c.rootfd, id);
	} else {
		*ret_keeper = keeper;
	}
	container_close(&c);
	bundle_free(&b);
	return ret;
}

int parse_preserve_fds(const char *cmd, const char *arg, int *ret)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*end || end == arg || n < 0 || n > 4096)
		return usage_error(cmd, "--preserve-fds: bad count \"%s\"", arg);
	*ret = (int)n;
	return 0;
}

int parse_create_opts(int argc, char **argv, struct create_opts *o, bool *detach)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "preserve-fds", required_argument, NULL, 'P' },
		{ "detach", no_argument, NULL, 'd' },
		{ "no-pivot", no_argument, NULL, 'n' },
		{ "no-new-keyring", no_argument, NULL, 'n' },
		{ "no-subreaper", no_argument, NULL, 'n' },
		{ "keep", no_argument, NULL, 'n' },
		{ 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+b:d", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': o->bundle = optarg; break;
		case 'p': o->pid_file = optarg; break;
		case 'c': o->console_socket = optarg; break;
		case 'P':
			if (parse_preserve_fds(argv[0], optarg, &o->preserve_fds))
				return 1;
			break;
		case 'd':
			if (!detach)
				return usage_error(argv[0], "unknown option -d");
			*detach = true;
			break;
		case 'n': break;
		default: return usage_error(argv[0], "unknown option");
		}
	}
	if (optind != argc - 1)
		return usage_error(argv[0], "expected exactly one container id");
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	pid_t keeper;

	if (parse_create_opts(argc, argv, &o, NULL))
		return 1;
	return create_container(argv[optind], &o, &keeper, NULL);
}
