/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm API for callers that do not block: fasco_realm_fd(), a
 * descriptor an event loop polls for a realm's end, is not readable while
 * the realm is loaded or runs, turns readable when the realm ends (by
 * itself, killed, or its monitor killed before start), stays readable
 * after fasco_realm_wait(), and tells realms apart: of two realms polled
 * together, the one that ends first is the one reported.
 * fasco_realm_load_begin() returns while the monitor builds the realm;
 * fasco_realm_load() or fasco_realm_start() finish the load, and destroy
 * ends an unfinished one. Realms run /bin/busybox from the host's root.
 */
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fasco/fasco.h>

#define BUSYBOX "/bin/busybox"

static fasco_ctx *ctx;
static fasco_sysrealm *sys;
static char state_dir[] = "/tmp/fasco-realm-async-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(state_dir));
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state_dir, &ctx), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, "/", &sys), 0);
}

static void teardown(void)
{
	char cmd[128];

	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", state_dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(state_dir, "/tmp/fasco-realm-async-XXXXXX");
}

/* A realm of busybox sh -c script, attached, not loaded. */
static fasco_realm *attached(const char *script)
{
	const char *argv[] = { "busybox", "sh", "-c", script };
	fasco_config *cfg;
	fasco_realm *realm;

	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	ck_assert_int_eq(fasco_config_set_program(cfg, BUSYBOX), 0);
	ck_assert_int_eq(fasco_config_set_argv(cfg, 4, argv), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	fasco_config_destroy(cfg);
	ck_assert_int_eq(fasco_realm_fd(realm), FASCO_E_STATE);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	return realm;
}

static fasco_realm *loaded(const char *script)
{
	fasco_realm *realm = attached(script);

	ck_assert_msg(fasco_realm_load(realm) == 0, "load: %s", fasco_last_error());
	return realm;
}

/* poll one realm's descriptor: 1 readable, 0 not within ms. */
static int readable(fasco_realm *realm, int ms)
{
	struct pollfd p = { .fd = fasco_realm_fd(realm), .events = POLLIN };
	int n;

	ck_assert_int_ge(p.fd, 0);
	while ((n = poll(&p, 1, ms)) < 0)
		;
	return n == 1 && (p.revents & (POLLIN | POLLHUP));
}

static int end_of(fasco_realm *realm)
{
	struct fasco_exit_info e = { .size = sizeof(e) };

	ck_assert_int_eq(fasco_realm_wait(realm, &e), 0);
	return e.kind == FASCO_END_EXIT ? e.value : 128 + e.value;
}

START_TEST(readable_when_the_realm_ends)
{
	fasco_realm *realm = loaded("sleep 0.3; exit 7");

	ck_assert_int_eq(readable(realm, 50), 0); /* loaded: not ended */
	ck_assert_int_eq(fasco_realm_start(realm), 0);
	ck_assert_int_eq(readable(realm, 0), 0); /* sleeping */
	ck_assert_int_eq(readable(realm, 10000), 1);
	ck_assert_int_eq(end_of(realm), 7);
	/* level-triggered: still readable once the end is read */
	ck_assert_int_eq(readable(realm, 0), 1);
	ck_assert_int_eq(end_of(realm), 7);
	fasco_realm_destroy(realm);
}
END_TEST

START_TEST(readable_when_killed)
{
	fasco_realm *running = loaded("sleep 30"), *idle = loaded("true");

	ck_assert_int_eq(fasco_realm_start(running), 0);
	ck_assert_int_eq(fasco_realm_kill(running, SIGKILL), 0);
	ck_assert_int_eq(readable(running, 10000), 1);
	ck_assert_int_eq(end_of(running), 128 + SIGKILL);
	/* a loaded realm whose monitor dies before it starts has ended too */
	ck_assert_int_eq(fasco_realm_kill(idle, SIGKILL), 0);
	ck_assert_int_eq(readable(idle, 10000), 1);
	fasco_realm_destroy(running);
	fasco_realm_destroy(idle);
}
END_TEST

START_TEST(tells_realms_apart)
{
	fasco_realm *slow = loaded("sleep 1"), *quick = loaded("exit 4");
	struct pollfd p[2] = { { .fd = fasco_realm_fd(slow), .events = POLLIN },
			       { .fd = fasco_realm_fd(quick), .events = POLLIN } };

	ck_assert_int_ne(p[0].fd, p[1].fd);
	ck_assert_int_eq(fasco_realm_start(slow), 0);
	ck_assert_int_eq(fasco_realm_start(quick), 0);
	ck_assert_int_eq(poll(p, 2, 10000), 1);
	ck_assert(!p[0].revents && p[1].revents);
	ck_assert_int_eq(end_of(quick), 4);
	ck_assert_int_eq(readable(slow, 10000), 1);
	ck_assert_int_eq(end_of(slow), 0);
	fasco_realm_destroy(slow);
	fasco_realm_destroy(quick);
}
END_TEST

START_TEST(load_begins_without_waiting)
{
	fasco_realm *realm = attached("exit 6"), *dropped = attached("true");
	uint8_t rim[64];
	size_t len;

	ck_assert_int_eq(fasco_realm_load_begin(realm), 0);
	ck_assert_int_eq(fasco_realm_load_begin(realm), FASCO_E_STATE);
	/* not loaded yet: no measurement, no end to poll */
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, rim, sizeof(rim), &len), FASCO_E_STATE);
	ck_assert_int_eq(fasco_realm_fd(realm), FASCO_E_STATE);
	ck_assert_int_gt(fasco_realm_pid(realm), 0);
	ck_assert_msg(fasco_realm_load(realm) == 0, "load: %s", fasco_last_error());
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, rim, sizeof(rim), &len), 0);
	ck_assert_int_eq(fasco_realm_load(realm), FASCO_E_STATE);
	ck_assert_int_eq(fasco_exec(realm, NULL), 6);
	fasco_realm_destroy(realm);
	/* start finishes a begun load; destroy ends one nobody finished */
	realm = attached("exit 2");
	ck_assert_int_eq(fasco_realm_load_begin(realm), 0);
	ck_assert_int_eq(fasco_realm_start(realm), 0);
	ck_assert_int_eq(end_of(realm), 2);
	fasco_realm_destroy(realm);
	ck_assert_int_eq(fasco_realm_load_begin(dropped), 0);
	fasco_realm_destroy(dropped);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("realm-async");
	TCase *tc = tcase_create("realm-async");
	SRunner *sr;
	int failed;

	if (access("/dev/kvm", R_OK | W_OK) < 0 || access(BUSYBOX, X_OK) < 0) {
		const char *require = getenv("FASCO_REQUIRE_KVM");

		printf("skipped: /dev/kvm or %s is not usable\n", BUSYBOX);
		return require && !strcmp(require, "1") ? 1 : 77;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, readable_when_the_realm_ends);
	tcase_add_test(tc, readable_when_killed);
	tcase_add_test(tc, tells_realms_apart);
	tcase_add_test(tc, load_begins_without_waiting);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
