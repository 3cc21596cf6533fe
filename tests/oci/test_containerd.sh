#!/bin/sh
# containerd drives fasco-oci unchanged: a private containerd (own root,
# state, socket; no CRI) imports a busybox image built here as an OCI image
# layout (no registry is reachable), then ctr runs a command through the
# runc shim v2 with fasco-oci as its runc binary, execs into a running
# container, kills and deletes it, checking output and exit codes.
#   test_containerd.sh FASCO_OCI
# Skips (77) where containerd is missing or cannot start, or /dev/kvm is
# unusable; with FASCO_REQUIRE_KVM=1 a missing /dev/kvm fails, and once
# containerd runs, every failure of the realm part fails.
set -u
OCI=$1
skip() { echo "SKIP: $*"; exit 77; }

command -v containerd >/dev/null && command -v ctr >/dev/null &&
	command -v containerd-shim-runc-v2 >/dev/null ||
	skip "containerd is not installed (scripts/setup.sh installs it)"
[ "$(id -u)" = 0 ] || skip "a private containerd needs root"
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	[ "${FASCO_REQUIRE_KVM:-}" = 1 ] && { echo "FAIL: /dev/kvm unusable and FASCO_REQUIRE_KVM=1"; exit 1; }
	skip "/dev/kvm is not usable"
fi
# realms run static programs only: busybox-static's
BUSYBOX=/bin/busybox
dpkg -S "$BUSYBOX" 2>/dev/null | grep -q '^busybox-static:' || skip "busybox-static is not installed"

W=$(mktemp -d /tmp/fasco-ctrd.XXXXXX)
CPID=""
cleanup() {
	if [ -n "$CPID" ]; then
		# containers first (their shims outlive containerd), then containerd
		for id in $(ctr -a "$W/c.sock" -n fasco task ls -q 2>/dev/null); do
			ctr -a "$W/c.sock" -n fasco task kill -s KILL "$id" >/dev/null 2>&1
			ctr -a "$W/c.sock" -n fasco task delete -f "$id" >/dev/null 2>&1
		done
		for id in $(ctr -a "$W/c.sock" -n fasco container ls -q 2>/dev/null); do
			ctr -a "$W/c.sock" -n fasco container delete "$id" >/dev/null 2>&1
		done
		kill "$CPID" 2>/dev/null
		wait "$CPID" 2>/dev/null
	fi
	# a snapshot may still be mounted if a step failed half-way
	grep -o " $W/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- an OCI image layout tarball: one layer with busybox and its applets
blob() { # blob FILE: move FILE into blobs/sha256/<digest>, print the digest
	d=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$W/img/blobs/sha256/$d"
	echo "$d"
}
size() { stat -c %s "$W/img/blobs/sha256/$1"; }
mkdir -p "$W/layer/bin" "$W/layer/tmp" "$W/img/blobs/sha256"
cp "$BUSYBOX" "$W/layer/bin/busybox"
for a in sh echo sleep cat true false ls; do ln -s busybox "$W/layer/bin/$a"; done
tar -C "$W/layer" --numeric-owner --owner=0 --group=0 -cf "$W/layer.tar" bin tmp
layer=$(blob "$W/layer.tar")
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$layer" >"$W/config.json"
config=$(blob "$W/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$config" "$(size "$config")" "$layer" "$(size "$layer")" >"$W/manifest.json"
manifest=$(blob "$W/manifest.json")
IMAGE=fasco.test/busybox:latest
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"latest"}}]}' \
	"$manifest" "$(size "$manifest")" "$IMAGE" >"$W/img/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$W/img/oci-layout"
tar -C "$W/img" -cf "$W/image.tar" oci-layout index.json blobs

# --- a private containerd
cat >"$W/config.toml" <<EOF
version = 2
root = "$W/root"
state = "$W/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$W/c.sock"
[ttrpc]
  address = "$W/c.sock.ttrpc"
[debug]
  address = "$W/debug.sock"
[metrics]
  address = ""
EOF
containerd --config "$W/config.toml" >"$W/containerd.log" 2>&1 &
CPID=$!
ready=""
for _ in $(seq 100); do
	kill -0 "$CPID" 2>/dev/null || break
	ctr -a "$W/c.sock" version >/dev/null 2>&1 && { ready=1; break; }
	sleep 0.1
done
if [ -z "$ready" ]; then
	tail -5 "$W/containerd.log"
	skip "containerd did not start here (log above)"
fi

# From here containerd runs: every failure is a failure.
failures=0 checks=0
CTR="ctr -a $W/c.sock -n fasco"
RUNC="--runtime io.containerd.runc.v2 --runc-binary $OCI --runc-root $W/runc --snapshotter native"

# expect STATUS PATTERN CMD...: CMD exits with STATUS and its output matches PATTERN.
expect() {
	want=$1 pattern=$2
	shift 2
	checks=$((checks + 1))
	"$@" >"$W/out" 2>&1 </dev/null
	got=$?
	if [ "$got" != "$want" ] || { [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$W/out"; }; then
		failures=$((failures + 1))
		echo "FAIL: $* -> status $got (want $want), output does not match /$pattern/:"
		sed 's/^/    /' "$W/out" | head -20
	fi
}

until_stopped() { # until_stopped ID: wait (5 s at most) until the task has stopped
	for _ in $(seq 50); do
		$CTR task ls | grep -qE "^$1 .*STOPPED" && return 0
		sleep 0.1
	done
	$CTR task ls
	return 1
}

expect 0 "$IMAGE" $CTR images import --snapshotter native "$W/image.tar"

# a command to its end: output and exit status come back through the shim
expect 0 '^hello from a realm$' $CTR run --rm $RUNC "$IMAGE" echo1 echo hello from a realm
expect 3 '' $CTR run --rm $RUNC "$IMAGE" exit3 sh -c 'exit 3'

# a long-running container: exec into it, kill it, delete it
expect 0 '' $CTR run -d $RUNC "$IMAGE" sleeper sleep 300
expect 0 'sleeper.*RUNNING' $CTR task ls
expect 0 '^from an exec$' $CTR task exec --exec-id e1 sleeper echo from an exec
expect 4 '' $CTR task exec --exec-id e2 sleeper sh -c 'exit 4'
expect 0 'sleeper' $CTR task ls
expect 0 '' $CTR task kill sleeper
expect 0 '' until_stopped sleeper
expect 0 'exit code 143' $CTR task delete sleeper
expect 0 '' $CTR container delete sleeper
# fasco-oci's own state is gone too; its artifact store references nothing
expect 0 '' test -z "$(ls "$W/runc/fasco")"
expect 0 '' test -z "$(find "$W/runc/fasco/.store/refs" -type f)"

# kill --all reaches a detached exec's realm as well
expect 0 '' $CTR run -d $RUNC "$IMAGE" sleeper2 sleep 300
expect 0 '' $CTR task exec -d --exec-id long sleeper2 sleep 301
exec_pid=$(cat "$W"/runc/fasco/sleeper2/exec-* 2>/dev/null | cut -d' ' -f1)
expect 0 '' test -n "$exec_pid"
expect 0 '' $CTR task kill -a -s KILL sleeper2
expect 0 '' until_stopped sleeper2
gone() { for _ in $(seq 50); do [ -d "/proc/$1" ] || return 0; sleep 0.1; done; return 1; }
expect 0 '' gone "$exec_pid"
expect 0 'exit code 137' $CTR task delete sleeper2
expect 0 '' $CTR container delete sleeper2

echo "containerd: $checks checks, $failures failures"
[ "$failures" = 0 ]
