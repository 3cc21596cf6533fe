/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sockets and readiness in one process (no threads, no fork): a TCP
 * listener on loopback accepts its own connection, data both ways, epoll
 * readiness, socket names, options, a UDP datagram to itself, a Unix
 * socketpair. Prints verdicts only, so the output is the same natively and
 * in a realm.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void show(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : strerror(errno));
}

int main(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in peer;
	socklen_t len = sizeof(addr);
	struct epoll_event ev = { .events = EPOLLIN }, got[4];
	char buf[64] = { 0 };
	int one = 1, value = 0, sv[2];
	int l = socket(AF_INET, SOCK_STREAM, 0), c, a, ep, u1, u2;

	show("socket", l >= 0);
	show("setsockopt", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	show("bind", bind(l, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	show("getsockname", getsockname(l, (struct sockaddr *)&addr, &len) == 0 && len == sizeof(addr));
	show("listen", listen(l, 4) == 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.data.fd = l;
	show("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev) == 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	show("connect", connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	show("epoll_wait", epoll_wait(ep, got, 4, 1000) == 1 && got[0].data.fd == l);
	len = sizeof(peer);
	a = accept4(l, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
	show("accept4", a >= 0 && len == sizeof(peer) && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	show("send", write(c, "ping", 4) == 4);
	show("recv", read(a, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0);
	show("reply", send(a, "pong", 4, 0) == 4 && recv(c, buf, sizeof(buf), 0) == 4 &&
			   memcmp(buf, "pong", 4) == 0);
	len = sizeof(value);
	show("getsockopt", getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &value, &len) == 0 &&
				len == sizeof(value));
	/* a too-small address buffer gets a truncated address, never more */
	len = 4;
	memset(&peer, 0x5a, sizeof(peer));
	show("short getpeername", getpeername(c, (struct sockaddr *)&peer, &len) == 0 &&
				     len == sizeof(peer) && ((unsigned char *)&peer)[4] == 0x5a);
	show("shutdown", shutdown(c, SHUT_WR) == 0 && read(a, buf, sizeof(buf)) == 0);
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_port = 0;
	len = sizeof(addr);
	show("udp", bind(u1, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
			getsockname(u1, (struct sockaddr *)&addr, &len) == 0 &&
			sendto(u2, "dgram", 5, 0, (struct sockaddr *)&addr, sizeof(addr)) == 5 &&
			recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) == 5 &&
			memcmp(buf, "dgram", 5) == 0);
	show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && write(sv[0], "x", 1) == 1 &&
			       read(sv[1], buf, 1) == 1 && buf[0] == 'x');
	{
		uint64_t v = 0;
		int e = eventfd(3, EFD_CLOEXEC);

		show("eventfd", e >= 0 && eventfd_write(e, 4) == 0 && read(e, &v, sizeof(v)) == 8 &&
					v == 7);
	}
	{
		/* vectors both ways, the sender's address, and the limits */
		char a1[3] = "sen", a2[3] = "dms", a3[1] = "g", r1[4], r2[16];
		struct iovec out[3] = { { a1, 3 }, { a2, 3 }, { a3, 1 } }, in[2] = { { r1, 4 }, { r2, 16 } };
		struct sockaddr_in from;
		struct msghdr m = { .msg_name = &addr, .msg_namelen = sizeof(addr), .msg_iov = out,
				    .msg_iovlen = 3 };
		char ctl[64];
		ssize_t n;

		show("sendmsg", sendmsg(u2, &m, 0) == 7);
		m = (struct msghdr){ .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = in,
				     .msg_iovlen = 2 };
		n = recvmsg(u1, &m, 0);
		show("recvmsg", n == 7 && memcmp(r1, "send", 4) == 0 && memcmp(r2, "msg", 3) == 0 &&
					m.msg_namelen == sizeof(from) &&
					from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && m.msg_flags == 0);
		m = (struct msghdr){ .msg_iov = out, .msg_iovlen = 1 };
		show("sendmsg connected", write(sv[1], "y", 1) == 1 && sendmsg(sv[0], &m, 0) == 3);
		m = (struct msghdr){ .msg_iov = in, .msg_iovlen = 1, .msg_control = ctl,
				     .msg_controllen = sizeof(ctl) };
		n = recvmsg(sv[1], &m, 0);
		show("recvmsg no ancillary", n == 3 && memcmp(r1, "sen", 3) == 0 && m.msg_controllen == 0);
		m = (struct msghdr){ .msg_name = &addr, .msg_namelen = 200, .msg_iov = out, .msg_iovlen = 1 };
		/* the kernel reads at most a sockaddr_storage of it */
		show("sendmsg long address", sendmsg(u2, &m, 0) == 3);
	}
	show("bad fd", connect(999, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno == EBADF);
	errno = 0;
	show("bad address length", bind(u2, (struct sockaddr *)&addr, 1) < 0 && errno == EINVAL);
	return 0;
}
