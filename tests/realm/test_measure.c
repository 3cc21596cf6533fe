/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Measured realms: the RIM a loaded realm reports equals the one predicted
 * offline (fasco_measure_config, what fasco-measure prints) for different
 * programs and memory sizes, and any change to what the realm holds (a
 * byte of the program, an argument, the memory size) changes it.
 */
#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fasco/attest.h>
#include <fasco/measure.h>

static const char *programs;
static char tmp_root[] = "/tmp/fasco-measure-XXXXXX";

struct rim {
	uint8_t b[FASCO_MEASURE_MAX_LEN];
	size_t len;
};

static fasco_config *make_config(const char *program, uint64_t mem, const char *arg)
{
	fasco_config *cfg;
	const char *argv[] = { program, arg };

	ck_assert_int_eq(fasco_config_create(&cfg), 0);
	ck_assert_int_eq(fasco_config_set_program(cfg, program), 0);
	ck_assert_int_eq(fasco_config_set_argv(cfg, arg ? 2 : 1, argv), 0);
	ck_assert_int_eq(fasco_config_set_param(cfg, FASCO_PARAM_MEMORY_BYTES, mem), 0);
	return cfg;
}

static void predict(const fasco_config *cfg, const char *root, struct rim *r)
{
	int ret = fasco_measure_config(cfg, root, FASCO_PLATFORM_HOST, r->b, sizeof(r->b), &r->len);

	ck_assert_msg(ret == 0, "fasco_measure_config: %s", fasco_last_error());
	ck_assert_uint_eq(r->len, 32);
}

/* Load a realm from cfg, read its RIM, run it; returns its exit status. */
static int load_and_run_in(const fasco_config *cfg, const char *root, const char *state_dir,
			   struct rim *r)
{
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	uint8_t early[FASCO_MEASURE_MAX_LEN];
	int status;

	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state_dir, &ctx), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, root, &sys), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, early, sizeof(early), NULL), FASCO_E_STATE);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	ck_assert_msg(fasco_realm_load(realm) == 0, "load: %s", fasco_last_error());
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, r->b, sizeof(r->b), &r->len), 0);
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, early, 16, NULL), FASCO_E_BUFFER);
	status = fasco_exec(realm, NULL);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);
	return status;
}

static int load_and_run(const fasco_config *cfg, const char *root, struct rim *r)
{
	char state[4200];

	snprintf(state, sizeof(state), "%s/state", tmp_root);
	return load_and_run_in(cfg, root, state, r);
}

static int same(const struct rim *a, const struct rim *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static const struct {
	const char *program; /* NULL: the musl test program */
	uint64_t mem;
} cases[] = {
	{ "/bin/busybox", 64 << 20 },
	{ "/bin/busybox", 256 << 20 },
	{ NULL, 64 << 20 },
	{ NULL, 256 << 20 },
};

START_TEST(prediction_equals_realm)
{
	char musl[4096], dir[4200];
	const char *program = cases[_i].program;
	struct rim predicted, reported;
	fasco_config *cfg;

	snprintf(musl, sizeof(musl), "%s/files-musl", programs);
	if (!program && access(musl, X_OK) != 0)
		snprintf(musl, sizeof(musl), "%s/files-glibc", programs);
	/* the C program works in a directory of its own */
	snprintf(dir, sizeof(dir), "%s/files-%d", tmp_root, _i);
	cfg = make_config(program ? program : musl, cases[_i].mem, program ? "true" : dir);
	predict(cfg, "/", &predicted);
	/* the C program ends with status 3 by design (tests/realm/programs) */
	ck_assert_int_eq(load_and_run(cfg, "/", &reported), program ? 0 : 3);
	ck_assert_msg(same(&predicted, &reported), "%s, %llu MiB: predicted and reported RIMs differ",
		      program ? program : musl, (unsigned long long)(cases[_i].mem >> 20));
	fasco_config_destroy(cfg);
}
END_TEST

START_TEST(every_input_changes_the_rim)
{
	struct rim base, other;
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "true");

	predict(cfg, "/", &base);
	fasco_config_destroy(cfg);

	cfg = make_config("/bin/busybox", 128 << 20, "true");
	predict(cfg, "/", &other);
	ck_assert_msg(!same(&base, &other), "memory size is not measured");
	fasco_config_destroy(cfg);

	cfg = make_config("/bin/busybox", 64 << 20, "false");
	predict(cfg, "/", &other);
	ck_assert_msg(!same(&base, &other), "arguments are not measured");
	fasco_config_destroy(cfg);

	cfg = make_config("/bin/busybox", 64 << 20, "true");
	ck_assert_int_eq(fasco_config_set_config_digest(cfg, (const uint8_t[32]){ 7 }, 32), 0);
	predict(cfg, "/", &other);
	ck_assert_msg(!same(&base, &other), "the configuration digest is not measured");
	ck_assert_int_eq(fasco_config_set_config_digest(cfg, (const uint8_t[65]){ 0 }, 65),
			 FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_config_set_config_digest(cfg, NULL, 0), 0);
	predict(cfg, "/", &other);
	ck_assert_msg(same(&base, &other), "clearing the configuration digest");
	fasco_config_destroy(cfg);

	cfg = make_config("/bin/busybox", 64 << 20, "true");
	ck_assert_int_eq(fasco_config_set_rpv(cfg, (const uint8_t[64]){ 1 }, 64), 0);
	predict(cfg, "/", &other);
	ck_assert_msg(same(&base, &other), "the personalization value is reported, never measured");
	fasco_config_destroy(cfg);
}
END_TEST

