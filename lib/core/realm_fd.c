/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's end as a pollable descriptor: the read end of the monitor's
 * status pipe. After the "loaded" message nothing but the end report is
 * written to it, and the monitor closes its end right after that report
 * (its forked realms close theirs at once), so the pipe turns readable
 * when the realm ends or its monitor dies, and stays readable (EOF) after
 * fasco_realm_wait() has read the report. The caller learns of the end
 * without waiting for the monitor's exit, which follows the VM's teardown.
 */
#include <poll.h>
#include <unistd.h>

#include "core/internal.h"

/* The monitor closes its end right after the report: how long we wait for that. */
#define EOF_WAIT_MS 1000

void realm_fd_settle(fasco_realm *realm)
{
	struct pollfd p = { .fd = realm->status_fd, .events = POLLIN };
	char c;

	/* so that the descriptor is readable (EOF) whenever wait has returned */
	while (poll(&p, 1, EOF_WAIT_MS) < 0 && errno == EINTR)
		;
	while (p.revents && read(realm->status_fd, &c, 1) < 0 && errno == EINTR)
		;
}

int fasco_realm_fd(const fasco_realm *realm)
{
	fasco_error_clear();
	fasco_check_arg(realm);
	if (!realm_is_loaded(realm) || realm->status_fd < 0)
		return fasco_fail(FASCO_E_STATE, "a realm has a descriptor once it is loaded");
	return realm->status_fd;
}
