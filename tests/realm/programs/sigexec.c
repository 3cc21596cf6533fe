/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an execve keeps of the signal state, run in a realm and natively:
 * handled signals go back to the default, ignored ones stay ignored, the
 * mask and the pending signals stay, the alternate stack goes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int watched[] = { SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD };

static void on_signal(int sig)
{
	(void)sig;
}

static void report(int take)
{
	sigset_t mask, pending;
	struct sigaction sa;
	stack_t ss;
	siginfo_t si;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	for (unsigned i = 0; i < sizeof(watched) / sizeof(watched[0]); i++) {
		int sig = watched[i];

		sigaction(sig, NULL, &sa);
		printf("sig %d: %s blocked %d pending %d\n", sig,
		       sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignored" : "handled",
		       sigismember(&mask, sig), sigismember(&pending, sig));
	}
	sigaltstack(NULL, &ss);
	printf("altstack disabled %d\n", !!(ss.ss_flags & SS_DISABLE));
	/* the kept signals can be taken, with what they said */
	while (take && sigtimedwait(&mask, &si, &(struct timespec){ 0, 0 }) > 0)
		printf("took %d code %d self %d\n", si.si_signo, si.si_code, si.si_pid == getpid());
}

int main(int argc, char **argv)
{
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "after")) {
		report(1);
		return 0;
	}
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaltstack(&ss, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	kill(getpid(), SIGTERM);
	report(0);
	printf("-- execve\n");
	/* a failed execve keeps everything too */
	char *none[] = { "/nonexistent", NULL };
	execv(none[0], none);
	printf("failed execve: %s\n", errno == ENOENT ? "ENOENT" : "?");
	char *args[] = { argv[0], "after", NULL };
	execv("/proc/self/exe", args);
	printf("execve failed\n");
	return 1;
}
