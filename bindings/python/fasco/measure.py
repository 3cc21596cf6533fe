# SPDX-License-Identifier: Apache-2.0
"""Realm measurements (measure.h): predict a realm's RIM and REMs offline.
Digests are bytes of the algorithm's length (32, 48 or 64)."""
import ctypes
import os

from . import _native
from .constants import MEASURE_MAX_LEN, Platform, RemMode
from .errors import check


def digest_out(fn, *args):
    """Call fn(*args, out, cap, &len) and return the digest."""
    out, n = ctypes.create_string_buffer(MEASURE_MAX_LEN), ctypes.c_size_t()
    check(fn(*args, out, len(out), ctypes.byref(n)))
    return out.raw[:n.value]


def config_rim(config, root="/", platform=Platform.HOST):
    """The RIM a realm created from config (a Config) will have, predicted
    without /dev/kvm: the program is read inside root as loading reads it.
    Equal to Realm.measurement(0) of such a realm on that platform."""
    return digest_out(_native.lib().fasco_measure_config, config,
                      None if root is None else os.fsencode(root), int(platform))


def rim_params(hash_algo, ipa_bits, *, num_bps, num_wps, flags=0, sve_vl=0, pmu_num_ctrs=0):
    """Initial RIM (RMM 1.0) of RmiRealmParams. Values use the spec
    encodings: num_bps/num_wps are counts MINUS ONE, sve_vl is (VL/128)-1;
    flags are RealmFlag bits. ConfigError names a value the RMM rejects."""
    return digest_out(_native.lib().fasco_measure_rim_params, int(hash_algo), ipa_bits, int(flags),
                   sve_vl, num_bps, num_wps, pmu_num_ctrs)


def rem_extend(hash_algo, old, value, mode=RemMode.TFRMM):
    """One RSI_MEASUREMENT_EXTEND: old (b"" or None for the initial zero
    REM; digest length or a whole 64-byte slot) extended by value (<= 64)."""
    old = b"" if old is None else bytes(old)
    value = bytes(value)
    return digest_out(_native.lib().fasco_measure_rem_extend, int(hash_algo), int(mode),
                   old or None, len(old), value, len(value))


def replay(log):
    """The RIM a libfasco measurement operation log produces. The log is
    untrusted: a malformed one raises FascoError with errno EBADMSG."""
    log = bytes(log)
    return digest_out(_native.lib().fasco_measure_replay, log, len(log))
