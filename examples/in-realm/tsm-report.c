/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs inside a realm: get an attestation token through the Linux configfs-tsm
 * report interface, as a confidential workload would.
 *   tsm-report CHALLENGE_TEXT TOKEN_OUT [REM0_TEXT]
 * The challenge is the text's bytes (at most 64). With REM0_TEXT, first
 * extends REM0 by its bytes (at most 64) through the measurement-register
 * file, as a workload records what it loaded. Prints what each step
 * returned, then writes the token to TOKEN_OUT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPORT "/sys/kernel/config/tsm/report/fasco-test"
#define REM0 "/sys/devices/virtual/misc/arm_cca_guest/measurements/rem0:sha256"

static char token[16384];

static void step(const char *what, long ret)
{
	printf("%s: %s\n", what, ret < 0 ? strerror(errno) : "ok");
}

static long read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((size_t)n < cap && (r = read(fd, buf + n, cap - (size_t)n)) > 0)
		n += r;
	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	char text[64];
	long n;
	int fd;

	if (argc < 3 || argc > 4 || strlen(argv[1]) > 64 || (argc == 4 && strlen(argv[3]) > 64))
		return 2;
	if (argc == 4) {
		unsigned char rem[64];

		fd = open(REM0, O_WRONLY);
		step("open rem0", fd);
		step("extend rem0", write(fd, argv[3], strlen(argv[3])));
		close(fd);
		n = read_file(REM0, (char *)rem, sizeof(rem));
		printf("rem0:");
		for (long i = 0; i < n; i++)
			printf("%02x", rem[i]);
		printf("\n");
	}
	step("mkdir", mkdir(REPORT, 0755));
	step("mkdir again", mkdir(REPORT, 0755));
	fd = open(REPORT "/inblob", O_WRONLY);
	step("open inblob", fd);
	step("write inblob", write(fd, argv[1], strlen(argv[1])));
	close(fd);
	step("open outblob for writing", open(REPORT "/outblob", O_WRONLY));
	step("open missing report", open("/sys/kernel/config/tsm/report/none/outblob", O_RDONLY));
	n = read_file(REPORT "/provider", text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = 0;
	printf("provider: %s", text);
	n = read_file(REPORT "/generation", text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = 0;
	printf("generation: %s", text);
	n = read_file(REPORT "/outblob", token, sizeof(token));
	printf("outblob: %s\n", n > 100 ? "a token" : "nothing");
	step("rmdir", rmdir(REPORT));
	step("rmdir again", rmdir(REPORT));
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || n <= 0 || write(fd, token, (size_t)n) != n)
		return 1;
	return close(fd) < 0;
}
