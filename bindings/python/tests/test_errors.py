# SPDX-License-Identifier: Apache-2.0
"""FascoError: code, name and message from the library, and the subclasses."""
import errno
import threading
import unittest

import fasco
from fasco.errors import error_class


class ErrorTest(unittest.TestCase):
    def test_every_status_has_a_class(self):
        for status in fasco.Status:
            if status == fasco.Status.OK:
                continue
            cls = error_class(status)
            self.assertTrue(issubclass(cls, fasco.FascoError))
            self.assertIsNot(cls, fasco.FascoError, f"{status.name} has no subclass")

    def test_fields_come_from_the_library(self):
        with self.assertRaises(fasco.ConfigError) as cm:
            fasco.Config(vcpus=0)
        e = cm.exception
        self.assertEqual(e.code, fasco.Status.E_CONFIG)
        self.assertIs(e.status, fasco.Status.E_CONFIG)
        self.assertIsNone(e.errno)
        self.assertEqual(e.name, fasco.strerror(fasco.Status.E_CONFIG))
        self.assertIn("outside [1, 64]", e.message)
        self.assertIsInstance(e, ValueError)
        self.assertIn("E_CONFIG", str(e))
        self.assertIn(e.message, str(e))

    def test_errno_codes(self):
        with self.assertRaises(fasco.FascoError) as cm:
            fasco.key_parse_file("/nonexistent/key.pem")
        e = cm.exception
        self.assertIs(type(e), fasco.FascoError)
        self.assertEqual(e.code, -errno.ENOENT)
        self.assertEqual(e.errno, errno.ENOENT)
        self.assertIsNone(e.status)
        self.assertIn("ENOENT", str(e))
        with self.assertRaises(fasco.InvalidArgumentError) as cm:
            fasco.Config(cwd="relative/dir")
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        self.assertIn("must be absolute", cm.exception.message)

    def test_last_error_is_per_thread(self):
        with self.assertRaises(fasco.ConfigError):
            fasco.Config(ipa_bits=99)
        mine = fasco.last_error()
        self.assertIn("parameter 5", mine)
        seen = []
        worker = threading.Thread(target=lambda: seen.append(fasco.last_error()))
        worker.start()
        worker.join()
        self.assertEqual(seen, [""])
        self.assertEqual(fasco.last_error(), mine)

    def test_errors_raised_in_threads_carry_their_own_message(self):
        messages = {}

        def fail(value):
            try:
                fasco.Config(vcpus=value)
            except fasco.ConfigError as e:
                messages[value] = e.message
        threads = [threading.Thread(target=fail, args=(v,)) for v in (0, 65, 1000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for value, message in messages.items():
            self.assertIn(f"= {value} is outside", message)
        self.assertEqual(len(messages), 3)


if __name__ == "__main__":
    unittest.main()