static void copy_file(const char *from, const char *to, long flip_at)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	long off = 0;
	int c;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while ((c = fgetc(in)) != EOF)
		fputc(off++ == flip_at ? c ^ 1 : c, out);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_int_eq(chmod(to, 0755), 0);
}

START_TEST(a_changed_byte_changes_the_rim)
{
	char dir[4200], path[4300];
	struct rim original, changed, reported;
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "true");

	snprintf(dir, sizeof(dir), "%s/bin", tmp_root);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/busybox", dir);
	copy_file("/bin/busybox", path, -1);
	predict(cfg, tmp_root, &original);
	/* one bit deep inside the image, far from the headers */
	copy_file("/bin/busybox", path, 1 << 20);
	predict(cfg, tmp_root, &changed);
	ck_assert_msg(!same(&original, &changed), "a flipped bit left the RIM unchanged");
	load_and_run(cfg, tmp_root, &reported);
	ck_assert_msg(same(&changed, &reported), "the realm does not report what it holds");
	fasco_config_destroy(cfg);
}
END_TEST

/* The one entry of the page-digest cache in state_dir; its path to path. */
static void cache_entry(const char *state_dir, char *path, size_t cap)
{
	char dir[4400];
	struct stat st;
	FILE *ls;

	snprintf(dir, sizeof(dir), "%.4096s/page-digests", state_dir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(path, cap, "ls %.4300s/* | head -1", dir);
	ls = popen(path, "r");
	ck_assert_ptr_nonnull(ls);
	ck_assert_ptr_nonnull(fgets(path, (int)cap, ls));
	path[strcspn(path, "\n")] = 0;
	pclose(ls);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}

/*
 * The CPU model (what KVM supports, half a millisecond to ask) is cached in
 * the state directory: whatever a damaged or foreign file holds, realms
 * run, measure the same, and the file is replaced by a good one.
 */
START_TEST(damaged_cpu_model_cache_is_replaced)
{
	static const char *const damage[] = {
		"",                                     /* empty */
		"FCPUID\0\1",                           /* header cut short */
		"FCPUID\0\1ffffffff-ffff-ffff-ffff-ffffffffffff\0\0\0\0" /* wrong boot */
		"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xff\xff\xff\x7f",
	};
	char state[4300], path[4400], head[8];
	struct rim predicted, reported;
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "true");
	struct stat st;
	int fd;

	snprintf(state, sizeof(state), "%s/cpu-state", tmp_root);
	snprintf(path, sizeof(path), "%s/kvm-cpuid", state);
	predict(cfg, "/", &predicted);
	ck_assert_int_eq(load_and_run_in(cfg, "/", state, &reported), 0); /* creates it */
	for (unsigned i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		size_t len = i == 0 ? 0 : i == 1 ? 8 : 8 + 40 + 24 + 4;

		fd = open(path, O_WRONLY | O_TRUNC);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, damage[i], len), (ssize_t)len);
		close(fd);
		ck_assert_int_eq(load_and_run_in(cfg, "/", state, &reported), 0);
		ck_assert_msg(same(&predicted, &reported), "the CPU model cache changed the RIM");
		fd = open(path, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(read(fd, head, sizeof(head)), (ssize_t)sizeof(head));
		ck_assert_int_eq(fstat(fd, &st), 0);
		close(fd);
		ck_assert_msg(memcmp(head, "FCPUID\0\1", 8) == 0 && st.st_size > 8 + 40 + 24 + 8,
			      "damaged cache %u was not replaced", i);
		ck_assert_int_eq(st.st_mode & 0777, 0600);
	}
	fasco_config_destroy(cfg);
}
END_TEST

