/* Exercise files, directories, stat, time and errors; print what a user
 * would check. Built static against glibc and against musl; the output must
 * equal the native run's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp/fasco-files";
	char path[512], buf[256];
	struct stat st;
	struct timespec ts;
	int fd, n = 0;

	snprintf(path, sizeof(path), "%s/a.txt", dir);
	check("mkdir", mkdir(dir, 0755));
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	check("create", fd);
	struct iovec iov[2] = { { "hello ", 6 }, { "realm\n", 6 } };
	printf("writev: %zd\n", writev(fd, iov, 2));
	check("close", close(fd));
	check("stat", stat(path, &st));
	printf("size %lld mode %o\n", (long long)st.st_size, st.st_mode & 0777);
	fd = open(path, O_RDONLY);
	printf("read: %zd\n", read(fd, buf, sizeof(buf)));
	printf("lseek: %lld\n", (long long)lseek(fd, 6, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	printf("pread: %zd '%s'\n", pread(fd, buf, 5, 6), buf);
	close(fd);
	check("rename", rename(path, "/nonexistent/x"));
	check("open missing", open("/no/such/file", O_RDONLY));
	check("unlink", unlink(path));
	check("rmdir", rmdir(dir));
	check("rmdir again", rmdir(dir));
	DIR *d = opendir("/");
	while (d && readdir(d))
		n++;
	printf("root has entries: %s\n", n > 2 ? "yes" : "no");
	if (d)
		closedir(d);
	check("clock_gettime", clock_gettime(CLOCK_REALTIME, &ts));
	printf("time is sane: %s\n", ts.tv_sec > 1600000000 ? "yes" : "no");
	char *big = malloc(8 << 20); /* mmap path, touched sparsely */
	for (int i = 0; big && i < 8 << 20; i += 4096)
		big[i] = (char)i;
	printf("malloc 8 MiB: %s\n", big && big[4096] == 0 ? "yes" : "no");
	free(big);
	check("getcwd", getcwd(buf, sizeof(buf)) ? 0 : -1);
	printf("cwd %s\n", buf);
	return 3;
}
