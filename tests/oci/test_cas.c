/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The artifact store (lib/oci/cas.c): one zstd blob per content, named by
 * its SHA-256 (checked against sha256sum), shared by owners and removed
 * with the last reference; a changed file is stored anew; a damaged blob
 * is refused on reading, never returned.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "oci/cas.h"

static char dir[64];
static int rootfd = -1, storefd = -1;

static void setup(void)
{
	strcpy(dir, "/tmp/fasco-cas-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(rootfd, 0);
	ck_assert_int_eq(oci_cas_open(rootfd, &storefd), 0);
}

static void teardown(void)
{
	char cmd[128];

	close(storefd);
	close(rootfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A file of n bytes of compressible text; its fd (read-only). */
static int make_file(const char *name, size_t n, char fill)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc(i % 64 == 63 ? '\n' : fill, f);
	ck_assert_int_eq(fclose(f), 0);
	return open(path, O_RDONLY);
}

static void sha256sum(const char *name, char hex[OCI_CAS_HEX])
{
	char cmd[160];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sha256sum %s/%s", dir, name);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(hex, OCI_CAS_HEX, p));
	pclose(p);
}

static off_t blob_size(const char *hex)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.store/blobs/%s.zst", dir, hex);
	return stat(path, &st) == 0 ? st.st_size : -1;
}

START_TEST(test_shared_and_released)
{
	char a[OCI_CAS_HEX], b[OCI_CAS_HEX], c[OCI_CAS_HEX], want[OCI_CAS_HEX];
	_cleanup_close_ int fa = make_file("a", 100000, 'x'), fb = make_file("b", 100000, 'x');
	_cleanup_free_ void *back = NULL;
	size_t len;

	sha256sum("a", want);
	ck_assert_int_eq(oci_cas_add(storefd, fa, "c1", a), 0);
	ck_assert_str_eq(a, want);
	ck_assert_int_eq(oci_cas_add(storefd, fa, "c2", a), 0);
	/* the same content from another file: the same blob */
	ck_assert_int_eq(oci_cas_add(storefd, fb, "c3", b), 0);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(oci_cas_refs(storefd, a), 3);
	ck_assert_int_gt(blob_size(a), 0);
	ck_assert_int_lt(blob_size(a), 100000 / 10);
	ck_assert_int_eq(oci_cas_get(storefd, a, &back, &len), 0);
	ck_assert_uint_eq(len, 100000);
	ck_assert_int_eq(((char *)back)[0], 'x');
	/* each release drops one owner; the blob outlives the last as a cache */
	ck_assert_int_eq(oci_cas_release(storefd, "c1"), 0);
	ck_assert_int_eq(oci_cas_refs(storefd, a), 2);
	ck_assert_int_eq(oci_cas_release(storefd, "nobody"), 0);
	ck_assert_int_eq(oci_cas_refs(storefd, a), 2);
	ck_assert_int_eq(oci_cas_release(storefd, "c2"), 0);
	ck_assert_int_eq(oci_cas_release(storefd, "c3"), 0);
	ck_assert_int_eq(oci_cas_refs(storefd, a), 0);
	ck_assert_int_gt(blob_size(a), 0);
	/* a changed file is hashed again, not taken from the index */
	ck_assert_int_eq(oci_cas_add(storefd, fa, "c1", c), 0);
	ck_assert_str_eq(c, a);
	close(make_file("a", 100000, 'y'));
	ck_assert_int_eq(oci_cas_add(storefd, fa, "c1", c), 0);
	sha256sum("a", want);
	ck_assert_str_eq(c, want);
	ck_assert_str_ne(c, a);
	ck_assert_int_eq(oci_cas_refs(storefd, a), 1);
	ck_assert_int_eq(oci_cas_refs(storefd, c), 1);
}
END_TEST

/* Unreferenced blobs: the OCI_CAS_KEEP_IDLE most recently used stay, the others go. */
START_TEST(test_idle_blobs_trimmed)
{
	char hex[OCI_CAS_KEEP_IDLE + 2][OCI_CAS_HEX], name[16];

	for (int i = 0; i < OCI_CAS_KEEP_IDLE + 2; i++) {
		int fd;

		snprintf(name, sizeof(name), "f%d", i);
		fd = make_file(name, 1000, (char)('a' + i));
		ck_assert_int_eq(oci_cas_add(storefd, fd, name, hex[i]), 0);
		close(fd);
		usleep(10000); /* distinct times of use */
	}
	for (int i = 0; i < OCI_CAS_KEEP_IDLE + 2; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ck_assert_int_eq(oci_cas_release(storefd, name), 0);
	}
	ck_assert_int_eq(blob_size(hex[0]), -1);
	ck_assert_int_eq(blob_size(hex[1]), -1);
	for (int i = 2; i < OCI_CAS_KEEP_IDLE + 2; i++)
		ck_assert_int_gt(blob_size(hex[i]), 0);
}
END_TEST

START_TEST(test_damage_and_bad_input)
{
	_cleanup_close_ int fa = make_file("a", 5000, 'z');
	_cleanup_close_ int d = open(dir, O_RDONLY | O_DIRECTORY);
	char hex[OCI_CAS_HEX], path[256];
	void *back = NULL;
	size_t len;
	FILE *f;

	ck_assert_int_lt(oci_cas_add(storefd, d, "c1", hex), 0);
	ck_assert_int_eq(oci_cas_get(storefd, "../../etc/passwd", &back, &len), -EINVAL);
	ck_assert_int_eq(oci_cas_get(storefd, "ABCDEF", &back, &len), -EINVAL);
	ck_assert_int_eq(oci_cas_add(storefd, fa, "c1", hex), 0);
	/* a blob replaced by another valid frame: its content does not match its name */
	snprintf(path, sizeof(path), "zstd -q -f -o %s/.store/blobs/%s.zst %s/a", dir, hex, dir);
	close(make_file("a", 5000, 'w'));
	ck_assert_int_eq(system(path), 0);
	ck_assert_int_eq(oci_cas_get(storefd, hex, &back, &len), -EIO);
	/* not a frame at all */
	snprintf(path, sizeof(path), "%s/.store/blobs/%s.zst", dir, hex);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("not zstd", f);
	fclose(f);
	ck_assert_int_eq(oci_cas_get(storefd, hex, &back, &len), -EIO);
	ck_assert_ptr_null(back);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci-cas");
	TCase *tc = tcase_create("cas");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shared_and_released);
	tcase_add_test(tc, test_idle_blobs_trimmed);
	tcase_add_test(tc, test_damage_and_bad_input);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