START_TEST(digest_cache_keeps_the_rim_exact)
{
	char root[4200], bin[4300], prog[4400], state[4300], entry[4400];
	struct rim predicted, cold, warm, changed, reported;
	struct timespec keep[2];
	struct stat st;
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "true");
	FILE *f;

	snprintf(root, sizeof(root), "%s/cache-root", tmp_root);
	snprintf(bin, sizeof(bin), "%s/bin", root);
	snprintf(prog, sizeof(prog), "%s/busybox", bin);
	snprintf(state, sizeof(state), "%s/cache-state", tmp_root);
	mkdir(root, 0755);
	mkdir(bin, 0755);
	copy_file("/bin/busybox", prog, -1);
	predict(cfg, root, &predicted);
	load_and_run_in(cfg, root, state, &cold);
	load_and_run_in(cfg, root, state, &warm);
	ck_assert_msg(same(&predicted, &cold) && same(&cold, &warm), "cache changed the RIM");

	/* same size, same mtime, one bit changed: the ctime moved, so no stale hit */
	ck_assert_int_eq(stat(prog, &st), 0);
	keep[0] = st.st_atim;
	keep[1] = st.st_mtim;
	f = fopen(prog, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 1 << 20, SEEK_SET);
	fputc(0x5a, f);
	fclose(f);
	ck_assert_int_eq(utimensat(AT_FDCWD, prog, keep, 0), 0);
	predict(cfg, root, &changed);
	load_and_run_in(cfg, root, state, &reported);
	ck_assert_msg(!same(&changed, &cold), "the changed byte is not measured");
	ck_assert_msg(same(&changed, &reported), "a stale cache entry was used");

	/* an entry whose key is damaged is recomputed, never trusted */
	snprintf(entry, sizeof(entry), "rm -f %.4096s/page-digests/*", state);
	ck_assert_int_eq(system(entry), 0);
	load_and_run_in(cfg, root, state, &reported);
	cache_entry(state, entry, sizeof(entry));
	f = fopen(entry, "r+b");
	ck_assert_ptr_nonnull(f);
	fputs("garbage", f);
	fclose(f);
	load_and_run_in(cfg, root, state, &reported);
	ck_assert_msg(same(&changed, &reported), "a damaged cache changed the RIM");
	fasco_config_destroy(cfg);
}
END_TEST

