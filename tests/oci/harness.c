/* SPDX-License-Identifier: Apache-2.0 */
/* The fasco-oci test harness: see harness.h. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

const char *fasco_oci;
char dir[64], bundle[128], root[128];
bool have_kvm;

void read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/* fasco-oci --root <root> args..., optionally with a fault point. */
void oci_fault(struct result *r, const char *fault, const char *const *args)
{
	int out[2], err[2], status;
	const char *argv[32] = { fasco_oci, "--root", root };
	int n = 3;
	pid_t pid;

	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (fault)
			setenv("FASCO_OCI_FAULT", fault, 1);
		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* a container started by this command keeps the pipes: read what is there */
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}


void expect_ok(const struct result *r, const char *what)
{
	ck_assert_msg(r->status == 0, "%s: status %d: %s", what, r->status, r->err);
}

void expect_error(const struct result *r, const char *message)
{
	ck_assert_msg(r->status == 1, "status %d, wanted 1 (%s)", r->status, message);
	ck_assert_msg(strstr(r->err, message), "stderr \"%s\" lacks \"%s\"", r->err, message);
}


void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

char *read_file(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "%s", path);
	read_all(fd, buf, sizeof(buf));
	close(fd);
	return buf;
}

/* The spec template with args (a JSON array body) and extra members. */
void set_config(const char *args, const char *extra)
{
	char path[256], *doc, *at, edited[65536];
	const char *key = "\"args\": [ \"sh\" ]";

	snprintf(path, sizeof(path), "%s/config.json.spec", bundle);
	doc = read_file(path);
	at = strstr(doc, key);
	ck_assert_ptr_nonnull(at);
	snprintf(edited, sizeof(edited), "%.*s\"args\": [ %s ]%s", (int)(at - doc), doc, args,
		 at + strlen(key));
	if (extra) {
		/* before the last '}' */
		at = strrchr(edited, '}');
		snprintf(at, sizeof(edited) - (size_t)(at - edited), ", %s }\n", extra);
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	write_file(path, edited);
}

/* The config with args, and member added to its "linux" object. */
void set_config_linux(const char *args, const char *member)
{
	char path[256], edited[65536], *doc, *at;

	set_config(args, NULL);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	doc = read_file(path);
	at = strstr(doc, "\"linux\": {");
	ck_assert_ptr_nonnull(at);
	at += strlen("\"linux\": {");
	snprintf(edited, sizeof(edited), "%.*s %s,%s", (int)(at - doc), doc, member, at);
	write_file(path, edited);
}

unsigned root_entries(void)
{
	DIR *d = opendir(root);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The container's wait status, as its reaper sees it. */
int reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

const char *status_of(const char *id)
{
	static struct result r;
	static char status[32];
	const char *s;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	s = strstr(r.out, "\"status\":\"");
	ck_assert_ptr_nonnull(s);
	sscanf(s + 10, "%31[a-z]", status);
	return status;
}

int pid_of(const char *id)
{
	struct result r;
	const char *s;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	s = strstr(r.out, "\"pid\":");
	ck_assert_ptr_nonnull(s);
	return atoi(s + 6);
}

/* Poll the status until it is want (a keeper dying with create takes a moment). */
void wait_status(const char *id, const char *want)
{
	for (int i = 0; i < 100 && strcmp(status_of(id), want); i++)
		usleep(20000);
	ck_assert_str_eq(status_of(id), want);
}

void setup(void)
{
	char path[512];
	const char *links[] = { "sh", "true", "sleep", "echo" };

	strcpy(dir, "/tmp/fasco-oci-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	ck_assert_int_eq(mkdir(bundle, 0755), 0);
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/rootfs/bin", bundle);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "cp /bin/busybox %s/rootfs/bin/busybox", bundle);
	ck_assert_int_eq(system(path), 0);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/rootfs/bin/%s", bundle, links[i]);
		ck_assert_int_eq(symlink("/bin/busybox", path), 0);
	}
	OCI_OK("spec", "--bundle", bundle);
	OCI_ERR("File exists", "spec", "--bundle", bundle);
	snprintf(path, sizeof(path), "mv %s/config.json %s/config.json.spec", bundle, bundle);
	ck_assert_int_eq(system(path), 0);
	set_config("\"sh\", \"-c\", \"echo hi; exit 3\"", NULL);
}

void teardown(void)
{
	char cmd[128];

	reap_all();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

int harness_run(const char *suite, TCase *tc)
{
	Suite *s = suite_create(suite);
	const char *require = getenv("FASCO_REQUIRE_KVM");
	SRunner *sr;
	int failed;

	fasco_oci = getenv("FASCO_OCI");
	if (!fasco_oci) {
		fprintf(stderr, "FASCO_OCI is not set\n");
		return 1;
	}
	have_kvm = access("/dev/kvm", R_OK | W_OK) == 0;
	if (!have_kvm && require && !strcmp(require, "1")) {
		fprintf(stderr, "/dev/kvm is not usable and FASCO_REQUIRE_KVM=1\n");
		return 1;
	}
	if (!have_kvm)
		printf("realm tests skipped: /dev/kvm is not usable\n");
	/* as containerd's shim: orphaned container processes become our children */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* no fork per test: the subreaper must be the process that runs them */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
