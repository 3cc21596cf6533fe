#!/bin/bash
# Throughput of reading a 256 MiB file inside a realm vs natively, in one
# hyperfine run: busybox cat (sendfile, one forwarded call), dd with 1 MiB
# reads and writes (each read copied through the shared slot), sha256sum
# (small reads, hashing in the realm).
#   bench/throughput.sh [RUNS] [SIZE_MIB]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
MIB=${2:-256}
OUT=${WORK:-/tmp/fasco-bench}
mkdir -p "$OUT"
F="$OUT/file-${MIB}m"
[ -f "$F" ] || dd if=/dev/urandom of="$F" bs=1M count="$MIB" status=none
[ -d "$ROOT/build" ] || meson setup "$ROOT/build" >/dev/null
ninja -C "$ROOT/build" >/dev/null
RUN="$ROOT/build/examples/fasco-run/fasco-run"
cat "$F" >/dev/null # page cache warm for both sides
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/throughput.json" \
	"$RUN -- /bin/busybox cat $F" "/bin/busybox cat $F" \
	"$RUN -- /bin/busybox dd if=$F of=/dev/null bs=1M" "/bin/busybox dd if=$F of=/dev/null bs=1M" \
	"$RUN -- /bin/busybox sha256sum $F" "/bin/busybox sha256sum $F" >/dev/null
python3 - "$OUT/throughput.json" "$MIB" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
mib = int(sys.argv[2])
print(f"{'command':70} {'median ms':>10} {'MiB/s':>8} {'realm/native':>13}")
for i in range(0, len(res), 2):
    realm, native = res[i], res[i + 1]
    for r in (realm, native):
        print(f"{r['command'][-70:]:70} {r['median'] * 1e3:10.1f} {mib / r['median']:8.0f}")
    print(f"{'':70} {'':10} {'':8} {realm['median'] / native['median']:13.2f}")
PY
