/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A syscall-heavy mix, timed inside the process so the same static binary
 * runs natively and in a realm:
 *   syscall_mix [ITERATIONS] [PIPE_MIB]
 * prints "<operation> <ns per operation>" for getpid, 4 KiB write and read
 * of a file, open+close, stat, and "pipe_mib_s <MiB/s>" for 64 KiB writes
 * through a pipe to a child process that reads them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define TIME_LOOP(name, n, body)                                                 \
	do {                                                                     \
		double t0_ = now_ns();                                           \
		for (long i = 0; i < (n); i++) {                                 \
			body;                                                    \
		}                                                                \
		printf("%s %.0f\n", name, (now_ns() - t0_) / (n));              \
	} while (0)

static int pipe_throughput(long mib)
{
	static char chunk[65536];
	long total = mib << 20;
	int p[2], status;
	double t0;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[1]);
		for (long got = 0; got < total;) {
			ssize_t r = read(p[0], chunk, sizeof(chunk));
			if (r <= 0)
				_exit(1);
			got += r;
		}
		_exit(0);
	}
	close(p[0]);
	for (long sent = 0; sent < total; sent += sizeof(chunk))
		if (write(p[1], chunk, sizeof(chunk)) != sizeof(chunk))
			return -1;
	close(p[1]);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return -1;
	printf("pipe_mib_s %.1f\n", mib / ((now_ns() - t0) / 1e9));
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	long mib = argc > 2 ? atol(argv[2]) : 64;
	char path[] = "/tmp/syscall_mix.XXXXXX";
	static char buf[4096];
	struct stat st;
	int fd;

	if (n <= 0 || mib <= 0 || (fd = mkstemp(path)) < 0)
		return 2;
	TIME_LOOP("getpid", n, syscall(SYS_getpid));
	TIME_LOOP("write4k", n, if (pwrite(fd, buf, sizeof(buf), (i & 255) * 4096) != sizeof(buf)) return 3);
	TIME_LOOP("read4k", n, if (pread(fd, buf, sizeof(buf), (i & 255) * 4096) != sizeof(buf)) return 3);
	TIME_LOOP("open_close", n, close(open(path, O_RDONLY)));
	TIME_LOOP("stat", n, if (stat(path, &st) < 0) return 3);
	close(fd);
	unlink(path);
	return pipe_throughput(mib) < 0 ? 4 : 0;
}
