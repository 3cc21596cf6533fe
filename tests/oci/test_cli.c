/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-oci end to end, on a busybox bundle whose config.json comes from
 * `fasco-oci spec`: the lifecycle and its errors, exit codes and signals
 * through the container process, hooks, malformed configurations, and
 * fasco-oci killed at each step. Like containerd's shim, the test is a
 * child subreaper: container processes become its children, and their
 * wait status is the container's.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "malformed.h"

struct result {
	int status; /* exit code, or 128 + signal */
	char out[8192];
	char err[8192];
};

static const char *fasco_oci;
static char dir[64], bundle[128], root[128];
static bool have_kvm;

static void read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/* fasco-oci --root <root> args..., optionally with a fault point. */
static void oci_fault(struct result *r, const char *fault, const char *const *args)
{
	int out[2], err[2], status;
	const char *argv[32] = { fasco_oci, "--root", root };
	int n = 3;
	pid_t pid;

	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (fault)
			setenv("FASCO_OCI_FAULT", fault, 1);
		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* a container started by this command keeps the pipes: read what is there */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define OCI(r, ...) oci_fault((r), NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define OCI_FAULT(r, f, ...) oci_fault((r), (f), (const char *const[]){ __VA_ARGS__, NULL })

static void expect_ok(const struct result *r, const char *what)
{
	ck_assert_msg(r->status == 0, "%s: status %d: %s", what, r->status, r->err);
}

static void expect_error(const struct result *r, const char *message)
{
	ck_assert_msg(r->status == 1, "status %d, wanted 1 (%s)", r->status, message);
	ck_assert_msg(strstr(r->err, message), "stderr \"%s\" lacks \"%s\"", r->err, message);
}

/* One command and the outcome it must have. */
#define OCI_OK(...)                                                    \
	do {                                                           \
		struct result r_;                                      \
		OCI(&r_, __VA_ARGS__);                                 \
		expect_ok(&r_, #__VA_ARGS__);                          \
	} while (0)
#define OCI_ERR(message, ...)                                          \
	do {                                                           \
		struct result r_;                                      \
		OCI(&r_, __VA_ARGS__);                                 \
		expect_error(&r_, (message));                          \
	} while (0)

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *read_file(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "%s", path);
	read_all(fd, buf, sizeof(buf));
	close(fd);
	return buf;
}

/* The spec template with args (a JSON array body) and extra members. */
static void set_config(const char *args, const char *extra)
{
	char path[256], *doc, *at, edited[65536];
	const char *key = "\"args\": [ \"sh\" ]";

	snprintf(path, sizeof(path), "%s/config.json.spec", bundle);
	doc = read_file(path);
	at = strstr(doc, key);
	ck_assert_ptr_nonnull(at);
	snprintf(edited, sizeof(edited), "%.*s\"args\": [ %s ]%s", (int)(at - doc), doc, args,
		 at + strlen(key));
	if (extra) {
		/* before the last '}' */
		at = strrchr(edited, '}');
		snprintf(at, sizeof(edited) - (size_t)(at - edited), ", %s }\n", extra);
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	write_file(path, edited);
}

static unsigned root_entries(void)
{
	DIR *d = opendir(root);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The container's wait status, as its reaper sees it. */
static int reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static const char *status_of(const char *id)
{
	static struct result r;
	static char status[32];
	const char *s;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	s = strstr(r.out, "\"status\":\"");
	ck_assert_ptr_nonnull(s);
	sscanf(s + 10, "%31[a-z]", status);
	return status;
}

static int pid_of(const char *id)
{
	struct result r;
	const char *s;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	s = strstr(r.out, "\"pid\":");
	ck_assert_ptr_nonnull(s);
	return atoi(s + 6);
}

/* Poll the status until it is want (a keeper dying with create takes a moment). */
static void wait_status(const char *id, const char *want)
{
	for (int i = 0; i < 100 && strcmp(status_of(id), want); i++)
		usleep(20000);
	ck_assert_str_eq(status_of(id), want);
}

static void setup(void)
{
	char path[512];
	const char *links[] = { "sh", "true", "sleep", "echo" };

	strcpy(dir, "/tmp/fasco-oci-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	ck_assert_int_eq(mkdir(bundle, 0755), 0);
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/rootfs/bin", bundle);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "cp /bin/busybox %s/rootfs/bin/busybox", bundle);
	ck_assert_int_eq(system(path), 0);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", bundle, links[i]);
		ck_assert_int_eq(symlink("/bin/busybox", path), 0);
	}
	OCI_OK("spec", "--bundle", bundle);
	OCI_ERR("File exists", "spec", "--bundle", bundle);
	snprintf(path, sizeof(path), "mv %s/config.json %s/config.json.spec", bundle, bundle);
	ck_assert_int_eq(system(path), 0);
	set_config("\"sh\", \"-c\", \"echo hi; exit 3\"", NULL);
}

static void teardown(void)
{
	char cmd[128];

	reap_all();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

#define NEED_KVM()                                                               \
	do {                                                                     \
		if (!have_kvm) {                                                 \
			printf("%s: skipped: /dev/kvm is not usable\n", __func__); \
			return;                                                  \
		}                                                                \
	} while (0)

/* Malformed documents: the parser's precise error, and nothing under --root. */
START_TEST(test_malformed_configs)
{
	char path[256];
	struct result r;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	for (size_t i = 0; malformed_configs[i].doc; i++) {
		write_file(path, malformed_configs[i].doc);
		OCI(&r, "create", "--bundle", bundle, "bad");
		expect_error(&r, malformed_configs[i].error);
		ck_assert_uint_eq(root_entries(), 0);
	}
	set_config("\"no-such-program\"", NULL);
	OCI_ERR("process.args[0]: \"no-such-program\" not found in $PATH inside the root", "create", "--bundle", bundle, "bad");
	set_config("\"sh\"", "\"hostname\": \"h\"");
	OCI_ERR("--console-socket given but process.terminal is not set", "create", "--bundle", bundle, "--console-socket", "/nonexistent", "bad");
	OCI_ERR("bundle /nonexistent", "create", "--bundle", "/nonexistent", "bad");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

START_TEST(test_usage_errors)
{
	struct result r;

	OCI_ERR("invalid container id", "create", "--bundle", bundle, "../x");
	OCI_ERR("container does not exist", "state", "nope");
	OCI_ERR("container does not exist", "start", "nope");
	OCI_ERR("container does not exist", "kill", "nope", "TERM");
	OCI_ERR("container does not exist", "delete", "nope");
	OCI_OK("delete", "--force", "nope");
	OCI_ERR("unknown signal \"SIGNOPE\"", "kill", "nope", "SIGNOPE");
	OCI_ERR("unknown command \"frobnicate\"", "frobnicate");
	OCI(&r, "features");
	expect_ok(&r, "features");
	ck_assert_ptr_nonnull(strstr(r.out, "\"org.fasco.not-honoured.mounts\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"createRuntime\""));
	OCI(&r, "list", "--format", "json");
	expect_ok(&r, "list");
	ck_assert_str_eq(r.out, "[]\n");
}
END_TEST

START_TEST(test_lifecycle)
{
	char pidfile[256], *text;
	struct result r;
	int pid;

	NEED_KVM();
	/* no output: create's stdout, which the container inherits, is closed by now */
	set_config("\"sh\", \"-c\", \"exit 3\"", NULL);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	OCI_OK("create", "--bundle", bundle, "--pid-file", pidfile, "box");
	text = read_file(pidfile);
	pid = atoi(text);
	ck_assert_int_gt(pid, 1);
	ck_assert_int_eq(kill(pid, 0), 0);
	ck_assert_str_eq(status_of("box"), "created");
	ck_assert_int_eq(pid_of("box"), pid);
	OCI(&r, "state", "box");
	ck_assert_ptr_nonnull(strstr(r.out, "\"ociVersion\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"bundle\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"rootfs\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"created\":"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"annotations\":{\"org.fasco.memory\":\"256M\"}"));
	OCI_ERR("container with id exists: box", "create", "--bundle", bundle, "box");
	OCI(&r, "list");
	ck_assert_ptr_nonnull(strstr(r.out, "box"));
	OCI_OK("start", "box");
	/* sh -c 'exit 3': the container process ends with the program's status */
	ck_assert_int_eq(reap(pid), 3);
	ck_assert_str_eq(status_of("box"), "stopped");
	ck_assert_int_eq(pid_of("box"), 0);
	OCI_ERR("cannot start a container that has stopped", "start", "box");
	OCI_ERR("container not running", "kill", "box", "KILL");
	OCI_OK("delete", "box");
	OCI_ERR("container does not exist", "state", "box");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

START_TEST(test_run_exit_code)
{
	struct result r;

	NEED_KVM();
	OCI(&r, "run", "--bundle", bundle, "once");
	ck_assert_msg(r.status == 3, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "hi\n");
	ck_assert_uint_eq(root_entries(), 0);
	set_config("\"true\"", NULL);
	OCI_OK("run", "--bundle", bundle, "once");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

START_TEST(test_kill_created)
{
	int pid;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "k");
	pid = pid_of("k");
	OCI_OK("kill", "k");
	ck_assert_int_eq(reap(pid), 128 + SIGTERM);
	ck_assert_str_eq(status_of("k"), "stopped");
	OCI_OK("delete", "k");
}
END_TEST

/* A signal reaches the program in the realm; the container dies of it. */
START_TEST(test_kill_running)
{
	int pid;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "k");
	OCI_OK("start", "k");
	OCI_ERR("cannot start an already running container", "start", "k");
	ck_assert_str_eq(status_of("k"), "running");
	pid = pid_of("k");
	OCI_ERR("cannot delete container k that is not stopped: running", "delete", "k");
	OCI_OK("kill", "k", "2");
	ck_assert_int_eq(reap(pid), 128 + SIGINT);
	ck_assert_str_eq(status_of("k"), "stopped");
	OCI_OK("delete", "k");
	/* a program that never makes a system call is stopped all the same */
	set_config("\"sh\", \"-c\", \"while :; do :; done\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "spin");
	pid = pid_of("spin");
	OCI_OK("kill", "--all", "spin", "SIGUSR1");
	ck_assert_int_eq(reap(pid), 128 + SIGUSR1);
	OCI_OK("delete", "spin");
}
END_TEST

START_TEST(test_delete_force)
{
	int pid;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "f");
	pid = pid_of("f");
	ck_assert_str_eq(status_of("f"), "running");
	OCI_OK("delete", "--force", "f");
	ck_assert_int_eq(reap(pid), 128 + SIGKILL);
	ck_assert_uint_eq(root_entries(), 0);
	/* a created container is deleted without --force, as with runc */
	OCI_OK("create", "--bundle", bundle, "c");
	pid = pid_of("c");
	OCI_OK("delete", "c");
	ck_assert_int_eq(reap(pid), 128 + SIGKILL);
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

/* Every hook kind runs once, in the lifecycle's order, with the state on stdin. */
START_TEST(test_hooks_order)
{
	static const char *const kinds[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop" };
	char hooks[4096], log[256], *text;
	size_t len = 0;
	int pid;

	NEED_KVM();
	snprintf(log, sizeof(log), "%s/hooks.log", dir);
	len += (size_t)snprintf(hooks, sizeof(hooks), "\"hooks\": {");
	for (size_t i = 0; i < 6; i++)
		len += (size_t)snprintf(hooks + len, sizeof(hooks) - len,
			"%s\"%s\": [ { \"path\": \"/bin/sh\", \"args\": [ \"sh\", \"-c\", "
			"\"read s; echo %s ${s%%%%,\\\\\\\"pid*} >> %s\" ] } ]",
			i ? ", " : "", kinds[i], kinds[i], log);
	snprintf(hooks + len, sizeof(hooks) - len, "}");
	set_config("\"true\"", hooks);
	OCI_OK("create", "--bundle", bundle, "h");
	pid = pid_of("h");
	OCI_OK("start", "h");
	ck_assert_int_eq(reap(pid), 0);
	OCI_OK("delete", "h");
	text = read_file(log);
	ck_assert_str_eq(text,
		"prestart {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"creating\"\n"
		"createRuntime {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"creating\"\n"
		"createContainer {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"creating\"\n"
		"startContainer {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"created\"\n"
		"poststart {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"running\"\n"
		"poststop {\"ociVersion\":\"1.0.2\",\"id\":\"h\",\"status\":\"stopped\"\n");

	/* a failing create hook aborts create and leaves nothing */
	set_config("\"sleep\", \"100\"",
		   "\"hooks\": { \"createRuntime\": [ { \"path\": \"/bin/false\" } ] }");
	OCI_ERR("createRuntime hook /bin/false: exited with status 1", "create", "--bundle", bundle, "h2");
	ck_assert_uint_eq(root_entries(), 0);
	/* no container process is left (a realm monitor ends with its keeper) */
	for (int i = 0; i < 200 && waitpid(-1, NULL, WNOHANG) != -1; i++)
		usleep(10000);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

/* fasco-oci killed at each step of create: state tells the truth, delete cleans. */
START_TEST(test_killed_during_create)
{
	static const char *const before_commit[] = { "create-dir", "create-state", "create-fork",
						     "create-loaded", "create-hooks",
						     "create-created" };
	struct result r;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	for (size_t i = 0; i < sizeof(before_commit) / sizeof(before_commit[0]); i++) {
		OCI_FAULT(&r, before_commit[i], "create", "--bundle", bundle, "x");
		ck_assert_msg(r.status == 128 + SIGKILL, "%s: %d", before_commit[i], r.status);
		/* the container process, if any, dies with its creator */
		wait_status("x", "stopped");
		OCI(&r, "delete", "x");
		expect_ok(&r, before_commit[i]);
		ck_assert_uint_eq(root_entries(), 0);
		reap_all();
	}
	/* after the commit the container exists and outlives its creator */
	OCI_FAULT(&r, "create-committed", "create", "--bundle", bundle, "x");
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	ck_assert_str_eq(status_of("x"), "created");
	OCI_OK("start", "x");
	ck_assert_str_eq(status_of("x"), "running");
	OCI_OK("delete", "--force", "x");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

START_TEST(test_killed_during_start_and_delete)
{
	struct result r;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "s");
	OCI_FAULT(&r, "start-hooks", "start", "s");
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	ck_assert_str_eq(status_of("s"), "created");
	OCI_FAULT(&r, "start-released", "start", "s");
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	wait_status("s", "running");
	OCI_FAULT(&r, "delete-killed", "delete", "--force", "s");
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	wait_status("s", "stopped");
	OCI_OK("delete", "s");
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

/* exec: another realm over the container's root; errors; kill --all and delete reach it. */
START_TEST(test_exec)
{
	char proc[256], pidfile[256];
	struct result r;
	int pid, exec_pid;

	NEED_KVM();
	snprintf(proc, sizeof(proc), "%s/process.json", dir);
	snprintf(pidfile, sizeof(pidfile), "%s/exec.pid", dir);
	set_config("\"sleep\", \"100\"", NULL);
	OCI_ERR("container does not exist: nope", "exec", "nope", "true");
	OCI_OK("create", "--bundle", bundle, "e");
	pid = pid_of("e");
	OCI_ERR("cannot exec in container e: it is created, not running", "exec", "e", "true");
	OCI_OK("start", "e");
	OCI_ERR("no command", "exec", "e");
	OCI_ERR("--env: \"X\" is not NAME=VALUE", "exec", "--env", "X", "e", "true");
	/* the foreground exec ends with its program's status; env and cwd apply */
	OCI(&r, "exec", "--env", "GREETING=hi", "--cwd", "/bin", "e", "sh", "-c",
	    "echo $GREETING $PWD; exit 7");
	ck_assert_msg(r.status == 7, "exec: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "hi /bin\n");
	/* --process: the runtime-spec object, errors naming the field */
	write_file(proc, "{\"args\": [\"echo\", 3], \"cwd\": \"/\"}");
	OCI_ERR("process.args[1]: expected a string", "exec", "--process", proc, "e");
	write_file(proc, "{\"args\": [\"echo\"], \"cwd\": \"relative\"}");
	OCI_ERR("process.cwd: \"relative\" is not an absolute path", "exec", "--process", proc, "e");
	write_file(proc, "{\"args\": [\"echo\"], \"cwd\": \"/\"} x");
	OCI_ERR("process: after the object", "exec", "--process", proc, "e");
	OCI_ERR("process.json", "exec", "--process", "/nonexistent/process.json", "e");
	write_file(proc, "{\"args\": [\"echo\", \"from\", \"json\"], \"cwd\": \"/\"}");
	OCI(&r, "exec", "--process", proc, "e");
	ck_assert_msg(r.status == 0, "exec --process: %d %s", r.status, r.err);
	ck_assert_str_eq(r.out, "from json\n");
	/* detached: its pid in the pid file, reached by kill --all */
	OCI_OK("exec", "-d", "--pid-file", pidfile, "e", "sleep", "100");
	exec_pid = atoi(read_file(pidfile));
	ck_assert_int_gt(exec_pid, 1);
	ck_assert_int_eq(kill(exec_pid, 0), 0);
	OCI_OK("kill", "--all", "e", "KILL");
	ck_assert_int_eq(reap(exec_pid), 128 + SIGKILL);
	ck_assert_int_eq(reap(pid), 128 + SIGKILL);
	OCI_ERR("cannot exec in container e: it is stopped, not running", "exec", "e", "true");
	OCI_OK("delete", "e");
	/* delete --force kills the exec processes as well */
	OCI_OK("run", "-d", "--bundle", bundle, "e");
	pid = pid_of("e");
	OCI_OK("exec", "-d", "--pid-file", pidfile, "e", "sleep", "100");
	exec_pid = atoi(read_file(pidfile));
	OCI_OK("delete", "--force", "e");
	ck_assert_int_eq(reap(exec_pid), 128 + SIGKILL);
	ck_assert_int_eq(reap(pid), 128 + SIGKILL);
	ck_assert_uint_eq(root_entries(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci-cli");
	TCase *tc = tcase_create("cli");
	const char *require = getenv("FASCO_REQUIRE_KVM");
	SRunner *sr;
	int failed;

	fasco_oci = getenv("FASCO_OCI");
	if (!fasco_oci) {
		fprintf(stderr, "FASCO_OCI is not set\n");
		return 1;
	}
	have_kvm = access("/dev/kvm", R_OK | W_OK) == 0;
	if (!have_kvm && require && !strcmp(require, "1")) {
		fprintf(stderr, "/dev/kvm is not usable and FASCO_REQUIRE_KVM=1\n");
		return 1;
	}
	if (!have_kvm)
		printf("realm tests skipped: /dev/kvm is not usable\n");
	/* as containerd's shim: orphaned container processes become our children */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_malformed_configs);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_run_exit_code);
	tcase_add_test(tc, test_kill_created);
	tcase_add_test(tc, test_kill_running);
	tcase_add_test(tc, test_delete_force);
	tcase_add_test(tc, test_hooks_order);
	tcase_add_test(tc, test_killed_during_create);
	tcase_add_test(tc, test_killed_during_start_and_delete);
	tcase_add_test(tc, test_exec);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* no fork per test: the subreaper must be the process that runs them */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
