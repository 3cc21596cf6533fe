/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCI layer without realms: config.json parsing (fields, bounds,
 * errors naming their JSON path), the mapping to a realm configuration,
 * the state file, the store and the hooks.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "malformed.h"
#include "oci/config.h"
#include "oci/hooks.h"
#include "oci/proc.h"
#include "oci/realm_config.h"
#include "oci/state.h"
#include "oci/store.h"

static const char full_doc[] =
	"{\"ociVersion\":\"1.0.2\",\"unknown\":{\"a\":[1,2,{\"b\":null}]},"
	"\"process\":{\"terminal\":true,\"user\":{\"uid\":1000,\"gid\":100,"
	"\"additionalGids\":[5,6]},\"args\":[\"sh\",\"-c\",\"exit 3\"],"
	"\"env\":[\"PATH=/bin\",\"X=\\u00e9\\n\"],\"cwd\":\"/tmp\",\"rlimits\":[{\"type\":"
	"\"RLIMIT_NOFILE\",\"soft\":512,\"hard\":1024}],\"noNewPrivileges\":true,"
	"\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"],\"effective\":[\"CAP_CHOWN\","
	"\"CAP_SYS_ADMIN\"],\"ambient\":[]}},"
	"\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"hostname\":\"box\","
	"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
	"\"options\":[\"nosuid\"]}],"
	"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":"
	"\"/var/run/netns/x\"},{\"type\":\"user\"}],\"resources\":{\"memory\":{\"limit\":104857601},"
	"\"cpu\":{\"shares\":512,\"quota\":-1},\"pids\":{\"limit\":64}}},"
	"\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/true\",\"args\":[\"true\",\"x\"],"
	"\"timeout\":5}],\"poststop\":[{\"path\":\"/bin/false\"}]},"
	"\"annotations\":{\"org.fasco.rpv\":\"" "000102030405060708090a0b0c0d0e0f"
	"101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
	"303132333435363738393a3b3c3d3e3f" "\",\"org.fasco.hash-algo\":\"sha512\","
	"\"org.fasco.vcpus\":\"2\",\"io.kubernetes.cri.container-type\":\"container\"}}";

START_TEST(test_full_document)
{
	struct oci_config *c;

	ck_assert_int_eq(oci_config_parse(full_doc, strlen(full_doc), &c), 0);
	ck_assert_str_eq(c->oci_version, "1.0.2");
	ck_assert(c->process.terminal && c->process.no_new_privileges);
	ck_assert_uint_eq(c->process.user.uid, 1000);
	ck_assert_uint_eq(c->process.user.n_additional_gids, 2);
	ck_assert_uint_eq(c->process.user.additional_gids[1], 6);
	ck_assert_uint_eq(c->process.args.n, 3);
	ck_assert_str_eq(c->process.args.v[2], "exit 3");
	ck_assert_ptr_null(c->process.args.v[3]);
	ck_assert_str_eq(c->process.env.v[1], "X=\xc3\xa9\n");
	ck_assert_str_eq(c->process.cwd, "/tmp");
	ck_assert_uint_eq(c->process.n_rlimits, 1);
	ck_assert_uint_eq(c->process.rlimits[0].soft, 512);
	ck_assert_str_eq(c->process.capabilities[OCI_CAP_BOUNDING].v[0], "CAP_CHOWN");
	ck_assert(c->root.readonly);
	ck_assert_str_eq(c->mounts[0].options.v[0], "nosuid");
	ck_assert_str_eq(c->linux_.namespaces[1].path, "/var/run/netns/x");
	ck_assert(c->linux_.resources.has_memory_limit);
	ck_assert_int_eq(c->linux_.resources.memory_limit, 104857601);
	ck_assert(c->linux_.resources.has_cpu_quota && !c->linux_.resources.has_cpu_period);
	ck_assert_int_eq(c->linux_.resources.cpu_quota, -1);
	ck_assert_int_eq(c->linux_.resources.pids_limit, 64);
	ck_assert_uint_eq(c->hooks[OCI_HOOK_CREATE_RUNTIME].n, 1);
	ck_assert_int_eq(c->hooks[OCI_HOOK_CREATE_RUNTIME].v[0].timeout, 5);
	ck_assert_uint_eq(c->hooks[OCI_HOOK_POSTSTOP].n, 1);
	ck_assert_uint_eq(c->hooks[OCI_HOOK_PRESTART].n, 0);
	ck_assert(c->fasco.has_rpv);
	ck_assert_uint_eq(c->fasco.rpv[63], 0x3f);
	ck_assert_int_eq(c->fasco.hash_algo, 1);
	ck_assert_uint_eq(c->fasco.vcpus, 2);
	ck_assert_str_eq(oci_annotation_get(&c->annotations, "io.kubernetes.cri.container-type"),
			 "container");
	oci_config_free(c);
}
END_TEST

