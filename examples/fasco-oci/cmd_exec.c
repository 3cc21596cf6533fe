/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec [--process FILE | ID ARGS...]: run one more process in a running
 * container, as another realm over the same root. The process is the
 * container's (env, cwd, limits) with the arguments given, or the object
 * read from --process (as containerd's shim passes it); --cwd, --env and
 * --tty then override. A keeper of its own (keeper.c) loads the realm,
 * is recorded in the container's directory (so kill --all and delete
 * reach it), starts the realm at once and ends as it ends. Its pid goes
 * to --pid-file; without -d we wait for it and exit with its status.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fasco/fasco.h>

#include "cli.h"
#include "common/cleanup.h"
#include "keeper_ctl.h"
#include "oci/realm_config.h"
#include "oci/store.h"

#define EXEC_ENV_MAX 256

struct exec_opts {
	const char *process_file, *pid_file, *console_socket, *cwd;
	const char *env[EXEC_ENV_MAX];
	size_t n_env;
	bool detach, tty;
	int preserve_fds;
	char **args; /* trailing arguments, NULL-terminated */
};

static int parse_exec_opts(int argc, char **argv, struct exec_opts *o)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "tty", no_argument, NULL, 't' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },
		{ "preserve-fds", required_argument, NULL, 'f' },
		/* accepted as runc does; what they ask for is not honoured yet */
		{ "user", required_argument, NULL, 'u' },
		{ "additional-gids", required_argument, NULL, 'g' },
		{ "cap", required_argument, NULL, 'C' },
		{ "process-label", required_argument, NULL, 'i' },
		{ "apparmor", required_argument, NULL, 'i' },
		{ "cgroup", required_argument, NULL, 'i' },
		{ "no-new-privs", no_argument, NULL, 'n' },
		{ "ignore-paused", no_argument, NULL, 'n' },
		{ 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+p:dte:u:g:C:", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->process_file = optarg; break;
		case 'd': o->detach = true; break;
		case 'P': o->pid_file = optarg; break;
		case 't': o->tty = true; break;
		case 'c': o->console_socket = optarg; break;
		case 'w':
			if (optarg[0] != '/')
				return usage_error("exec", "--cwd: \"%s\" is not an absolute path",
						   optarg);
			o->cwd = optarg;
			break;
		case 'e': {
			const char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg)
				return usage_error("exec", "--env: \"%s\" is not NAME=VALUE", optarg);
			if (o->n_env == EXEC_ENV_MAX)
				return usage_error("exec", "more than %d --env", EXEC_ENV_MAX);
			o->env[o->n_env++] = optarg;
			break;
		}
		case 'f':
			if (parse_preserve_fds("exec", optarg, &o->preserve_fds))
				return 1;
			break;
		case 'u': case 'g': case 'C':
			log_msg(LOG_WARN, "exec: -%c %s: not honoured (no user switch or "
					  "capabilities in realms yet)", ch, optarg);
			break;
		case 'i': case 'n': break;
		default: return usage_error("exec", "unknown option");
		}
	}
	if (optind >= argc)
		return usage_error("exec", "expected a container id");
	o->args = argv + optind + 1;
	if (!o->process_file && !o->args[0])
		return usage_error("exec", "no command: give arguments or --process FILE");
	if (o->process_file && o->args[0])
		return usage_error("exec", "arguments and --process FILE are exclusive");
	return 0;
}

/* Replace or add NAME=VALUE in env. */
static int env_set(struct oci_strv *env, const char *entry)
{
	size_t name_len = (size_t)(strchr(entry, '=') - entry) + 1;
	char *copy = strdup(entry), **v;

	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < env->n; i++) {
		if (!strncmp(env->v[i], entry, name_len)) {
			free(env->v[i]);
			env->v[i] = copy;
			return 0;
		}
	}
	v = realloc(env->v, (env->n + 2) * sizeof(*v));
	if (!v) {
		free(copy);
		return -ENOMEM;
	}
	v[env->n++] = copy;
	v[env->n] = NULL;
	env->v = v;
	return 0;
}

static int strv_from_args(struct oci_strv *s, char **args)
{
	size_t n = 0;

	while (args[n])
		n++;
	s->v = calloc(n + 1, sizeof(char *));
	if (!s->v)
		return -ENOMEM;
	for (s->n = 0; s->n < n; s->n++)
		if (!(s->v[s->n] = strdup(args[s->n])))
			return -ENOMEM;
	return 0;
}

/* The container's configuration with process turned into the exec's. */
static int exec_process(struct oci_config *cfg, const struct exec_opts *o)
{
	int r;

	if (o->process_file) {
		_cleanup_free_ char *doc = NULL;
		struct oci_process proc;
		size_t len;

		if ((r = oci_read_file(AT_FDCWD, o->process_file, OCI_CONFIG_MAX_BYTES, &doc,
				       &len)) < 0)
			return fail_code(r, o->process_file);
		if ((r = oci_process_parse(doc, len, &proc)) < 0)
			return fail_code(r, o->process_file);
		oci_process_free(&cfg->process);
		cfg->process = proc;
	} else {
		oci_strv_free(&cfg->process.args);
		if ((r = strv_from_args(&cfg->process.args, o->args)) < 0)
			return fail("out of memory");
	}
	if (o->cwd) {
		char *cwd = strdup(o->cwd);

		if (!cwd)
			return fail("out of memory");
		free(cfg->process.cwd);
		cfg->process.cwd = cwd;
	}
	for (size_t i = 0; i < o->n_env; i++)
		if (env_set(&cfg->process.env, o->env[i]) < 0)
			return fail("out of memory");
	if (o->tty)
		cfg->process.terminal = true;
	/* without a console socket, a foreground exec's terminal is our stdio */
	if (cfg->process.terminal && !o->console_socket && o->detach)
		return fail("exec: a terminal needs --console-socket with --detach");
	if (!cfg->process.terminal && o->console_socket)
		return fail("exec: --console-socket given but no terminal is asked for");
	return 0;
}

