# SPDX-License-Identifier: Apache-2.0
"""ABI baseline of libfasco.so (libabigail).

  abi_check.py record LIB OUT      write the baseline (scripts/abi-baseline.sh)
  abi_check.py check LIB BASELINE  compare the built library with it

Both take --headers (include/fasco): only types the public headers declare
count. The baseline carries no build paths, source locations or DT_NEEDED
entries, so any checkout and build directory compare equal. Added functions
and added enumerators are compatible and pass; removed or changed functions,
changed types (a struct that grows included) fail, unless the soname moved
(a deliberate break: refresh the baseline then).
"""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ABIDIFF_ERROR, ABIDIFF_USAGE = 1, 2

# Options that keep the recorded XML independent of where it was built.
ABIDW_OPTIONS = ["--no-corpus-path", "--no-comp-dir-path", "--no-show-locs", "--no-elf-needed",
                 "--drop-private-types", "--exported-interfaces-only", "--type-id-style", "hash"]


def tool(name):
    path = shutil.which(name)
    if not path:
        print(f"SKIP: {name} is missing (Debian package abigail-tools; scripts/setup.sh)")
        sys.exit(SKIP)
    return path


def elf_info(lib):
    """(soname, has DWARF) of a shared library, via readelf."""
    readelf = shutil.which("readelf")
    if not readelf:
        return None, True
    dyn = subprocess.run([readelf, "-d", lib], capture_output=True, text=True, check=True).stdout
    sections = subprocess.run([readelf, "-S", "-W", lib], capture_output=True, text=True,
                              check=True).stdout
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dyn)
    return (soname[1] if soname else None), ".debug_info" in sections


def dump(lib, headers):
    """abidw's XML of lib, public types only, free of build paths."""
    xml = subprocess.run([tool("abidw")] + ABIDW_OPTIONS + ["--headers-dir", headers, lib],
                         capture_output=True, text=True, check=True).stdout
    # Translation units are named relative to the build directory
    # ("../src/lib/core/realm.c"): keep the part from lib/.
    return re.sub(r"(<abi-instr [^>]*path=')[^']*?/(lib/[^']*')", r"\1\2", xml)


def record(args):
    soname, has_dwarf = elf_info(args.lib)
    if not has_dwarf:
        sys.exit(f"FAIL: {args.lib} has no debug info: record from a build with -g "
                 "(the default debugoptimized)")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(dump(args.lib, args.headers))
    print(f"recorded the ABI of {soname} in {args.out}")
    return 0


def check(args):
    abidiff = tool("abidiff")
    with open(args.baseline, encoding="utf-8") as f:
        head = f.read(4096)
    base_soname = re.search(r"soname='([^']+)'", head)
    base_arch = re.search(r"architecture='([^']+)'", head)
    if base_arch and "x86_64" in base_arch[1] and platform.machine() != "x86_64":
        print(f"SKIP: the baseline is for {base_arch[1]}, this host is {platform.machine()}")
        return SKIP
    soname, has_dwarf = elf_info(args.lib)
    if not has_dwarf:
        print(f"SKIP: {args.lib} has no debug info, so its types cannot be compared")
        return SKIP
    if base_soname and soname and soname != base_soname[1]:
        print(f"soname moved from {base_soname[1]} to {soname}: incompatible changes are "
              "allowed; record a new baseline with scripts/abi-baseline.sh")
        return 0

    # Both sides go through the same abidw filter: comparing the XML with
    # the ELF itself (abidiff --headers-dir2) lets changes of public structs
    # through as "private", because the baseline keeps no source locations.
    with tempfile.NamedTemporaryFile("w", suffix=".abi", encoding="utf-8") as current:
        current.write(dump(args.lib, args.headers))
        current.flush()
        return compare(abidiff, args.baseline, current.name)


def compare(abidiff, baseline, current):
    common = [baseline, current]
    verdict = subprocess.run([abidiff, "--no-added-syms"] + common, capture_output=True,
                             text=True, check=False)
    if verdict.returncode & (ABIDIFF_ERROR | ABIDIFF_USAGE):
        sys.exit(f"FAIL: abidiff could not compare (exit {verdict.returncode}):\n"
                 f"{verdict.stdout}{verdict.stderr}")
    if verdict.returncode:
        print(verdict.stdout)
        sys.exit("FAIL: the ABI of libfasco changed incompatibly against "
                 f"{os.path.basename(baseline)}. Undo the change, or move the soname "
                 "(so_abi in meson.build) with a new node in lib/libfasco.sym and refresh the "
                 "baseline with scripts/abi-baseline.sh.")
    report = subprocess.run([abidiff] + common, capture_output=True, text=True, check=False)
    print(report.stdout.strip() or "no change")
    print("ABI compatible with the baseline (additions are fine)")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("lib")
    rec.add_argument("out")
    chk = sub.add_parser("check")
    chk.add_argument("lib")
    chk.add_argument("baseline")
    for p in (rec, chk):
        p.add_argument("--headers", required=True, help="the public header directory")
    args = ap.parse_args()
    return record(args) if args.command == "record" else check(args)


if __name__ == "__main__":
    sys.exit(main())