static size_t read_token(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static int verify_claims(const uint8_t *token, size_t len, const char *pem, const struct rim *rim,
			 const uint8_t challenge[64], struct fasco_token_claims *claims)
{
	struct fasco_verify_opts o = { .size = sizeof(o), .anchor = (const uint8_t *)pem,
				       .anchor_len = strlen(pem), .anchor_format = FASCO_KEY_PEM,
				       .challenge = challenge, .challenge_len = 64,
				       .rim = rim->b, .rim_len = rim->len };

	return fasco_token_verify(token, len, &o, claims);
}

static int verify(const uint8_t *token, size_t len, const char *pem, const struct rim *rim,
		  const uint8_t challenge[64])
{
	return verify_claims(token, len, pem, rim, challenge, NULL);
}

/* The end-to-end case: configfs-tsm inside the realm, then verify. */
START_TEST(realm_attests_through_configfs_tsm)
{
	char prog[4200], out[4200], state[4200], pem[1024], wrong_pem[1024];
	uint8_t token[16384], challenge[64] = { 0 }, other_challenge[64] = { 0 };
	const char *text = "fresh challenge from the relying party";
	struct rim predicted, reported, busybox;
	fasco_config *cfg, *other;
	fasco_ctx *ctx;
	size_t len, pem_len;

	snprintf(prog, sizeof(prog), "%s/attest-musl", programs);
	if (access(prog, X_OK) != 0)
		snprintf(prog, sizeof(prog), "%s/attest-glibc", programs);
	snprintf(out, sizeof(out), "%s/token.cbor", tmp_root);
	snprintf(state, sizeof(state), "%s/state", tmp_root);
	cfg = make_config(prog, 64 << 20, text);
	{
		const char *argv[] = { prog, text, out };

		ck_assert_int_eq(fasco_config_set_argv(cfg, 3, argv), 0);
	}
	predict(cfg, "/", &predicted);
	ck_assert_int_eq(load_and_run(cfg, "/", &reported), 0);
	ck_assert(same(&predicted, &reported));
	len = read_token(out, token, sizeof(token));
	ck_assert_uint_gt(len, 100);

	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state, &ctx), 0);
	ck_assert_int_eq(fasco_platform_key_pem(ctx, pem, sizeof(pem), &pem_len), 0);
	fasco_ctx_destroy(ctx);
	memcpy(challenge, text, strlen(text));
	ck_assert_msg(verify(token, len, pem, &predicted, challenge) == 0, "verify: %s",
		      fasco_last_error());

	/* a stale challenge, another realm's RIM, a changed byte, another host */
	memcpy(other_challenge, "stale", 5);
	ck_assert_int_eq(verify(token, len, pem, &predicted, other_challenge), FASCO_E_CHALLENGE);
	other = make_config("/bin/busybox", 64 << 20, "true");
	predict(other, "/", &busybox);
	ck_assert_int_eq(verify(token, len, pem, &busybox, challenge), FASCO_E_REFERENCE);
	token[len / 2] ^= 1;
	ck_assert_int_ne(verify(token, len, pem, &predicted, challenge), 0);
	token[len / 2] ^= 1;
	snprintf(state, sizeof(state), "%s/other-host", tmp_root);
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state, &ctx), 0);
	ck_assert_int_eq(fasco_platform_key_pem(ctx, wrong_pem, sizeof(wrong_pem), &pem_len), 0);
	fasco_ctx_destroy(ctx);
	ck_assert_int_eq(verify(token, len, wrong_pem, &predicted, challenge), FASCO_E_SIGNATURE);
	fasco_config_destroy(other);
	fasco_config_destroy(cfg);
}
END_TEST

/* A program extends REM0; the token and the measurement API show it. */
START_TEST(realm_extends_a_rem)
{
	static struct fasco_token_claims claims;
	char prog[4200], out[4200], state[4200], pem[1024], line[9000];
	uint8_t token[16384], challenge[64] = { 0 }, expected[64], zero[32] = { 0 };
	const char *argv[4];
	fasco_config *cfg;
	fasco_ctx *ctx;
	struct rim rim;
	size_t len, pem_len, rem_len;
	FILE *pipe;

	snprintf(prog, sizeof(prog), "%s/attest-glibc", programs);
	snprintf(out, sizeof(out), "%s/token-rem.cbor", tmp_root);
	snprintf(state, sizeof(state), "%s/state", tmp_root);
	argv[0] = prog, argv[1] = "rem", argv[2] = out, argv[3] = "layer sha256:1234";
	cfg = make_config(prog, 64 << 20, NULL);
	ck_assert_int_eq(fasco_config_set_argv(cfg, 4, argv), 0);
	predict(cfg, "/", &rim);
	ck_assert_int_eq(load_and_run(cfg, "/", &(struct rim){ 0 }), 0);
	len = read_token(out, token, sizeof(token));
	memcpy(challenge, "rem", 3);
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state, &ctx), 0);
	ck_assert_int_eq(fasco_platform_key_pem(ctx, pem, sizeof(pem), &pem_len), 0);
	fasco_ctx_destroy(ctx);
	claims.size = sizeof(claims);
	ck_assert_int_eq(verify_claims(token, len, pem, &rim, challenge, &claims), 0);
	ck_assert_int_eq(fasco_measure_rem_extend(FASCO_HASH_SHA256, FASCO_REM_TFRMM, zero, 32,
						  (const uint8_t *)argv[3], strlen(argv[3]),
						  expected, sizeof(expected), &rem_len), 0);
	ck_assert_mem_eq(claims.realm.rem[0], expected, rem_len);
	ck_assert_mem_eq(claims.realm.rem[1], zero, 32);

	/* what the program read back from the register file is the same value */
	snprintf(line, sizeof(line), "%s -- %s x /dev/null '%s'", getenv("FASCO_RUN"), prog, argv[3]);
	pipe = popen(line, "r");
	ck_assert_ptr_nonnull(pipe);
	while (fgets(line, sizeof(line), pipe) && strncmp(line, "rem0:", 5) != 0)
		;
	pclose(pipe);
	for (size_t i = 0; i < rem_len; i++) {
		unsigned byte;

		ck_assert_int_eq(sscanf(line + 5 + 2 * i, "%2x", &byte), 1);
		ck_assert_uint_eq(byte, expected[i]);
	}
	fasco_config_destroy(cfg);
}
END_TEST

