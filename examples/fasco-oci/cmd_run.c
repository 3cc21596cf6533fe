/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run [-d] ID: create and start. Without -d, wait for the container
 * process (our child), forwarding the signals we receive to it, delete the
 * container and exit with its status (128 + signal if a signal ended it).
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"

static volatile sig_atomic_t keeper_pid;

static void forward(int signo)
{
	if (keeper_pid > 0)
		kill(keeper_pid, signo);
}

int wait_child(pid_t keeper)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	struct sigaction sa = { .sa_handler = forward };
	int status;

	keeper_pid = keeper;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	while (waitpid(keeper, &status, 0) < 0)
		if (errno != EINTR)
			return fail("wait: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int cmd_run(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct container c = CONTAINER_INIT;
	bool detach = false;
	pid_t keeper;
	int ret;

	if (parse_create_opts(argc, argv, &o, &detach) || create_container(argv[optind], &o, &keeper))
		return 1;
	if (container_open(argv[optind], &c, true) || start_container(&c)) {
		if (c.dirfd >= 0)
			container_destroy(&c);
		container_close(&c);
		return 1;
	}
	container_close(&c);
	if (detach)
		return 0;
	ret = wait_child(keeper);
	if (container_open(argv[optind], &c, true) == 0)
		container_destroy(&c);
	container_close(&c);
	return ret;
}
