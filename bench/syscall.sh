#!/bin/bash
# Round trip of one system call, all in one run on this host:
#   - the floor: a raw 64-bit KVM guest whose syscall handler exits once to
#     the VMM by port I/O (bench/floor/kvm_exit_rt.c, no libfasco), and the
#     same guest's syscall served in the guest without an exit;
#   - a realm: lseek (forwarded), getpid (served by the shim), 4 KiB pread,
#     with the polling system realm (default) and with an exit per call;
#   - native execution of the same static program.
#   bench/syscall.sh [ITERATIONS] [ROUNDS]
set -euo pipefail
N=${1:-4000}
ROUNDS=${2:-5}
. "$(dirname "$0")/lib/realm_bench.sh"
gcc -O2 -Wall -o "$OUT/kvm_exit_rt" "$ROOT/bench/floor/kvm_exit_rt.c"
static_program syscall_rt

# ROUNDS alternating rounds; each line: "<case> <name> <ns>"
for r in $(seq "$ROUNDS"); do
	"$OUT/kvm_exit_rt" "$N" | while read -r name _ cyc _ ns; do echo "floor $name $ns"; done
	"$RUN" -- "$OUT/syscall_rt" "$N" | sed 's/^/realm-polled /'
	"$RUN" --poll-us 0 -- "$OUT/syscall_rt" "$N" | sed 's/^/realm-exit /'
	"$OUT/syscall_rt" "$N" | sed 's/^/native /'
done >"$OUT/syscall.txt"

python3 - "$OUT/syscall.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    case, name, ns = line.split()
    rows.setdefault((case, name), []).append(float(ns))
med = {k: statistics.median(v) for k, v in rows.items()}
floor = med[("floor", "forwarded_floor_pio")]
local = med[("floor", "shim_served_syscall")]
print(f"{'case':34} {'median us':>10} {'/ exit floor':>13}")
for (case, name), v in sorted(med.items()):
    print(f"{case + ' ' + name:34} {v / 1000:10.2f} {v / floor:13.3f}")
print(f"\nforwarded lseek, polled / floor: {med[('realm-polled', 'lseek')] / floor:.3f}")
print(f"forwarded lseek, exit   / floor: {med[('realm-exit', 'lseek')] / floor:.3f}")
print(f"shim-served getpid / raw in-guest syscall: {med[('realm-polled', 'getpid')] / local:.3f}")
PY
