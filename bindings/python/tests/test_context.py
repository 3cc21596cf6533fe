# SPDX-License-Identifier: Apache-2.0
"""Context, system realm and realm handles up to the point where a realm
would run (no /dev/kvm needed)."""
import errno
import logging
import os
import signal
import tempfile
import unittest

import fasco


class ContextTest(unittest.TestCase):
    def test_backends(self):
        with fasco.Context() as ctx:
            self.assertEqual(ctx.backend, fasco.Backend.KVM)
            self.assertTrue(ctx.platform)
        with fasco.Context(fasco.Backend.KVM, state_dir=tempfile.gettempdir()) as ctx:
            self.assertEqual(ctx.backend, fasco.Backend.KVM)
        with self.assertRaisesRegex(fasco.UnsupportedError, "arm64"):
            fasco.Context(fasco.Backend.CCA)
        with self.assertRaisesRegex(fasco.InvalidArgumentError, "unknown backend 7"):
            fasco.Context(7)
        with self.assertRaisesRegex(ValueError, "closed context"):
            ctx.platform

    def test_platform_key(self):
        with tempfile.TemporaryDirectory() as state:
            with fasco.Context(state_dir=os.path.join(state, "sub")) as ctx:
                pem = ctx.platform_key_pem()
                self.assertTrue(pem.startswith("-----BEGIN PUBLIC KEY-----"))
                self.assertEqual(len(fasco.key_parse(pem)), 97)  # P-384
                self.assertEqual(ctx.platform_key_pem(), pem)
            path = os.path.join(state, "sub", "cca-platform-key.pem")
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            with fasco.Context(state_dir=os.path.join(state, "sub")) as ctx:
                self.assertEqual(ctx.platform_key_pem(), pem)  # kept across contexts
                os.chmod(path, 0o644)
                with self.assertRaises(fasco.InvalidKeyError):
                    ctx.platform_key_pem()

    def test_log_callback(self):
        seen = []
        with fasco.Context() as ctx:
            ctx.set_log(lambda level, message: seen.append((level, message)),
                        fasco.LogLevel.DEBUG)
            ctx.set_log(lambda level, message: 1 / 0)  # replaced; errors never reach C
            ctx.log_to(logging.getLogger("fasco.test"))
            ctx.set_log(None)
        for level, message in seen:
            self.assertIsInstance(level, fasco.LogLevel)
            self.assertIsInstance(message, str)

    def test_system_realm_root(self):
        with fasco.Context() as ctx:
            with ctx.system_realm(tempfile.gettempdir()) as sysrealm:
                self.assertFalse(sysrealm.closed)
            with ctx.system_realm(None):
                pass
            with self.assertRaises(fasco.FascoError) as cm:
                ctx.system_realm("/nonexistent/root")
            self.assertEqual(cm.exception.errno, errno.ENOENT)
            with self.assertRaises(fasco.FascoError) as cm:
                ctx.system_realm("/etc/passwd")
            self.assertEqual(cm.exception.errno, errno.ENOTDIR)

    def test_realm_states_before_running(self):
        with fasco.Context() as ctx, fasco.Config() as empty:
            with self.assertRaisesRegex(fasco.ConfigError, "no program"):
                ctx.realm(empty)
            empty.set_program("/bin/busybox")
            with ctx.realm(empty) as realm:
                self.assertIsNone(realm.pid)
                with self.assertRaisesRegex(fasco.StateError, "attach"):
                    realm.load()
                with self.assertRaisesRegex(fasco.StateError, "not started"):
                    realm.wait()
                with self.assertRaises(fasco.StateError):
                    realm.stats()
                with self.assertRaisesRegex(fasco.StateError, "measured when it is loaded"):
                    realm.rim
                with self.assertRaises(fasco.StateError):
                    realm.attest(b"nonce")
                with self.assertRaisesRegex(fasco.InvalidArgumentError, "at most 64 bytes"):
                    realm.attest(bytes(65))
                with self.assertRaises(fasco.StateError):
                    realm.kill(signal.SIGKILL)
                with self.assertRaises(fasco.InvalidArgumentError):
                    realm.kill(0)

    def test_close_order(self):
        ctx = fasco.Context()
        cfg = fasco.Config(program="/bin/busybox")
        sysrealm = ctx.system_realm("/")
        other = ctx.system_realm("/")
        realm = ctx.realm(cfg, sysrealm)
        realm.attach(other)  # moves: closing the first leaves it alone
        self.assertIs(realm.sysrealm, other)
        sysrealm.close()
        self.assertFalse(realm.closed)
        other.close()  # closes the realms it serves first
        self.assertTrue(realm.closed)
        again = ctx.realm(cfg)
        ctx.close()
        self.assertTrue(again.closed)
        cfg.close()


if __name__ == "__main__":
    unittest.main()
