/* SPDX-License-Identifier: Apache-2.0 */
/* Running a program natively and in a realm (fasco-run), for comparison. */
#ifndef FASCO_TESTS_REALM_RUN_H
#define FASCO_TESTS_REALM_RUN_H

#include <check.h>
#include <stddef.h>

struct result {
	int status; /* exit code, or 128 + signal */
	char out[65536];
	char err[8192];
};

/* From the environment meson test sets: FASCO_RUN, FASCO_TEST_PROGRAMS. */
extern const char *fasco_run, *programs;
/* fasco-run options put before "--" (NULL-terminated, at most 7). */
extern const char *realm_options[8];

/* Run argv (in a realm when realm is set) and capture stdout/stderr. */
void run(int realm, char *const argv[], struct result *r);
/* Run argv natively and in a realm: same status, same stdout. */
void same_as_native(char *const argv[]);
/* The path of a test program built beside the tests. */
void program_path(char *buf, size_t cap, const char *name);
/* Read the environment and look for /dev/kvm: -1 to go on, else the exit
 * status for main (1: misconfigured, 77: skipped). */
int realm_test_setup(void);
/* Run the suite; the exit status for main. */
int realm_suite_run(Suite *s);

#endif
