/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"

static _Thread_local char last_error[512];

__attribute__((format(printf, 1, 0)))
static void vset(const char *fmt, va_list ap, int with_errno, int err)
{
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);

	if (with_errno && n >= 0 && (size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - (size_t)n, ": %s", strerror(err));
}

int fasco_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(fmt, ap, 0, 0);
	va_end(ap);
	return code;
}

int fasco_fail_errno(const char *fmt, ...)
{
	int err = errno ? errno : EIO;
	va_list ap;

	va_start(ap, fmt);
	vset(fmt, ap, 1, err);
	va_end(ap);
	return -err;
}

int fasco_fail_wrap(int code, const char *fmt, ...)
{
	char prefix[256], old[sizeof(last_error)];
	va_list ap;

	memcpy(old, last_error, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(last_error, sizeof(last_error), "%s: %s", prefix, old);
	return code;
}

void fasco_error_clear(void)
{
	last_error[0] = '\0';
}

const char *fasco_last_error(void)
{
	return last_error;
}

static const char *const status_names[] = {
	[0] = "internal error",
	[1] = "not supported",
	[2] = "KVM not available",
	[3] = "KVM operation failed",
	[4] = "not a loadable ELF executable",
	[5] = "boot manifest error",
	[6] = "sandbox set-up failed",
	[7] = "wrong state",
	[8] = "invalid configuration",
	[9] = "realm memory exhausted",
	[10] = "shared-buffer protocol violation",
};

static const char *const attest_names[] = {
	[0] = "malformed CBOR",
	[1] = "malformed COSE structure",
	[2] = "signature does not verify",
	[3] = "platform challenge does not bind the realm key",
	[4] = "mandatory claim missing",
	[5] = "claim has wrong type or size",
	[6] = "measurement differs from the reference value",
	[7] = "challenge differs from the expected value",
	[8] = "key cannot be parsed or used",
	[9] = "duplicate map key",
	[10] = "buffer too small",
	[11] = "event log does not reproduce the measurements",
};

const char *fasco_strerror(int code)
{
	if (code >= 0)
		return "success";
	if (code > -4096)
		return strerror(-code);
	if (code <= FASCO_E_INTERNAL && code > FASCO_E_INTERNAL - (int)(sizeof(status_names) / sizeof(status_names[0])))
		return status_names[FASCO_E_INTERNAL - code];
	if (code <= FASCO_E_CBOR && code > FASCO_E_CBOR - (int)(sizeof(attest_names) / sizeof(attest_names[0])))
		return attest_names[FASCO_E_CBOR - code];
	return "unknown error";
}
