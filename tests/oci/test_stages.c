/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Composite containers (org.fasco.stages): the container's process and
 * each stage run in realms of their own, created and started together,
 * killed together, each stage's status, evidence and image reported by
 * `state`; delete removes all; fasco-oci killed during create leaves
 * nothing running and a container that delete cleans; a stage that cannot
 * be loaded leaves nothing behind. The stages write files into the shared
 * root, which is how the test sees that each ran, with its own arguments,
 * environment and working directory.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/*
 * config.json with the process running args and the stages of a JSON
 * array written with ' for ", which is escaped into the annotation.
 */
static void set_stages(const char *args, const char *stages)
{
	static const char memory[] = "\"org.fasco.memory\": \"256M\"";
	char path[256], escaped[4096], doc[65536], *at;
	size_t n = 0;

	for (const char *s = stages; *s && n + 3 < sizeof(escaped); s++) {
		if (*s == '\'')
			escaped[n++] = '\\', escaped[n++] = '"';
		else
			escaped[n++] = *s;
	}
	escaped[n] = '\0';
	set_config(args, NULL);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	at = strstr(read_file(path), memory);
	ck_assert_ptr_nonnull(at);
	snprintf(doc, sizeof(doc), "%.*s\"org.fasco.memory\": \"64M\", \"org.fasco.stages\": \"%s\"%s",
		 (int)(at - read_file(path)), read_file(path), escaped, at + strlen(memory));
	write_file(path, doc);
}

/* The value of annotation key in the container's state ("" if absent). */
static const char *annotation(const char *id, const char *key)
{
	static char value[256];
	char pattern[160];
	struct result r;
	const char *at;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
	at = strstr(r.out, pattern);
	value[0] = '\0';
	if (at)
		sscanf(at + strlen(pattern), "%255[^\"]", value);
	return value;
}

static const char *rootfs_file(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/rootfs/%s", bundle, name);
	return path;
}

/* Every process the container left (they are our children: we are a subreaper) has ended. */
static void expect_nothing_running(void)
{
	for (int i = 0; i < 500; i++) {
		if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return;
		usleep(10000);
	}
	ck_abort_msg("container processes still run");
}

/* The artifact store holds no reference of any container. */
static void expect_no_references(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "test -z \"$(find %s/.store/refs -type f 2>/dev/null)\"", root);
	ck_assert_msg(system(cmd) == 0, "references left in the artifact store");
}

#define ZERO_REM "0000000000000000000000000000000000000000000000000000000000000000"
#define TWO_STAGES                                                                  \
	"[{'name':'agent','args':['sh','-c','echo $ROLE $PWD > /agent.out; exit 5'],"  \
	"'env':['ROLE=attester'],'cwd':'/bin'},"                                        \
	"{'name':'worker','args':['sh','-c','sleep 0.3; echo worker > /worker.out']}]"

START_TEST(test_two_stage_lifecycle)
{
	char pidfile[256], rim[160], agent_rim[160], image[160];
	int pid;

	NEED_KVM();
	set_stages("\"sh\", \"-c\", \"echo main > /main.out; exit 3\"", TWO_STAGES);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	OCI_OK("create", "--bundle", bundle, "--pid-file", pidfile, "duo");
	pid = atoi(read_file(pidfile));
	ck_assert_str_eq(status_of("duo"), "created");
	for (const char *const *s = (const char *const[]){ "main", "agent", "worker", NULL }; *s; s++) {
		char key[96];

		snprintf(key, sizeof(key), "org.fasco.stage.%s.status", *s);
		ck_assert_str_eq(annotation("duo", key), "created");
	}
	/* each stage is measured on its own: its RIM differs from the process's */
	snprintf(rim, sizeof(rim), "%s", annotation("duo", "org.fasco.rim"));
	ck_assert_uint_eq(strlen(rim), 64);
	ck_assert_uint_eq(strlen(annotation("duo", "org.fasco.stage.agent.rim")), 64);
	snprintf(agent_rim, sizeof(agent_rim), "%s", annotation("duo", "org.fasco.stage.agent.rim"));
	ck_assert_str_ne(agent_rim, rim);
	ck_assert_str_ne(annotation("duo", "org.fasco.stage.worker.rim"), rim);
	ck_assert_str_ne(annotation("duo", "org.fasco.stage.worker.rim"), agent_rim);
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.agent.rem0"), ZERO_REM);
	snprintf(image, sizeof(image), "%s", annotation("duo", "org.fasco.image-sha256"));
	ck_assert_uint_eq(strlen(image), 64);
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.worker.image-sha256"), image);
	ck_assert_int_ne(access(rootfs_file("agent.out"), F_OK), 0); /* nothing ran before start */
	OCI_OK("start", "duo");
	/* the container process ends with its process's status once every stage has ended */
	ck_assert_int_eq(reap(pid), 3);
	ck_assert_str_eq(status_of("duo"), "stopped");
	ck_assert_str_eq(read_file(rootfs_file("main.out")), "main\n");
	ck_assert_str_eq(read_file(rootfs_file("agent.out")), "attester /bin\n");
	ck_assert_str_eq(read_file(rootfs_file("worker.out")), "worker\n");
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.main.exit-status"), "3");
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.agent.exit-status"), "5");
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.worker.exit-status"), "0");
	ck_assert_str_eq(annotation("duo", "org.fasco.stage.worker.status"), "stopped");
	OCI_OK("delete", "duo");
	ck_assert_uint_eq(root_entries(), 0);
	expect_no_references();
}
END_TEST

