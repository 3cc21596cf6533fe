# SPDX-License-Identifier: Apache-2.0
"""ctypes mirrors of the public structs. The tests compare every size and
offset with the C compiler's (tests/layout_probe.c)."""
import ctypes

from .constants import (CLAIM_CONFIG, CLAIM_STR, CLAIM_URL, KEY_MAX_POINT,
                        MAX_SW_COMPONENTS)

u8, u32, i32, u64 = ctypes.c_uint8, ctypes.c_uint32, ctypes.c_int32, ctypes.c_uint64
size_t, char, c_char_p = ctypes.c_size_t, ctypes.c_char, ctypes.c_char_p


class SizedStruct(ctypes.Structure):
    """A struct whose first member is its own size, set by the caller."""

    @classmethod
    def new(cls):
        s = cls()
        s.size = ctypes.sizeof(cls)
        return s


class ExitInfo(SizedStruct):
    """struct fasco_exit_info (fasco.h)."""
    _fields_ = [
        ("size", u32), ("kind", u32), ("value", i32), ("vector", u32),
        ("address", u64), ("ip", u64), ("error_code", u64), ("detail", char * 160),
    ]


SYSCALL_SLOTS = 512


class RealmStats(SizedStruct):
    """struct fasco_realm_stats (fasco.h)."""
    _fields_ = [
        ("size", u32), ("reserved", u32), ("startup_ns", u64), ("run_ns", u64),
        ("exits", u64), ("forwarded", u64), ("unsupported", u64), ("peak_rss_bytes", u64),
        ("per_syscall", u64 * SYSCALL_SLOTS), ("polled", u64),
    ]


class VerifyOpts(SizedStruct):
    """struct fasco_verify_opts (attest.h). Byte pointers are c_char_p so that
    assigning a bytes object keeps it alive with the struct."""
    _fields_ = [
        ("size", u32), ("flags", u32),
        ("anchor", c_char_p), ("anchor_len", size_t),
        ("anchor_format", u32), ("reserved", u32),
        ("challenge", c_char_p), ("challenge_len", size_t),
        ("rpv", c_char_p), ("rpv_len", size_t),
        ("rim", c_char_p), ("rim_len", size_t),
        ("rem", c_char_p * 4), ("rem_len", size_t * 4),
    ]


class SwComponent(ctypes.Structure):
    """struct fasco_sw_component (attest.h)."""
    _fields_ = [
        ("measurement", u8 * 64), ("measurement_len", u32),
        ("signer_id", u8 * 64), ("signer_id_len", u32),
        ("type", char * CLAIM_STR), ("version", char * CLAIM_STR),
        ("hash_algo", char * CLAIM_STR),
    ]


class RealmClaims(ctypes.Structure):
    """struct fasco_realm_claims (attest.h)."""
    _fields_ = [
        ("profile", char * CLAIM_STR), ("challenge", u8 * 64), ("rpv", u8 * 64),
        ("rim", u8 * 64), ("rem", (u8 * 64) * 4), ("measurement_len", u32),
        ("hash_algo", char * CLAIM_STR), ("rak_hash_algo", char * CLAIM_STR),
        ("rak", u8 * KEY_MAX_POINT), ("reserved", u8 * 3), ("rak_len", u32), ("alg", i32),
    ]


class PlatformClaims(ctypes.Structure):
    """struct fasco_platform_claims (attest.h)."""
    _fields_ = [
        ("profile", char * CLAIM_STR), ("challenge", u8 * 64), ("challenge_len", u32),
        ("implementation_id", u8 * 32), ("instance_id", u8 * 33), ("reserved", u8 * 3),
        ("lifecycle", u32), ("config_len", u32), ("config", u8 * CLAIM_CONFIG),
        ("hash_algo", char * CLAIM_STR), ("verification_service", char * CLAIM_URL),
        ("sw_count", u32), ("sw", SwComponent * MAX_SW_COMPONENTS), ("alg", i32),
    ]


class TokenClaims(SizedStruct):
    """struct fasco_token_claims (attest.h)."""
    _fields_ = [
        ("size", u32), ("collection_tag", u32), ("platform_verified", u32), ("reserved", u32),
        ("realm", RealmClaims), ("platform", PlatformClaims),
    ]


# C name -> mirror, for the layout test.
BY_C_NAME = {
    "fasco_exit_info": ExitInfo,
    "fasco_realm_stats": RealmStats,
    "fasco_verify_opts": VerifyOpts,
    "fasco_sw_component": SwComponent,
    "fasco_realm_claims": RealmClaims,
    "fasco_platform_claims": PlatformClaims,
    "fasco_token_claims": TokenClaims,
}
