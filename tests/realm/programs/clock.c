/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clocks as a program sees them: monotonic never goes back, realtime and
 * gettimeofday and time() agree with the host's time given in argv[1],
 * a sleep is measured about right. Prints only verdicts, so the output is
 * the same natively and in a realm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static double secs(const struct timespec *t)
{
	return (double)t->tv_sec + t->tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double host = argc > 1 ? atof(argv[1]) : 0;
	struct timespec a, b, r, s0, s1;
	struct timeval tv;
	long backwards = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (secs(&b) < secs(&a))
			backwards++;
		a = b;
	}
	printf("monotonic backwards: %ld\n", backwards);
	clock_gettime(CLOCK_REALTIME, &r);
	gettimeofday(&tv, NULL);
	printf("realtime near the host's: %s\n", secs(&r) - host < 30 && secs(&r) >= host - 1 ? "yes" : "no");
	printf("gettimeofday agrees: %s\n", tv.tv_sec - r.tv_sec <= 1 && tv.tv_sec >= r.tv_sec ? "yes" : "no");
	printf("time() agrees: %s\n", time(NULL) - r.tv_sec <= 1 ? "yes" : "no");
	clock_gettime(CLOCK_MONOTONIC, &s0);
	nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	clock_gettime(CLOCK_MONOTONIC, &s1);
	printf("50 ms sleep measured: %s\n", secs(&s1) - secs(&s0) > 0.045 && secs(&s1) - secs(&s0) < 0.5 ? "yes" : "no");
	return 0;
}
