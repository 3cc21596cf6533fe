/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fork, exec and wait, as a realm runs them: exit statuses, children killed
 * by signals, pids and parent pids, pipes between processes, execve's
 * failures, close-on-exec, vfork, posix_spawn (system), process groups and
 * "#!" scripts. Prints only what is the same natively (no pid values).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self;

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	else
		printf("%s: status 0x%x\n", what, status);
}

static int wait_for(pid_t pid)
{
	int status = -1;

	if (waitpid(pid, &status, 0) != pid)
		printf("waitpid: %s\n", strerror(errno));
	return status;
}

/* Fork a child that runs fn(arg) and report how it ended. */
static void child(const char *what, void (*fn)(long), long arg)
{
	pid_t pid = fork();

	if (pid < 0) {
		printf("%s: fork: %s\n", what, strerror(errno));
		return;
	}
	if (pid == 0) {
		fn(arg);
		_exit(99);
	}
	report(what, wait_for(pid));
}

static void do_exit(long code) { _exit((int)code); }
static void do_kill_self(long sig) { kill(getpid(), (int)sig); }
static void do_abort(long unused) { (void)unused; abort(); }

static void do_segv(long unused)
{
	(void)unused;
	*(volatile int *)16 = 1;
}

static void do_exec(long code)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "%ld", code);
	execl(self, "procs", "exit-with", arg, (char *)NULL);
	_exit(98);
}

static void pids_are_consistent(void)
{
	pid_t parent = getpid(), pid;
	int fds[2];
	char buf[64] = { 0 };

	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dprintf(fds[1], "%s %s", getppid() == parent ? "ppid-ok" : "ppid-wrong",
			getpid() != parent ? "pid-new" : "pid-same");
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], buf, sizeof(buf) - 1) < 0)
		perror("read");
	close(fds[0]);
	printf("child says: %s (its pid %s)\n", buf, pid > 0 && pid != parent ? "differs" : "same");
	wait_for(pid);
}

static void kill_running_child(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	printf("running child, WNOHANG: %d\n", (int)waitpid(pid, &status, WNOHANG));
	kill(pid, SIGKILL);
	report("killed by its parent", wait_for(pid));
}

static void exec_failures(void)
{
	char script[] = "/tmp/fasco-procs-XXXXXX";
	char *const argv[] = { "x", NULL };
	int fd = mkstemp(script);

	errno = 0;
	execv("/no/such/program", argv);
	printf("exec of a missing file: %s\n", strerror(errno));
	execv("/etc/passwd", argv);
	printf("exec of a file without x: %s\n", strerror(errno));
	execv("/etc", argv);
	printf("exec of a directory: %s\n", strerror(errno));
	if (fd < 0)
		return;
	dprintf(fd, "plain text, not a program\n");
	fchmod(fd, 0755);
	close(fd);
	execv(script, argv);
	printf("exec of a text file: %s\n", strerror(errno));
	unlink(script);
}

static void exec_script(void)
{
	char script[] = "/tmp/fasco-procs-XXXXXX";
	int fd = mkstemp(script);
	pid_t pid;

	if (fd < 0)
		return;
	dprintf(fd, "#!/bin/sh -e\necho \"script $0 got $1\" | sed s,$0,SELF,\nexit 4\n");
	fchmod(fd, 0755);
	close(fd);
	pid = fork();
	if (pid == 0) {
		execl(script, script, "an-argument", (char *)NULL);
		_exit(97);
	}
	report("#! script", wait_for(pid));
	unlink(script);
}

static void close_on_exec(void)
{
	int keep = open("/dev/null", O_RDONLY);
	int drop = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int flip = open("/dev/null", O_RDONLY);
	char a[16], b[16], c[16];
	pid_t pid;

	fcntl(flip, F_SETFD, FD_CLOEXEC);
	snprintf(a, sizeof(a), "%d", keep);
	snprintf(b, sizeof(b), "%d", drop);
	snprintf(c, sizeof(c), "%d", flip);
	printf("F_GETFD: plain %d, O_CLOEXEC %d, F_SETFD %d\n", fcntl(keep, F_GETFD),
	       fcntl(drop, F_GETFD), fcntl(flip, F_GETFD));
	pid = fork();
	if (pid == 0) {
		execl(self, "procs", "fds", a, b, c, (char *)NULL);
		_exit(96);
	}
	wait_for(pid);
	close(keep);
	close(drop);
	close(flip);
}

static void vfork_and_spawn(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execl(self, "procs", "exit-with", "6", (char *)NULL);
		_exit(95);
	}
	report("vfork + exec", wait_for(pid));
	report("system()", system("exit 3"));
	fflush(stdout);
	report("system() echo", system("echo from a shell spawned by system"));
}

static void process_group(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(getpgrp() == getpid() ? 0 : 1);
	}
	report("own process group", wait_for(pid));
}

int main(int argc, char **argv)
{
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && strcmp(argv[1], "exit-with") == 0)
		return atoi(argv[2]);
	if (argc > 4 && strcmp(argv[1], "fds") == 0) {
		printf("after exec: plain %s, O_CLOEXEC %s, F_SETFD %s\n",
		       fcntl(atoi(argv[2]), F_GETFD) < 0 ? "closed" : "open",
		       fcntl(atoi(argv[3]), F_GETFD) < 0 ? "closed" : "open",
		       fcntl(atoi(argv[4]), F_GETFD) < 0 ? "closed" : "open");
		return 0;
	}
	child("_exit(42)", do_exit, 42);
	child("_exit(0)", do_exit, 0);
	child("kill(self, SIGTERM)", do_kill_self, SIGTERM);
	child("abort()", do_abort, 0);
	child("segfault", do_segv, 0);
	child("exec, exit 5", do_exec, 5);
	pids_are_consistent();
	kill_running_child();
	exec_failures();
	exec_script();
	close_on_exec();
	vfork_and_spawn();
	process_group();
	printf("no children left: %s\n", wait(NULL) < 0 && errno == ECHILD ? "yes" : "no");
	return 0;
}
