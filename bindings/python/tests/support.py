# SPDX-License-Identifier: Apache-2.0
"""Shared helpers of the binding tests: paths from the environment meson
sets, the /dev/kvm policy, and capture of a realm's standard output."""
import contextlib
import os
import tempfile
import unittest


def source_root():
    root = os.environ.get("FASCO_SOURCE_ROOT")
    if not root:
        raise unittest.SkipTest("FASCO_SOURCE_ROOT is not set (run through meson test)")
    return root


def source_path(*parts):
    return os.path.join(source_root(), *parts)


def vector(name):
    """Bytes of tests/attest/vectors/<name>."""
    with open(source_path("tests", "attest", "vectors", name), "rb") as f:
        return f.read()


def header_texts():
    """{file name: text} of every public header."""
    inc = source_path("include", "fasco")
    return {n: open(os.path.join(inc, n), encoding="utf-8").read()
            for n in sorted(os.listdir(inc)) if n.endswith(".h")}


def kvm_usable():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC))
        return True
    except OSError:
        return False


def require_kvm(test_case):
    """Skip a realm test without /dev/kvm, or fail if FASCO_REQUIRE_KVM=1."""
    if kvm_usable():
        return
    if os.environ.get("FASCO_REQUIRE_KVM") == "1":
        test_case.fail("/dev/kvm is required here (FASCO_REQUIRE_KVM=1) but cannot be opened")
    raise unittest.SkipTest("realms need /dev/kvm, which is missing or not accessible")


@contextlib.contextmanager
def captured_stdout(result):
    """While active, fd 1 (which a realm's monitor inherits when it is
    forked) goes to a file; on exit result[0] holds what was written."""
    with tempfile.TemporaryFile() as out:
        saved = os.dup(1)
        try:
            os.dup2(out.fileno(), 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            out.seek(0)
            result[:] = [out.read()]
