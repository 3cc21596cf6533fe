#!/bin/bash
# Servers on loopback, in one run: redis-server under redis-benchmark
# (GET/SET) and nginx serving a static file under wrk, each natively, under
# `crun run` (host network, the host's / read-only as its root) and in a
# realm (`fasco-run --rootfs /`), load applied alternately for ROUNDS rounds.
# Prints requests/s, median latency and the ratio to native.
#   bench/servers.sh [ROUNDS] [REQUESTS] [SECONDS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BASE=${FASCO_BASELINES:-$ROOT/../shared/bench/baselines}
ROUNDS=${1:-2}
REQUESTS=${2:-20000}
SECONDS_WRK=${3:-4}
export WORK=${WORK:-/tmp/fasco-baselines}
. "$BASE/common.sh"
need crun jq util-linux redis-server redis-tools nginx-light wrk
reexec_in_cgroup_ns "$@"
BUILD=${FASCO_BUILD:-$ROOT/build}
[ -d "$BUILD" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
RUN=$BUILD/examples/fasco-run/fasco-run
S=$(mktemp -d /tmp/fasco-servers.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	crun kill srv-redis KILL 2>/dev/null || true
	crun kill srv-nginx KILL 2>/dev/null || true
	sleep 0.2
	crun delete -f srv-redis 2>/dev/null || true
	crun delete -f srv-nginx 2>/dev/null || true
	rm -rf "$S"
}
trap cleanup EXIT

# nginx: one worker, no master, logs and temp files under its own prefix
nginx_conf() {  # nginx_conf PREFIX PORT
	mkdir -p "$1/html" "$1/logs"
	head -c 4096 /dev/urandom | base64 >"$1/html/index.html"
	cat >"$1/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; user root root;
error_log $1/logs/error.log; pid $1/nginx.pid;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $1; proxy_temp_path $1;
  fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
  server { listen 127.0.0.1:$2; root $1/html; } }
CONF
}

# A bundle for the crun runs: a root of symlinks into the host's /usr and
# /etc bound read-only (Debian's merged /usr), $S writable, and the host's
# network (no network namespace), so the same binaries serve the same files.
crun_bundle() {  # crun_bundle DIR ARGS-JSON
	mkdir -p "$1/rootfs/usr" "$1/rootfs/etc" "$1/rootfs/tmp"
	for d in bin sbin lib lib64; do ln -sfn usr/$d "$1/rootfs/$d"; done
	(cd "$1" && crun spec)
	jq --argjson args "$2" --arg s "$S" '.process.terminal=false | .process.args=$args
		| .linux.namespaces |= map(select(.type != "network"))
		| .mounts = [.mounts[] | select(.destination == "/proc" or .destination == "/dev")]
		| .mounts += [{"destination":"/usr","type":"bind","source":"/usr","options":["rbind","ro"]},
			{"destination":"/etc","type":"bind","source":"/etc","options":["rbind","ro"]},
			{"destination":$s,"type":"bind","source":$s,"options":["rbind","rw"]}]' \
		"$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}

wait_port() {  # wait_port PORT
	for _ in $(seq 200); do
		(exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
		sleep 0.05
	done
	echo "server on port $1 did not come up" >&2
	return 1
}

redis_conf() {  # redis_conf PORT: path of a config file without persistence
	printf 'port %s\nsave ""\nappendonly no\nbind 127.0.0.1\n' "$1" >"$S/redis$1.conf"
	echo "$S/redis$1.conf"
}

start_servers() {
	# redis: native 7101, crun 7102, realm 7103; nginx: 7201, 7202, 7203
	redis-server "$(redis_conf 7101)" >/dev/null & PIDS+=($!)
	crun_bundle "$S/b-redis" "[\"/usr/bin/redis-server\",\"$(redis_conf 7102)\"]"
	crun run -d --bundle "$S/b-redis" srv-redis >/dev/null
	"$RUN" --rootfs / -- /usr/bin/redis-server "$(redis_conf 7103)" >/dev/null & PIDS+=($!)
	for p in 7201 7202 7203; do nginx_conf "$S/ngx$p" $p; done
	nginx -p "$S/ngx7201" -c "$S/ngx7201/nginx.conf" & PIDS+=($!)
	crun_bundle "$S/b-nginx" "[\"/usr/sbin/nginx\",\"-p\",\"$S/ngx7202\",\"-c\",\"$S/ngx7202/nginx.conf\"]"
	crun run -d --bundle "$S/b-nginx" srv-nginx >/dev/null
	"$RUN" --rootfs / -- /usr/sbin/nginx -p "$S/ngx7203" -c "$S/ngx7203/nginx.conf" & PIDS+=($!)
	for p in 7101 7102 7103 7201 7202 7203; do wait_port $p; done
}

# Each line of $S/results: "<server> <test> <where> <requests/s> <p50 ms>"
load_redis() {  # load_redis WHERE PORT
	redis-benchmark -p "$2" -t get,set -n "$REQUESTS" -q --csv 2>/dev/null |
		tr -d '"' | awk -F, -v w="$1" '$1=="SET"||$1=="GET" {print "redis", $1, w, $2, $5}'
}
load_nginx() {  # load_nginx WHERE PORT
	wrk -t1 -c8 -d"${SECONDS_WRK}s" --latency "http://127.0.0.1:$2/" |
		awk -v w="$1" '/Requests\/sec/ {r=$2} / 50% / {l=$2}
			END {if (l ~ /us$/) l=l/1000; else if (l ~ /ms$/) l=l+0; else l=l*1000; print "nginx", "GET", w, r, l}'
}

start_servers
for r in $(seq "$ROUNDS"); do
	load_redis native 7101; load_redis crun 7102; load_redis realm 7103
	load_nginx native 7201; load_nginx crun 7202; load_nginx realm 7203
done >"$S/results"
python3 - "$S/results" <<'PY2'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    server, test, where, rps, p50 = line.split()
    rows.setdefault((server, test), {}).setdefault(where, []).append((float(rps), float(p50)))
print(f"{'server test':14} {'where':7} {'requests/s':>11} {'p50 ms':>8} {'/ native':>9}")
for key, wheres in rows.items():
    native = statistics.median(r for r, _ in wheres["native"])
    for where in ("native", "crun", "realm"):
        rps = statistics.median(r for r, _ in wheres[where])
        p50 = statistics.median(l for _, l in wheres[where])
        print(f"{' '.join(key):14} {where:7} {rps:11.0f} {p50:8.3f} {rps / native:9.3f}")
PY2
