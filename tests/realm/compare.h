/* SPDX-License-Identifier: Apache-2.0 */
/* Running a program natively and in a realm (through fasco-run), compared. */
#ifndef FASCO_TESTS_REALM_COMPARE_H
#define FASCO_TESTS_REALM_COMPARE_H

#include <check.h>
#include <stddef.h>

struct result {
	int status; /* exit code, or 128 + signal */
	char out[65536];
	char err[8192];
};

/* Read FASCO_RUN and FASCO_TEST_PROGRAMS and check /dev/kvm: 0, or the
 * status main() returns (1: misconfigured, 77: skipped). */
int compare_init(void);
/* fasco-run options put before "--" (NULL-terminated, at most 7). */
extern const char *realm_options[8];
/* Run argv (in a realm when realm is set) and capture stdout/stderr. */
void run(int realm, char *const argv[], struct result *r);
/* Same exit status and the same standard output in a realm as natively. */
void same_as_native(char *const argv[]);
/* A suite's main(): compare_init(), then the tests add_tests adds to one
 * test case (60 s each) run as suite name; the exit status. */
int compare_main(const char *name, void (*add_tests)(TCase *tc));
/* The path of a test program built beside the test. */
void program_path(char *buf, size_t cap, const char *name);

#endif
