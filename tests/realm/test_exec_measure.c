/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time code measurement in real realms: a dynamic glibc program and
 * python3 extend REM[0] with the libraries ld.so maps, the event log
 * replays to the REMs of the realm's token, an entry's content digest is
 * the SHA-256 of the file range computed here independently, a tampered or
 * shortened log is rejected, and a static program leaves REM[0] zero.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include <fasco/attest.h>
#include <fasco/measure.h>

#include "../check_suite.h"

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"

static const char *programs;
static char state_dir[] = "/tmp/fasco-exec-measure-XXXXXX";

struct outcome {
	char *log;
	uint8_t rem0[64];
	struct fasco_token_claims claims;
};

/* The verified claims of a token the library gives for the ended realm. */
static void attest(fasco_ctx *ctx, fasco_realm *realm, struct fasco_token_claims *claims)
{
	struct fasco_verify_opts opts = { .size = sizeof(opts) };
	static uint8_t token[16384];
	char pem[1024];
	size_t len, pem_len;

	ck_assert_int_eq(fasco_realm_attest(realm, (const uint8_t *)"x", 1, token, sizeof(token),
					    &len), 0);
	ck_assert_int_eq(fasco_platform_key_pem(ctx, pem, sizeof(pem), &pem_len), 0);
	opts.anchor = (const uint8_t *)pem;
	opts.anchor_len = pem_len;
	opts.anchor_format = FASCO_KEY_PEM;
	claims->size = sizeof(*claims);
	ck_assert_msg(fasco_token_verify(token, len, &opts, claims) == 0, "token: %s",
		      fasco_last_error());
}

static void run(const char *program, int argc, const char *const *argv, struct outcome *o)
{
	fasco_config *cfg;
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	size_t len;

	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	ck_assert_int_eq(fasco_config_set_program(cfg, program), 0);
	ck_assert_int_eq(fasco_config_set_argv(cfg, argc, argv), 0);
	ck_assert_int_eq(fasco_config_set_param(cfg, FASCO_PARAM_MEMORY_BYTES, 256 << 20), 0);
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state_dir, &ctx), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, "/", &sys), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	ck_assert_msg(fasco_realm_load(realm) == 0, "load: %s", fasco_last_error());
	ck_assert_int_eq(fasco_exec(realm, NULL), 0);
	ck_assert_int_eq(fasco_realm_event_log(realm, &o->log), 0);
	ck_assert_int_eq(fasco_realm_measurement(realm, 1, o->rem0, sizeof(o->rem0), &len), 0);
	attest(ctx, realm, &o->claims);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);
	fasco_config_destroy(cfg);
}

static int verify(const char *log, const struct outcome *o, const char *ref)
{
	return fasco_event_log_verify(log, strlen(log), &o->claims.realm, &ref, ref ? 1 : 0, NULL);
}

/* The log's entry for path: its content digest, offset and length. */
static void entry_of(const char *log, const char *path, uint8_t content[32], uint64_t *off,
		     uint64_t *len)
{
	char key[256], hex[65];
	const char *e;

	snprintf(key, sizeof(key), "\"path\":\"%s\"", path);
	ck_assert_ptr_nonnull(e = strstr(log, key));
	while (e > log && *e != '{')
		e--;
	ck_assert_int_eq(sscanf(strstr(e, "\"content_sha256\""), "\"content_sha256\":\"%64[0-9a-f]\"", hex), 1);
	ck_assert_int_eq(sscanf(strstr(e, "\"offset\""), "\"offset\":%lu", off), 1);
	ck_assert_int_eq(sscanf(strstr(e, "\"length\""), "\"length\":%lu", len), 1);
	for (int i = 0; i < 32; i++) {
		unsigned b;

		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &b), 1);
		content[i] = (uint8_t)b;
	}
}

/* SHA-256 of a file's bytes [off, off + len), zeros past its end: here,
 * with mbedtls, not through the library. */
static void file_range_sha256(const char *path, uint64_t off, uint64_t len, uint8_t out[32])
{
	uint8_t *buf = calloc(1, len);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_ge(fd, 0);
	n = pread(fd, buf, len, (off_t)off);
	ck_assert_int_gt(n, 0);
	close(fd);
	ck_assert_int_eq(mbedtls_sha256_ret(buf, len, out, 0), 0);
	free(buf);
}

