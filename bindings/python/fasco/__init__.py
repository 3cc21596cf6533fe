# SPDX-License-Identifier: Apache-2.0
"""Python binding of libfasco (lightweight confidential containers), using
only the standard library (ctypes).

    import fasco

    with fasco.Context() as ctx:
        info = ctx.run(["/bin/busybox", "echo", "hi"], root="/")
        print(info.status)

The library is found through load_library(path), $FASCO_LIBRARY,
pkg-config or the dynamic loader (see fasco._native). Failures raise
FascoError (with .code, .name and .message) or one of its subclasses.
"""
from ._native import LibraryNotFound, load_library
from .attest import (PlatformClaims, RealmClaims, SwComponent, TokenClaims, anchor_count,
                     claims_check, event_log_verify, key_parse, key_parse_file, key_to_pem,
                     token_show_json, token_verify)
from .config import Config
from .constants import (Backend, ClaimsKind, EndKind, HashAlgo, KeyFormat, LogLevel, MountFlag,
                        Namespace, Param, Platform, RealmFlag, RemMode, Status, VerifyFlags)
from .context import Context
from .errors import (AppraisalError, AttestationError, BindingError, BufferTooSmallError,
                     ClaimError, ConfigError, ElfError, EventLogError, FascoError, InternalError,
                     InvalidArgumentError, InvalidKeyError, KvmError, KvmUnavailableError,
                     ManifestError, ProtocolError, RealmError, RealmMemoryError, SandboxError,
                     SignatureError, StateError, TokenFormatError, UnsupportedError)
from .errors import last_error as _last_error
from .realm import ExitInfo, Realm, RealmStats, SystemRealm
from . import measure
from . import _native


def version():
    """The loaded library's version string, "MAJOR.MINOR.PATCH"."""
    return _native.lib().fasco_version().decode("ascii")


def version_number():
    """MAJOR * 10000 + MINOR * 100 + PATCH of the loaded library."""
    return _native.lib().fasco_version_number()


def syscall_supported(nr):
    """Whether realms serve x86-64 system call nr (else it is answered ENOSYS)."""
    return bool(_native.lib().fasco_syscall_supported(int(nr)))


def strerror(code):
    """Name of a status code or negative errno."""
    return _native.lib().fasco_strerror(int(code)).decode("utf-8", "replace")


def last_error():
    """Detail of the last failure on the calling thread ("" if none)."""
    return _last_error()


__all__ = [name for name in dir() if not name.startswith("_")]
