# SPDX-License-Identifier: Apache-2.0
"""Long-lived threads that fork the realms' monitor processes.

libfasco forks a realm's monitor in fasco_realm_load() with
PR_SET_PDEATHSIG, which fires when the *thread* that forked it ends: a
realm loaded from a short-lived thread (a worker, an executor thread at
shutdown) would be killed with it. So every load runs on one of these
threads, which live as long as the process.
"""
import concurrent.futures
import os
import threading

_lock = threading.Lock()
_pool = None
_pool_pid = None


def run(fn, *args):
    """fn(*args) on a monitor-parent thread; its result or its exception."""
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():  # threads do not survive os.fork()
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="fasco-monitor-parent")
            _pool_pid = os.getpid()
        pool = _pool
    return pool.submit(fn, *args).result()
