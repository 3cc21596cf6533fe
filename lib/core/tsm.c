/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asm/unistd.h>

#include "abi/syscall_layout.h"
#include "common/cleanup.h"
#include "core/measure.h"
#include "core/tsm.h"
#include "sysrealm/fdtable.h"

#define TREE "/sys/kernel/config/tsm/"
#define MR_DIR "/sys/devices/virtual/misc/arm_cca_guest/measurements/"
#define REPORTS TREE "report/"
#define PROVIDER "arm_cca_guest\n"
#define TOKEN_MAX 8192
#define AT_FDCWD_VALUE (-100)
#define AT_REMOVEDIR_FLAG 0x200

void tsm_init(struct tsm *t, struct realm_attester *attester, struct rmm_realm *rmm,
	      unsigned hash_algo)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < TSM_MAX_WRITERS; i++)
		t->writers[i].memfd = -1;
	t->attester = attester;
	t->rmm = rmm;
	t->hash_algo = hash_algo;
}

enum tsm_call { CALL_MKDIR, CALL_RMDIR, CALL_OPEN };

/* Which argument holds the path, for the calls that can name the tree. */
static int path_arg(uint64_t nr, const uint64_t args[6], enum tsm_call *call, int *dirfd_arg)
{
	*dirfd_arg = -1;
	switch (nr) {
	case __NR_mkdir: *call = CALL_MKDIR; return 0;
	case __NR_rmdir: *call = CALL_RMDIR; return 0;
	case __NR_open: *call = CALL_OPEN; return 0;
	case __NR_mkdirat: *call = CALL_MKDIR; *dirfd_arg = 0; return 1;
	case __NR_openat: *call = CALL_OPEN; *dirfd_arg = 0; return 1;
	case __NR_unlinkat:
		if (!(args[2] & AT_REMOVEDIR_FLAG))
			return -1; /* unlinking a file of the tree: refused below */
		*call = CALL_RMDIR;
		*dirfd_arg = 0;
		return 1;
	default:
		return -2;
	}
}

static struct tsm_report *find(struct tsm *t, const char *name, size_t len)
{
	for (unsigned i = 0; i < t->n_reports; i++)
		if (strlen(t->reports[i].name) == len && memcmp(t->reports[i].name, name, len) == 0)
			return &t->reports[i];
	return NULL;
}

static int64_t make_report(struct tsm *t, const char *name, size_t len)
{
	struct tsm_report *r;

	if (find(t, name, len))
		return -EEXIST;
	if (t->n_reports == TSM_MAX_REPORTS)
		return -ENOSPC;
	r = &t->reports[t->n_reports++];
	memcpy(r->name, name, len);
	r->name[len] = 0;
	r->inblob = -1;
	return 0;
}

static int64_t remove_report(struct tsm *t, const char *name, size_t len)
{
	struct tsm_report *r = find(t, name, len);

	if (!r)
		return -ENOENT;
	if (r->inblob >= 0)
		close(r->inblob);
	*r = t->reports[--t->n_reports];
	return 0;
}

/* A memfd holding bytes, read from the start, installed for the realm. */
static int64_t install_blob(struct service *svc, const void *bytes, size_t len)
{
	_cleanup_close_ int fd = memfd_create("tsm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int realm_fd;

	if (fd < 0)
		return -errno;
	if (len && pwrite(fd, bytes, len, 0) != (ssize_t)len)
		return -EIO;
	/* read-only for the realm: what it reads is what the monitor made */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK) < 0)
		return -errno;
	realm_fd = fd_install(svc, fd, 0);
	if (realm_fd >= 0)
		fd = -1; /* the table owns it now */
	return realm_fd;
}

/*
 * An empty file the realm writes: installed for the realm, while the
 * monitor keeps its own descriptor (*own) to see what was written.
 */
static int64_t install_writable(struct service *svc, const char *name, int *own)
{
	int fd = memfd_create(name, MFD_CLOEXEC), dup, realm_fd;

	if (fd < 0)
		return -errno;
	dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dup < 0) {
		close(fd);
		return -errno;
	}
	realm_fd = fd_install(svc, dup, 0);
	if (realm_fd < 0) {
		close(dup);
		close(fd);
		return realm_fd;
	}
	*own = fd;
	return realm_fd;
}

static int64_t open_inblob(struct service *svc, struct tsm_report *r)
{
	int fd;
	int64_t realm_fd = install_writable(svc, "tsm-inblob", &fd);

	if (realm_fd < 0)
		return realm_fd;
	if (r->inblob >= 0)
		close(r->inblob);
	r->inblob = fd;
	r->generation++;
	return realm_fd;
}

