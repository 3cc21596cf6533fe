# SPDX-License-Identifier: Apache-2.0
"""Finding and loading libfasco, and the C prototype of every public function.

The library is loaded once per process: from the path given to
load_library(), else $FASCO_LIBRARY, else the libdir pkg-config reports for
"fasco", else what ctypes.util.find_library("fasco") finds, else the soname
through the dynamic loader's own search (LD_LIBRARY_PATH, ld.so.cache).

ctypes.CDLL (not PyDLL) releases the GIL around every foreign call, so a
blocking call such as fasco_realm_wait() lets other Python threads run.
"""
import collections
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import threading

from . import _structs as S
from .constants import Status

SONAME = "libfasco.so.0"
ABI_MAJOR = 0  # FASCO_VERSION_MAJOR this binding was written for

c_int, c_uint, c_size_t, c_uint64 = ctypes.c_int, ctypes.c_uint, ctypes.c_size_t, ctypes.c_uint64
c_uint32 = ctypes.c_uint32
c_char_p, c_void_p = ctypes.c_char_p, ctypes.c_void_p
P = ctypes.POINTER


class _Opaque(ctypes.Structure):
    """Base of the opaque handle types: never dereferenced from Python."""


class CtxHandle(_Opaque):
    pass


class ConfigHandle(_Opaque):
    pass


class SysrealmHandle(_Opaque):
    pass


class RealmHandle(_Opaque):
    pass


LOG_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p)

# Byte buffers (const uint8_t *, uint8_t *) are declared c_char_p: bytes pass
# without a copy, and ctypes.create_string_buffer() arrays serve as outputs.
BYTES = c_char_p

