/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prints the size and member offsets of every public struct as JSON, as
 * the C compiler lays them out, so the Python tests can compare them with
 * the ctypes mirrors in fasco/_structs.py.
 */
#include <stddef.h>
#include <stdio.h>

#include <fasco/attest.h>
#include <fasco/fasco.h>
#include <fasco/measure.h>

static int first_struct = 1, first_field;

static void begin(const char *name, size_t size)
{
	printf("%s\n  \"%s\": {\"size\": %zu, \"fields\": {", first_struct ? "" : ",", name, size);
	first_struct = 0;
	first_field = 1;
}

static void field(const char *name, size_t offset)
{
	printf("%s\"%s\": %zu", first_field ? "" : ", ", name, offset);
	first_field = 0;
}

static void end(void)
{
	printf("}}");
}

#define BEGIN(type) begin(#type, sizeof(struct type))
#define FIELD(type, member) field(#member, offsetof(struct type, member))

int main(void)
{
	printf("{");
	BEGIN(fasco_exit_info);
	FIELD(fasco_exit_info, size), FIELD(fasco_exit_info, kind);
	FIELD(fasco_exit_info, value), FIELD(fasco_exit_info, vector);
	FIELD(fasco_exit_info, address), FIELD(fasco_exit_info, ip);
	FIELD(fasco_exit_info, error_code), FIELD(fasco_exit_info, detail);
	end();

	BEGIN(fasco_realm_stats);
	FIELD(fasco_realm_stats, size), FIELD(fasco_realm_stats, reserved);
	FIELD(fasco_realm_stats, startup_ns), FIELD(fasco_realm_stats, run_ns);
	FIELD(fasco_realm_stats, exits), FIELD(fasco_realm_stats, forwarded);
	FIELD(fasco_realm_stats, unsupported), FIELD(fasco_realm_stats, peak_rss_bytes);
	FIELD(fasco_realm_stats, per_syscall), FIELD(fasco_realm_stats, polled);
	end();

	BEGIN(fasco_verify_opts);
	FIELD(fasco_verify_opts, size), FIELD(fasco_verify_opts, flags);
	FIELD(fasco_verify_opts, anchor), FIELD(fasco_verify_opts, anchor_len);
	FIELD(fasco_verify_opts, anchor_format), FIELD(fasco_verify_opts, reserved);
	FIELD(fasco_verify_opts, challenge), FIELD(fasco_verify_opts, challenge_len);
	FIELD(fasco_verify_opts, rpv), FIELD(fasco_verify_opts, rpv_len);
	FIELD(fasco_verify_opts, rim), FIELD(fasco_verify_opts, rim_len);
	FIELD(fasco_verify_opts, rem), FIELD(fasco_verify_opts, rem_len);
	end();

	BEGIN(fasco_sw_component);
	FIELD(fasco_sw_component, measurement), FIELD(fasco_sw_component, measurement_len);
	FIELD(fasco_sw_component, signer_id), FIELD(fasco_sw_component, signer_id_len);
	FIELD(fasco_sw_component, type), FIELD(fasco_sw_component, version);
	FIELD(fasco_sw_component, hash_algo);
	end();

	BEGIN(fasco_realm_claims);
	FIELD(fasco_realm_claims, profile), FIELD(fasco_realm_claims, challenge);
	FIELD(fasco_realm_claims, rpv), FIELD(fasco_realm_claims, rim);
	FIELD(fasco_realm_claims, rem), FIELD(fasco_realm_claims, measurement_len);
	FIELD(fasco_realm_claims, hash_algo), FIELD(fasco_realm_claims, rak_hash_algo);
	FIELD(fasco_realm_claims, rak), FIELD(fasco_realm_claims, reserved);
	FIELD(fasco_realm_claims, rak_len), FIELD(fasco_realm_claims, alg);
	end();

	BEGIN(fasco_platform_claims);
	FIELD(fasco_platform_claims, profile), FIELD(fasco_platform_claims, challenge);
	FIELD(fasco_platform_claims, challenge_len), FIELD(fasco_platform_claims, implementation_id);
	FIELD(fasco_platform_claims, instance_id), FIELD(fasco_platform_claims, reserved);
	FIELD(fasco_platform_claims, lifecycle), FIELD(fasco_platform_claims, config_len);
	FIELD(fasco_platform_claims, config), FIELD(fasco_platform_claims, hash_algo);
	FIELD(fasco_platform_claims, verification_service), FIELD(fasco_platform_claims, sw_count);
	FIELD(fasco_platform_claims, sw), FIELD(fasco_platform_claims, alg);
	end();

	BEGIN(fasco_token_claims);
	FIELD(fasco_token_claims, size), FIELD(fasco_token_claims, collection_tag);
	FIELD(fasco_token_claims, platform_verified), FIELD(fasco_token_claims, reserved);
	FIELD(fasco_token_claims, realm), FIELD(fasco_token_claims, platform);
	end();
	printf("\n}\n");
	return 0;
}
