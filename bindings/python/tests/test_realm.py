# SPDX-License-Identifier: Apache-2.0
"""Realms running /bin/busybox (busybox-static) from the host's root.
Needs /dev/kvm: skipped without it, failed if FASCO_REQUIRE_KVM=1."""
import asyncio
import os
import select
import signal
import threading
import tempfile
import time
import unittest

import fasco
from fasco import EndKind

import support

BUSYBOX = "/bin/busybox"


def busybox(*args, **config):
    return fasco.Config(program=BUSYBOX, argv=["busybox", *args], **config)


class RealmTest(unittest.TestCase):
    def setUp(self):
        support.require_kvm(self)
        if not os.access(BUSYBOX, os.X_OK):
            self.skipTest(f"{BUSYBOX} is missing (install busybox-static)")
        self.state = tempfile.TemporaryDirectory()  # keys of this test only
        self.ctx = fasco.Context(state_dir=self.state.name)
        self.sysrealm = self.ctx.system_realm("/")

    def tearDown(self):
        self.ctx.close()
        self.state.cleanup()

    def realm(self, *args, **config):
        with busybox(*args, **config) as cfg:
            return self.ctx.realm(cfg, self.sysrealm)

    def test_exit_codes(self):
        for args, status in ((["true"], 0), (["false"], 1), (["sh", "-c", "exit 3"], 3)):
            with self.realm(*args) as realm:
                info = realm.exec()
            self.assertEqual((info.kind, info.value, info.status), (EndKind.EXIT, status, status))
        info = self.ctx.run([BUSYBOX, "sh", "-c", "exit 42"], root="/")
        self.assertEqual(info.status, 42)

    def test_argv_env_cwd_and_output(self):
        out = []
        with self.realm("sh", "-c", 'echo "$FOO"; pwd', env={"FOO": "bar"}, cwd="/tmp") as realm:
            with support.captured_stdout(out):
                info = realm.exec()
        self.assertEqual(info.status, 0, info.detail)
        self.assertEqual(out[0], b"bar\n/tmp\n")

    def test_lifecycle_pid_and_stats(self):
        with self.realm("echo", "hello") as realm:
            realm.load()
            pid = realm.pid
            self.assertGreater(pid, 0)
            self.assertTrue(os.path.exists(f"/proc/{pid}"))
            with self.assertRaisesRegex(fasco.StateError, "attached before"):
                realm.attach(self.sysrealm)
            with self.assertRaises(fasco.StateError):
                realm.load()
            with support.captured_stdout([]):
                realm.start()
                info = realm.wait()
            self.assertEqual(info.status, 0)
            self.assertIsNone(realm.pid)
            self.assertEqual(realm.wait(), info)  # an ended realm reports again
            stats = realm.stats()
        self.assertGreater(stats.exits, 0)
        self.assertGreater(stats.forwarded, 0)
        self.assertGreater(stats.per_syscall.get(1, 0), 0)  # write(2)
        self.assertGreater(stats.startup_ns, 0)
        self.assertGreater(stats.peak_rss_bytes, 0)

    def test_measurements(self):
        with busybox("echo", "measured") as cfg:
            predicted = fasco.measure.config_rim(cfg, "/")
            with self.ctx.realm(cfg, self.sysrealm) as realm:
                realm.load()
                self.assertEqual(realm.rim, predicted)
                with support.captured_stdout([]):
                    self.assertEqual(realm.exec().status, 0)
                self.assertEqual(realm.measurement(0), predicted)
                rems = [realm.measurement(i) for i in range(1, 5)]
                self.assertTrue(all(len(r) == 32 for r in rems))
                with self.assertRaises(fasco.InvalidArgumentError):
                    realm.measurement(5)
        with busybox("true", measure=0) as cfg, self.ctx.realm(cfg, self.sysrealm) as realm:
            self.assertEqual(realm.exec().status, 0)
            with self.assertRaises(fasco.UnsupportedError):
                realm.rim

    def test_attestation_token(self):
        rpv, challenge = bytes(range(64)), b"fresh nonce"
        anchor = self.ctx.platform_key_pem()
        with busybox("echo", "attested", rpv=rpv) as cfg, self.ctx.realm(cfg, self.sysrealm) as r:
            r.load()
            padded = challenge + bytes(64 - len(challenge))
            claims = fasco.token_verify(r.attest(challenge), anchor, challenge=padded, rpv=rpv,
                                        rim=r.rim)
            self.assertTrue(claims.platform_verified)
            self.assertEqual(claims.realm.rim, r.rim)
            with support.captured_stdout([]):
                self.assertEqual(r.exec().status, 0)
            rems = [r.measurement(i) for i in range(1, 5)]
            claims = fasco.token_verify(r.attest(), anchor, rim=r.rim, rem=rems)
            self.assertEqual(claims.realm.challenge, bytes(64))
            with self.assertRaises(fasco.AppraisalError):
                fasco.token_verify(r.attest(b"other"), anchor, challenge=padded)
            with self.assertRaises(fasco.SignatureError):  # another platform's key
                with fasco.Context(state_dir=os.path.join(self.state.name, "other")) as other:
                    fasco.token_verify(r.attest(), other.platform_key_pem())

    def test_event_log_of_a_dynamic_program(self):
        """python3 in a realm: libc is measured into REM0 and the log replays."""
        if not os.access("/usr/bin/python3", os.X_OK):
            self.skipTest("/usr/bin/python3 is missing")
        anchor = self.ctx.platform_key_pem()
        with fasco.Config(program="/usr/bin/python3", argv=["python3", "-c", "pass"],
                          memory_bytes=256 << 20) as cfg, self.ctx.realm(cfg, self.sysrealm) as r:
            r.load()
            self.assertIn('"entries":[]', r.event_log())
            self.assertEqual(r.exec().status, 0)
            log = r.event_log()
            self.assertIn("/libc.so.6", log)
            self.assertNotEqual(r.measurement(1), bytes(32))
            report = fasco.event_log_verify(log, r.attest(), anchor)
            self.assertIn("libc.so.6", report)
            with self.assertRaises(fasco.EventLogError):
                fasco.event_log_verify(log.replace('"index":1,', '"index":7,'), r.attest(), anchor)

    def test_not_an_elf(self):
        with fasco.Config(program="/etc/passwd") as cfg, self.ctx.realm(cfg, self.sysrealm) as r:
            with self.assertRaises(fasco.ElfError):
                r.exec()

    def test_started_from_a_thread_that_ends(self):
        # the monitor would die with the forking thread (PR_SET_PDEATHSIG)
        # if the binding forked from the caller's thread
        with self.realm("sleep", "0.3") as realm:
            starter = threading.Thread(target=realm.start)
            starter.start()
            starter.join()
            self.assertEqual(realm.wait().status, 0)

    def test_kill(self):
        with self.realm("sleep", "30") as realm:
            realm.start()
            realm.kill(signal.SIGKILL)
            info = realm.wait()
        self.assertEqual((info.kind, info.value, info.status), (EndKind.SIGNAL, 9, 137))

    def test_wait_releases_the_gil(self):
        with self.realm("sleep", "0.5") as realm:
            realm.start()
            result = []
            waiter = threading.Thread(target=lambda: result.append(realm.wait()))
            started = last = time.monotonic()
            longest_pause = 0.0
            waiter.start()
            while waiter.is_alive():
                now = time.monotonic()
                longest_pause, last = max(longest_pause, now - last), now
        self.assertEqual(result[0].status, 0, result[0].detail)
        self.assertGreaterEqual(last - started, 0.4)
        # this thread kept running Python the whole time the realm ran
        self.assertLess(longest_pause, 0.2)

    def test_close_while_another_thread_waits(self):
        realm = self.realm("sleep", "30")
        realm.start()
        result = []
        waiter = threading.Thread(target=lambda: result.append(realm.wait()))
        waiter.start()
        time.sleep(0.1)
        started = time.monotonic()
        realm.close()  # kills the realm so that wait() returns, then destroys
        waiter.join(10)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(result[0].kind, EndKind.SIGNAL)

    def test_load_begin(self):
        with self.realm("sh", "-c", "exit 6") as realm:
            realm.load_begin()
            with self.assertRaises(fasco.StateError):
                realm.fileno()  # not loaded yet
            realm.load()
            self.assertEqual(len(realm.rim), 32)
            self.assertEqual(realm.exec().status, 6)

    def test_fileno_turns_readable_at_the_end(self):
        with self.realm("sh", "-c", "sleep 0.2; exit 5") as realm:
            with self.assertRaises(fasco.StateError):
                realm.fileno()
            realm.start()
            fd = realm.fileno()
            self.assertEqual(select.select([fd], [], [], 0)[0], [])
            self.assertEqual(select.select([fd], [], [], 10)[0], [fd])
            self.assertEqual(realm.wait().status, 5)
            self.assertEqual(select.select([fd], [], [], 0)[0], [fd])  # stays readable

    def test_wait_async(self):
        async def main():
            # (no fork in realms yet: each realm runs one applet)
            realms = [self.realm("sleep", "0.3"), self.realm("false"),
                      self.realm("sh", "-c", "exit 2")]
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1
            tick = asyncio.ensure_future(ticker())
            infos = await asyncio.gather(*(r.exec_async() for r in realms))
            tick.cancel()
            for r in realms:
                r.close()
            return infos, ticks
        infos, ticks = asyncio.run(main())
        self.assertEqual([i.status for i in infos], [0, 1, 2])
        self.assertGreater(ticks, 5)  # the event loop ran while the realms did

    def test_container_root_mounts_hostname_user(self):
        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as data:
            os.mkdir(os.path.join(root, "bin"))
            with open(BUSYBOX, "rb") as src, open(os.path.join(root, "bin/busybox"), "wb") as dst:
                dst.write(src.read())
            os.chmod(os.path.join(root, "bin/busybox"), 0o755)
            os.chmod(root, 0o755)  # the container user must reach its own root
            os.chmod(data, 0o777)
            sysrealm = self.ctx.system_realm(root)
            sysrealm.add_mount("tmpfs", "/scratch", options="mode=1777,size=1m")
            sysrealm.add_mount("bind", "/data", source=data)
            sysrealm.add_default_devices()
            sysrealm.set_readonly()
            sysrealm.set_hostname("pyrealm")
            sysrealm.set_user(1000, 1000, [5])
            with self.assertRaises(fasco.FascoError) as err:
                sysrealm.add_mount("proc", "/proc")
            self.assertIn("only bind and tmpfs", str(err.exception))
            with self.assertRaises(fasco.FascoError):
                sysrealm.add_mount("tmpfs", "relative")
            script = ("busybox hostname; busybox id; echo a > /scratch/a && busybox cat /scratch/a;"
                      " echo b > /data/b; echo c > /c 2>/dev/null || echo refused")
            out = []
            with fasco.Config(program="/bin/busybox", argv=["sh", "-c", script]) as cfg, \
                    self.ctx.realm(cfg, sysrealm) as realm, support.captured_stdout(out):
                info = realm.exec()
            self.assertEqual(info.status, 0, info.detail)
            self.assertEqual(out[0], b"pyrealm\nuid=1000 gid=1000 groups=5\na\nrefused\n")
            self.assertEqual(os.stat(os.path.join(data, "b")).st_uid, 1000)
            self.assertFalse(os.path.exists(os.path.join(root, "c")))

    def test_network_namespace(self):
        sysrealm = self.ctx.system_realm("/")
        with self.assertRaises(fasco.FascoError) as err:
            sysrealm.set_namespace(fasco.Namespace.NET, "/etc/hostname")
        self.assertIn("is not a network namespace", str(err.exception))
        sysrealm.set_namespace(fasco.Namespace.NET)
        with self.assertRaises(fasco.FascoError) as err:
            sysrealm.set_capabilities([21])  # CAP_SYS_ADMIN
        self.assertIn("capability 21 cannot be granted", str(err.exception))
        sysrealm.set_capabilities([10])  # CAP_NET_BIND_SERVICE: port 80 below
        out = []
        script = ("busybox ip -o link; busybox nc -l -p 80 -e /bin/busybox true & busybox sleep 0.3;"
                  " busybox nc 127.0.0.1 80 </dev/null && echo bound; wait")
        with fasco.Config(program=BUSYBOX, argv=["sh", "-c", script]) as cfg, \
                self.ctx.realm(cfg, sysrealm) as realm, support.captured_stdout(out):
            info = realm.exec()
        self.assertEqual(info.status, 0, info.detail)
        # a namespace of its own: its loopback alone, up; a port below 1024
        # bound as CAP_NET_BIND_SERVICE allows
        self.assertEqual(out[0].count(b"\n"), 2, out[0])
        self.assertTrue(out[0].startswith(b"1: lo: <LOOPBACK,UP"), out[0])
        self.assertTrue(out[0].endswith(b"\nbound\n"), out[0])

    def test_wait_async_cancel_kills(self):
        with self.realm("sleep", "30") as realm:
            async def main():
                realm.start()
                with self.assertRaises(asyncio.TimeoutError):
                    await asyncio.wait_for(realm.wait_async(), 0.3)
            started = time.monotonic()
            asyncio.run(main())
            self.assertLess(time.monotonic() - started, 10)
            self.assertEqual(realm.wait().value, signal.SIGKILL)


if __name__ == "__main__":
    unittest.main()
