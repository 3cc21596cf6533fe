/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const struct {
	const char *name;
	int signo;
} names[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },   { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT },   { "BUS", SIGBUS },
	{ "FPE", SIGFPE },   { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

/* "9", "KILL", "SIGKILL", "sigkill", "RTMIN+3": a signal number, or -1. */
int signal_parse(const char *s)
{
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return *end || n < 1 || n > SIGRTMAX ? -1 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].signo;
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool min = !strncasecmp(s, "RTMIN", 5);

		n = 0;
		if (s[5]) {
			n = strtol(s + 5, &end, 10);
			if (*end || n < -32 || n > 32)
				return -1;
		}
		n += min ? SIGRTMIN : SIGRTMAX;
		return n < SIGRTMIN || n > SIGRTMAX ? -1 : (int)n;
	}
	return -1;
}

void fault_point(const char *point)
{
	const char *want = getenv("FASCO_OCI_FAULT");

	if (want && !strcmp(want, point))
		raise(SIGKILL);
}