/* The container runs while any stage runs; kill reaches every stage. */
START_TEST(test_kill_reaches_every_stage)
{
	char challenge[] = "00112233445566778899aabbccddeeff";
	char out[256];
	struct result r;
	int pid;

	NEED_KVM();
	set_stages("\"sh\", \"-c\", \"exit 0\"",
		   "[{'name':'a','args':['sleep','100']},{'name':'b','args':['sleep','100']}]");
	OCI_OK("create", "--bundle", bundle, "trio");
	pid = pid_of("trio");
	snprintf(out, sizeof(out), "%s/a.cbor", dir);
	OCI_OK("attest", "trio", "--stage", "a", "--challenge", challenge, "--out", out);
	snprintf(out, sizeof(out), "%s/trio/token-a.cbor", root);
	ck_assert_int_eq(access(out, R_OK), 0);
	OCI_ERR("the container has no such stage", "attest", "trio", "--stage", "nope", "--challenge",
		challenge, "--out", out);
	OCI_OK("start", "trio");
	/* the process ends at once; the stages keep the container running */
	for (int i = 0; i < 200 && strcmp(annotation("trio", "org.fasco.stage.main.status"), "stopped"); i++)
		usleep(10000);
	ck_assert_str_eq(annotation("trio", "org.fasco.stage.main.status"), "stopped");
	ck_assert_str_eq(status_of("trio"), "running");
	ck_assert_str_eq(annotation("trio", "org.fasco.stage.a.status"), "running");
	OCI(&r, "kill", "trio", "TERM");
	expect_ok(&r, "kill");
	ck_assert_int_eq(reap(pid), 0); /* the status of the process, which exited 0 */
	ck_assert_str_eq(status_of("trio"), "stopped");
	ck_assert_str_eq(annotation("trio", "org.fasco.stage.a.exit-status"), "143");
	ck_assert_str_eq(annotation("trio", "org.fasco.stage.b.exit-status"), "143");
	OCI_OK("delete", "trio");
	ck_assert_uint_eq(root_entries(), 0);
	expect_nothing_running();
}
END_TEST

/* delete --force of a running composite container ends every realm. */
START_TEST(test_force_delete)
{
	NEED_KVM();
	set_stages("\"sleep\", \"100\"", "[{'name':'a','args':['sleep','100']}]");
	OCI_OK("create", "--bundle", bundle, "pair");
	OCI_OK("start", "pair");
	OCI_ERR("that is not stopped: running", "delete", "pair");
	OCI_OK("delete", "--force", "pair");
	ck_assert_uint_eq(root_entries(), 0);
	expect_nothing_running();
	expect_no_references();
}
END_TEST

/* fasco-oci killed at each step of a composite create: nothing runs on, delete cleans. */
START_TEST(test_killed_during_create)
{
	static const char *const points[] = { "create-state", "create-fork", "create-loaded",
					      "create-created", NULL };
	struct result r;

	NEED_KVM();
	set_stages("\"sleep\", \"100\"", "[{'name':'a','args':['sleep','100']},"
					 "{'name':'b','args':['true']}]");
	for (size_t i = 0; points[i]; i++) {
		OCI_FAULT(&r, points[i], "create", "--bundle", bundle, "cut");
		ck_assert_msg(r.status == 128 + SIGKILL, "%s: status %d", points[i], r.status);
		expect_nothing_running();
		wait_status("cut", "stopped");
		OCI_OK("delete", "cut");
		ck_assert_uint_eq(root_entries(), 0);
		expect_no_references();
	}
}
END_TEST

/* A stage that cannot run leaves nothing behind, and the error names it. */
START_TEST(test_bad_stages)
{
	char path[256];

	NEED_KVM();
	set_stages("\"true\"", "[{'name':'a','args':['true']},{'name':'b','args':['nope']}]");
	OCI_ERR("annotations[\"org.fasco.stages\"][1].args[0]: \"nope\" not found in $PATH inside the root",
		"create", "--bundle", bundle, "bad");
	ck_assert_uint_eq(root_entries(), 0);
	/* found and executable, but no program a realm loads: refused while loading */
	snprintf(path, sizeof(path), "%s/rootfs/bin/text", bundle);
	write_file(path, "not a program\n");
	ck_assert_int_eq(chmod(path, 0755), 0);
	set_stages("\"true\"", "[{'name':'a','args':['true']},{'name':'b','args':['/bin/text']}]");
	OCI_ERR("bad: b:", "create", "--bundle", bundle, "bad");
	ck_assert_uint_eq(root_entries(), 0);
	expect_nothing_running();
	expect_no_references();
}
END_TEST

/* run in the foreground holds every realm and ends once all have ended. */
START_TEST(test_run_foreground)
{
	struct result r;

	NEED_KVM();
	set_stages("\"sh\", \"-c\", \"exit 4\"",
		   "[{'name':'late','args':['sh','-c','sleep 0.3; echo late > /late.out']}]");
	OCI(&r, "run", "--bundle", bundle, "fg");
	ck_assert_msg(r.status == 4, "run: %d %s", r.status, r.err);
	ck_assert_str_eq(read_file(rootfs_file("late.out")), "late\n");
	ck_assert_uint_eq(root_entries(), 0);
	expect_nothing_running();
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("stages");

	tcase_add_test(tc, test_two_stage_lifecycle);
	tcase_add_test(tc, test_kill_reaches_every_stage);
	tcase_add_test(tc, test_force_delete);
	tcase_add_test(tc, test_killed_during_create);
	tcase_add_test(tc, test_bad_stages);
	tcase_add_test(tc, test_run_foreground);
	return harness_run("oci-stages", tc);
}
