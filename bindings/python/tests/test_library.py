# SPDX-License-Identifier: Apache-2.0
"""The binding against the C headers: loading, version, every function
declared, every enum value and every struct layout."""
import ctypes
import ctypes.util
import json
import os
import re
import subprocess
import unittest

import fasco
from fasco import _native, _structs, constants

import support


class LoadTest(unittest.TestCase):
    def test_loaded_from_fasco_library(self):
        lib = _native.load_library()
        want = os.environ.get("FASCO_LIBRARY")
        if want:
            self.assertEqual(os.path.realpath(lib.path), os.path.realpath(want))
        # the same file again is fine, another one is refused
        self.assertIs(_native.load_library(lib.path), lib)
        with self.assertRaises(fasco.LibraryNotFound):
            _native.load_library("/nonexistent/libfasco.so.0")

    def test_not_libfasco_is_refused(self):
        with self.assertRaises(OSError):
            _native.Native("/nonexistent/libfasco.so.0")
        libc = ctypes.util.find_library("c")
        with self.assertRaisesRegex(fasco.LibraryNotFound, "not libfasco"):
            _native.Native(libc)

    def test_version(self):
        text = support.header_texts()["fasco.h"]
        major, minor, patch = (int(re.search(rf"#define FASCO_VERSION_{p}\s+(\d+)", text)[1])
                               for p in ("MAJOR", "MINOR", "PATCH"))
        self.assertEqual(fasco.version(), f"{major}.{minor}.{patch}")
        self.assertEqual(fasco.version_number(), major * 10000 + minor * 100 + patch)
        self.assertTrue(fasco.syscall_supported(0))        # read: forwarded
        self.assertTrue(fasco.syscall_supported(12))       # brk: in the shim
        self.assertFalse(fasco.syscall_supported(56))      # clone: not yet
        self.assertFalse(fasco.syscall_supported(100000))

    def test_strerror(self):
        self.assertEqual(fasco.strerror(0), "success")
        self.assertEqual(fasco.strerror(fasco.Status.E_CONFIG), "invalid configuration")
        self.assertEqual(fasco.strerror(-2), os.strerror(2))
        self.assertEqual(fasco.strerror(-29999), "unknown error")
        for status in fasco.Status:
            if status != fasco.Status.OK:
                self.assertNotEqual(fasco.strerror(status), "unknown error", status.name)

    def test_missing_function_is_unsupported(self):
        lib = _native.lib()
        saved = lib._functions.pop("fasco_realm_stats")
        try:
            self.assertFalse(lib.has("fasco_realm_stats"))
            with self.assertRaises(fasco.UnsupportedError):
                lib.fasco_realm_stats
        finally:
            lib._functions["fasco_realm_stats"] = saved
        with self.assertRaises(AttributeError):
            lib.fasco_no_such_function


def header_functions():
    """Names of the FASCO_API functions of every public header."""
    names = set()
    for text in support.header_texts().values():
        text = re.sub(r"^#.*$", "", text, flags=re.M)
        names.update(re.findall(r"FASCO_API\s[^;{]*?\b(fasco_\w+)\s*\(", text))
    return names


class CompletenessTest(unittest.TestCase):
    def test_every_header_function_has_a_binding(self):
        declared = header_functions()
        self.assertGreater(len(declared), 30)
        self.assertEqual(sorted(declared - set(_native.PROTOTYPES)), [],
                         "public C functions without a Python binding")
        self.assertEqual(sorted(set(_native.PROTOTYPES) - declared), [],
                         "bindings of functions the headers do not declare")

    def test_every_exported_symbol_is_bound(self):
        with open(support.source_path("lib", "libfasco.sym"), encoding="utf-8") as f:
            exported = set(re.findall(r"^\s*(fasco_\w+);", f.read(), re.M))
        self.assertEqual(sorted(exported - set(_native.PROTOTYPES)), [])
        lib = _native.lib()
        self.assertEqual([n for n in _native.PROTOTYPES if not lib.has(n)], [],
                         "bound functions missing from the loaded library")


