/* SPDX-License-Identifier: Apache-2.0 */
/* The keeper's control socket: both ends (see keeper_ctl.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "keeper_ctl.h"

#define PEER_TIMEOUT_S 1    /* the keeper never waits longer on a client */
#define CALL_TIMEOUT_S 10   /* a client's bound on a keeper that hangs */

/* dirfd/keeper.sock, short whatever the length of --root and the id. */
static void socket_address(int dirfd, struct sockaddr_un *sa)
{
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/" KEEPER_SOCKET, dirfd);
}

static void set_timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		got += (size_t)n;
	}
	return 0;
}

/* send(), not write(): a peer gone early must not SIGPIPE the keeper. */
static int send_full(int fd, const void *buf, size_t len)
{
	size_t sent = 0;

	while (sent < len) {
		ssize_t n = send(fd, (const char *)buf + sent, len - sent, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		sent += (size_t)n;
	}
	return 0;
}

int keeper_ctl_listen(int dirfd)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_un sa;

	if (fd < 0)
		return -errno;
	socket_address(dirfd, &sa);
	unlinkat(dirfd, KEEPER_SOCKET, 0);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fchmodat(dirfd, KEEPER_SOCKET, 0600, 0) < 0 || listen(fd, 8) < 0)
		return -errno;
	return take_fd(fd);
}

static bool request_valid(const struct keeper_request *req)
{
	return req->magic == KEEPER_MAGIC &&
	       (req->op == KEEPER_OP_START || req->op == KEEPER_OP_ATTEST ||
		req->op == KEEPER_OP_MONITOR) &&
	       req->challenge_len <= KEEPER_CHALLENGE_MAX &&
	       memchr(req->stage, '\0', sizeof(req->stage));
}

int keeper_ctl_accept(int lfd, struct keeper_request *req)
{
	_cleanup_close_ int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	struct ucred cred;
	socklen_t cred_len = sizeof(cred);
	int r;

	if (conn < 0)
		return -errno;
	set_timeouts(conn, PEER_TIMEOUT_S);
	/* the directory is 0700 already; a peer of another user is refused anyway */
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) < 0 ||
	    (cred.uid != geteuid() && cred.uid != 0))
		return -EPERM;
	if ((r = read_full(conn, req, sizeof(*req))) < 0)
		return r;
	if (!request_valid(req)) {
		keeper_ctl_reply(conn, -EINVAL, "malformed request", NULL, 0);
		conn = -1; /* closed by the reply */
		return -EINVAL;
	}
	return take_fd(conn);
}

void keeper_ctl_reply(int conn, int code, const char *detail, const void *data, size_t len)
{
	struct keeper_reply rep = { .code = code, .len = data ? (uint32_t)len : 0 };

	snprintf(rep.detail, sizeof(rep.detail), "%s", detail ? detail : "");
	if (send_full(conn, &rep, sizeof(rep)) == 0 && rep.len)
		send_full(conn, data, rep.len);
	close(conn);
}

int keeper_ctl_call(int dirfd, const struct keeper_request *req, struct keeper_reply *rep,
		    void *data, size_t cap)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa;
	int r;

	if (fd < 0)
		return -errno;
	set_timeouts(fd, CALL_TIMEOUT_S);
	socket_address(dirfd, &sa);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno == ECONNREFUSED || errno == ENOENT ? -ESRCH : -errno;
	if ((r = send_full(fd, req, sizeof(*req))) < 0 || (r = read_full(fd, rep, sizeof(*rep))) < 0)
		return r == -EPIPE ? -ESRCH : r;
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	if (rep->len > cap || rep->len > KEEPER_DATA_MAX)
		return -EPROTO;
	if (rep->len && (r = read_full(fd, data, rep->len)) < 0)
		return r == -EPIPE ? -ESRCH : r;
	return 0;
}
