/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the unit tests of the realm core (tests/loader, tests/abi,
 * tests/sysrealm): asserting on an error code and its detail, and running a
 * list of tests as one suite.
 */
#ifndef FASCO_TESTS_CHECK_SUITE_H
#define FASCO_TESTS_CHECK_SUITE_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fasco/fasco.h>

/* ret must be code, and the thread's detail must contain needle. */
#define ck_assert_fails(ret, code, needle)                                              \
	do {                                                                            \
		int ck_ret_ = (ret);                                                    \
		ck_assert_msg(ck_ret_ == (code), "returned %d (%s), expected %d; detail: %s", \
			      ck_ret_, fasco_strerror(ck_ret_), (code), fasco_last_error()); \
		ck_assert_msg(strstr(fasco_last_error(), (needle)) != NULL,             \
			      "detail \"%s\" lacks \"%s\"", fasco_last_error(), (needle)); \
	} while (0)

/* Run tests[0..n) (each forked, with the fixture) as suite name: exit status. */
static inline int run_tests(const char *name, const TTest *const tests[], size_t n,
			    SFun setup, SFun teardown)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	for (size_t i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Deterministic pseudo-random numbers (xorshift64*): a failure replays. */
static inline uint64_t test_rand(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

#define RUN_TESTS(name, setup, teardown, ...)                                           \
	run_tests((name), (const TTest *const[]){ __VA_ARGS__ },                        \
		  sizeof((const TTest *const[]){ __VA_ARGS__ }) / sizeof(const TTest *), \
		  (setup), (teardown))

#endif
