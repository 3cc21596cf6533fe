/* SPDX-License-Identifier: Apache-2.0 */
/* Key files: bounded reads, private keys saved 0600 and atomically. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/platform_util.h>

#include "attest/keys.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/fileio.h"

#define PEM_MAX 4096 /* a P-521 EC PRIVATE KEY PEM is about 370 bytes */

/* Wiped on scope exit: holds private key text. */
struct secret_buf {
	uint8_t *p;
	size_t len;
};

static void secret_buf_free(struct secret_buf *b)
{
	if (b->p)
		mbedtls_platform_zeroize(b->p, b->len);
	free(b->p);
}

static int read_fd(int fd, const char *path, uint8_t **ret, size_t *ret_len)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct stat st;
	size_t n = 0;

	if (fstat(fd, &st) < 0)
		return fasco_fail_errno("key: cannot stat %s", path);
	if (!S_ISREG(st.st_mode))
		return fasco_fail(FASCO_E_KEY, "key: %s is not a regular file", path);
	if (st.st_size > ATTEST_KEY_FILE_MAX)
		return fasco_fail(FASCO_E_KEY, "key: %s is larger than %d bytes", path,
				  ATTEST_KEY_FILE_MAX);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return fasco_fail(-ENOMEM, "key: out of memory");
	while (n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return fasco_fail_errno("key: cannot read %s", path);
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*ret = take_ptr(buf);
	*ret_len = n;
	return 0;
}

int attest_read_file(const char *path, uint8_t **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return fasco_fail_errno("key: cannot open %s", path);
	return read_fd(fd, path, ret, ret_len);
}

/* Create tmp exclusively, write, fsync. */
static int write_new_file(const char *tmp, const uint8_t *data, size_t len)
{
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				      0600);
	int r;

	if (fd < 0)
		return fasco_fail_errno("key: cannot create %s", tmp);
	r = io_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && close(take_fd(fd)) < 0)
		r = -errno;
	if (r < 0) {
		errno = -r;
		return fasco_fail_errno("key: cannot write %s", tmp);
	}
	return 0;
}

static void fsync_parent(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	_cleanup_close_ int fd = -1;

	if (!dir)
		return;
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		(void)fsync(fd); /* durability only; the key is already in place */
}

int attest_privkey_save(const struct attest_privkey *key, const char *path)
{
	struct secret_buf pem __attribute__((cleanup(secret_buf_free))) = { 0 };
	uint8_t nonce[8];
	char tmp[4096];
	int r;

	r = attest_random(nonce, sizeof(nonce));
	if (r < 0)
		return r;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", path, nonce[0],
		     nonce[1], nonce[2], nonce[3], nonce[4], nonce[5], nonce[6],
		     nonce[7]) >= (int)sizeof(tmp))
		return fasco_fail(-ENAMETOOLONG, "key: path too long: %s", path);
	pem.len = PEM_MAX;
	pem.p = calloc(1, pem.len);
	if (!pem.p)
		return fasco_fail(-ENOMEM, "key: out of memory");
	if (mbedtls_pk_write_key_pem((mbedtls_pk_context *)&key->pk, pem.p, pem.len) != 0)
		return fasco_fail(FASCO_E_KEY, "key: cannot encode the private key");
	r = write_new_file(tmp, pem.p, strlen((char *)pem.p));
	if (r < 0) {
		(void)unlink(tmp);
		return r;
	}
	/* link() never replaces: a concurrent creator keeps its key. */
	r = link(tmp, path) < 0 ? fasco_fail_errno("key: cannot create %s", path) : 0;
	(void)unlink(tmp);
	if (r == 0)
		fsync_parent(path);
	return r;
}

int attest_privkey_load(struct attest_privkey *key, const char *path)
{
	struct secret_buf pem __attribute__((cleanup(secret_buf_free))) = { 0 };
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	struct stat st;
	int r;

	if (fd < 0)
		return fasco_fail_errno("key: cannot open %s", path);
	if (fstat(fd, &st) < 0)
		return fasco_fail_errno("key: cannot stat %s", path);
	if (st.st_mode & 077)
		return fasco_fail(FASCO_E_KEY, "key: %s is accessible by group or others (mode %04o)",
				  path, (unsigned)(st.st_mode & 07777));
	r = read_fd(fd, path, &pem.p, &pem.len);
	if (r < 0)
		return r;
	mbedtls_pk_free(&key->pk);
	mbedtls_pk_init(&key->pk);
	r = mbedtls_pk_parse_key(&key->pk, pem.p, pem.len + 1, NULL, 0);
	if (r != 0)
		return fasco_fail(FASCO_E_KEY, "key: %s is not a PEM private key (mbedtls -0x%04x)", path,
				  -r);
	if (!attest_privkey_curve(key)) {
		mbedtls_pk_free(&key->pk);
		return fasco_fail(FASCO_E_KEY, "key: %s is not an EC key on P-256, P-384 or P-521",
				  path);
	}
	return 0;
}

/* mkdir -p with mode 0700 for what it creates ($HOME/.local/state may not exist yet). */
static int make_private_dirs(const char *dir)
{
	_cleanup_free_ char *path = NULL;

	if (!*dir)
		return fasco_fail(-EINVAL, "key: empty state directory path");
	path = strdup(dir);
	if (!path)
		return fasco_fail(-ENOMEM, "key: out of memory");
	for (char *p = path + 1;; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return fasco_fail_errno("key: cannot create %s", path);
		if (last)
			return 0;
		*p = '/';
	}
}

int attest_platform_key_load_or_create(const char *state_dir, struct attest_privkey *ret)
{
	if (!state_dir)
		return fasco_fail(FASCO_E_KEY, "no state directory for the platform key (set "
				  "XDG_STATE_HOME or HOME, or pass one to fasco_ctx_create)");
	char path[4096];
	int r;

	if (snprintf(path, sizeof(path), "%s/%s", state_dir, ATTEST_PLATFORM_KEY_FILE) >=
	    (int)sizeof(path))
		return fasco_fail(-ENAMETOOLONG, "key: state directory path too long");
	r = make_private_dirs(state_dir);
	if (r < 0)
		return r;
	r = attest_privkey_load(ret, path);
	if (r != -ENOENT)
		return r;
	r = attest_privkey_generate(ret, ATTEST_CURVE_P384);
	if (r < 0)
		return r;
	r = attest_privkey_save(ret, path);
	if (r == -EEXIST) /* lost a creation race: use the winner's key */
		return attest_privkey_load(ret, path);
	return r;
}
