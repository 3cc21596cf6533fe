# SPDX-License-Identifier: Apache-2.0
"""CCA attestation (attest.h): public keys and token verification.

Bytes in, bytes out: tokens, keys and measurements are bytes; key documents
(PEM, JSON) may also be given as str. Every function is thread-safe.
"""
import ctypes
import dataclasses
import os

from . import _native
from . import _structs as S
from .constants import KEY_MAX_POINT, ClaimsKind, KeyFormat, VerifyFlags
from .errors import Status, check


def _bytes(data):
    """bytes of a bytes-like or str argument."""
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _text(field):
    return field.decode("utf-8", "replace")


def _take(array, length):
    """The first length bytes of a ctypes byte array (length clamped)."""
    return bytes(array)[:max(0, min(length, len(array)))]


def key_parse(data, format=KeyFormat.AUTO):
    """Parse a P-256/384/521 public key (PEM/DER, JWK, trust-anchor JSON
    holding one anchor, COSE_Key or raw point): its SEC1 uncompressed point."""
    data = _bytes(data)
    out, n = ctypes.create_string_buffer(KEY_MAX_POINT), ctypes.c_size_t()
    check(_native.lib().fasco_key_parse(data, len(data), int(format), out, len(out),
                                        ctypes.byref(n)))
    return out.raw[:n.value]


def key_parse_file(path, format=KeyFormat.AUTO):
    """key_parse() of a file (at most 64 KiB)."""
    out, n = ctypes.create_string_buffer(KEY_MAX_POINT), ctypes.c_size_t()
    check(_native.lib().fasco_key_parse_file(os.fsencode(path), int(format), out, len(out),
                                             ctypes.byref(n)))
    return out.raw[:n.value]


def text_out(fn, *args):
    """Call fn(*args, out, cap, &len) for a NUL-terminated string, growing
    the buffer while the library answers FASCO_E_BUFFER."""
    cap = 512
    while True:
        out, n = ctypes.create_string_buffer(cap), ctypes.c_size_t()
        ret = fn(*args, out, cap, ctypes.byref(n))
        if ret != Status.E_BUFFER or cap >= 1 << 16:
            check(ret)
            return out.raw[:n.value].decode("utf-8", "replace")
        cap *= 4


def key_to_pem(point):
    """PEM SubjectPublicKeyInfo (str) of a SEC1 point."""
    point = bytes(point)
    return text_out(_native.lib().fasco_key_to_pem, point, len(point))


def anchor_count(data, format=KeyFormat.AUTO):
    """Number of trust anchors in a document token_verify() would accept
    (InvalidKeyError if it holds none it can use)."""
    data = _bytes(data)
    return check(_native.lib().fasco_anchor_count(data, len(data), int(format)))


@dataclasses.dataclass(frozen=True)
class SwComponent:
    measurement: bytes
    signer_id: bytes
    type: str
    version: str
    hash_algo: str


@dataclasses.dataclass(frozen=True)
class RealmClaims:
    profile: str            # "" in legacy tokens
    challenge: bytes        # 64 bytes
    rpv: bytes              # 64 bytes
    rim: bytes              # digest length of hash_algo
    rem: tuple              # four REMs, digest length each
    hash_algo: str
    rak_hash_algo: str
    rak: bytes              # realm attestation key, SEC1 point
    alg: int                # COSE alg of the realm signature


@dataclasses.dataclass(frozen=True)
class PlatformClaims:
    profile: str
    challenge: bytes
    implementation_id: bytes
    instance_id: bytes
    lifecycle: int
    config: bytes           # at most 512 bytes kept
    config_len: int         # full length in the token
    hash_algo: str
    verification_service: str
    sw_components: tuple    # at most 32 kept
    sw_count: int           # full count in the token
    alg: int


@dataclasses.dataclass(frozen=True)
class TokenClaims:
    collection_tag: int     # 399 or 907
    platform_verified: bool  # False only with skip_platform_signature
    realm: RealmClaims
    platform: PlatformClaims


def _realm_claims(c):
    n = c.measurement_len
    return RealmClaims(
        _text(c.profile), bytes(c.challenge), bytes(c.rpv), _take(c.rim, n),
        tuple(_take(c.rem[i], n) for i in range(4)), _text(c.hash_algo),
        _text(c.rak_hash_algo), _take(c.rak, c.rak_len), c.alg)


def _sw_component(c):
    return SwComponent(_take(c.measurement, c.measurement_len), _take(c.signer_id, c.signer_id_len),
                       _text(c.type), _text(c.version), _text(c.hash_algo))


