/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded input files and hexadecimal arguments. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/hex.h"
#include "tool.h"

static int read_fd(int fd, const char *what, const char *path, uint8_t **ret, size_t *ret_len)
{
	/* One spare byte tells "exactly the limit" from "more than the limit". */
	uint8_t *buf = malloc(TOOL_INPUT_MAX + 1);
	size_t n = 0;

	if (!buf) {
		fprintf(stderr, "fasco-attest: %s %s: out of memory\n", what, path);
		return -1;
	}
	while (n <= TOOL_INPUT_MAX) {
		ssize_t k = read(fd, buf + n, TOOL_INPUT_MAX + 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			fprintf(stderr, "fasco-attest: %s %s: cannot read: %s\n", what, path,
				strerror(errno));
			free(buf);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (n > TOOL_INPUT_MAX || n == 0) {
		fprintf(stderr, "fasco-attest: %s %s: %s\n", what, path,
			n ? "larger than 1 MiB, refused unread" : "empty input");
		free(buf);
		return -1;
	}
	*ret = buf;
	*ret_len = n;
	return 0;
}

int read_input(const char *what, const char *path, uint8_t **ret, size_t *ret_len)
{
	int fd, r;

	if (!strcmp(path, "-"))
		return read_fd(STDIN_FILENO, what, "(stdin)", ret, ret_len);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "fasco-attest: %s %s: cannot open: %s\n", what, path, strerror(errno));
		return -1;
	}
	r = read_fd(fd, what, path, ret, ret_len);
	close(fd);
	return r;
}

int parse_hex(const char *option, const char *hex, uint8_t *out, size_t min, size_t max,
	      size_t *ret_len)
{
	size_t len = strlen(hex);

	for (size_t i = 0; i < len; i++)
		if (hex_digit(hex[i]) < 0) {
			fprintf(stderr, "fasco-attest: %s: character %zu (0x%02x) is not a hex digit\n",
				option, i + 1, (unsigned char)hex[i]);
			return -1;
		}
	if (len % 2) {
		fprintf(stderr, "fasco-attest: %s: odd number of hex digits (%zu)\n", option, len);
		return -1;
	}
	if (len / 2 < min || len / 2 > max) {
		if (min == max)
			fprintf(stderr, "fasco-attest: %s: %zu bytes, expected %zu\n", option, len / 2,
				min);
		else
			fprintf(stderr, "fasco-attest: %s: %zu bytes, expected %zu to %zu\n", option,
				len / 2, min, max);
		return -1;
	}
	hex_decode(hex, out, len / 2, NULL); /* every digit was checked above */
	*ret_len = len / 2;
	return 0;
}

int parse_options(int argc, char **argv, const char *command, const struct option *opts,
		  int (*on_option)(int c, void *data), void *data)
{
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			tool_usage(stdout);
			return -1;
		}
		if (c == '?' || c == ':')
			return usage_error(command);
		if (on_option(c, data) < 0)
			return EXIT_USAGE;
	}
	return 0;
}

static int set_json(int c, void *json)
{
	(void)c;
	*(bool *)json = true;
	return 0;
}

int parse_json_flag(int argc, char **argv, const char *command, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	return parse_options(argc, argv, command, opts, set_json, json);
}
