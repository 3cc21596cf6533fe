# SPDX-License-Identifier: Apache-2.0
"""The library context (fasco_ctx): backend choice, state directory, log."""
import logging
import os
import weakref

from . import _native
from ._handle import Handle
from .attest import text_out
from .config import Config, _fs
from .constants import Backend, LogLevel
from .realm import Realm, SystemRealm

_logger = logging.getLogger("fasco")

_TO_LOGGING = {LogLevel.ERROR: logging.ERROR, LogLevel.WARNING: logging.WARNING,
               LogLevel.INFO: logging.INFO, LogLevel.DEBUG: logging.DEBUG}


class Context(Handle):
    """A libfasco context; may be shared between threads.

    backend: a Backend (AUTO probes); state_dir: persistent state such as
    keys (None: the library's default); library: a libfasco path to load
    if the library is not loaded yet (see load_library()).
    Closing the context closes the realms and system realms created from it.
    """
    _ctype = _native.CtxHandle
    _destroy = "fasco_ctx_destroy"
    _what = "context"

    def __init__(self, backend=Backend.AUTO, state_dir=None, *, library=None):
        native = _native.load_library(library) if library is not None else _native.lib()
        super().__init__(native.fasco_ctx_create, int(backend),
                         None if state_dir is None else _fs(state_dir))
        self._children = weakref.WeakSet()
        self._log_fn = None

    def _adopt(self, child):
        self._children.add(child)

    def _before_destroy(self):
        # realms first: they refer to their system realm
        children = sorted(self._children, key=lambda c: not isinstance(c, Realm))
        for child in children:
            child.close()

    @property
    def backend(self):
        """The Backend in use."""
        return Backend(_native.lib().fasco_ctx_backend(self))

    @property
    def platform(self):
        """The backend's platform name (e.g. "kvm-pvm")."""
        return _native.lib().fasco_ctx_platform(self).decode("utf-8", "replace")

    def platform_key_pem(self):
        """PEM of the platform attestation key realms of this context report
        under (kvm backend: a software key under state_dir, created on first
        use), for a relying party to pin."""
        return text_out(_native.lib().fasco_platform_key_pem, self)

    def set_log(self, callback, max_level=LogLevel.INFO):
        """Deliver library messages at or below max_level to
        callback(level: LogLevel, message: str); None stops them.
        Exceptions from the callback are logged, never raised into C."""
        if callback is None:
            fn = _native.LOG_FN()
        else:
            def trampoline(_userdata, level, message):
                try:
                    callback(LogLevel(level), message.decode("utf-8", "replace"))
                except Exception:  # noqa: BLE001 - must not unwind through C
                    _logger.exception("fasco log callback failed")
            fn = _native.LOG_FN(trampoline)
        _native.lib().fasco_ctx_set_log(self, int(max_level), fn, None)
        self._log_fn = fn  # the C side keeps the pointer: keep the thunk alive

    def log_to(self, logger=_logger, max_level=LogLevel.DEBUG):
        """Forward library messages to a logging.Logger."""
        self.set_log(lambda level, msg: logger.log(_TO_LOGGING[level], "%s", msg), max_level)

    def system_realm(self, root="/"):
        """A SystemRealm serving calls inside root."""
        return SystemRealm(self, root)

    def realm(self, config, sysrealm=None):
        """A Realm from config, attached to sysrealm if given."""
        return Realm(self, config, sysrealm)

    def run(self, argv, root="/", *, program=None, **config):
        """Run argv[0] (or program) inside root to completion: ExitInfo.
        Extra keywords go to Config (env, cwd, memory_bytes, ...)."""
        argv = [os.fspath(a) if not isinstance(a, bytes) else a for a in argv]
        with Config(program=program if program is not None else argv[0], argv=argv,
                    **config) as cfg, \
                self.system_realm(root) as sysrealm, self.realm(cfg, sysrealm) as realm:
            return realm.exec()
