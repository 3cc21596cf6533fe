// SPDX-License-Identifier: Apache-2.0

package fasco

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func TestRealmEcho(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "echo", "hello from a realm"))
	var info ExitInfo
	var err error
	out := withStdout(t, func() {
		if err = realm.Load(); err == nil {
			info, err = realm.Exec(context.Background())
		}
	})
	if err != nil {
		t.Fatalf("running echo: %v", err)
	}
	if info.Kind != EndExit || info.Status() != 0 {
		t.Fatalf("echo ended %+v", info)
	}
	if out != "hello from a realm\n" {
		t.Fatalf("echo wrote %q", out)
	}
	stats, err := realm.Stats()
	if err != nil || stats.Forwarded == 0 || stats.PerSyscall[1] == 0 {
		t.Fatalf("Stats = %+v, %v; want forwarded calls including write", stats, err)
	}
}

// The end descriptor turns readable when the realm ends, and Wait then
// returns at once; before the load it is a state error.
func TestEndFdPolls(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "sleep", "0.2"))
	if _, err := realm.EndFd(); err == nil {
		t.Fatal("EndFd before the load succeeded")
	}
	if err := realm.LoadBegin(); err != nil {
		t.Fatalf("LoadBegin: %v", err)
	}
	if err := realm.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	fd, err := realm.EndFd()
	if err != nil || fd < 0 {
		t.Fatalf("EndFd = %d, %v", fd, err)
	}
	poll := func(ms int) bool {
		pfd := struct {
			fd              int32
			events, revents int16
		}{int32(fd), 1 /* POLLIN */, 0}
		for {
			n, _, errno := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(ms))
			if errno == syscall.EINTR {
				continue
			}
			return errno == 0 && n == 1 && pfd.revents&1 != 0
		}
	}
	if poll(0) {
		t.Fatal("end descriptor readable while the realm sleeps")
	}
	if !poll(10000) {
		t.Fatal("end descriptor not readable within 10 s")
	}
	start := time.Now()
	info, err := realm.Wait(context.Background())
	if err != nil || info.Kind != EndExit || info.Status() != 0 {
		t.Fatalf("Wait = %+v, %v", info, err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("Wait after a readable end descriptor took %v", d)
	}
}

func TestRealmExitCodes(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"true"}, 0},
		{[]string{"false"}, 1},
		{[]string{"sh", "-c", "exit 3"}, 3},
	} {
		realm := newRealm(t, ctx, newConfig(t, tc.args...))
		info, err := realm.Exec(context.Background())
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if info.Kind != EndExit || info.Value != tc.want || info.Status() != tc.want {
			t.Fatalf("%v ended %+v, want exit %d", tc.args, info, tc.want)
		}
	}
}

func TestLogCallback(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	var seen []string
	if err := ctx.SetLog(LogInfo, func(level LogLevel, msg string) {
		if level <= LogInfo {
			seen = append(seen, msg)
		}
	}); err != nil {
		t.Fatal(err)
	}
	realm := newRealm(t, ctx, newConfig(t, "true"))
	if _, err := realm.Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 || !strings.Contains(seen[0], "loaded") || !strings.Contains(seen[1], "exited") {
		t.Fatalf("log messages %q, want a load and an exit", seen)
	}
	if err := ctx.SetLog(LogInfo, nil); err != nil {
		t.Fatal(err)
	}
}

func TestRealmStateErrors(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "true"))
	if _, err := realm.RIM(); !errors.Is(err, ErrState) {
		t.Fatalf("RIM before load = %v, want ErrState", err)
	}
	if _, err := realm.Wait(context.Background()); !errors.Is(err, ErrState) {
		t.Fatalf("Wait before start = %v, want ErrState", err)
	}
	realm.Close()
	if err := realm.Start(); !errors.Is(err, ErrState) {
		t.Fatalf("Start after Close = %v, want ErrState", err)
	}
}

func TestPredictedRIMEqualsRealmRIM(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	cfg := newConfig(t, "echo", "measured")
	predicted, err := MeasureConfig(cfg, "/", PlatformHost)
	if err != nil {
		t.Fatalf("MeasureConfig: %v", err)
	}
	realm := newRealm(t, ctx, cfg)
	if err := realm.Load(); err != nil {
		t.Fatal(err)
	}
	rim, err := realm.RIM()
	if err != nil {
		t.Fatal(err)
	}
	if len(rim) != 32 || !bytes.Equal(rim, predicted) {
		t.Fatalf("realm RIM %x, predicted %x", rim, predicted)
	}
	// Any changed argument changes the prediction.
	if err := cfg.SetArgv([]string{"busybox", "echo", "measureD"}); err != nil {
		t.Fatal(err)
	}
	other, err := MeasureConfig(cfg, "/", PlatformHost)
	if err != nil || bytes.Equal(other, predicted) {
		t.Fatalf("changed argv predicted %x (%v), same as before", other, err)
	}
}