def _platform_claims(c):
    kept = min(c.sw_count, len(c.sw))
    return PlatformClaims(
        _text(c.profile), _take(c.challenge, c.challenge_len), bytes(c.implementation_id),
        bytes(c.instance_id), c.lifecycle, _take(c.config, c.config_len), c.config_len,
        _text(c.hash_algo), _text(c.verification_service),
        tuple(_sw_component(c.sw[i]) for i in range(kept)), c.sw_count, c.alg)


def _set_bytes(opts, field, value, keep):
    """Point opts.field at a bytes copy of value; keep holds it alive."""
    if value is not None:
        value = bytes(value)
        keep.append(value)
        setattr(opts, field, value)
        setattr(opts, field + "_len", len(value))


def token_verify(token, anchor=None, anchor_format=KeyFormat.AUTO, *, challenge=None,
                 rpv=None, rim=None, rem=None, skip_platform_signature=False):
    """Verify a CCA token and return its TokenClaims.

    anchor: the platform trust anchor (bytes or str, any KeyFormat; with
    TA_JSON the anchor matching the token's instance is used). Optional
    reference values: challenge (64 bytes), rpv (64), rim, and rem (a
    sequence of four entries, each bytes or None). Raises the first failure
    as an AttestationError subclass (SignatureError, BindingError, ...).
    """
    token = bytes(token)
    opts, keep = S.VerifyOpts.new(), []
    if skip_platform_signature:
        opts.flags |= VerifyFlags.SKIP_PLATFORM_SIGNATURE
    if anchor is not None:
        _set_bytes(opts, "anchor", _bytes(anchor), keep)
    opts.anchor_format = int(anchor_format)
    _set_bytes(opts, "challenge", challenge, keep)
    _set_bytes(opts, "rpv", rpv, keep)
    _set_bytes(opts, "rim", rim, keep)
    if rem is not None:
        rem = list(rem)
        if len(rem) != 4:
            raise ValueError("rem needs four entries (bytes or None)")
        for i, value in enumerate(rem):
            if value is not None:
                value = bytes(value)
                keep.append(value)
                opts.rem[i], opts.rem_len[i] = value, len(value)
    claims = S.TokenClaims.new()
    check(_native.lib().fasco_token_verify(token, len(token), ctypes.byref(opts),
                                           ctypes.byref(claims)))
    return TokenClaims(claims.collection_tag, bool(claims.platform_verified),
                       _realm_claims(claims.realm), _platform_claims(claims.platform))


def claims_check(claims, kind):
    """Check an unsigned claims map (a COSE_Sign1 payload) as token_verify()
    checks a token's claims; RealmClaims or PlatformClaims by kind (a
    ClaimsKind). Nothing is signed: this proves nothing about their origin."""
    claims = bytes(claims)
    out = S.TokenClaims.new()
    check(_native.lib().fasco_claims_check(claims, len(claims), int(kind), ctypes.byref(out)))
    if kind == ClaimsKind.REALM:
        return _realm_claims(out.realm)
    return _platform_claims(out.platform)


def _owned_text(out):
    """A string the library returned with ownership, freed here."""
    try:
        return ctypes.string_at(out.value).decode("utf-8", "replace") if out.value else None
    finally:
        _native.lib().fasco_free(out)


def token_show_json(token):
    """The token decoded (signatures not checked) as JSON text for people."""
    token = bytes(token)
    out = ctypes.c_void_p()
    check(_native.lib().fasco_token_show_json(token, len(token), ctypes.byref(out)))
    return _owned_text(out)


def event_log_verify(log, token, anchor, anchor_format=KeyFormat.AUTO, lib_refs=()):
    """Verify a token (as token_verify()), then replay a realm's event log
    (Realm.event_log()) against its REMs; with lib_refs (paths of trusted
    library files) every code range in the log must be bytes of one of them.
    Returns the report (JSON text listing the entries); raises EventLogError
    or AppraisalError naming the entry or REM that does not check."""
    token, log = bytes(token), _bytes(log)
    opts, keep = S.VerifyOpts.new(), []
    _set_bytes(opts, "anchor", _bytes(anchor), keep)
    opts.anchor_format = int(anchor_format)
    claims = S.TokenClaims.new()
    check(_native.lib().fasco_token_verify(token, len(token), ctypes.byref(opts),
                                           ctypes.byref(claims)))
    refs = [os.fsencode(p) for p in lib_refs]
    arr = (ctypes.c_char_p * max(len(refs), 1))(*refs)
    out = ctypes.c_void_p()
    check(_native.lib().fasco_event_log_verify(log, len(log), ctypes.byref(claims.realm), arr,
                                               len(refs), ctypes.byref(out)))
    return _owned_text(out)
