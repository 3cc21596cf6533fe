/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Waiting on descriptors: poll, ppoll, select (glibc: pselect6, musl:
 * select), timerfd. Prints what it saw; a realm must print exactly what
 * the host prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void show_select(const char *what, int nfds, int fd, struct timeval *tv)
{
	fd_set r;
	int n;

	FD_ZERO(&r);
	FD_SET(fd, &r);
	n = select(nfds, &r, NULL, NULL, tv);
	printf("%s: %d, set %d\n", what, n, n >= 0 ? FD_ISSET(fd, &r) : -1);
}

int main(void)
{
	int p[2], high, tfd, n;
	ssize_t got;
	struct pollfd pf;
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	struct timeval zero = { 0, 0 }, short_wait = { 0, 5000 };
	struct itimerspec its = { .it_value = { 0, 20 * 1000 * 1000 } }, left;
	uint64_t ticks = 0;
	fd_set bad;

	if (pipe(p) < 0)
		return 1;
	show_select("select empty", p[0] + 1, p[0], &zero);
	show_select("select timeout", p[0] + 1, p[0], &short_wait);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	printf("ppoll empty: %d\n", ppoll(&pf, 1, &ts, NULL));
	if (write(p[1], "x", 1) != 1)
		return 1;
	show_select("select ready", p[0] + 1, p[0], &zero);
	n = ppoll(&pf, 1, &ts, NULL);
	printf("ppoll ready: %d revents %#x\n", n, pf.revents);

	/* a high descriptor number: the realm's numbers are not the host's */
	high = dup2(p[0], 200);
	show_select("select high", high + 1, high, NULL);
	FD_ZERO(&bad);
	FD_SET(150, &bad);
	n = select(151, &bad, NULL, NULL, &zero);
	printf("select closed: %d %s\n", n, strerror(errno));

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	printf("timerfd: %s\n", tfd >= 0 ? "created" : strerror(errno));
	if (timerfd_settime(tfd, 0, &its, NULL) < 0)
		return 1;
	pf = (struct pollfd){ .fd = tfd, .events = POLLIN };
	printf("timerfd poll: %d\n", poll(&pf, 1, 1000));
	got = read(tfd, &ticks, sizeof(ticks));
	printf("timerfd read: %zd ticks %llu\n", got, (unsigned long long)ticks);
	timerfd_gettime(tfd, &left);
	printf("timerfd disarmed: %d\n", left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0);
	return 0;
}