static int64_t open_outblob(struct tsm *t, struct service *svc, struct tsm_report *r)
{
	uint8_t challenge[REALM_CHALLENGE_SIZE + 1] = { 0 }, token[TOKEN_MAX];
	struct realm_measurements meas;
	size_t len;
	ssize_t n;
	int ret;

	if (!t->rmm)
		return -EOPNOTSUPP; /* the realm was created without measurement */
	if (r->inblob < 0)
		return -EINVAL;
	/* the kernel takes up to 64 bytes and zero-pads them */
	n = pread(r->inblob, challenge, sizeof(challenge), 0);
	if (n <= 0 || n > REALM_CHALLENGE_SIZE)
		return -EINVAL;
	memset(challenge + n, 0, sizeof(challenge) - (size_t)n);
	realm_measurements_of(t->rmm, &meas);
	ret = realm_attester_token(t->attester, &meas, t->hash_algo, challenge, token, sizeof(token),
				   &len);
	if (ret < 0)
		return -EIO;
	return install_blob(svc, token, len);
}

static int64_t open_attr(struct tsm *t, struct service *svc, struct tsm_report *r,
			 const char *attr, uint64_t flags)
{
	int writing = (flags & O_ACCMODE) != O_RDONLY;
	char text[32];

	if (strcmp(attr, "inblob") == 0)
		return writing ? open_inblob(svc, r) : -EACCES;
	if (writing)
		return -EACCES;
	if (strcmp(attr, "outblob") == 0)
		return open_outblob(t, svc, r);
	if (strcmp(attr, "provider") == 0)
		return install_blob(svc, PROVIDER, strlen(PROVIDER));
	if (strcmp(attr, "generation") == 0) {
		snprintf(text, sizeof(text), "%u\n", r->generation);
		return install_blob(svc, text, strlen(text));
	}
	if (strcmp(attr, "auxblob") == 0)
		return install_blob(svc, "", 0);
	return -ENOENT;
}

/* "rim:sha256", "rem2:sha512", ...: the slot, or -1. */
static int mr_slot(const struct tsm *t, const char *name)
{
	const char *hash = t->hash_algo ? ":sha512" : ":sha256";
	char want[16];

	for (int slot = 0; slot < RMM_NUM_SLOTS; slot++) {
		if (slot == 0)
			snprintf(want, sizeof(want), "rim%s", hash);
		else
			snprintf(want, sizeof(want), "rem%d%s", slot - 1, hash);
		if (strcmp(name, want) == 0)
			return slot;
	}
	return -1;
}

/* Whether the realm's descriptor of writer w still is that file. */
static int writer_in_use(const struct service *svc, const struct tsm_writer *w)
{
	struct stat st;
	int host = fd_host(svc, w->realm_fd);

	return host >= 0 && fstat(host, &st) == 0 && st.st_dev == w->dev && st.st_ino == w->ino;
}

/* A free writer slot, reclaiming those whose files the realm closed. */
static struct tsm_writer *free_writer(struct tsm *t, const struct service *svc)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < TSM_MAX_WRITERS; i++) {
			struct tsm_writer *w = &t->writers[i];

			if (w->memfd >= 0 && pass == 1 && !writer_in_use(svc, w)) {
				close(w->memfd);
				w->memfd = -1;
			}
			if (w->memfd < 0)
				return w;
		}
	}
	return NULL;
}

static int64_t open_rem_writer(struct tsm *t, struct service *svc, int slot)
{
	struct tsm_writer *w = free_writer(t, svc);
	struct stat st;
	int64_t realm_fd;
	int fd;

	if (!w)
		return -EMFILE;
	realm_fd = install_writable(svc, "tsm-rem", &fd);
	if (realm_fd < 0)
		return realm_fd;
	if (fstat(fd, &st) < 0) { /* cannot fail on a memfd we hold; never guess */
		fd_close(svc, realm_fd);
		close(fd);
		return -EIO;
	}
	*w = (struct tsm_writer){ fd, (int)realm_fd, st.st_dev, st.st_ino, (unsigned)slot };
	return realm_fd;
}

/* A measurement register file: read its value, or (a REM) open to extend it. */
static int64_t open_mr(struct tsm *t, struct service *svc, const char *name, uint64_t flags)
{
	struct realm_measurements meas;
	int slot = mr_slot(t, name);

	if (slot < 0)
		return -ENOENT;
	if (!t->rmm)
		return -EOPNOTSUPP;
	if ((flags & O_ACCMODE) == O_RDONLY) {
		realm_measurements_of(t->rmm, &meas);
		return install_blob(svc, meas.slot[slot], meas.digest_len);
	}
	return slot == 0 ? -EACCES : open_rem_writer(t, svc, slot);
}

/* Extend REM slot (1..4) and log it; the log's room is taken first, so
 * an extension is never left out of it. */
static int64_t extend_logged(struct tsm *t, unsigned slot, const uint8_t *value, size_t len)
{
	struct event_entry *e;
	int err = 0;

	if (!(e = event_log_reserve(t->events, &err)))
		return err;
	if (rmm_rem_extend(t->rmm, slot, value, len) < 0)
		return -EIO;
	event_entry_set_write(e, slot - 1, value, len);
	event_log_commit(t->events);
	return (int64_t)len;
}