static int exec_realm_config(struct container *c, const struct oci_config *cfg,
			     fasco_config **ret)
{
	_cleanup_close_ int rootfd = open(c->st.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char program[PATH_MAX];
	int r;

	if (rootfd < 0)
		return fail("%s: root %s: %s", c->id, c->st.rootfs, strerror(errno));
	if ((r = oci_find_program(rootfd, cfg, 0, program, sizeof(program))) < 0)
		return fail_code(r, "exec");
	if ((r = fasco_config_create(ret)) < 0 ||
	    (r = oci_realm_config(cfg, 0, program, *ret, NULL, NULL)) < 0)
		return fail_code(r, "exec");
	return 0;
}

/* The host process that serves the container's realm: its namespaces are the container's. */
static int container_monitor(struct container *c, pid_t *ret)
{
	struct keeper_request req = { .magic = KEEPER_MAGIC, .op = KEEPER_OP_MONITOR };
	int32_t pid = 0;
	size_t len = 0;

	if (container_ask_keeper(c, "exec", &req, &pid, sizeof(pid), &len))
		return 1;
	if (len != sizeof(pid) || pid <= 0)
		return fail("%s: the container process answered no pid", c->id);
	*ret = pid;
	return 0;
}

/*
 * The exec's realm has joined the monitor's namespaces, opened by pid: the
 * pid named that monitor if the monitor has not ended since, for it is
 * not reaped before its realm ends.
 */
static int joined_right_monitor(struct container *c, pid_t monitor)
{
	pid_t now;

	if (container_monitor(c, &now))
		return 1;
	if (now != monitor)
		return fail("%s: the container's process changed while exec started", c->id);
	return 0;
}

/* Spawn, record and commit the exec's keeper; *ret_pid on success. */
static int spawn_exec(struct container *c, const struct exec_opts *o, const struct oci_config *cfg,
		      fasco_config *fcfg, pid_t *ret_pid)
{
	struct keeper_args a = { .cfg = cfg, .fasco_cfg = &fcfg, .n_realms = 1, .rootfs = c->st.rootfs,
				 .preserve_fds = o->preserve_fds };
	struct keeper_pipes kp;
	struct keeper_report rep;
	_cleanup_close_ int tty = -1;
	pid_t pid;
	int r;

	if (container_monitor(c, &a.join_monitor))
		return 1;
	if (o->console_socket && (r = console_setup(o->console_socket, &tty)) < 0)
		return fail_code(r, "--console-socket");
	pid = keeper_spawn(&a, NULL, &tty, &kp);
	if (pid < 0)
		return fail("fork: %s", strerror(-pid));
	if (keeper_read_report(kp.report[0], &rep) < 0)
		r = fail("%s: the exec process died while loading its realm", c->id);
	else if (rep.code < 0)
		r = fail("%s: exec: %s", c->id, rep.detail);
	else if (joined_right_monitor(c, a.join_monitor))
		r = 1;
	else if ((r = exec_record(c->dirfd, pid)) < 0)
		r = fail_code(r, "exec record");
	else if (keeper_commit(&kp) < 0)
		r = fail("%s: the exec process died before it was committed", c->id);
	keeper_pipes_close(&kp);
	if (r) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return r;
	}
	*ret_pid = pid;
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	struct exec_opts o = { 0 };
	struct container c = CONTAINER_INIT;
	struct oci_config *cfg = NULL;
	fasco_config *fcfg = NULL;
	enum oci_status status;
	pid_t pid = -1;
	int ret;

	if (parse_exec_opts(argc, argv, &o))
		return 1;
	if (container_open(argv[optind], &c, true)) {
		container_close(&c);
		return 1;
	}
	status = container_status(&c);
	if (status != OCI_STATUS_RUNNING)
		ret = fail("cannot exec in container %s: it is %s, not running", c.id,
			   oci_status_name(status));
	else if (!(cfg = container_config(&c)))
		ret = fail("%s: the saved config.json is unusable", c.id);
	else
		ret = exec_process(cfg, &o) || exec_realm_config(&c, cfg, &fcfg) ||
		      spawn_exec(&c, &o, cfg, fcfg, &pid);
	container_close(&c);
	fasco_config_destroy(fcfg);
	oci_config_free(cfg);
	if (ret)
		return 1;
	if (o.pid_file && write_pid_file(o.pid_file, pid)) {
		kill(pid, SIGKILL);
		return 1;
	}
	return o.detach ? 0 : wait_child(pid);
}
