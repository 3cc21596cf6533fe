# SPDX-License-Identifier: Apache-2.0
"""System realms and container realms.

Threading: a realm's calls are serialised by a lock, except kill() and pid,
which are meant for use while another thread (or an executor, through
wait_async) is blocked in wait(). wait() holds no GIL while the realm runs.

Any thread may load and start a realm: its monitor process lives as long
as this process, whichever thread forked it.
"""
import asyncio
import contextlib
import ctypes
import dataclasses
import signal
import threading
import weakref

from . import _native
from ._handle import Handle
from ._structs import SYSCALL_SLOTS, ExitInfo as _CExitInfo, RealmStats as _CRealmStats
from .constants import EndKind, Status
from .config import _fs
from .attest import _owned_text
from .errors import FascoError, InternalError, check
from .measure import digest_out


class SystemRealm(Handle):
    """Serves the forwarded calls of the realms attached to it, confined to
    root (a host directory). Closing it closes its attached realms first."""
    _ctype = _native.SysrealmHandle
    _destroy = "fasco_sysrealm_destroy"
    _what = "system realm"

    def __init__(self, context, root="/"):
        super().__init__(_native.lib().fasco_sysrealm_create, context,
                         None if root is None else _fs(root))
        self.context = context
        self.root = root
        self._realms = weakref.WeakSet()
        context._adopt(self)

    def _call(self, name, *args):
        return check(getattr(_native.lib(), name)(self, *args))

    def add_mount(self, type, target, source=None, flags=0, options=None):
        """Mount into the root when a realm loads: type "bind" (source: a host
        path) or "tmpfs" (options: "size=64m,mode=1777"); target is resolved
        inside the root. flags: MountFlag bits."""
        self._call("fasco_sysrealm_add_mount", type.encode(),
                   None if source is None else _fs(source), _fs(target), int(flags),
                   None if options is None else options.encode())

    def set_readonly(self, readonly=True):
        """Serve the root read-only (mounts keep their own flags)."""
        self._call("fasco_sysrealm_set_readonly", 1 if readonly else 0)

    def add_default_devices(self):
        """The host's null, zero, full, random, urandom and tty under /dev."""
        self._call("fasco_sysrealm_add_default_devices")

    def set_hostname(self, hostname):
        """The hostname the realm's uname() reports."""
        self._call("fasco_sysrealm_set_hostname", hostname.encode())

    def set_user(self, uid, gid, groups=()):
        """Serve the realm's calls as uid:gid with these additional groups."""
        groups = list(groups)
        array = (ctypes.c_uint32 * max(len(groups), 1))(*groups)
        self._call("fasco_sysrealm_set_user", uid, gid, len(groups), array)

    def set_capabilities(self, caps):
        """Serve calls with these capabilities: an iterable of CAP_* numbers
        (linux/capability.h), among those whose effect stays in the container."""
        self._call("fasco_sysrealm_set_capabilities", sum(1 << int(c) for c in set(caps)))

    def set_namespace(self, type, path=None):
        """Serve in a new namespace of this Namespace type (path None) or
        join the one at path (e.g. /var/run/netns/NAME); checked now."""
        self._call("fasco_sysrealm_set_namespace", int(type),
                   None if path is None else _fs(path))

    def _before_destroy(self):
        for realm in list(self._realms):
            realm.close()


@dataclasses.dataclass(frozen=True)
class ExitInfo:
    """How a realm ended (struct fasco_exit_info)."""
    kind: EndKind
    value: int          # exit status, or signal number
    vector: int         # FAULT: CPU exception vector
    address: int        # FAULT: faulting address
    ip: int             # FAULT: instruction pointer
    error_code: int     # FAULT: CPU error code
    detail: str

    @property
    def status(self):
        """The exit status as a shell reports it: value, or 128 + signal."""
        return self.value if self.kind == EndKind.EXIT else 128 + self.value

    @classmethod
    def _from_c(cls, c):
        return cls(EndKind(c.kind), c.value, c.vector, c.address, c.ip, c.error_code,
                   c.detail.decode("utf-8", "replace"))


@dataclasses.dataclass(frozen=True)
class RealmStats:
    """Statistics of a finished realm (struct fasco_realm_stats)."""
    startup_ns: int
    run_ns: int
    exits: int
    forwarded: int
    unsupported: int
    peak_rss_bytes: int
    per_syscall: dict   # x86-64 syscall number -> forwarded calls (non-zero only)
    polled: int         # forwarded calls answered without a VM exit

    @classmethod
    def _from_c(cls, c):
        calls = {nr: c.per_syscall[nr] for nr in range(SYSCALL_SLOTS) if c.per_syscall[nr]}
        return cls(c.startup_ns, c.run_ns, c.exits, c.forwarded, c.unsupported,
                   c.peak_rss_bytes, calls, c.polled)


TOKEN_MAX = 1 << 20  # bound on a token size the library may ask for