START_TEST(test_malformed)
{
	for (size_t i = 0; malformed_configs[i].doc; i++) {
		const struct malformed *m = &malformed_configs[i];
		struct oci_config *c = NULL;
		int r = oci_config_parse(m->doc, strlen(m->doc), &c);

		ck_assert_msg(r == FASCO_E_CONFIG, "case %zu (%s): %d", i, m->error, r);
		ck_assert_msg(strstr(fasco_last_error(), m->error), "case %zu: got \"%s\", want \"%s\"",
			      i, fasco_last_error(), m->error);
		ck_assert_ptr_null(c);
	}
}
END_TEST

/* A composite container's stages, with their defaults left unset. */
START_TEST(test_stages)
{
	const char *doc = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
			  "\"root\":{\"path\":\"rootfs\"},\"annotations\":{\"org.fasco.stages\":"
			  "\"[{\\\"name\\\":\\\"agent\\\",\\\"args\\\":[\\\"/bin/a\\\",\\\"-v\\\"],"
			  "\\\"env\\\":[\\\"A=1\\\"],\\\"cwd\\\":\\\"/tmp\\\",\\\"memory\\\":\\\"32M\\\"},"
			  "{\\\"name\\\":\\\"b-2\\\",\\\"args\\\":[\\\"true\\\"]}]\"}}";
	struct oci_config *c;
	const struct oci_stage *s;

	ck_assert_msg(oci_config_parse(doc, strlen(doc), &c) == 0, "%s", fasco_last_error());
	ck_assert_uint_eq(c->fasco.stages.n, 2);
	s = &c->fasco.stages.v[0];
	ck_assert_str_eq(s->name, "agent");
	ck_assert_uint_eq(s->args.n, 2);
	ck_assert_str_eq(s->args.v[1], "-v");
	ck_assert(s->has_env);
	ck_assert_str_eq(s->env.v[0], "A=1");
	ck_assert_str_eq(s->cwd, "/tmp");
	ck_assert_uint_eq(s->memory, 32u << 20);
	s = &c->fasco.stages.v[1];
	ck_assert_str_eq(s->name, "b-2");
	ck_assert(!s->has_env && !s->cwd && !s->memory);
	oci_config_free(c);
}
END_TEST

/* Every count is bounded: a long array fails at the element past the bound. */
START_TEST(test_bounds)
{
	size_t n = OCI_ITEMS_MAX + 1, len = 0;
	char *doc = malloc(64 + n * 4), *big;
	struct oci_config *c;
	char want[64];

	len += (size_t)sprintf(doc, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, "%s\"a\"", i ? "," : "");
	len += (size_t)sprintf(doc + len, "]}}");
	ck_assert_int_eq(oci_config_parse(doc, len, &c), FASCO_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "process.args: more than 4096 elements"));
	free(doc);

	/* one string longer than any value may be */
	big = malloc(OCI_STRING_MAX + 64);
	ck_assert_ptr_nonnull(big);
	len = (size_t)sprintf(big, "{\"ociVersion\":\"");
	memset(big + len, 'x', OCI_STRING_MAX);
	len += OCI_STRING_MAX;
	len += (size_t)sprintf(big + len, "\"}");
	ck_assert_int_eq(oci_config_parse(big, len, &c), FASCO_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "ociVersion: json: string too long"));
	free(big);
	snprintf(want, sizeof(want), "more than the %u allowed", OCI_CONFIG_MAX_BYTES);
	ck_assert_int_eq(oci_config_parse("{}", OCI_CONFIG_MAX_BYTES + 1, &c), FASCO_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), want));
}
END_TEST

