# SPDX-License-Identifier: Apache-2.0
"""The enums and limits of the public headers, as Python enums.

Names drop the C prefix: FASCO_PARAM_VCPUS is Param.VCPUS. The tests compare
every value with include/fasco/*.h.
"""
import enum


class Status(enum.IntEnum):
    """enum fasco_status (fasco.h). Negative errno values are not listed."""
    OK = 0
    E_INTERNAL = -20000
    E_UNSUPPORTED = -20001
    E_NO_KVM = -20002
    E_KVM = -20003
    E_BAD_ELF = -20004
    E_MANIFEST = -20005
    E_SANDBOX = -20006
    E_STATE = -20007
    E_CONFIG = -20008
    E_NO_MEMORY = -20009
    E_PROTOCOL = -20010
    E_CBOR = -20100
    E_COSE = -20101
    E_SIGNATURE = -20102
    E_BINDING = -20103
    E_CLAIM_MISSING = -20104
    E_CLAIM_INVALID = -20105
    E_REFERENCE = -20106
    E_CHALLENGE = -20107
    E_KEY = -20108
    E_DUPLICATE = -20109
    E_BUFFER = -20110
    E_EVENT_LOG = -20111


class Backend(enum.IntEnum):
    """enum fasco_backend."""
    AUTO = 0
    KVM = 1
    CCA = 2


class LogLevel(enum.IntEnum):
    """enum fasco_log_level."""
    ERROR = 0
    WARNING = 1
    INFO = 2
    DEBUG = 3


class Param(enum.IntEnum):
    """enum fasco_config_param."""
    MEMORY_BYTES = 1
    VCPUS = 2
    STACK_BYTES = 3
    HASH_ALGO = 4
    IPA_BITS = 5
    POLL_NS = 6
    MEASURE = 7


class EndKind(enum.IntEnum):
    """enum fasco_end_kind: how a realm ended."""
    EXIT = 1
    SIGNAL = 2
    FAULT = 3
    CRASH = 4


class KeyFormat(enum.IntEnum):
    """enum fasco_key_format (attest.h)."""
    AUTO = 0
    PEM = 1
    JWK = 2
    TA_JSON = 3
    COSE = 4
    RAW = 5


class VerifyFlags(enum.IntFlag):
    """enum fasco_verify_flags (attest.h)."""
    SKIP_PLATFORM_SIGNATURE = 1 << 0


class ClaimsKind(enum.IntEnum):
    """enum fasco_claims_kind (attest.h)."""
    REALM = 1
    PLATFORM = 2


class HashAlgo(enum.IntEnum):
    """enum fasco_hash_algo (measure.h)."""
    SHA256 = 0
    SHA512 = 1
    SHA384 = 2


class MountFlag(enum.IntFlag):
    """enum fasco_mount_flag: SystemRealm.add_mount flags."""
    RDONLY = 1
    RECURSIVE = 2
    NOSUID = 4
    NODEV = 8
    NOEXEC = 16


class Namespace(enum.IntEnum):
    """enum fasco_namespace: SystemRealm.set_namespace types."""
    MOUNT = 1
    UTS = 2
    IPC = 3
    NET = 4
    CGROUP = 5


class RealmFlag(enum.IntFlag):
    """enum fasco_realm_flag (measure.h)."""
    LPA2 = 1
    SVE = 2
    PMU = 4


class Platform(enum.IntEnum):
    """enum fasco_platform (measure.h): conventions a realm image follows."""
    HOST = 0
    KVM_PVM = 1
    KVM_HW = 2


class RemMode(enum.IntEnum):
    """enum fasco_rem_mode (measure.h)."""
    TFRMM = 0
    SPEC = 1


# #define limits of the headers
KEY_MAX_POINT = 133      # FASCO_KEY_MAX_POINT
MEASURE_MAX_LEN = 64     # FASCO_MEASURE_MAX_LEN
CLAIM_STR = 64           # FASCO_CLAIM_STR
CLAIM_URL = 256          # FASCO_CLAIM_URL
CLAIM_CONFIG = 512       # FASCO_CLAIM_CONFIG
MAX_SW_COMPONENTS = 32   # FASCO_MAX_SW_COMPONENTS
