/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One error model for the whole library: a function returns 0 (or a
 * non-negative count) or a negative code (enum fasco_status or -errno).
 * fasco_fail() records a thread-local detail message and returns the code,
 * so a failure reads "return fasco_fail(FASCO_E_BAD_ELF, "...", ...);".
 */
#ifndef FASCO_COMMON_ERROR_H
#define FASCO_COMMON_ERROR_H

#include <errno.h>
#include <fasco/fasco.h>

#define FASCO_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Record the detail for code and return code. */
int fasco_fail(int code, const char *fmt, ...) FASCO_PRINTF(2, 3);

/* The same with ": strerror(errno)" appended; returns -errno. */
int fasco_fail_errno(const char *fmt, ...) FASCO_PRINTF(1, 2);

/* Prefix the current detail with more context; returns code unchanged. */
int fasco_fail_wrap(int code, const char *fmt, ...) FASCO_PRINTF(2, 3);

/* Forget the detail (start of each public call). */
void fasco_error_clear(void);

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Argument check for public entry points: a caller bug gives -EINVAL. */
#define fasco_check_arg(expr)                                                  \
	do {                                                                   \
		if (unlikely(!(expr)))                                         \
			return fasco_fail(-EINVAL, "%s: invalid argument: %s", \
					  __func__, #expr);                    \
	} while (0)

#endif