static void count_note(void *userdata, const char *field, const char *why)
{
	ck_assert_ptr_nonnull(field);
	ck_assert_ptr_nonnull(why);
	(*(int *)userdata)++;
}

START_TEST(test_unhonoured_reported)
{
	const char *plain = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
			    "\"root\":{\"path\":\"r\"}}";
	struct oci_config *c;
	int n = 0;

	ck_assert_int_eq(oci_config_parse(full_doc, strlen(full_doc), &c), 0);
	/* CAP_SYS_ADMIN, the proc mount, the user namespace, cpu, pids (user,
	 * readonly, hostname and the network namespace path are honoured) */
	ck_assert_uint_eq(oci_config_unhonoured(c, count_note, &n), 5);
	ck_assert_int_eq(n, 5);
	oci_config_free(c);
	ck_assert_int_eq(oci_config_parse(plain, strlen(plain), &c), 0);
	ck_assert_uint_eq(oci_config_unhonoured(c, count_note, &n), 0);
	oci_config_free(c);
	/* what may be granted: the container's own business only */
	ck_assert_int_eq(oci_capability_bit("CAP_CHOWN"), 0);
	ck_assert_int_eq(oci_capability_bit("CAP_NET_BIND_SERVICE"), 10);
	ck_assert_int_eq(oci_capability_bit("CAP_SYS_ADMIN"), -1);
	ck_assert_int_eq(oci_capability_bit("CAP_MKNOD"), -1);
	ck_assert_int_eq(oci_capability_bit("CAP_DAC_READ_SEARCH"), -1);
	ck_assert_int_eq(oci_capability_bit("chown"), -1);
}
END_TEST

static void no_warning(void *userdata, const char *message)
{
	ck_abort_msg("unexpected warning: %s (%p)", message, userdata);
}

static void note_warning(void *userdata, const char *message)
{
	ck_assert_ptr_nonnull(strstr(message, "adjusted"));
	(*(int *)userdata)++;
}

