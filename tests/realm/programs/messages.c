/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sendmsg/recvmsg: descriptors passed with SCM_RIGHTS (within a process and
 * from a child process), MSG_CMSG_CLOEXEC, a control buffer too small
 * (MSG_CTRUNC), a truncated datagram (MSG_TRUNC), scattered payload, the
 * sender's address, and the errors for a bad descriptor and malformed
 * control data. Prints verdicts only, so the output is the same natively
 * and in a realm.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_fds(int sock, const int *fds, int n)
{
	union {
		char buf[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	memset(u.buf, 0, sizeof(u.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

/* Receive up to room descriptors; their count, -1 on error. */
static int recv_fds(int sock, int *fds, int room, int flags, int *msg_flags)
{
	union {
		char buf[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = CMSG_SPACE(room * sizeof(int)) };
	int n = 0;

	if (recvmsg(sock, &m, flags) != 1)
		return -1;
	*msg_flags = m.msg_flags;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			memcpy(fds + n, CMSG_DATA(c), k * sizeof(int));
			n += k;
		}
	return n;
}

static void show_read(const char *what, int fd)
{
	char buf[64] = "";
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);

	printf("%s: %s\n", what, r > 0 ? buf : strerror(errno));
}

static void passing_in_one_process(void)
{
	char path[] = "/tmp/fasco-msg.XXXXXX";
	int sv[2], file = mkstemp(path), p[2], got[8], flags = 0, n;

	if (file < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0) {
		perror("setup");
		exit(1);
	}
	unlink(path);
	write(file, "from a passed file", 18);
	send_fds(sv[0], &file, 1);
	n = recv_fds(sv[1], got, 1, 0, &flags);
	printf("one descriptor: %d received, new number %s\n", n, n == 1 && got[0] != file ? "yes" : "no");
	if (n == 1) {
		show_read("read through it", got[0]);
		printf("close-on-exec without MSG_CMSG_CLOEXEC: %d\n", !!(fcntl(got[0], F_GETFD) & FD_CLOEXEC));
		close(got[0]);
	}

	int three[3] = { file, p[0], p[1] };
	send_fds(sv[0], three, 3);
	n = recv_fds(sv[1], got, 3, MSG_CMSG_CLOEXEC, &flags);
	printf("three descriptors: %d received, close-on-exec %d\n", n,
	       n == 3 && (fcntl(got[0], F_GETFD) & fcntl(got[2], F_GETFD) & FD_CLOEXEC));
	if (n == 3) {
		write(got[2], "through a passed pipe", 21);
		char buf[32] = "";
		read(p[0], buf, sizeof(buf) - 1);
		printf("pipe: %s\n", buf);
		for (int i = 0; i < 3; i++)
			close(got[i]);
	}

	send_fds(sv[0], three, 3);
	n = recv_fds(sv[1], got, 1, 0, &flags);
	printf("room for one of three: %d received, MSG_CTRUNC %d\n", n, !!(flags & MSG_CTRUNC));
	for (int i = 0; i < n; i++)
		close(got[i]);

	int bad = 999;
	errno = 0;
	printf("passing a descriptor that is not open: %s\n",
	       send_fds(sv[0], &bad, 1) < 0 ? strerror(errno) : "sent");

	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = { 0 };
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	CMSG_FIRSTHDR(&m)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&m)->cmsg_type = SCM_RIGHTS;
	CMSG_FIRSTHDR(&m)->cmsg_len = 4096; /* longer than the buffer */
	errno = 0;
	printf("control message longer than its buffer: %s\n", sendmsg(sv[0], &m, 0) < 0 ? strerror(errno) : "sent");
	close(sv[0]);
	close(sv[1]);
	close(file);
	close(p[0]);
	close(p[1]);
}

static void passing_from_a_child(void)
{
	int sv[2], got[1], flags = 0, status;
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if (pid == 0) {
		int p[2];

		close(sv[1]);
		pipe(p);
		write(p[1], "written by the child", 20);
		send_fds(sv[0], &p[0], 1);
		_exit(0);
	}
	close(sv[0]);
	int n = recv_fds(sv[1], got, 1, 0, &flags);
	waitpid(pid, &status, 0);
	printf("from a child: %d received\n", n);
	if (n == 1) {
		char buf[32] = "";
		read(got[0], buf, sizeof(buf) - 1);
		printf("child's pipe: %s\n", buf);
	}
}

static void datagrams(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, from, self;
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_DGRAM, 0), sv[2];
	char big[100], p1[3], p2[4], p3[50];

	memset(big, 'd', sizeof(big));
	bind(s, (struct sockaddr *)&a, sizeof(a));
	getsockname(s, (struct sockaddr *)&self, &len);
	sendto(s, "scattered-payload", 17, 0, (struct sockaddr *)&self, sizeof(self));
	struct iovec iov[3] = { { p1, sizeof(p1) }, { p2, sizeof(p2) }, { p3, sizeof(p3) } };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = iov, .msg_iovlen = 3 };
	memset(p3, 0, sizeof(p3));
	ssize_t r = recvmsg(s, &m, 0);
	printf("scattered: %zd [%.3s|%.4s|%s] name %s, length %u\n", r, p1, p2, p3,
	       from.sin_port == self.sin_port ? "is the sender" : "wrong", (unsigned)m.msg_namelen);
	close(s);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	send(sv[0], big, sizeof(big), 0);
	struct iovec small = { p3, 10 };
	struct msghdr t = { .msg_iov = &small, .msg_iovlen = 1 };
	r = recvmsg(sv[1], &t, 0);
	printf("truncated datagram: %zd bytes, MSG_TRUNC %d\n", r, !!(t.msg_flags & MSG_TRUNC));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	passing_in_one_process();
	passing_from_a_child();
	datagrams();
	return 0;
}
