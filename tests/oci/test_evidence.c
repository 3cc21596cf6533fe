/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco-oci evidence, end to end: the measurements create records in the
 * state, the RIM fasco-measure predicts for the bundle (config.json digest
 * included), and fresh tokens from `fasco-oci attest` that fasco-attest
 * verifies against that RIM and challenge, for a created and a running
 * container; the command's errors and a hostile client of the keeper's
 * control socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"

static const char *fasco_measure, *fasco_attest;

/* The value of annotation key in `state id`, into out. */
static void annotation_of(const char *id, const char *key, char *out, size_t cap)
{
	struct result r;
	char pattern[128];
	const char *at;
	size_t n;

	OCI(&r, "state", id);
	expect_ok(&r, "state");
	snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
	at = strstr(r.out, pattern);
	ck_assert_msg(at, "state lacks %s: %s", key, r.out);
	at += strlen(pattern);
	n = strcspn(at, "\"");
	ck_assert_uint_lt(n, cap);
	memcpy(out, at, n);
	out[n] = '\0';
}

/* The first line a shell command prints (exit status must be 0). */
static void shell_line(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, (int)cap, p));
	out[strcspn(out, "\n")] = '\0';
	ck_assert_msg(pclose(p) == 0, "%s failed", cmd);
}

/* fasco-attest verify of a token file against the platform key, rim and challenge. */
static int verify(const char *token, const char *rim, const char *challenge)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s platform-key > %s/platform.pem && %s verify %s --anchor "
		 "%s/platform.pem --rim %s --challenge %s > /dev/null", fasco_attest, dir,
		 fasco_attest, token, dir, rim, challenge);
	return system(cmd);
}

