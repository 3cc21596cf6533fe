/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "core/internal.h"

#define FASCO_VERSION_STRING "0.1.0"

const char *fasco_version(void)
{
	return FASCO_VERSION_STRING;
}

unsigned fasco_version_number(void)
{
	return FASCO_VERSION_NUMBER;
}

void fasco_free(void *ptr)
{
	free(ptr);
}

static char *default_state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL;

	if (geteuid() == 0)
		return strdup("/var/lib/fasco");
	if (xdg && *xdg && asprintf(&dir, "%s/fasco", xdg) > 0)
		return dir;
	if (home && *home && asprintf(&dir, "%s/.local/state/fasco", home) > 0)
		return dir;
	return NULL;
}

int fasco_ctx_create(int backend, const char *state_dir, fasco_ctx **ret_ctx)
{
	_cleanup_free_ fasco_ctx *ctx = NULL;

	fasco_error_clear();
	fasco_check_arg(ret_ctx);
	if (backend == FASCO_BACKEND_CCA)
		return fasco_fail(FASCO_E_UNSUPPORTED,
				  "the cca backend needs an arm64 host with CCA support (compile-checked only)");
	if (backend != FASCO_BACKEND_AUTO && backend != FASCO_BACKEND_KVM)
		return fasco_fail(-EINVAL, "unknown backend %d", backend);
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->backend = backend_get(backend);
	if (!ctx->backend)
		return fasco_fail(FASCO_E_UNSUPPORTED, "no realm backend for this host architecture");
	ctx->backend_id = FASCO_BACKEND_KVM;
	if (state_dir) {
		ctx->state_dir = strdup(state_dir);
		if (!ctx->state_dir)
			return -ENOMEM;
	} else {
		/* none (no HOME, no XDG_STATE_HOME): realms still run, but
		 * without the page-digest cache and without attestation */
		ctx->state_dir = default_state_dir();
	}
	*ret_ctx = take_ptr(ctx);
	return 0;
}

void fasco_ctx_destroy(fasco_ctx *ctx)
{
	if (!ctx)
		return;
	realm_reap_pending();
	free(ctx->state_dir);
	free(ctx);
}

void fasco_ctx_set_log(fasco_ctx *ctx, int max_level, fasco_log_fn fn, void *userdata)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_userdata = userdata;
	ctx->log_level = max_level;
}

int fasco_ctx_backend(const fasco_ctx *ctx)
{
	return ctx ? ctx->backend_id : -EINVAL;
}

const char *fasco_ctx_platform(const fasco_ctx *ctx)
{
	return ctx ? ctx->backend->platform_name() : "";
}

void ctx_log(const fasco_ctx *ctx, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!ctx || !ctx->log_fn || level > ctx->log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_userdata, level, msg);
}
