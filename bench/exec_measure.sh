#!/bin/sh
# Cost of run-time code measurement: whole-process time of a dynamic program
# (coreutils /bin/true) and `python3 -c pass` in a realm, with it (this
# build) and without it (a build of the commit before it), runs alternating
# (which goes first alternates too), plus the realm's own run time (--stats).
#   bench/exec_measure.sh WITH_FASCO_RUN WITHOUT_FASCO_RUN [RUNS]
set -eu
with=$1 without=$2 runs=${3:-30}
python3 - "$with" "$without" "$runs" <<'PY'
import re, statistics, subprocess, sys, time
with_run, without_run, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = {"/bin/true": ["/bin/true"], "python3 -c pass": ["/usr/bin/python3", "-c", "pass"]}
for name, argv in cases.items():
    t = {"with": [], "without": []}
    inside = {"with": [], "without": []}
    for i in range(runs + 2):
        pair = (("with", with_run), ("without", without_run))
        for label, run in pair if i % 2 else pair[::-1]:
            s = time.perf_counter()
            p = subprocess.run([run, "--stats", "--", *argv], check=True, capture_output=True,
                               text=True)
            if i >= 2:  # warm-up
                t[label].append((time.perf_counter() - s) * 1e3)
                m = re.search(r"startup ([0-9.]+) ms, run ([0-9.]+) ms", p.stderr)
                inside[label].append(float(m.group(1)) + float(m.group(2)))
    for what, d in (("whole process", t), ("in the monitor (startup + run)", inside)):
        w, wo = statistics.median(d["with"]), statistics.median(d["without"])
        print(f"{name}, {what}: with {w:.2f} ms, without {wo:.2f} ms (median of {runs}), "
              f"{100 * (w - wo) / wo:+.1f} %")
PY
