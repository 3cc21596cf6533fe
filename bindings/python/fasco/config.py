# SPDX-License-Identifier: Apache-2.0
"""Realm configuration (fasco_config): program, argv, environment, working
directory and the numeric parameters, each checked by the library."""
import ctypes
import os

from . import _native
from ._handle import Handle
from .constants import Param
from .errors import check


def _fs(value):
    """str, bytes or path-like -> bytes for a C string."""
    return os.fsencode(value)


class Config(Handle):
    """A realm configuration. Realms copy it; it can be reused and changed.

    Keyword arguments are applied in order through the setters below:
    program, argv, env (mapping or iterable of "K=V"), cwd, rpv, and any
    Param name in lower case (memory_bytes=..., vcpus=...).
    """
    _ctype = _native.ConfigHandle
    _destroy = "fasco_config_destroy"
    _what = "configuration"

    def __init__(self, program=None, argv=None, env=None, cwd=None, rpv=None, **params):
        super().__init__(_native.lib().fasco_config_create)
        try:
            if program is not None:
                self.set_program(program)
            if argv is not None:
                self.set_argv(argv)
            for entry in _env_entries(env):
                self.add_env(entry)
            if cwd is not None:
                self.set_cwd(cwd)
            if rpv is not None:
                self.set_rpv(rpv)
            for name, value in params.items():
                self.set_param(_param(name), value)
        except BaseException:
            self.close()
            raise

    def set_program(self, path):
        """Program path, resolved inside the system realm's root."""
        check(_native.lib().fasco_config_set_program(self, _fs(path)))

    def set_argv(self, argv):
        """argv as a list of str/bytes; argv[0] defaults to the program path."""
        items = [_fs(a) for a in argv]
        array = (ctypes.c_char_p * max(len(items), 1))(*items)
        check(_native.lib().fasco_config_set_argv(self, len(items), array))

    def add_env(self, entry):
        """Append one "KEY=VALUE" environment entry."""
        check(_native.lib().fasco_config_add_env(self, _fs(entry)))

    def set_cwd(self, path):
        """Absolute working directory inside the root (default "/")."""
        check(_native.lib().fasco_config_set_cwd(self, _fs(path)))

    def set_param(self, param, value):
        """Set a Param; ConfigError if outside bounds(param)."""
        check(_native.lib().fasco_config_set_param(self, int(param), int(value)))

    def get_param(self, param):
        value = ctypes.c_uint64()
        check(_native.lib().fasco_config_get_param(self, int(param), ctypes.byref(value)))
        return value.value

    def set_rpv(self, rpv):
        """The 64-byte Realm Personalization Value (bytes-like)."""
        data = bytes(rpv)
        check(_native.lib().fasco_config_set_rpv(self, data, len(data)))

    def set_config_digest(self, digest):
        """Digest (<= 64 bytes) of the container's configuration, measured with the realm."""
        data = bytes(digest)
        check(_native.lib().fasco_config_set_config_digest(self, data, len(data)))

    @staticmethod
    def bounds(param):
        """(min, max) accepted for a Param, inclusive."""
        lo, hi = ctypes.c_uint64(), ctypes.c_uint64()
        check(_native.lib().fasco_config_param_bounds(int(param), ctypes.byref(lo),
                                                      ctypes.byref(hi)))
        return lo.value, hi.value


def _param(name):
    try:
        return Param[name.upper()]
    except KeyError:
        raise TypeError(f"unknown configuration keyword {name!r}") from None


def _env_entries(env):
    if env is None:
        return []
    if hasattr(env, "items"):
        return [_fs(k) + b"=" + _fs(v) for k, v in env.items()]
    return list(env)


def _param_property(param):
    def fget(self):
        return self.get_param(param)

    def fset(self, value):
        self.set_param(param, value)
    return property(fget, fset, doc=f"Param.{param.name}")


for _p in Param:
    setattr(Config, _p.name.lower(), _param_property(_p))