START_TEST(test_realm_config)
{
	struct oci_config *c;
	fasco_config *cfg;
	uint64_t v, max;
	int warned = 0;
	char doc[512];

	/* the memory limit, rounded up to 2 MiB */
	ck_assert_int_eq(oci_config_parse(full_doc, strlen(full_doc), &c), 0);
	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	ck_assert_int_eq(oci_realm_config(c, 0, "/bin/sh", cfg, note_warning, &warned), 0);
	ck_assert_int_eq(warned, 1);
	ck_assert_int_eq(fasco_config_get_param(cfg, FASCO_PARAM_MEMORY_BYTES, &v), 0);
	ck_assert_uint_eq(v, 102 << 20);
	ck_assert_int_eq(fasco_config_get_param(cfg, FASCO_PARAM_HASH_ALGO, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(fasco_config_get_param(cfg, FASCO_PARAM_VCPUS, &v), 0);
	ck_assert_uint_eq(v, 2);
	fasco_config_destroy(cfg);
	oci_config_free(c);

	/* the annotation wins over the limit; above the maximum it is clamped */
	ck_assert_int_eq(fasco_config_param_bounds(FASCO_PARAM_MEMORY_BYTES, NULL, &max), 0);
	snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
		 "\"cwd\":\"/\"},\"root\":{\"path\":\"r\"},\"linux\":{\"resources\":{\"memory\":"
		 "{\"limit\":4194304}}},\"annotations\":{\"org.fasco.memory\":\"64M\"}}");
	ck_assert_int_eq(oci_config_parse(doc, strlen(doc), &c), 0);
	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	ck_assert_int_eq(oci_realm_config(c, 0, "/bin/sh", cfg, no_warning, NULL), 0);
	ck_assert_int_eq(fasco_config_get_param(cfg, FASCO_PARAM_MEMORY_BYTES, &v), 0);
	ck_assert_uint_eq(v, 64 << 20);
	fasco_config_destroy(cfg);
	oci_config_free(c);
	snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
		 "\"cwd\":\"/\"},\"root\":{\"path\":\"r\"},\"annotations\":{\"org.fasco.memory\":"
		 "\"%lluK\",\"org.fasco.vcpus\":\"100000\"}}", (unsigned long long)(max >> 10) + 1);
	ck_assert_int_eq(oci_config_parse(doc, strlen(doc), &c), 0);
	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	warned = 0;
	/* vCPUs beyond the bound are an error naming the annotation */
	ck_assert_int_eq(oci_realm_config(c, 0, "/bin/sh", cfg, note_warning, &warned), FASCO_E_CONFIG);
	ck_assert_int_eq(warned, 1);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "annotations[\"org.fasco.vcpus\"]"));
	ck_assert_int_eq(fasco_config_get_param(cfg, FASCO_PARAM_MEMORY_BYTES, &v), 0);
	ck_assert_uint_eq(v, max);
	fasco_config_destroy(cfg);
	oci_config_free(c);
}
END_TEST

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/fasco-oci-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Program lookup resolves symbolic links inside the root, never the host's. */
START_TEST(test_find_program)
{
	const char *doc = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"tool\"],\"env\":"
			  "[\"PATH=/nowhere:/bin\"],\"cwd\":\"/\"},\"root\":{\"path\":\"r\"}}";
	struct oci_config *c;
	char path[256], out[256];
	int rootfd, fd;

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/bin", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/bin/real", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/bin/tool", tmpdir);
	ck_assert_int_eq(symlink("/bin/real", path), 0);
	snprintf(path, sizeof(path), "%s/bin/sh", tmpdir);
	/* absolute: on the host this is /bin/sh, inside the root it is nothing */
	ck_assert_int_eq(symlink("/usr/bin/nothing-here", path), 0);
	rootfd = open(tmpdir, O_PATH | O_DIRECTORY);
	ck_assert_int_eq(oci_config_parse(doc, strlen(doc), &c), 0);
	ck_assert_int_eq(oci_find_program(rootfd, c, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/bin/tool");
	free(c->process.args.v[0]);
	c->process.args.v[0] = strdup("sh");
	ck_assert_int_eq(oci_find_program(rootfd, c, 0, out, sizeof(out)), FASCO_E_CONFIG);
	ck_assert_str_eq(fasco_last_error(),
			 "process.args[0]: \"sh\" not found in $PATH inside the root");
	free(c->process.args.v[0]);
	c->process.args.v[0] = strdup("/bin/sh");
	ck_assert_int_eq(oci_find_program(rootfd, c, 0, out, sizeof(out)), FASCO_E_CONFIG);
	oci_config_free(c);
	close(rootfd);
	remove_tmpdir();
}
END_TEST

START_TEST(test_ids)
{
	char longest[OCI_ID_MAX + 2];

	ck_assert_int_eq(oci_id_check("abc-1.2_3+x"), 0);
	ck_assert_int_eq(oci_id_check(""), -EINVAL);
	ck_assert_int_eq(oci_id_check("."), -EINVAL);
	ck_assert_int_eq(oci_id_check(".."), -EINVAL);
	ck_assert_int_eq(oci_id_check("a/b"), -EINVAL);
	ck_assert_int_eq(oci_id_check("../x"), -EINVAL);
	ck_assert_int_eq(oci_id_check("a b"), -EINVAL);
	memset(longest, 'a', OCI_ID_MAX);
	longest[OCI_ID_MAX] = '\0';
	ck_assert_int_eq(oci_id_check(longest), 0);
	longest[OCI_ID_MAX] = 'a';
	longest[OCI_ID_MAX + 1] = '\0';
	ck_assert_int_eq(oci_id_check(longest), -EINVAL);
}
END_TEST

START_TEST(test_state_round_trip)
{
	struct oci_annotation ann[] = { { "a\"b", "c\n\\d" }, { "org.fasco.memory", "1G" } };
	struct oci_state s = { .id = "box", .bundle = "/b", .rootfs = "/b/r", .created = "now",
			       .owner = "", .pid = getpid(), .status = OCI_STATUS_CREATED,
			       .annotations = { ann, 2 } };
	struct oci_state back;
	char root[128], st;
	struct stat sb;
	int rootfd, dirfd, lockfd, again;

	make_tmpdir();
	snprintf(root, sizeof(root), "%s/a/b", tmpdir);
	ck_assert_int_eq(oci_root_open(root, true, &rootfd), 0);
	ck_assert_int_eq(stat(root, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(oci_dir_create(rootfd, "box", &dirfd), 0);
	ck_assert_int_eq(oci_dir_create(rootfd, "box", &again), -EEXIST);
	ck_assert_int_eq(oci_proc_stat(getpid(), &s.start_time, &st), 0);
	ck_assert_int_eq(oci_state_save(dirfd, &s, OCI_DURABLE), 0);
	ck_assert_int_eq(oci_state_load(dirfd, &back), 0);
	ck_assert_str_eq(back.id, "box");
	ck_assert_str_eq(back.annotations.v[0].key, "a\"b");
	ck_assert_str_eq(back.annotations.v[0].value, "c\n\\d");
	ck_assert_int_eq(back.pid, getpid());
	ck_assert_uint_eq(back.start_time, s.start_time);
	/* alive and no "created" marker: the container has been started */
	ck_assert_int_eq(oci_state_derive(&back, dirfd), OCI_STATUS_RUNNING);
	ck_assert_int_eq(oci_write_atomic(dirfd, OCI_CREATED_FILE, "", 0, 0600), 0);
	ck_assert_int_eq(oci_state_derive(&back, dirfd), OCI_STATUS_CREATED);
	/* the same pid with another start time is another process */
	back.start_time++;
	ck_assert_int_eq(oci_state_derive(&back, dirfd), OCI_STATUS_STOPPED);
	oci_state_clear(&back);
	/* one lock holder at a time */
	ck_assert_int_eq(oci_lock(dirfd, false, &lockfd), 0);
	ck_assert_int_eq(oci_lock(dirfd, false, &again), -EBUSY);
	close(lockfd);
	ck_assert_int_eq(oci_lock(dirfd, false, &again), 0);
	close(again);
	/* a damaged state file is an error, not a guess; removal still works */
	ck_assert_int_eq(oci_write_atomic(dirfd, OCI_STATE_FILE, "{\"id\":", 6, 0600), 0);
	ck_assert_int_lt(oci_state_load(dirfd, &back), 0);
	close(dirfd);
	ck_assert_int_eq(oci_dir_remove(rootfd, "box"), 0);
	ck_assert_int_eq(oci_dir_open(rootfd, "box", &dirfd), -ENOENT);
	close(rootfd);
	remove_tmpdir();
}
END_TEST

static struct oci_hook_list *hook_lists(const char *doc, struct oci_config **ret)
{
	ck_assert_int_eq(oci_config_parse(doc, strlen(doc), ret), 0);
	return (*ret)->hooks;
}

/* Hooks get the state on stdin, their args and env; failures and timeouts are errors. */
START_TEST(test_hooks)
{
	char doc[1024], out[256], got[256] = "";
	struct oci_config *c;
	FILE *f;

	make_tmpdir();
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	snprintf(doc, sizeof(doc),
		 "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		 "\"root\":{\"path\":\"r\"},\"hooks\":{\"prestart\":[{\"path\":\"/bin/sh\",\"args\":"
		 "[\"sh\",\"-c\",\"read s; echo \\\"$V $s\\\" > %s\"],\"env\":[\"V=hi\"]}],"
		 "\"poststart\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"exit 7\"]}],"
		 "\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"sleep 5\"],"
		 "\"timeout\":1}],\"startContainer\":[{\"path\":\"/nonexistent\"}]}}", out);
	hook_lists(doc, &c);
	ck_assert_int_eq(oci_hooks_run(c->hooks, OCI_HOOK_PRESTART, "{\"id\":\"x\"}\n", 11), 0);
	f = fopen(out, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), f));
	fclose(f);
	ck_assert_str_eq(got, "hi {\"id\":\"x\"}\n");
	ck_assert_int_lt(oci_hooks_run(c->hooks, OCI_HOOK_POSTSTART, "{}", 2), 0);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "poststart hook /bin/sh: exited with status 7"));
	ck_assert_int_eq(oci_hooks_run(c->hooks, OCI_HOOK_POSTSTOP, "{}", 2), -ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "timed out after 1 s"));
	ck_assert_int_lt(oci_hooks_run(c->hooks, OCI_HOOK_START_CONTAINER, "{}", 2), 0);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "exited with status 127"));
	oci_config_free(c);
	remove_tmpdir();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci-config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_full_document);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_stages);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_unhonoured_reported);
	tcase_add_test(tc, test_realm_config);
	tcase_add_test(tc, test_find_program);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_state_round_trip);
	tcase_add_test(tc, test_hooks);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