func TestAttestTokenVerifies(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "true"))
	if err := realm.Load(); err != nil {
		t.Fatal(err)
	}
	rim, err := realm.RIM()
	if err != nil {
		t.Fatal(err)
	}
	challenge := bytes.Repeat([]byte{0x5a}, 64)
	token, err := realm.Attest(challenge)
	if err != nil {
		t.Fatalf("Attest: %v", err)
	}
	pem, err := ctx.PlatformKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	opts := VerifyOptions{Anchor: []byte(pem), Challenge: challenge, RIM: rim}
	claims, err := TokenVerify(token, opts)
	if err != nil {
		t.Fatalf("TokenVerify: %v", err)
	}
	if !claims.PlatformVerified || !bytes.Equal(claims.Realm.RIM, rim) ||
		!bytes.Equal(claims.Realm.Challenge, challenge) {
		t.Fatalf("claims do not report the realm: %+v", claims.Realm)
	}
	if js, err := TokenShowJSON(token); err != nil || !bytes.Contains([]byte(js), []byte("realm")) {
		t.Fatalf("TokenShowJSON = %.80q, %v", js, err)
	}

	wrong := opts
	wrong.Challenge = bytes.Repeat([]byte{0xa5}, 64)
	if _, err := TokenVerify(token, wrong); !errors.Is(err, ErrChallenge) {
		t.Fatalf("wrong challenge: %v, want ErrChallenge", err)
	}
	wrong = opts
	wrong.RIM = append([]byte{rim[0] ^ 1}, rim[1:]...)
	if _, err := TokenVerify(token, wrong); !errors.Is(err, ErrReference) {
		t.Fatalf("wrong RIM: %v, want ErrReference", err)
	}
	other := newContext(t) // another state directory: another platform key
	otherPEM, err := other.PlatformKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	wrong = opts
	wrong.Anchor = []byte(otherPEM)
	if _, err := TokenVerify(token, wrong); !errors.Is(err, ErrSignature) {
		t.Fatalf("wrong platform key: %v, want ErrSignature", err)
	}
	flipped := append([]byte(nil), token...)
	flipped[len(flipped)-1] ^= 1
	if _, err := TokenVerify(flipped, opts); err == nil {
		t.Fatal("a token with a flipped byte verified")
	}
}

func TestWaitCancelKillsRealm(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "sleep", "10"))
	if err := realm.Start(); err != nil {
		t.Fatal(err)
	}
	if realm.Pid() <= 0 {
		t.Fatal("a started realm has no monitor pid")
	}
	waitCtx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	begin := time.Now()
	info, err := realm.Wait(waitCtx)
	elapsed := time.Since(begin)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %+v, %v; want DeadlineExceeded", info, err)
	}
	if info.Kind != EndSignal || info.Value != int(syscall.SIGKILL) {
		t.Fatalf("cancelled realm ended %+v, want SIGKILL", info)
	}
	if elapsed > 3*time.Second {
		t.Fatalf("Wait took %v after cancellation", elapsed)
	}
}

func TestCloseKillsWaitingRealm(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	realm := newRealm(t, ctx, newConfig(t, "sleep", "10"))
	if err := realm.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := realm.Wait(context.Background())
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	realm.Close()
	if err := <-done; err != nil && !errors.Is(err, ErrState) {
		t.Fatalf("Wait during Close = %v", err)
	}
	if elapsed := time.Since(begin); elapsed > 3*time.Second {
		t.Fatalf("Close took %v", elapsed)
	}
}

// A network namespace of the realm's own: its loopback alone, up; a path
// that is no network namespace is refused when it is set.
func TestSystemRealmNetworkNamespace(t *testing.T) {
	requireKVM(t)
	ctx := newContext(t)
	sys, err := ctx.NewSystemRealm("/")
	if err != nil {
		t.Fatalf("NewSystemRealm: %v", err)
	}
	t.Cleanup(func() { sys.Close() })
	if err := sys.SetNamespace(NamespaceNet, "/etc/hostname"); err == nil ||
		!strings.Contains(err.Error(), "is not a network namespace") {
		t.Fatalf("SetNamespace(/etc/hostname) = %v", err)
	}
	if err := sys.SetCapabilities([]int{21}); err == nil || !strings.Contains(err.Error(), "cannot be granted") {
		t.Fatalf("SetCapabilities(CAP_SYS_ADMIN) = %v", err)
	}
	if err := sys.SetNamespace(NamespaceNet, ""); err != nil {
		t.Fatalf("SetNamespace: %v", err)
	}
	if err := sys.SetHostname("gorealm"); err != nil {
		t.Fatalf("SetHostname: %v", err)
	}
	realm, err := ctx.NewRealm(newConfig(t, "sh", "-c", "busybox hostname; busybox ip -o link"), sys)
	if err != nil {
		t.Fatalf("NewRealm: %v", err)
	}
	t.Cleanup(func() { realm.Close() })
	var info ExitInfo
	out := withStdout(t, func() { info, err = realm.Exec(context.Background()) })
	if err != nil || info.Status() != 0 {
		t.Fatalf("Exec = %+v, %v", info, err)
	}
	if !strings.HasPrefix(out, "gorealm\n1: lo: <LOOPBACK,UP") || strings.Count(out, "\n") != 2 {
		t.Fatalf("realm printed %q", out)
	}
}
