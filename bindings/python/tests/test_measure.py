# SPDX-License-Identifier: Apache-2.0
"""Measurement calculators: known RIMs, REM extension recomputed with
hashlib, and replay of operation logs built here byte by byte."""
import errno
import hashlib
import struct
import unittest

import fasco
from fasco import HashAlgo, RemMode, measure

RIM_SHA256 = "6739dfb22b75ee1268d08dfa8369f501bc0b066243553f069f560d1fa1172973"
RIM_SHA512 = ("799e434048fb57eb9d4f0e2a2b98158720377252deab2bdfcd69b5a8f82237f4"
              "34bd6bb1c75bf160a2d49382f733b3439a3ff769e4ea5dd9a6f72239d44bbbab")


def oplog(records=b"", count=0, version=1, s2sz=48, hash_algo=0):
    """A libfasco op log (lib/rmm/oplog.c, format version 1): RMM 1.0
    profile, 2 breakpoints and watchpoints."""
    header = b"FMOL" + struct.pack("<HBBQBBBBBBHII", version, 0, 0, 0, s2sz, 0, 1, 1, 0,
                                   hash_algo, 0, count, 0)
    assert len(header) == 32
    return header + records


class MeasureTest(unittest.TestCase):
    def test_rim_params(self):
        self.assertEqual(measure.rim_params(HashAlgo.SHA256, 48, num_bps=1, num_wps=1).hex(),
                         RIM_SHA256)
        self.assertEqual(measure.rim_params(HashAlgo.SHA512, 48, num_bps=1, num_wps=1).hex(),
                         RIM_SHA512)
        with self.assertRaises(fasco.ConfigError):
            measure.rim_params(HashAlgo.SHA256, 48 + 256, num_bps=1, num_wps=1)
        with self.assertRaises(fasco.ConfigError):
            measure.rim_params(HashAlgo.SHA384, 48, num_bps=1, num_wps=1)  # RMM 2.0 only
        with self.assertRaises(fasco.InvalidArgumentError):
            measure.rim_params(-1, 48, num_bps=1, num_wps=1)

    def test_rem_extend(self):
        first = hashlib.sha256(bytes(32) + b"abc").digest()
        self.assertEqual(measure.rem_extend(HashAlgo.SHA256, None, b"abc"), first)
        self.assertEqual(measure.rem_extend(HashAlgo.SHA256, b"", b"abc"), first)
        second = hashlib.sha256(first + b"abc").digest()
        self.assertEqual(measure.rem_extend(HashAlgo.SHA256, first, b"abc"), second)
        self.assertEqual(measure.rem_extend(HashAlgo.SHA256, first + bytes(32), b"abc"), second)
        spec = hashlib.sha512(bytes(64) + b"abc" + bytes(61)).digest()
        self.assertEqual(measure.rem_extend(HashAlgo.SHA512, None, b"abc", RemMode.SPEC), spec)
        with self.assertRaises(fasco.ConfigError):
            measure.rem_extend(HashAlgo.SHA256, first + b"\x01" + bytes(31), b"abc")
        with self.assertRaises(fasco.ConfigError):
            measure.rem_extend(HashAlgo.SHA256, None, bytes(65))
        with self.assertRaises(fasco.ConfigError):
            measure.rem_extend(HashAlgo.SHA256, None, b"abc", mode=7)

    def test_config_rim(self):
        def rim(*argv, root="/", platform=fasco.Platform.HOST, **params):
            with fasco.Config(program="/bin/busybox", argv=["busybox", *argv], **params) as c:
                return measure.config_rim(c, root, platform)
        base = rim("true")
        self.assertEqual(len(base), 32)
        self.assertEqual(rim("true"), base)  # deterministic
        self.assertNotEqual(rim("false"), base)  # argv is measured
        self.assertEqual(len(rim("true", hash_algo=1)), 64)
        self.assertEqual(rim("true", root=None), base)
        host = [rim("true", platform=p) for p in (fasco.Platform.KVM_PVM, fasco.Platform.KVM_HW)]
        self.assertIn(base, host)
        with self.assertRaises(fasco.FascoError) as cm:
            rim("true", root="/nonexistent/root")
        self.assertEqual(cm.exception.errno, errno.ENOENT)
        with self.assertRaises(fasco.FascoError):
            rim("true", platform=9)
        with fasco.Config() as empty, self.assertRaises(fasco.ConfigError):
            measure.config_rim(empty)

    def test_replay(self):
        empty = oplog()
        self.assertEqual(measure.replay(empty).hex(), RIM_SHA256)
        self.assertEqual(measure.replay(oplog(hash_algo=1)).hex(), RIM_SHA512)
        # one unmeasured DATA record (type 2, ipa) changes the RIM
        one = oplog(bytes([2]) + struct.pack("<Q", 0x1000), count=1)
        rim = measure.replay(one)
        self.assertEqual(len(rim), 32)
        self.assertNotEqual(rim.hex(), RIM_SHA256)
        for broken in (one[:-1], empty[:31], b"NOPE" + empty[4:], oplog(count=1)):
            with self.assertRaises(fasco.FascoError) as cm:
                measure.replay(broken)
            self.assertEqual(cm.exception.errno, errno.EBADMSG, broken)
            self.assertTrue(cm.exception.message)
        with self.assertRaises(fasco.UnsupportedError):
            measure.replay(oplog(version=2))


if __name__ == "__main__":
    unittest.main()
