# SPDX-License-Identifier: Apache-2.0
"""Realm configuration: setters, parameters, bounds and rejected values."""
import errno
import unittest

import fasco
from fasco import Param


class ConfigTest(unittest.TestCase):
    def test_defaults(self):
        with fasco.Config() as cfg:
            self.assertEqual(cfg.memory_bytes, 256 << 20)
            self.assertEqual(cfg.vcpus, 16)
            self.assertEqual(cfg.stack_bytes, 8 << 20)
            self.assertEqual(cfg.get_param(Param.HASH_ALGO), 0)
            self.assertEqual(cfg.ipa_bits, 36)
        self.assertTrue(cfg.closed)
        with self.assertRaisesRegex(ValueError, "closed configuration"):
            cfg.vcpus = 2
        cfg.close()  # twice is fine

    def test_params_round_trip(self):
        with fasco.Config(memory_bytes=64 << 20, vcpus=2, stack_bytes=1 << 20, ipa_bits=34,
                          hash_algo=1) as cfg:
            self.assertEqual([cfg.memory_bytes, cfg.vcpus, cfg.stack_bytes, cfg.hash_algo,
                              cfg.ipa_bits], [64 << 20, 2, 1 << 20, 1, 34])
            cfg.set_param(Param.VCPUS, 64)
            self.assertEqual(cfg.vcpus, 64)

    def test_bounds(self):
        self.assertEqual(fasco.Config.bounds(Param.VCPUS), (1, 64))
        self.assertEqual(fasco.Config.bounds(Param.IPA_BITS), (32, 36))
        for param in Param:
            lo, hi = fasco.Config.bounds(param)
            self.assertLessEqual(lo, hi)
            with fasco.Config() as cfg:
                cfg.set_param(param, lo)
                cfg.set_param(param, hi)
                if lo > 0:
                    with self.assertRaises(fasco.ConfigError):
                        cfg.set_param(param, lo - 1)
                with self.assertRaises(fasco.ConfigError):
                    cfg.set_param(param, hi + 1)
        with self.assertRaises(fasco.ConfigError) as cm:
            fasco.Config.bounds(99)
        self.assertIn("unknown parameter 99", cm.exception.message)

    def test_bad_values(self):
        with fasco.Config() as cfg:
            with self.assertRaisesRegex(fasco.ConfigError, "multiple of 2 MiB"):
                cfg.memory_bytes = (64 << 20) + 4096
            with self.assertRaises(fasco.ConfigError):
                cfg.set_param(0, 1)
            with self.assertRaisesRegex(fasco.ConfigError, "unknown parameter 99"):
                cfg.get_param(99)
            with self.assertRaises(OverflowError):
                cfg.vcpus = -1  # not representable as uint64_t
            with self.assertRaises(fasco.InvalidArgumentError):
                cfg.set_program("")
            with self.assertRaises(fasco.FascoError) as cm:
                cfg.set_program("/" + "a" * 5000)
            self.assertEqual(cm.exception.errno, errno.ENAMETOOLONG)
            with self.assertRaisesRegex(fasco.InvalidArgumentError, "KEY=VALUE"):
                cfg.add_env("NOEQUALS")
            with self.assertRaises(fasco.InvalidArgumentError):
                cfg.add_env("=value")
            with self.assertRaisesRegex(fasco.InvalidArgumentError, "absolute"):
                cfg.set_cwd("tmp")
            with self.assertRaisesRegex(fasco.ConfigError, "64 bytes, got 63"):
                cfg.set_rpv(bytes(63))
            cfg.set_rpv(bytes(range(64)))
            with self.assertRaisesRegex(fasco.ConfigError, "at most 64 bytes"):
                cfg.set_config_digest(bytes(65))
            cfg.set_config_digest(bytes(32))
        with self.assertRaisesRegex(TypeError, "unknown configuration keyword"):
            fasco.Config(colour="blue")

    def test_strings(self):
        with fasco.Config(program="/bin/busybox", argv=["busybox", b"echo", "h\u00e9"],
                          env={"A": "1", "B": "two"}, cwd="/tmp") as cfg:
            cfg.add_env(b"C=3")
            cfg.set_argv([])  # argv[0] then defaults to the program path
            with self.assertRaises(TypeError):
                cfg.set_argv([None])


if __name__ == "__main__":
    unittest.main()