# name: (restype, argtypes). The header is the reference; the tests compare
# this table with include/fasco/*.h and lib/libfasco.sym.
PROTOTYPES = {
    # fasco.h: errors, version, memory
    "fasco_strerror": (c_char_p, [c_int]),
    "fasco_last_error": (c_char_p, []),
    "fasco_version": (c_char_p, []),
    "fasco_version_number": (c_uint, []),
    "fasco_syscall_supported": (c_int, [c_uint]),
    "fasco_free": (None, [c_void_p]),
    # fasco.h: library context
    "fasco_ctx_create": (c_int, [c_int, c_char_p, P(P(CtxHandle))]),
    "fasco_ctx_destroy": (None, [P(CtxHandle)]),
    "fasco_ctx_set_log": (None, [P(CtxHandle), c_int, LOG_FN, c_void_p]),
    "fasco_ctx_backend": (c_int, [P(CtxHandle)]),
    "fasco_ctx_platform": (c_char_p, [P(CtxHandle)]),
    # fasco.h: configuration
    "fasco_config_create": (c_int, [P(P(ConfigHandle))]),
    "fasco_config_destroy": (None, [P(ConfigHandle)]),
    "fasco_config_set_program": (c_int, [P(ConfigHandle), c_char_p]),
    "fasco_config_set_argv": (c_int, [P(ConfigHandle), c_int, P(c_char_p)]),
    "fasco_config_add_env": (c_int, [P(ConfigHandle), c_char_p]),
    "fasco_config_set_cwd": (c_int, [P(ConfigHandle), c_char_p]),
    "fasco_config_set_param": (c_int, [P(ConfigHandle), c_int, c_uint64]),
    "fasco_config_get_param": (c_int, [P(ConfigHandle), c_int, P(c_uint64)]),
    "fasco_config_param_bounds": (c_int, [c_int, P(c_uint64), P(c_uint64)]),
    "fasco_config_set_rpv": (c_int, [P(ConfigHandle), BYTES, c_size_t]),
    "fasco_config_set_config_digest": (c_int, [P(ConfigHandle), BYTES, c_size_t]),
    # fasco.h: system realm and realms
    "fasco_sysrealm_create": (c_int, [P(CtxHandle), c_char_p, P(P(SysrealmHandle))]),
    "fasco_sysrealm_destroy": (None, [P(SysrealmHandle)]),
    "fasco_sysrealm_add_mount": (c_int, [P(SysrealmHandle), c_char_p, c_char_p, c_char_p,
                                         c_uint32, c_char_p]),
    "fasco_sysrealm_set_readonly": (c_int, [P(SysrealmHandle), c_int]),
    "fasco_sysrealm_add_default_devices": (c_int, [P(SysrealmHandle)]),
    "fasco_sysrealm_set_hostname": (c_int, [P(SysrealmHandle), c_char_p]),
    "fasco_sysrealm_set_user": (c_int, [P(SysrealmHandle), c_uint32, c_uint32, c_size_t,
                                        P(c_uint32)]),
    "fasco_sysrealm_set_capabilities": (c_int, [P(SysrealmHandle), c_uint64]),
    "fasco_sysrealm_set_namespace": (c_int, [P(SysrealmHandle), c_int, c_char_p]),
    "fasco_realm_create": (c_int, [P(CtxHandle), P(ConfigHandle), P(P(RealmHandle))]),
    "fasco_attach_sysrealm": (c_int, [P(RealmHandle), P(SysrealmHandle)]),
    "fasco_realm_load": (c_int, [P(RealmHandle)]),
    "fasco_realm_load_begin": (c_int, [P(RealmHandle)]),
    "fasco_realm_start": (c_int, [P(RealmHandle)]),
    "fasco_realm_wait": (c_int, [P(RealmHandle), P(S.ExitInfo)]),
    "fasco_realm_kill": (c_int, [P(RealmHandle), c_int]),
    "fasco_realm_pid": (c_int, [P(RealmHandle)]),
    "fasco_realm_fd": (c_int, [P(RealmHandle)]),
    "fasco_realm_destroy": (None, [P(RealmHandle)]),
    "fasco_exec": (c_int, [P(RealmHandle), P(S.ExitInfo)]),
    "fasco_realm_stats": (c_int, [P(RealmHandle), P(S.RealmStats)]),
    "fasco_realm_measurement": (c_int, [P(RealmHandle), c_uint, BYTES, c_size_t, P(c_size_t)]),
    "fasco_realm_attest": (c_int, [P(RealmHandle), BYTES, c_size_t, BYTES, c_size_t,
                                   P(c_size_t)]),
    "fasco_realm_event_log": (c_int, [P(RealmHandle), P(c_void_p)]),
    # attest.h
    "fasco_key_parse": (c_int, [BYTES, c_size_t, c_int, BYTES, c_size_t, P(c_size_t)]),
    "fasco_key_parse_file": (c_int, [c_char_p, c_int, BYTES, c_size_t, P(c_size_t)]),
    "fasco_key_to_pem": (c_int, [BYTES, c_size_t, c_char_p, c_size_t, P(c_size_t)]),
    "fasco_token_verify": (c_int, [BYTES, c_size_t, P(S.VerifyOpts), P(S.TokenClaims)]),
    "fasco_token_show_json": (c_int, [BYTES, c_size_t, P(c_void_p)]),
    "fasco_event_log_verify": (c_int, [c_char_p, c_size_t, P(S.RealmClaims), P(c_char_p),
                                       c_size_t, P(c_void_p)]),
    "fasco_anchor_count": (c_int, [BYTES, c_size_t, c_int]),
    "fasco_claims_check": (c_int, [BYTES, c_size_t, c_int, P(S.TokenClaims)]),
    "fasco_platform_key_pem": (c_int, [P(CtxHandle), c_char_p, c_size_t, P(c_size_t)]),
    # measure.h
    "fasco_measure_config": (c_int, [P(ConfigHandle), c_char_p, c_int, BYTES, c_size_t,
                                     P(c_size_t)]),
    "fasco_measure_rim_params": (c_int, [c_int, c_uint, c_uint64, c_uint, c_uint, c_uint, c_uint,
                                         BYTES, c_size_t, P(c_size_t)]),
    "fasco_measure_rem_extend": (c_int, [c_int, c_int, BYTES, c_size_t, BYTES, c_size_t,
                                         BYTES, c_size_t, P(c_size_t)]),
    "fasco_measure_replay": (c_int, [BYTES, c_size_t, BYTES, c_size_t, P(c_size_t)]),
}


_INT_RANGES = {
    c_int: (-(1 << 31), (1 << 31) - 1),
    c_uint: (0, (1 << 32) - 1),
    c_uint64: (0, (1 << 64) - 1),
    c_size_t: (0, (1 << 64) - 1),
}


