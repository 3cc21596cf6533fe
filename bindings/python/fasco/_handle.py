# SPDX-License-Identifier: Apache-2.0
"""Owned C handles: one destructor, context-manager support, close on GC."""
import ctypes

from . import _native
from .errors import check


class Handle:
    """Owns one C handle of type _ctype, freed once by _destroy.

    The object itself is accepted wherever the C function wants the handle
    (ctypes' _as_parameter_); after close() using it raises ValueError,
    as for a closed file.
    """
    _ctype = None     # _native.*Handle
    _destroy = None   # name of the C destructor
    _what = "handle"

    def __init__(self, create, *args):
        """Call create(*args, &ret) (a fasco_*_create) and own the result."""
        self._ptr = None
        ret = ctypes.POINTER(self._ctype)()
        check(create(*args, ctypes.byref(ret)))
        self._ptr = ret

    @property
    def _as_parameter_(self):
        if self._ptr is None:
            raise ValueError(f"operation on a closed {self._what}")
        return self._ptr

    @property
    def closed(self):
        return self._ptr is None

    def _before_destroy(self):
        """Subclasses release what depends on this handle."""

    def close(self):
        """Destroy the C object; calling it again does nothing."""
        if self._ptr is None:
            return
        self._before_destroy()
        ptr, self._ptr = self._ptr, None
        getattr(_native.lib(), self._destroy)(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # At interpreter exit module globals may already be gone.
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing sensible to do in a finalizer
            pass
