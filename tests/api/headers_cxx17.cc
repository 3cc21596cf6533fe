// SPDX-License-Identifier: Apache-2.0
// The public headers in a C++17 program built with -Wall -Wextra -Werror
// -pedantic: extern "C" linkage, enums usable as ints, structs that value-
// initialise, and the library callable.
#include <fasco/attest.h>
#include <fasco/fasco.h>
#include <fasco/measure.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_standard_layout<fasco_exit_info>::value, "C layout");
static_assert(std::is_standard_layout<fasco_token_claims>::value, "C layout");
// fasco_realm_stats names both a struct and a function: C++ needs the tag.
static_assert(std::is_trivially_copyable<struct fasco_realm_stats>::value, "plain data");
static_assert(FASCO_E_CONFIG < 0 && FASCO_HASH_SHA256 == 0, "enums are constants");

int main()
{
	fasco_exit_info info{};
	info.size = sizeof(info);
	fasco_verify_opts opts{};
	opts.size = sizeof(opts);
	opts.flags = FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE;

	std::uint8_t rim[FASCO_MEASURE_MAX_LEN];
	std::size_t len = 0;
	int ret = fasco_measure_rim_params(FASCO_HASH_SHA256, 48, 0, 0, 1, 1, 0, rim, sizeof(rim),
					   &len);
	if (ret != 0 || len != 32 || rim[0] != 0x67) {
		std::fprintf(stderr, "rim: %d %s\n", ret, fasco_last_error());
		return 1;
	}
	if (fasco_version_number() != FASCO_VERSION_NUMBER)
		return 1;
	return std::strlen(fasco_strerror(FASCO_E_KEY)) > 0 && info.kind == 0 ? 0 : 1;
}
