/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run [-d] ID: create and start. In the foreground this process holds the
 * realm itself (holder.h) and is the container process: it forwards the
 * signals it receives to the realm, serves the control socket, deletes
 * the container when the realm ends and exits with its status (128 +
 * signal if a signal ended it). No keeper is forked and no handshake with
 * one is needed. Its files are made durable only if the realm still runs
 * after RUN_SYNC_MS: a container that ends sooner is deleted at once, and
 * a crash before then leaves what any crash leaves of a running container
 * (its process gone, a directory that reads as stopped and is deleted). With -d, or a terminal (whose session a keeper leads),
 * a keeper holds it as for create, and without -d we wait for the keeper.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "holder.h"
#include "oci/store.h"

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

/* Remove the container; held: its realm, held by this process (not to be killed as its pid). */
static void remove_container(const char *id, struct holder *held)
{
	struct container c = CONTAINER_INIT;

	if (held)
		holder_release(held);
	if (container_open(id, &c, true) == 0) {
		if (held)
			c.st.pid = 0; /* the container process is this one: nothing to kill */
		container_destroy(&c);
	}
	container_close(&c);
}

#define RUN_SYNC_MS 50

static void sync_files(void *container)
{
	container_sync(container);
}

static int run_here(const char *id, const struct create_opts *o)
{
	struct holder h = HOLDER_INIT;
	struct container c = CONTAINER_INIT;
	struct fasco_exit_info e;
	pid_t self;
	int r;

	if (create_container(id, o, &self, &h))
		return 1;
	r = container_open(id, &c, true) || start_container(&c, &h);
	/* unlocked while it runs: kill, state, attest, pause, exec reach it */
	close(c.lockfd);
	c.lockfd = -1;
	if (r) {
		container_close(&c);
		remove_container(id, &h);
		return 1;
	}
	if (h.n > 1)
		h.dirfd = c.dirfd; /* a composite container's stages record their ends */
	h.on_running = sync_files;
	h.on_running_arg = &c;
	h.running_ms = RUN_SYNC_MS;
	r = holder_wait(&h, &e);
	if (r < 0)
		fail_code(r, "wait for the realm");
	holder_release(&h);
	/* the container still open: locked again and removed, nothing read twice */
	if (oci_lock(c.dirfd, true, &c.lockfd) == 0) {
		c.st.pid = 0; /* the container process is this one: nothing to kill */
		container_destroy(&c);
	}
	container_close(&c);
	return r < 0 ? 255 : holder_exit_status(&e);
}

int cmd_run(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct container c = CONTAINER_INIT;
	bool detach = false;
	pid_t keeper;
	int ret;

	if (parse_create_opts(argc, argv, &o, &detach))
		return 1;
	if (!detach && !o.console_socket)
		return run_here(argv[optind], &o);
	if (create_container(argv[optind], &o, &keeper, NULL))
		return 1;
	if (container_open(argv[optind], &c, true) || start_container(&c, NULL)) {
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
