/* SPDX-License-Identifier: Apache-2.0 */
/* fasco_realm_event_log(): the log a realm's monitor sent with its end. */
#include <stdlib.h>
#include <string.h>

#include "core/event_log.h"
#include "core/internal.h"
#include "rmm/rmm.h"

int fasco_realm_event_log(const fasco_realm *realm, char **ret_json)
{
	struct event_log empty = { 0 };
	enum realm_state state;
	char *copy;

	fasco_error_clear();
	fasco_check_arg(realm && ret_json);
	state = realm_state(realm);
	if (state == REALM_NEW || state == REALM_RUNNING)
		return fasco_fail(FASCO_E_STATE, "the event log is reported when the realm is loaded and when it ends");
	if (!realm->meas.digest_len)
		return fasco_fail(FASCO_E_UNSUPPORTED, "the realm was created without measurement");
	if (state == REALM_LOADED)
		return event_log_json(&empty, (unsigned)realm->config->hash_algo, RMM_REM_TFRMM,
				      ret_json);
	if (!realm->event_log)
		return fasco_fail(FASCO_E_STATE, "no event log: the realm's monitor ended without reporting");
	if (!(copy = strdup(realm->event_log)))
		return -ENOMEM;
	*ret_json = copy;
	return 0;
}