def _checked_args(name, ranges, args):
    """ctypes silently truncates integers and wraps argument errors in
    ctypes.ArgumentError: check ranges and unwrap handles (whose
    _as_parameter_ raises ValueError once closed) here instead."""
    out = []
    for value, bounds in zip(args, ranges):
        if bounds and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            raise OverflowError(f"{name}: {value} is outside [{bounds[0]}, {bounds[1]}]")
        out.append(value._as_parameter_ if hasattr(type(value), "_as_parameter_") else value)
    return out


class LibraryNotFound(OSError):
    """libfasco could not be located or loaded."""


class Native:
    """The loaded library: attribute access gives the typed C functions.

    A function missing from an older library raises UnsupportedError when
    used, not at load time, so one binding serves several library versions.
    Calls are counted (calls) so the tests can show every binding is used.
    """

    def __init__(self, path):
        self.path = path
        self._cdll = ctypes.CDLL(path)
        self.calls = collections.Counter()
        self._functions = {}
        for name, (restype, argtypes) in PROTOTYPES.items():
            fn = getattr(self._cdll, name, None)
            if fn is None:
                continue
            fn.restype, fn.argtypes = restype, argtypes
            self._functions[name] = fn
        self._check_version()

    def _check_version(self):
        if "fasco_version_number" not in self._functions:
            raise LibraryNotFound(f"{self.path} is not libfasco (no fasco_version_number)")
        major = self.fasco_version_number() // 10000
        if major != ABI_MAJOR:
            raise LibraryNotFound(
                f"{self.path} is libfasco {self.fasco_version().decode()}, "
                f"this binding needs major version {ABI_MAJOR}")

    def has(self, name):
        return name in self._functions

    def __getattr__(self, name):
        fn = self._functions.get(name)
        if fn is None:
            if name not in PROTOTYPES:
                raise AttributeError(name)
            from .errors import UnsupportedError
            raise UnsupportedError(Status.E_UNSUPPORTED,
                                   f"{name} is not in {self.path} (older libfasco)")
        calls = self.calls
        ranges = [_INT_RANGES.get(t) for t in fn.argtypes]

        def call(*args):
            calls[name] += 1
            return fn(*_checked_args(name, ranges, args))
        call.__name__ = name
        return call


_lock = threading.Lock()
_native = None


def _pkg_config_candidate():
    exe = shutil.which("pkg-config")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--variable=libdir", "fasco"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    libdir = out.stdout.strip()
    if out.returncode != 0 or not libdir:
        return None
    # pkgconf prefixes PKG_CONFIG_SYSROOT_DIR to variables, pkg-config does not
    sysroot = os.environ.get("PKG_CONFIG_SYSROOT_DIR", "")
    for path in (os.path.join(libdir, SONAME), os.path.join(sysroot + libdir, SONAME)):
        if os.path.exists(path):
            return path
    return None


def _candidates(path):
    if path is not None:
        return [os.fspath(path)]
    env = os.environ.get("FASCO_LIBRARY")
    if env:
        return [env]
    found = [_pkg_config_candidate(), ctypes.util.find_library("fasco"), SONAME]
    return [c for c in found if c]


def load_library(path=None):
    """Load libfasco (once per process) and return the Native wrapper.

    path: an explicit library file; otherwise the search order of the module
    documentation. Asking for a different file after the library is loaded
    raises LibraryNotFound: one process holds one libfasco.
    """
    global _native
    with _lock:
        if _native is not None:
            if path is not None and os.path.realpath(path) != os.path.realpath(_native.path):
                raise LibraryNotFound(f"libfasco is already loaded from {_native.path}")
            return _native
        errors = []
        for candidate in _candidates(path):
            try:
                _native = Native(candidate)
                return _native
            except OSError as e:
                errors.append(f"{candidate}: {e}")
        raise LibraryNotFound("cannot load libfasco (set FASCO_LIBRARY or pass a path): "
                              + "; ".join(errors or ["no candidate found"]))


def lib():
    """The loaded library, loading it with the default search on first use."""
    return _native if _native is not None else load_library()
