# SPDX-License-Identifier: Apache-2.0
"""Install the build into a temporary DESTDIR, build a program against the
installed header with `pkg-config --cflags --libs fasco` only, and run it
against the installed library; then import the installed Python package
and check that it finds that library through pkg-config."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def run(cmd, env=None, what=None):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {what or cmd[0]} exited {proc.returncode}\n$ {shlex.join(cmd)}\n"
                 f"{proc.stdout}{proc.stderr}")
    return proc.stdout


def inside(path, root):
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", required=True)
    ap.add_argument("--build-root", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--libdir", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--cc", required=True, help="compiler command line")
    ap.add_argument("--cflags", default="", help="extra flags (sanitizers)")
    ap.add_argument("--python", default="", help="also check the installed Python package")
    args = ap.parse_args()
    if not shutil.which("pkg-config"):
        print("SKIP: pkg-config is not installed")
        return SKIP

    dest = tempfile.mkdtemp(prefix="fasco-install-")
    try:
        run(shlex.split(args.meson) + ["install", "-C", args.build_root, "--no-rebuild",
                                       "--quiet", "--destdir", dest], what="meson install")
        root = os.path.join(dest, args.prefix.lstrip("/"))
        libdir = os.path.join(root, args.libdir)
        pcdir = os.path.join(libdir, "pkgconfig")
        for name in ("pkgconfig/fasco.pc", "libfasco.so", "libfasco.so.0"):
            if not os.path.exists(os.path.join(libdir, name)):
                sys.exit(f"FAIL: {name} is not installed under {libdir}")
        env = dict(os.environ, PKG_CONFIG_SYSROOT_DIR=dest,
                   PKG_CONFIG_PATH=os.pathsep.join(
                       filter(None, [pcdir, os.environ.get("PKG_CONFIG_PATH")])),
                   # keep -I/usr/include style flags: they point into DESTDIR
                   PKG_CONFIG_ALLOW_SYSTEM_CFLAGS="1", PKG_CONFIG_ALLOW_SYSTEM_LIBS="1")
        env.pop("LD_LIBRARY_PATH", None)
        flags = shlex.split(run(["pkg-config", "--cflags", "--libs", "fasco"], env))
        include_dirs = [f[2:] for f in flags if f.startswith("-I")]
        if not any(os.path.isfile(os.path.join(d, "fasco", "fasco.h")) and inside(d, dest)
                   for d in include_dirs):
            sys.exit(f"FAIL: pkg-config --cflags names no installed header dir: {flags}")

        exe = os.path.join(dest, "consumer")
        run(shlex.split(args.cc) + shlex.split(args.cflags) + [args.program, "-o", exe] + flags,
            env, "compiling against the installed header")
        env["LD_LIBRARY_PATH"] = libdir
        loaded = run([exe], env, "the consumer program").strip()
        if not inside(loaded, dest):
            sys.exit(f"FAIL: the consumer ran against {loaded}, not the installed library")
        print(f"consumer built with: {shlex.join(flags)}\nran against {loaded}")

        if args.python:
            check_python(args.python, dest, env)
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    return 0


def check_python(python, dest, env):
    """The installed package imports and finds the installed library via
    pkg-config (FASCO_LIBRARY unset)."""
    found = [d for d, _, files in os.walk(dest) if os.path.basename(d) == "fasco"
             and "__init__.py" in files]
    if len(found) != 1:
        sys.exit(f"FAIL: the Python package is installed {len(found)} times: {found}")
    env = dict(env, PYTHONPATH=os.path.dirname(found[0]), PYTHONDONTWRITEBYTECODE="1")
    env.pop("FASCO_LIBRARY", None)
    out = run([python, "-c", "import fasco, fasco._native as n\n"
               "print(fasco.__file__); print(n.lib().path); print(fasco.version())"],
              env, "importing the installed Python package").split("\n")
    if not inside(out[0], dest) or not inside(out[1], dest):
        sys.exit(f"FAIL: Python used {out[0]} with {out[1]}, not the installed ones")
    print(f"python: {out[0]} with {out[1]} ({out[2]})")


if __name__ == "__main__":
    sys.exit(main())
