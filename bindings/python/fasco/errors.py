# SPDX-License-Identifier: Apache-2.0
"""FascoError and its subclasses: every failing C call becomes one of them.

The error carries .code (the negative C return value), .name
(fasco_strerror of it) and .message (fasco_last_error() read on the same
thread right after the call). Library conditions map to the subclasses
below; negative errno values give FascoError with .errno set, and -EINVAL
gives InvalidArgumentError (also a ValueError).
"""
import errno as _errno

from .constants import Status


class FascoError(Exception):
    """A libfasco call failed."""

    def __init__(self, code, message="", name=None):
        self.code = int(code)
        self.message = message
        self.name = name if name is not None else _strerror(self.code)
        super().__init__(self.code, self.message)

    @property
    def errno(self):
        """The errno value for an errno code (-ENOENT -> ENOENT), else None."""
        return -self.code if -4096 < self.code < 0 else None

    @property
    def status(self):
        """The Status member for a library code, else None."""
        try:
            return Status(self.code)
        except ValueError:
            return None

    def __str__(self):
        label = self.status.name if self.status is not None else (
            _errno.errorcode.get(self.errno, str(self.code)))
        detail = f": {self.message}" if self.message else ""
        return f"[{label}] {self.name}{detail}"


class InvalidArgumentError(FascoError, ValueError):
    """-EINVAL: an argument the library rejects."""


class InternalError(FascoError):
    """FASCO_E_INTERNAL: a bug in libfasco."""


class UnsupportedError(FascoError):
    """FASCO_E_UNSUPPORTED: not available with this backend or library."""


class KvmUnavailableError(FascoError):
    """FASCO_E_NO_KVM: /dev/kvm is missing or not usable."""


class KvmError(FascoError):
    """FASCO_E_KVM: a KVM operation failed."""


class RealmError(FascoError):
    """A realm could not be built or broke its contract."""


class ElfError(RealmError):
    """FASCO_E_BAD_ELF: the program is not a loadable ELF."""


class ManifestError(RealmError):
    """FASCO_E_MANIFEST: the boot manifest could not be built."""


class SandboxError(RealmError):
    """FASCO_E_SANDBOX: the system realm sandbox failed."""


class RealmMemoryError(RealmError):
    """FASCO_E_NO_MEMORY: the realm memory budget is exhausted."""


class ProtocolError(RealmError):
    """FASCO_E_PROTOCOL: the realm broke the shared-buffer protocol."""


class StateError(FascoError):
    """FASCO_E_STATE: the handle is in the wrong state for this call."""


class ConfigError(FascoError, ValueError):
    """FASCO_E_CONFIG: an invalid configuration value."""


class AttestationError(FascoError):
    """A token, key or claim failed a check."""


class TokenFormatError(AttestationError):
    """FASCO_E_CBOR, FASCO_E_COSE, FASCO_E_DUPLICATE: a malformed token."""


class SignatureError(AttestationError):
    """FASCO_E_SIGNATURE: a signature does not verify."""


class BindingError(AttestationError):
    """FASCO_E_BINDING: the platform challenge does not bind the realm key."""


class ClaimError(AttestationError):
    """FASCO_E_CLAIM_MISSING, FASCO_E_CLAIM_INVALID."""


class AppraisalError(AttestationError):
    """FASCO_E_REFERENCE, FASCO_E_CHALLENGE: a value differs from the expected."""


class InvalidKeyError(AttestationError):
    """FASCO_E_KEY: a key could not be parsed or used."""


class EventLogError(AttestationError):
    """FASCO_E_EVENT_LOG: an event log is malformed or does not replay to
    the token's REMs."""


class BufferTooSmallError(FascoError):
    """FASCO_E_BUFFER: a caller buffer is too small (the binding sizes its
    buffers, so seeing this is a binding bug)."""


_BY_CODE = {
    Status.E_INTERNAL: InternalError,
    Status.E_UNSUPPORTED: UnsupportedError,
    Status.E_NO_KVM: KvmUnavailableError,
    Status.E_KVM: KvmError,
    Status.E_BAD_ELF: ElfError,
    Status.E_MANIFEST: ManifestError,
    Status.E_SANDBOX: SandboxError,
    Status.E_STATE: StateError,
    Status.E_CONFIG: ConfigError,
    Status.E_NO_MEMORY: RealmMemoryError,
    Status.E_PROTOCOL: ProtocolError,
    Status.E_CBOR: TokenFormatError,
    Status.E_COSE: TokenFormatError,
    Status.E_DUPLICATE: TokenFormatError,
    Status.E_SIGNATURE: SignatureError,
    Status.E_BINDING: BindingError,
    Status.E_CLAIM_MISSING: ClaimError,
    Status.E_CLAIM_INVALID: ClaimError,
    Status.E_REFERENCE: AppraisalError,
    Status.E_CHALLENGE: AppraisalError,
    Status.E_KEY: InvalidKeyError,
    Status.E_BUFFER: BufferTooSmallError,
    Status.E_EVENT_LOG: EventLogError,
    -_errno.EINVAL: InvalidArgumentError,
}


def error_class(code):
    """The exception class for a negative code."""
    return _BY_CODE.get(code, FascoError)


def _strerror(code):
    from . import _native
    return _native.lib().fasco_strerror(code).decode("utf-8", "replace")


def last_error():
    """fasco_last_error() of the calling thread, as str."""
    from . import _native
    return _native.lib().fasco_last_error().decode("utf-8", "replace")


def check(ret):
    """Raise the matching FascoError for a negative C return value.

    Must run on the thread that made the call, before any other libfasco
    call there: the detail message is thread-local.
    """
    if ret < 0:
        message = last_error()
        raise error_class(ret)(ret, message)
    return ret
