"""Median table of a realm-vs-native benchmark.

Reads lines "<case> <name> <value>" (case is "native" or "realm"), possibly
several rounds, and prints the medians and the realm/native ratio for each
name in first-seen order.  Names ending in "_s" are rates (higher is better),
everything else is nanoseconds per operation.
    python3 bench/lib/ratios.py RESULTS_FILE
"""
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    case, name, value = line.split()
    rows.setdefault(name, {}).setdefault(case, []).append(float(value))

print(f"{'operation':26} {'native':>12} {'realm':>12} {'realm/native':>13}")
for name, cases in rows.items():
    n = statistics.median(cases["native"])
    r = statistics.median(cases["realm"])
    if name.endswith("_s"):
        print(f"{name:26} {n:12.1f} {r:12.1f} {r / n:13.3f}")
    else:
        print(f"{name + ' (us)':26} {n / 1000:12.2f} {r / 1000:12.2f} {r / n:13.1f}")
