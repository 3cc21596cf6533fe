// SPDX-License-Identifier: Apache-2.0

package fasco

import (
	"os"
	"syscall"
	"testing"

	"libfasco.org/fasco/fascotest"
)

var requireKVM = fascotest.RequireKVM

const busybox = "/bin/busybox"

// newContext is a KVM context with its state (platform key) in a
// temporary directory, closed at the end of the test.
func newContext(t *testing.T) *Context {
	t.Helper()
	ctx, err := NewContext(BackendAuto, t.TempDir())
	if err != nil {
		t.Fatalf("NewContext: %v", err)
	}
	t.Cleanup(func() { ctx.Close() })
	return ctx
}

// newConfig is a configuration running busybox with args.
func newConfig(t *testing.T, args ...string) *Config {
	t.Helper()
	cfg, err := NewConfig()
	if err != nil {
		t.Fatalf("NewConfig: %v", err)
	}
	t.Cleanup(func() { cfg.Close() })
	if err := cfg.SetProgram(busybox); err != nil {
		t.Fatalf("SetProgram: %v", err)
	}
	if err := cfg.SetArgv(append([]string{"busybox"}, args...)); err != nil {
		t.Fatalf("SetArgv: %v", err)
	}
	if err := cfg.SetParam(ParamMemoryBytes, 64<<20); err != nil {
		t.Fatalf("SetParam: %v", err)
	}
	return cfg
}

// newRealm creates a realm from cfg served by a system realm on "/".
func newRealm(t *testing.T, ctx *Context, cfg *Config) *Realm {
	t.Helper()
	sys, err := ctx.NewSystemRealm("/")
	if err != nil {
		t.Fatalf("NewSystemRealm: %v", err)
	}
	realm, err := ctx.NewRealm(cfg, sys)
	if err != nil {
		sys.Close()
		t.Fatalf("NewRealm: %v", err)
	}
	// Cleanups run last-in first-out: the realm closes before its sysrealm.
	t.Cleanup(func() { sys.Close() })
	t.Cleanup(func() { realm.Close() })
	return realm
}

// withStdout runs f with the process's descriptor 1 pointing at a file and
// returns what was written there: realms inherit the caller's descriptors.
func withStdout(t *testing.T, f func()) string {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	saved, err := syscall.Dup(1)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup2(int(out.Fd()), 1); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			syscall.Dup2(saved, 1)
			syscall.Close(saved)
		}()
		f()
	}()
	data, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