def header_enums():
    """{C enum name: {enumerator: value}} from the public headers."""
    enums = {}
    for text in support.header_texts().values():
        for name, body in re.findall(r"enum (fasco_\w+) \{(.*?)\};", text, re.S):
            body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
            values = {}
            for key, expr in re.findall(r"(FASCO_\w+)\s*=\s*([^,]+),", body):
                expr = re.sub(r"(\d+)u\b", r"\1", expr.strip())
                if not re.fullmatch(r"[-\d\s<()]+", expr):
                    raise AssertionError(f"cannot evaluate {key} = {expr}")
                values[key] = eval(expr)  # noqa: S307 - digits and shifts only
            enums[name] = values
    return enums


ENUMS = {
    "fasco_status": (constants.Status, "FASCO_"),
    "fasco_backend": (constants.Backend, "FASCO_BACKEND_"),
    "fasco_log_level": (constants.LogLevel, "FASCO_LOG_"),
    "fasco_config_param": (constants.Param, "FASCO_PARAM_"),
    "fasco_end_kind": (constants.EndKind, "FASCO_END_"),
    "fasco_key_format": (constants.KeyFormat, "FASCO_KEY_"),
    "fasco_verify_flags": (constants.VerifyFlags, "FASCO_VERIFY_"),
    "fasco_claims_kind": (constants.ClaimsKind, "FASCO_CLAIMS_"),
    "fasco_hash_algo": (constants.HashAlgo, "FASCO_HASH_"),
    "fasco_realm_flag": (constants.RealmFlag, "FASCO_REALM_FLAG_"),
    "fasco_mount_flag": (constants.MountFlag, "FASCO_MOUNT_"),
    "fasco_namespace": (constants.Namespace, "FASCO_NS_"),
    "fasco_rem_mode": (constants.RemMode, "FASCO_REM_"),
    "fasco_platform": (constants.Platform, "FASCO_PLATFORM_"),
}


class HeaderValuesTest(unittest.TestCase):
    def test_enums_match_the_headers(self):
        enums = header_enums()
        self.assertEqual(sorted(set(enums) - set(ENUMS)), [], "C enums without a Python enum")
        for c_name, (py_enum, prefix) in ENUMS.items():
            want = {k[len(prefix):]: v for k, v in enums[c_name].items()}
            got = {m.name: int(m.value) for m in py_enum}
            self.assertEqual(got, want, c_name)

    def test_defines_match_the_headers(self):
        text = "".join(support.header_texts().values())
        for name in ("KEY_MAX_POINT", "MEASURE_MAX_LEN", "CLAIM_STR", "CLAIM_URL",
                     "CLAIM_CONFIG", "MAX_SW_COMPONENTS"):
            value = int(re.search(rf"#define FASCO_{name}\s+(\d+)", text)[1])
            self.assertEqual(getattr(constants, name), value, name)


class LayoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        probe = os.environ.get("FASCO_LAYOUT_PROBE")
        if not probe:
            raise unittest.SkipTest("FASCO_LAYOUT_PROBE is not set (run through meson test)")
        cls.layout = json.loads(subprocess.run([probe], check=True, capture_output=True,
                                               text=True).stdout)

    def test_every_struct_is_mirrored(self):
        text = "".join(support.header_texts().values())
        defined = set(re.findall(r"^struct (fasco_\w+) \{", text, re.M))
        self.assertEqual(defined, set(_structs.BY_C_NAME))
        self.assertEqual(set(self.layout), defined)

    def test_sizes_and_offsets(self):
        for c_name, mirror in _structs.BY_C_NAME.items():
            want = self.layout[c_name]
            self.assertEqual(ctypes.sizeof(mirror), want["size"], c_name)
            got = {name: getattr(mirror, name).offset for name, _ in mirror._fields_}
            self.assertEqual(got, want["fields"], c_name)


if __name__ == "__main__":
    unittest.main()