START_TEST(test_rim_predicted_and_tokens_verify)
{
	char rim[160], digest[80], cmd[1024], predicted[160], token[256], stored[256];
	struct stat st;
	int pid;

	NEED_KVM();
	set_config("\"/bin/sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "ev");
	pid = pid_of("ev");
	annotation_of("ev", "org.fasco.rim", rim, sizeof(rim));
	ck_assert_uint_eq(strlen(rim), 64);
	annotation_of("ev", "org.fasco.measurement-hash", predicted, sizeof(predicted));
	ck_assert_str_eq(predicted, "sha256");
	annotation_of("ev", "org.fasco.rem0", predicted, sizeof(predicted));
	ck_assert_uint_eq(strlen(predicted), 64);
	/* the configuration the RIM binds is the bundle's config.json, byte for byte */
	annotation_of("ev", "org.fasco.config-sha256", digest, sizeof(digest));
	snprintf(cmd, sizeof(cmd), "sha256sum %s/config.json | cut -d' ' -f1", bundle);
	shell_line(cmd, predicted, sizeof(predicted));
	ck_assert_str_eq(digest, predicted);
	/* fasco-measure predicts the container's RIM from the same inputs */
	snprintf(cmd, sizeof(cmd), "%s --rootfs %s/rootfs --mem 256M --cwd / --env "
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env TERM=xterm "
		 "--config-digest %s -- /bin/sleep 100", fasco_measure, bundle, digest);
	shell_line(cmd, predicted, sizeof(predicted));
	ck_assert_str_eq(rim, predicted);
	/* another configuration, another RIM: the digest is measured */
	snprintf(cmd, sizeof(cmd), "%s --rootfs %s/rootfs --mem 256M --cwd / --env "
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env TERM=xterm "
		 "-- /bin/sleep 100", fasco_measure, bundle);
	shell_line(cmd, predicted, sizeof(predicted));
	ck_assert_str_ne(rim, predicted);

	/* created: a token bound to the challenge, kept in the state directory */
	snprintf(token, sizeof(token), "%s/created.cbor", dir);
	OCI_OK("attest", "ev", "--challenge", "00112233", "--out", token);
	ck_assert_int_eq(verify(token, rim, "00112233"), 0);
	ck_assert_int_ne(verify(token, rim, "00112234"), 0);
	snprintf(stored, sizeof(stored), "%s/ev/token.cbor", root);
	ck_assert_int_eq(stat(stored, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	/* running: a fresh one for a new challenge; the latest replaces the kept one */
	OCI_OK("start", "ev");
	snprintf(token, sizeof(token), "%s/running.cbor", dir);
	OCI_OK("attest", "ev", "--challenge", "cafe", "--out", token);
	ck_assert_int_eq(verify(token, rim, "cafe"), 0);
	ck_assert_int_eq(verify(stored, rim, "cafe"), 0);
	OCI_OK("kill", "ev", "KILL");
	ck_assert_int_eq(reap(pid), 128 + 9);
	OCI_ERR("container not running", "attest", "ev", "--challenge", "cafe", "--out", token);
	OCI_OK("delete", "ev");
}
END_TEST

START_TEST(test_attest_errors)
{
	char token[256], too_long[140];

	snprintf(token, sizeof(token), "%s/t.cbor", dir);
	memset(too_long, 'a', 130);
	too_long[130] = '\0';
	OCI_ERR("--challenge HEX is required", "attest", "x", "--out", token);
	OCI_ERR("--challenge: expected 2 to 128 hex digits, got 3", "attest", "x", "--challenge",
		"abc", "--out", token);
	OCI_ERR("--challenge: expected 2 to 128 hex digits, got 130", "attest", "x", "--challenge",
		too_long, "--out", token);
	OCI_ERR("--challenge: not a hex digit at position 1", "attest", "x", "--challenge", "0z",
		"--out", token);
	OCI_ERR("expected exactly one container id", "attest", "--challenge", "00", "--out", token);
	OCI_ERR("container does not exist: x", "attest", "x", "--challenge", "00", "--out", token);
}
END_TEST

/* Garbage on the control socket: refused, and the keeper still serves. */
START_TEST(test_hostile_control_client)
{
	static const char *const garbage[] = { "", "x", "0123456789012345678901234567890123456789"
						"0123456789012345678901234567890123456789" };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char token[256], reply[512];

	NEED_KVM();
	set_config("\"/bin/sleep\", \"100\"", NULL);
	OCI_OK("run", "-d", "--bundle", bundle, "h");
	ck_assert_uint_lt(strlen(root) + strlen("/h/keeper.sock"), sizeof(sa.sun_path));
	memcpy(sa.sun_path, root, strlen(root));
	strcat(sa.sun_path, "/h/keeper.sock");
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		ck_assert_int_eq(write(fd, garbage[i], strlen(garbage[i])), (ssize_t)strlen(garbage[i]));
		shutdown(fd, SHUT_WR);
		/* a short request is dropped, a long malformed one refused: never served */
		ck_assert_int_le(read(fd, reply, sizeof(reply)), (ssize_t)sizeof(reply));
		close(fd);
	}
	ck_assert_str_eq(status_of("h"), "running");
	snprintf(token, sizeof(token), "%s/t.cbor", dir);
	OCI_OK("attest", "h", "--challenge", "01", "--out", token);
	OCI_OK("delete", "--force", "h");
	reap_all();
}
END_TEST

/* Two containers of one image share one compressed blob, kept as a cache after the last delete. */
START_TEST(test_image_store)
{
	char hex[80], other[80], want[80], cmd[512], blob[256];
	struct stat st;

	NEED_KVM();
	set_config("\"/bin/sleep\", \"100\"", NULL);
	OCI_OK("create", "--bundle", bundle, "i1");
	OCI_OK("create", "--bundle", bundle, "i2");
	annotation_of("i1", "org.fasco.image-sha256", hex, sizeof(hex));
	annotation_of("i2", "org.fasco.image-sha256", other, sizeof(other));
	ck_assert_str_eq(hex, other);
	/* the program's file (/bin/sleep is busybox), stored compressed */
	snprintf(cmd, sizeof(cmd), "sha256sum %s/rootfs/bin/busybox | cut -d' ' -f1", bundle);
	shell_line(cmd, want, sizeof(want));
	ck_assert_str_eq(hex, want);
	snprintf(blob, sizeof(blob), "%s/.store/blobs/%s.zst", root, hex);
	ck_assert_int_eq(stat(blob, &st), 0);
	snprintf(cmd, sizeof(cmd), "zstd -dc %s | sha256sum | cut -d' ' -f1", blob);
	shell_line(cmd, want, sizeof(want));
	ck_assert_str_eq(hex, want);
	snprintf(cmd, sizeof(cmd), "ls %s/.store/refs/%s | tr '\\n' ' '", root, hex);
	shell_line(cmd, want, sizeof(want));
	ck_assert_str_eq(want, "i1 i2 ");
	OCI_OK("delete", "i1");
	ck_assert_int_eq(stat(blob, &st), 0);
	OCI_OK("delete", "i2");
	ck_assert_int_eq(stat(blob, &st), 0);
	/* no reference left (an image's emptied reference directory stays for the next) */
	snprintf(cmd, sizeof(cmd), "find %s/.store/refs -type f | wc -l", root);
	shell_line(cmd, want, sizeof(want));
	ck_assert_str_eq(want, "0");
	ck_assert_uint_eq(root_entries(), 0);
	reap_all();
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("evidence");

	fasco_measure = getenv("FASCO_MEASURE");
	fasco_attest = getenv("FASCO_ATTEST");
	if (!fasco_measure || !fasco_attest) {
		fprintf(stderr, "FASCO_MEASURE and FASCO_ATTEST must be set\n");
		return 1;
	}
	tcase_add_test(tc, test_rim_predicted_and_tokens_verify);
	tcase_add_test(tc, test_attest_errors);
	tcase_add_test(tc, test_hostile_control_client);
	tcase_add_test(tc, test_image_store);
	return harness_run("oci-evidence", tc);
}