/* The API's token and the in-realm token: same realm key, same RIM. */
START_TEST(api_token_matches_in_realm_token)
{
	static struct fasco_token_claims api_claims, realm_claims;
	char prog[4200], out[4200], state[4200], pem[1024];
	uint8_t api[16384], inside[16384], challenge[64] = { 0 };
	const char *text = "api and realm";
	const char *argv[3];
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	fasco_config *cfg;
	struct rim rim;
	size_t api_len, inside_len, pem_len, small;

	snprintf(prog, sizeof(prog), "%s/attest-glibc", programs);
	snprintf(out, sizeof(out), "%s/token-api.cbor", tmp_root);
	snprintf(state, sizeof(state), "%s/state", tmp_root);
	argv[0] = prog, argv[1] = text, argv[2] = out;
	cfg = make_config(prog, 64 << 20, NULL);
	ck_assert_int_eq(fasco_config_set_argv(cfg, 3, argv), 0);
	predict(cfg, "/", &rim);
	memcpy(challenge, text, strlen(text));

	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, state, &ctx), 0);
	ck_assert_int_eq(fasco_platform_key_pem(ctx, pem, sizeof(pem), &pem_len), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, "/", &sys), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	ck_assert_int_eq(fasco_realm_attest(realm, challenge, 64, api, sizeof(api), &api_len),
			 FASCO_E_STATE);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	ck_assert_int_eq(fasco_realm_load(realm), 0);
	ck_assert_int_eq(fasco_realm_attest(realm, challenge, 65, api, sizeof(api), &api_len), -EINVAL);
	ck_assert_int_eq(fasco_realm_attest(realm, challenge, 64, api, 10, &small), FASCO_E_BUFFER);
	ck_assert_msg(fasco_realm_attest(realm, (const uint8_t *)text, strlen(text), api, sizeof(api),
					 &api_len) == 0, "attest: %s", fasco_last_error());
	ck_assert_uint_eq(small, api_len);
	ck_assert_int_eq(fasco_exec(realm, NULL), 0);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);

	inside_len = read_token(out, inside, sizeof(inside));
	api_claims.size = realm_claims.size = sizeof(api_claims);
	ck_assert_int_eq(verify_claims(api, api_len, pem, &rim, challenge, &api_claims), 0);
	ck_assert_int_eq(verify_claims(inside, inside_len, pem, &rim, challenge, &realm_claims), 0);
	ck_assert_uint_eq(api_claims.realm.rak_len, realm_claims.realm.rak_len);
	ck_assert_mem_eq(api_claims.realm.rak, realm_claims.realm.rak, api_claims.realm.rak_len);
	fasco_config_destroy(cfg);
}
END_TEST

static void *load_in_thread(void *arg)
{
	return (void *)(intptr_t)fasco_realm_load(arg);
}

/* Bindings call from any thread: a realm lives as long as its process. */
START_TEST(realm_outlives_the_thread_that_loaded_it)
{
	struct fasco_realm_stats old = { .size = offsetof(struct fasco_realm_stats, polled) };
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "sleep");
	const char *argv[] = { "/bin/busybox", "sleep", "0.3" };
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	pthread_t t;
	void *ret;

	ck_assert_int_eq(fasco_config_set_argv(cfg, 3, argv), 0);
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &ctx), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, "/", &sys), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, load_in_thread, realm), 0);
	ck_assert_int_eq(pthread_join(t, &ret), 0);
	ck_assert_int_eq((int)(intptr_t)ret, 0);
	usleep(100 * 1000); /* the loading thread is gone; the realm must not be */
	ck_assert_int_eq(fasco_exec(realm, NULL), 0);
	/* a caller built against the first header still gets its statistics */
	ck_assert_int_eq(fasco_realm_stats(realm, &old), 0);
	ck_assert_uint_eq(old.size, offsetof(struct fasco_realm_stats, polled));
	ck_assert_uint_gt(old.forwarded, 0);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);
	fasco_config_destroy(cfg);
}
END_TEST