class Realm(Handle):
    """A container realm built from a Config (copied at creation).

    Lifecycle: attach(sysrealm) -> load() -> start() -> wait(), or exec()
    for all of it. Closing a realm that still runs kills it.
    """
    _ctype = _native.RealmHandle
    _destroy = "fasco_realm_destroy"
    _what = "realm"

    def __init__(self, context, config, sysrealm=None):
        super().__init__(_native.lib().fasco_realm_create, context, config)
        self.context = context
        self.sysrealm = None
        self._loaded = False
        self._lock = threading.Lock()
        context._adopt(self)
        if sysrealm is not None:
            self.attach(sysrealm)

    def _call(self, name, *args):
        with self._lock:
            return check(getattr(_native.lib(), name)(self, *args))

    def attach(self, sysrealm):
        """Attach to the system realm that will serve this realm's calls."""
        self._call("fasco_attach_sysrealm", sysrealm)
        if self.sysrealm is not None:
            self.sysrealm._realms.discard(self)
        self.sysrealm = sysrealm
        sysrealm._realms.add(self)

    def load(self):
        """Build the realm; its first instruction has not run yet."""
        self._call("fasco_realm_load")
        self._loaded = True

    def load_begin(self):
        """Begin building the realm and return at once; load() or start()
        waits for the rest."""
        self._call("fasco_realm_load_begin")
        self._loaded = True  # start() finishes the load

    def _ensure_loaded(self):
        if not self._loaded:
            self.load()

    def start(self):
        """Let the realm run (loads it first if needed); returns at once."""
        self._ensure_loaded()
        self._call("fasco_realm_start")

    def wait(self):
        """Block until the realm ends, without holding the GIL; ExitInfo."""
        info = _CExitInfo.new()
        self._call("fasco_realm_wait", ctypes.byref(info))
        return ExitInfo._from_c(info)

    async def wait_async(self, *, executor=None, kill_on_cancel=True):
        """await the end of a started realm; wait() runs in an executor.

        If the awaiting task is cancelled (asyncio.wait_for timing out, for
        instance) the realm is killed with SIGKILL (unless kill_on_cancel is
        false) and reaped before CancelledError propagates.
        """
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(executor, self.wait)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if kill_on_cancel:
                with contextlib.suppress(FascoError):
                    self.kill(signal.SIGKILL)
            with contextlib.suppress(Exception):
                await future
            raise

    async def exec_async(self, **kwargs):
        """start(), then await wait_async(**kwargs)."""
        self.start()
        return await self.wait_async(**kwargs)

    def kill(self, signo=signal.SIGTERM):
        """Send a signal to the running realm (SIGKILL ends it at once)."""
        check(_native.lib().fasco_realm_kill(self, int(signo)))

    @property
    def pid(self):
        """Host pid of the realm's monitor process, or None."""
        ret = _native.lib().fasco_realm_pid(self)
        return ret if ret > 0 else None

    def fileno(self):
        """The descriptor that turns readable when the loaded realm has ended
        (fasco_realm_fd), for select/poll/asyncio's add_reader. Owned by the
        realm: poll it, never read or close it. StateError before load()."""
        return check(_native.lib().fasco_realm_fd(self))

    def exec(self):
        """Load, start and wait: ExitInfo (its status is fasco_exec's result)."""
        self._ensure_loaded()
        info = _CExitInfo.new()
        status = self._call("fasco_exec", ctypes.byref(info))
        result = ExitInfo._from_c(info)
        if result.status != status:
            raise InternalError(Status.E_INTERNAL,
                                f"fasco_exec returned {status}, its exit info says {result.status}")
        return result

    def stats(self):
        """RealmStats of a finished realm (StateError before it ends)."""
        stats = _CRealmStats.new()
        self._call("fasco_realm_stats", ctypes.byref(stats))
        return RealmStats._from_c(stats)

    def close(self):
        """Destroy the realm, killing it if it still runs. A wait() blocked
        in another thread holds the lock: end the realm so that it returns,
        then destroy with nobody inside."""
        if self.closed:
            return
        if not self._lock.acquire(blocking=False):
            with contextlib.suppress(FascoError):
                self.kill(signal.SIGKILL)
            self._lock.acquire()
        try:
            super().close()
        finally:
            self._lock.release()

    def measurement(self, index=0):
        """A measurement of a loaded realm as bytes: index 0 is the RIM (fixed
        at load), 1..4 the REMs (final once the realm has ended).
        StateError before load; UnsupportedError if created with measure=0."""
        return digest_out(_native.lib().fasco_realm_measurement, self, index)

    @property
    def rim(self):
        """The Realm Initial Measurement (measurement(0))."""
        return self.measurement(0)

    def attest(self, challenge=b""):
        """A CCA attestation token (bytes) for this loaded realm, bound to
        challenge (at most 64 bytes, zero padded) and reporting the realm's
        measurements; check it with fasco.token_verify() against
        Context.platform_key_pem()."""
        challenge = bytes(challenge)
        cap = 8192
        while True:
            out, n = ctypes.create_string_buffer(cap), ctypes.c_size_t()
            with self._lock:
                ret = _native.lib().fasco_realm_attest(self, challenge, len(challenge), out, cap,
                                                       ctypes.byref(n))
                if ret == Status.E_BUFFER and cap < n.value <= TOKEN_MAX:
                    cap = n.value
                    continue
                check(ret)
            return out.raw[:n.value]

    def event_log(self):
        """The event log of the realm's REM extensions (JSON text; code
        mapped at run time extends REM0): empty once loaded, complete once
        the realm has ended; check it with fasco.event_log_verify()."""
        out = ctypes.c_void_p()
        with self._lock:
            check(_native.lib().fasco_realm_event_log(self, ctypes.byref(out)))
        return _owned_text(out)

    def _before_destroy(self):
        if self.sysrealm is not None:
            self.sysrealm._realms.discard(self)