START_TEST(dynamic_glibc_program)
{
	char prog[4200], out[4200];
	const char *argv[3];
	struct outcome o = { 0 };
	uint8_t content[32], want[32];
	uint64_t off, len;
	char *bad;

	snprintf(prog, sizeof(prog), "%s/attest-glibc-dynamic", programs);
	snprintf(out, sizeof(out), "%s/token.cbor", state_dir);
	argv[0] = prog, argv[1] = "exec", argv[2] = out;
	run(prog, 3, argv, &o);
	ck_assert_ptr_nonnull(strstr(o.log, "/libc.so.6\""));
	ck_assert_mem_eq(o.claims.realm.rem[0], o.rem0, 32);
	ck_assert_msg(verify(o.log, &o, NULL) == 0, "%s", fasco_last_error());
	ck_assert_msg(verify(o.log, &o, LIBC) == 0, "%s", fasco_last_error());
	/* the digest is of the very bytes of the file */
	entry_of(o.log, LIBC, content, &off, &len);
	file_range_sha256(LIBC, off, len, want);
	ck_assert_mem_eq(content, want, 32);
	/* a changed digest is caught by its own entry */
	bad = strdup(o.log);
	*strstr(bad, "\"content_sha256\":\"") ^= 0; /* keep the key */
	bad[strstr(bad, "\"content_sha256\":\"") - bad + 18] ^= 1;
	ck_assert_int_eq(verify(bad, &o, NULL), FASCO_E_EVENT_LOG);
	ck_assert_ptr_nonnull(strstr(fasco_last_error(), "entry 0"));
	free(bad);
	/* a library that is not libc matches no reference */
	ck_assert_int_eq(verify(o.log, &o, "/usr/lib/x86_64-linux-gnu/libm.so.6"), FASCO_E_REFERENCE);
	free(o.log);
}
END_TEST

START_TEST(python3_log_replays)
{
	const char *argv[] = { "/usr/bin/python3", "-c", "import zlib" };
	struct outcome o = { 0 };
	char *cut, *last;

	if (access("/usr/bin/python3", X_OK) != 0)
		return;
	run(argv[0], 3, argv, &o);
	ck_assert_ptr_nonnull(strstr(o.log, "/libc.so.6\""));
	ck_assert_ptr_nonnull(strstr(o.log, "/libz.so"));
	ck_assert_msg(verify(o.log, &o, NULL) == 0, "%s", fasco_last_error());
	/* the last entry dropped: every entry checks, the replay does not */
	cut = strdup(o.log);
	last = strrchr(cut, '{');
	strcpy(last - 2, "]}"); /* ",\n{...}]}" -> "]}" */
	ck_assert_int_eq(verify(cut, &o, NULL), FASCO_E_EVENT_LOG);
	ck_assert_msg(strstr(fasco_last_error(), "REM[0]"), "%s", fasco_last_error());
	/* the first entry dropped: the entries' places say so */
	strcpy(cut, o.log);
	memmove(strstr(cut, "\n{"), strstr(strstr(cut, "\n{") + 1, "\n{") + 1,
		strlen(strstr(strstr(cut, "\n{") + 1, "\n{")));
	ck_assert_int_eq(verify(cut, &o, NULL), FASCO_E_EVENT_LOG);
	ck_assert_msg(strstr(fasco_last_error(), "entry 0"), "%s", fasco_last_error());
	free(cut);
	free(o.log);
}
END_TEST

START_TEST(static_program_leaves_rem0_zero)
{
	const char *argv[] = { "/bin/busybox", "true" };
	struct outcome o = { 0 };
	static const uint8_t zero[64];

	run(argv[0], 2, argv, &o);
	ck_assert_mem_eq(o.rem0, zero, 32);
	ck_assert_ptr_nonnull(strstr(o.log, "\"entries\":[]"));
	ck_assert_msg(verify(o.log, &o, NULL) == 0, "%s", fasco_last_error());
	free(o.log);
}
END_TEST

static void no_fixture(void)
{
}

int main(void)
{
	int fd;

	programs = getenv("FASCO_TEST_PROGRAMS");
	if (!programs || !mkdtemp(state_dir))
		return 1;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "note: /dev/kvm is not available; realm cases skipped\n");
		return getenv("FASCO_REQUIRE_KVM") ? 1 : 77;
	}
	close(fd);
	return RUN_TESTS("exec-measure", no_fixture, no_fixture, dynamic_glibc_program,
			 python3_log_replays, static_program_leaves_rem0_zero);
}