START_TEST(bad_inputs_are_refused)
{
	struct rim r;
	fasco_config *cfg = make_config("/../../../bin/busybox-missing", 64 << 20, NULL);

	/* resolved inside the root: no escape, a clean ENOENT */
	ck_assert_int_eq(fasco_measure_config(cfg, tmp_root, FASCO_PLATFORM_HOST, r.b, sizeof(r.b),
					      &r.len), -ENOENT);
	fasco_config_destroy(cfg);
	cfg = make_config("/bin/busybox", 64 << 20, NULL);
	ck_assert_int_eq(fasco_measure_config(cfg, "/", 7, r.b, sizeof(r.b), &r.len), FASCO_E_CONFIG);
	ck_assert_int_eq(fasco_measure_config(cfg, "/", FASCO_PLATFORM_HOST, r.b, 31, &r.len),
			 FASCO_E_BUFFER);
	ck_assert_int_eq(fasco_measure_config(cfg, "/nonexistent-root", FASCO_PLATFORM_HOST, r.b,
					      sizeof(r.b), &r.len), -ENOENT);
	/* both platforms' images can be predicted, and they differ */
	struct rim pvm, hw;
	ck_assert_int_eq(fasco_measure_config(cfg, "/", FASCO_PLATFORM_KVM_PVM, pvm.b, sizeof(pvm.b),
					      &pvm.len), 0);
	ck_assert_int_eq(fasco_measure_config(cfg, "/", FASCO_PLATFORM_KVM_HW, hw.b, sizeof(hw.b),
					      &hw.len), 0);
	ck_assert(!same(&pvm, &hw));
	fasco_config_destroy(cfg);
}
END_TEST

START_TEST(unmeasured_realm_has_no_measurement)
{
	fasco_ctx *ctx;
	fasco_sysrealm *sys;
	fasco_realm *realm;
	uint8_t b[64];
	fasco_config *cfg = make_config("/bin/busybox", 64 << 20, "true");

	ck_assert_int_eq(fasco_config_set_param(cfg, FASCO_PARAM_MEASURE, 0), 0);
	ck_assert_int_eq(fasco_ctx_create(FASCO_BACKEND_AUTO, NULL, &ctx), 0);
	ck_assert_int_eq(fasco_sysrealm_create(ctx, "/", &sys), 0);
	ck_assert_int_eq(fasco_realm_create(ctx, cfg, &realm), 0);
	ck_assert_int_eq(fasco_attach_sysrealm(realm, sys), 0);
	ck_assert_int_eq(fasco_realm_load(realm), 0);
	ck_assert_int_eq(fasco_realm_measurement(realm, 0, b, sizeof(b), NULL), FASCO_E_UNSUPPORTED);
	ck_assert_int_eq(fasco_exec(realm, NULL), 0);
	fasco_realm_destroy(realm);
	fasco_sysrealm_destroy(sys);
	fasco_ctx_destroy(ctx);
	fasco_config_destroy(cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("measure");
	TCase *offline = tcase_create("offline"), *realm = tcase_create("realm");
	SRunner *sr;
	int fd, failed;

	programs = getenv("FASCO_TEST_PROGRAMS");
	if (!programs || !mkdtemp(tmp_root)) {
		fprintf(stderr, "FASCO_TEST_PROGRAMS must be set (run through meson test)\n");
		return 1;
	}
	tcase_set_timeout(realm, 60);
	tcase_add_test(offline, every_input_changes_the_rim);
	tcase_add_test(offline, bad_inputs_are_refused);
	suite_add_tcase(s, offline);
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		tcase_add_loop_test(realm, prediction_equals_realm, 0, sizeof(cases) / sizeof(cases[0]));
		tcase_add_test(realm, a_changed_byte_changes_the_rim);
		tcase_add_test(realm, digest_cache_keeps_the_rim_exact);
		tcase_add_test(realm, damaged_cpu_model_cache_is_replaced);
		tcase_add_test(realm, realm_attests_through_configfs_tsm);
		tcase_add_test(realm, api_token_matches_in_realm_token);
		tcase_add_test(realm, realm_extends_a_rem);
		tcase_add_test(realm, realm_outlives_the_thread_that_loaded_it);
		tcase_add_test(realm, unmeasured_realm_has_no_measurement);
		suite_add_tcase(s, realm);
	} else if (getenv("FASCO_REQUIRE_KVM")) {
		fprintf(stderr, "FAIL: /dev/kvm is required here but cannot be opened\n");
		return 1;
	} else {
		fprintf(stderr, "note: /dev/kvm is not available; realm cases skipped\n");
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
