// SPDX-License-Identifier: Apache-2.0

// Package fascotest holds helpers for tests of programs that run realms.
package fascotest

import (
	"os"
	"testing"
)

// RequireKVM skips a test that runs realms when /dev/kvm is not usable, or
// fails it when FASCO_REQUIRE_KVM=1 says the host must have one.
func RequireKVM(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err == nil {
		f.Close()
		return
	}
	if os.Getenv("FASCO_REQUIRE_KVM") == "1" {
		t.Fatalf("FASCO_REQUIRE_KVM=1 but /dev/kvm is not usable: %v", err)
	}
	t.Skipf("no usable /dev/kvm: %v", err)
}
