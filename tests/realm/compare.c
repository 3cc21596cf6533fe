/* SPDX-License-Identifier: Apache-2.0 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"

static const char *fasco_run, *programs;

static void read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

const char *realm_options[8];

void run(int realm, char *const argv[], struct result *r)
{
	int out[2], err[2], status;
	pid_t pid;
	char *full[64];
	int n = 0;

	if (realm) {
		full[n++] = (char *)fasco_run;
		for (int i = 0; realm_options[i] && n < 8; i++)
			full[n++] = (char *)realm_options[i];
		full[n++] = "--";
	}
	for (int i = 0; argv[i] && n < 63; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(full[0], full);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void same_as_native(char *const argv[])
{
	static struct result native, realm;

	run(0, argv, &native);
	run(1, argv, &realm);
	ck_assert_msg(realm.status == native.status, "%s: exit %d in the realm, %d natively (%s)",
		      argv[0], realm.status, native.status, realm.err);
	ck_assert_msg(strcmp(realm.out, native.out) == 0, "%s %s: output differs:\nrealm:\n%s\nnative:\n%s",
		      argv[0], argv[1] ? argv[1] : "", realm.out, native.out);
}

void program_path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", programs, name);
}

static int kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int compare_init(void)
{
	fasco_run = getenv("FASCO_RUN");
	programs = getenv("FASCO_TEST_PROGRAMS");
	if (!fasco_run || !programs) {
		fprintf(stderr, "FASCO_RUN and FASCO_TEST_PROGRAMS must be set (run through meson test)\n");
		return 1;
	}
	if (!kvm_usable()) {
		if (getenv("FASCO_REQUIRE_KVM")) {
			fprintf(stderr, "FAIL: /dev/kvm is required here but cannot be opened\n");
			return 1;
		}
		fprintf(stderr, "SKIP: /dev/kvm is not available\n");
		return 77;
	}
	return 0;
}

int compare_main(const char *name, void (*add_tests)(TCase *tc))
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	SRunner *sr;
	int failed;

	if ((failed = compare_init()) != 0)
		return failed;
	tcase_set_timeout(tc, 60);
	add_tests(tc);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
