/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container keeper's control socket: <root>/<id>/keeper.sock, owned
 * 0600 in the container's 0700 directory. The realm handle lives in the
 * keeper, so what needs it goes through here: start (release the created
 * container), attest (a fresh token) and monitor (whose namespaces an
 * exec joins). One fixed-size request per
 * connection, one reply: a header, then len bytes.
 */
#ifndef FASCO_OCI_KEEPER_CTL_H
#define FASCO_OCI_KEEPER_CTL_H

#include <stddef.h>
#include <stdint.h>

#define KEEPER_SOCKET "keeper.sock"
#define KEEPER_MAGIC 0x6663746cu /* "fctl" */
#define KEEPER_CHALLENGE_MAX 64
#define KEEPER_DATA_MAX 16384 /* a token is at most 8 KiB */

enum keeper_op {
	KEEPER_OP_START = 'S',  /* leave "created": start the realm */
	KEEPER_OP_ATTEST = 'A', /* a CCA token for the challenge */
	KEEPER_OP_MONITOR = 'M', /* the pid of the monitor serving a realm that has not ended */
};

struct keeper_request {
	uint32_t magic;
	uint8_t op;
	uint8_t challenge_len;
	uint8_t challenge[KEEPER_CHALLENGE_MAX];
	char stage[32]; /* attest, monitor: a composite container's stage ("": its process) */
};

struct keeper_reply {
	int32_t code; /* 0 or a negative fasco code */
	uint32_t len; /* bytes of data that follow */
	char detail[256];
};

/* Keeper side: listen on dirfd/keeper.sock; the listening fd or -errno. */
int keeper_ctl_listen(int dirfd);
/*
 * Accept one connection and read its request, checked (magic, op, length)
 * and from our own user; a peer that stalls is dropped after a second.
 * Returns the connection, or -errno (the caller just polls again).
 */
int keeper_ctl_accept(int lfd, struct keeper_request *req);
/* Send the reply and close conn. */
void keeper_ctl_reply(int conn, int code, const char *detail, const void *data, size_t len);

/*
 * Client side: one request to the keeper of the container in dirfd. data
 * (capacity cap) gets the reply's bytes, rep->len their length. -ESRCH when
 * no keeper listens (the container process is gone), else -errno.
 */
int keeper_ctl_call(int dirfd, const struct keeper_request *req, struct keeper_reply *rep,
		    void *data, size_t cap);

#endif
