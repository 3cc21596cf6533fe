# SPDX-License-Identifier: Apache-2.0
"""Run every binding test in one process, then check that the tests called
every bound C function at least once (each binding has a test)."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    if not result.wasSuccessful():
        return 1

    from fasco import _native
    calls = _native.lib().calls
    untested = sorted(name for name in _native.PROTOTYPES if not calls[name])
    if untested and result.skipped:
        print(f"note: {len(result.skipped)} tests skipped; not called: {', '.join(untested)}",
              file=sys.stderr)
    elif untested:
        print(f"FAIL: bindings no test called: {', '.join(untested)}", file=sys.stderr)
        return 1
    else:
        print(f"every one of the {len(calls)} bound C functions was called", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
