/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-oci end to end, on a busybox bundle whose config.json comes from
 * `fasco-oci spec`: the lifecycle and its errors, exit codes and signals
 * through the container process, hooks, malformed configurations, and
 * fasco-oci killed at each step. Like containerd's shim, the test is a
 * child subreaper: container processes become its children, and their
 * wait status is the container's.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "malformed.h"

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
	ck_assert_ptr_nonnull(strstr(r.out, "\"org.fasco.not-honoured.mounts.type\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"mountOptions\":[\"ro\",\"rw\","));
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
	ck_assert_ptr_nonnull(strstr(r.out, "\"annotations\":{\"org.fasco.memory\":\"256M\","));
	ck_assert_ptr_nonnull(strstr(r.out, "\"org.fasco.rim\":\""));
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

/* run in the foreground is the container process: kill reaches the realm through it. */
START_TEST(test_run_foreground_is_the_container)
{
	const char *argv[] = { fasco_oci, "--root", root, "run", "--bundle", bundle, "fg", NULL };
	char token[256];
	int status;
	pid_t run;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	run = fork();
	ck_assert_int_ge(run, 0);
	if (run == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 200 && (root_entries() == 0 || strcmp(status_of("fg"), "running")); i++)
		usleep(10000);
	ck_assert_str_eq(status_of("fg"), "running");
	ck_assert_int_eq(pid_of("fg"), run);
	OCI_ERR("container fg is running, not paused", "resume", "fg");
	/* it serves the control socket while the realm runs, past its durability deadline */
	usleep(100000);
	snprintf(token, sizeof(token), "%s/fg.cbor", dir);
	OCI_OK("attest", "fg", "--challenge", "0102", "--out", token);
	OCI_OK("pause", "fg");
	ck_assert_str_eq(status_of("fg"), "paused");
	OCI_OK("resume", "fg");
	OCI_OK("kill", "fg", "TERM");
	ck_assert_int_eq(waitpid(run, &status, 0), run);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM, "status 0x%x", status);
	/* it deleted the container on its way out */
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

/* run in the foreground killed at each step: its realm ends with it, delete cleans. */
START_TEST(test_killed_during_foreground_run)
{
	static const char *const points[] = { "create-dir", "create-state", "create-fork",
					      "create-loaded", "create-hooks", "create-created",
					      "create-committed", "start-hooks", "start-released" };
	struct result r;

	NEED_KVM();
	set_config("\"sleep\", \"100\"", NULL);
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		OCI_FAULT(&r, points[i], "run", "--bundle", bundle, "x");
		ck_assert_msg(r.status == 128 + SIGKILL, "%s: %d", points[i], r.status);
		/* the realm's monitor follows its owner: nothing runs any more */
		wait_status("x", "stopped");
		OCI(&r, "delete", "x");
		expect_ok(&r, points[i]);
		ck_assert_uint_eq(root_entries(), 0);
		for (int k = 0; k < 200 && waitpid(-1, NULL, WNOHANG) != -1; k++)
			usleep(10000);
		ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	}
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
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, test_malformed_configs);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_run_exit_code);
	tcase_add_test(tc, test_run_foreground_is_the_container);
	tcase_add_test(tc, test_kill_created);
	tcase_add_test(tc, test_kill_running);
	tcase_add_test(tc, test_delete_force);
	tcase_add_test(tc, test_hooks_order);
	tcase_add_test(tc, test_killed_during_create);
	tcase_add_test(tc, test_killed_during_start_and_delete);
	tcase_add_test(tc, test_killed_during_foreground_run);
	tcase_add_test(tc, test_exec);
	return harness_run("oci-cli", tc);
}