/*
 * A write to one of our REM files extends the REM; 0 if fd is not one. Every
 * forwarded write passes here, so only a descriptor number handed out for a
 * REM file costs an fstat (which tells a reused number from ours).
 */
static int serve_rem_write(struct tsm *t, struct service *svc, const struct fasco_slot_header *hdr,
			   const uint8_t *data, int64_t *ret)
{
	uint8_t value[RMM_SLOT_SIZE];
	struct fasco_layout lay;
	uint64_t args[6];

	for (unsigned i = 0; i < TSM_MAX_WRITERS; i++) {
		const struct tsm_writer *w = &t->writers[i];

		/* a number closed and reused for another file is not ours */
		if (w->memfd < 0 || (uint64_t)w->realm_fd != hdr->args[0] || !writer_in_use(svc, w))
			continue;
		memcpy(args, hdr->args, sizeof(args));
		if (!(hdr->ptr_mask & 2) ||
		    fasco_sys_layout(hdr->nr, args, hdr->ptr_mask & 0x3f, 0, &lay) < 0 ||
		    lay.len[1] == 0 || lay.len[1] > sizeof(value)) {
			*ret = -EINVAL; /* the RMM takes 1..64 bytes */
			return 1;
		}
		memcpy(value, data + lay.off[1], lay.len[1]); /* copy once */
		*ret = extend_logged(t, w->rem, value, lay.len[1]);
		return 1;
	}
	return 0;
}

/* path below TREE: "report/<name>[/<attr>]" only. */
static int64_t serve_path(struct tsm *t, struct service *svc, enum tsm_call call, const char *path,
			  uint64_t open_flags)
{
	const char *name, *slash;
	size_t name_len;
	struct tsm_report *r;

	if (strncmp(path, REPORTS, strlen(REPORTS)) != 0)
		return call == CALL_OPEN && strcmp(path, TREE "report") == 0 ? -EISDIR : -ENOENT;
	name = path + strlen(REPORTS);
	slash = strchr(name, '/');
	name_len = slash ? (size_t)(slash - name) : strlen(name);
	if (name_len == 0 || name_len >= TSM_NAME_MAX || (name_len <= 2 && name[0] == '.'))
		return -EINVAL;
	if (!slash || !slash[1]) {
		switch (call) {
		case CALL_MKDIR: return make_report(t, name, name_len);
		case CALL_RMDIR: return remove_report(t, name, name_len);
		default: return find(t, name, name_len) ? -EISDIR : -ENOENT;
		}
	}
	r = find(t, name, name_len);
	if (!r)
		return -ENOENT;
	if (call != CALL_OPEN)
		return call == CALL_MKDIR ? -EPERM : -ENOTDIR;
	return open_attr(t, svc, r, slash + 1, open_flags);
}

int tsm_serve(struct tsm *t, struct service *svc, const struct fasco_slot_header *hdr,
	      const uint8_t *data, int64_t *ret)
{
	char path[FASCO_PATH_MAX];
	struct fasco_layout lay;
	uint64_t args[6];

	enum tsm_call call = CALL_OPEN;
	int dirfd_arg, i;

	if (hdr->nr == __NR_write || hdr->nr == __NR_pwrite64)
		return serve_rem_write(t, svc, hdr, data, ret);
	memcpy(args, hdr->args, sizeof(args));
	i = path_arg(hdr->nr, args, &call, &dirfd_arg);
	if (i == -2 || !(hdr->ptr_mask & (1u << (i < 0 ? 1 : i))))
		return 0;
	if (i < 0)
		i = 1; /* unlinkat without AT_REMOVEDIR */
	if (fasco_sys_layout(hdr->nr, args, hdr->ptr_mask & 0x3f, 0, &lay) < 0 ||
	    lay.len[i] == 0 || lay.len[i] > sizeof(path))
		return 0; /* the system realm refuses it with the precise error */
	memcpy(path, data + lay.off[i], lay.len[i]); /* copy once */
	path[lay.len[i] - 1] = 0;
	if (strncmp(path, MR_DIR, strlen(MR_DIR)) == 0 && call == CALL_OPEN) {
		*ret = open_mr(t, svc, path + strlen(MR_DIR), hdr->nr == __NR_open ? args[1] : args[2]);
		return 1;
	}
	if (strncmp(path, TREE, strlen(TREE)) != 0 && strcmp(path, "/sys/kernel/config/tsm") != 0)
		return 0;
	/* relative names are resolved by the system realm, which has no such tree */
	if (dirfd_arg >= 0 && (int)args[dirfd_arg] != AT_FDCWD_VALUE && path[0] != '/')
		return 0;
	if (hdr->nr == __NR_unlinkat && !(args[2] & AT_REMOVEDIR_FLAG)) {
		*ret = -EPERM;
		return 1;
	}
	*ret = serve_path(t, svc, call, path, hdr->nr == __NR_open ? args[1] : args[2]);
	return 1;
}
