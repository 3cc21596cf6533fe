/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Round trip of one system call, timed inside the process so the same binary
 * runs natively and in a realm:
 *   syscall_rt [ITERATIONS]
 * prints "<name> <ns per call>" for a forwarded call (lseek on an open file),
 * a call the shim serves itself in a realm (getpid), and 4 KiB pread.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	static char buf[4096];
	int fd = open(argv[0], O_RDONLY);
	double t;

	if (fd < 0 || n <= 0)
		return 2;
	t = now_ns();
	for (long i = 0; i < n; i++)
		lseek(fd, i & 1023, SEEK_SET);
	printf("lseek %.0f\n", (now_ns() - t) / n);
	t = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	printf("getpid %.0f\n", (now_ns() - t) / n);
	t = now_ns();
	for (long i = 0; i < n; i++)
		pread(fd, buf, sizeof(buf), 0);
	printf("pread4k %.0f\n", (now_ns() - t) / n);
	return 0;
}
