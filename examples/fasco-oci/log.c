/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging as runc does it: --log names a file (appended to), --log-format
 * text or json; containerd's shim reads the last "error" entry of the json
 * log to report why a command failed. Errors also go to stderr.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fasco/fasco.h>

#include "cli.h"
#include "oci/jsonw.h"

static const char *const level_names[] = { "error", "warning", "info", "debug" };

static void timestamp(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, cap - n, ".%09ldZ", ts.tv_nsec);
}

static void to_file(enum log_level level, const char *msg)
{
	char when[64];
	FILE *f;
	int fd;

	if (!g.log_path)
		return;
	fd = open(g.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	timestamp(when, sizeof(when));
	if (g.log_json) {
		fputs("{\"level\":", f);
		oci_json_string(f, level_names[level]);
		fputs(",\"msg\":", f);
		oci_json_string(f, msg);
		fprintf(f, ",\"time\":\"%s\"}\n", when);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=", when, level_names[level]);
		oci_json_string(f, msg);
		fputc('\n', f);
	}
	fclose(f);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (level == LOG_DEBUG && !g.debug)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	to_file(level, msg);
	if (level == LOG_ERROR || (g.debug && !g.log_path))
		fprintf(stderr, "fasco-oci: %s%s\n", level == LOG_ERROR ? "" : "debug: ", msg);
	else if (level == LOG_WARN && !g.log_path)
		fprintf(stderr, "fasco-oci: warning: %s\n", msg);
}

int fail(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_ERROR, "%s", msg);
	return 1;
}

int fail_code(int code, const char *what)
{
	const char *detail = fasco_last_error();

	if (*detail)
		return fail("%s: %s", what, detail);
	return fail("%s: %s", what, fasco_strerror(code));
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail("%s: %s (see fasco-oci --help)", cmd, msg);
}
