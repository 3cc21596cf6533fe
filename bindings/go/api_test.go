// SPDX-License-Identifier: Apache-2.0

package fasco

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestVersion(t *testing.T) {
	v := Version()
	if strings.Count(v, ".") != 2 {
		t.Fatalf("Version() = %q, want MAJOR.MINOR.PATCH", v)
	}
	if !SyscallSupported(0) || SyscallSupported(56) {
		t.Fatal("SyscallSupported: read must be served, clone not yet")
	}
	if VersionNumber() == 0 {
		t.Fatal("VersionNumber() = 0")
	}
	if Strerror(CodeConfig) == "" {
		t.Fatal("Strerror gave nothing")
	}
}

func TestConfigErrorIsErrConfig(t *testing.T) {
	cfg, err := NewConfig()
	if err != nil {
		t.Fatal(err)
	}
	defer cfg.Close()
	_, max, err := ParamBounds(ParamMemoryBytes)
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.SetParam(ParamMemoryBytes, max+1)
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("SetParam(memory max+1) = %v, want ErrConfig", err)
	}
	if errors.Is(err, ErrState) {
		t.Fatal("a config error also matched ErrState")
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Code != CodeConfig || fe.Message == "" {
		t.Fatalf("error %#v lacks its code or detail message", err)
	}
	if err := cfg.SetParam(ParamMemoryBytes, max); err != nil {
		t.Fatalf("SetParam(memory max) = %v", err)
	}
	if err := cfg.SetConfigDigest(make([]byte, 65)); !errors.Is(err, ErrConfig) {
		t.Fatalf("SetConfigDigest(65 bytes) = %v, want ErrConfig", err)
	}
	if err := cfg.SetConfigDigest(make([]byte, 32)); err != nil {
		t.Fatalf("SetConfigDigest(32 bytes) = %v", err)
	}
	if v, err := cfg.Param(ParamMemoryBytes); err != nil || v != max {
		t.Fatalf("Param(memory) = %d, %v; want %d", v, err, max)
	}
}

func TestClosedHandleIsErrState(t *testing.T) {
	cfg, err := NewConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Close()
	if err := cfg.SetProgram(busybox); !errors.Is(err, ErrState) {
		t.Fatalf("SetProgram on a closed config = %v, want ErrState", err)
	}
	if err := cfg.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
}

func TestErrnoUnwraps(t *testing.T) {
	_, err := KeyParseFile("/nonexistent/fasco-go-test.pem", KeyPEM)
	if err == nil {
		t.Fatal("KeyParseFile of a missing file succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("KeyParseFile(missing) = %v, want ENOENT", err)
	}
}

func TestKeyRoundTrip(t *testing.T) {
	ctx := newContext(t)
	pem, err := ctx.PlatformKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	point, err := KeyParse([]byte(pem), KeyAuto)
	if err != nil {
		t.Fatal(err)
	}
	if len(point) != 97 || point[0] != 4 {
		t.Fatalf("platform key point is %d bytes, want a P-384 point", len(point))
	}
	again, err := KeyToPEM(point)
	if err != nil || again != pem {
		t.Fatalf("KeyToPEM = %q, %v; want %q", again, err, pem)
	}
	if n, err := AnchorCount([]byte(pem), KeyPEM); err != nil || n != 1 {
		t.Fatalf("AnchorCount = %d, %v", n, err)
	}
	if _, err := KeyParse([]byte("not a key"), KeyAuto); !errors.Is(err, ErrKey) {
		t.Fatalf("KeyParse(garbage) = %v, want ErrKey", err)
	}
}

func TestTokenVerifyRejectsGarbage(t *testing.T) {
	for _, token := range [][]byte{nil, {0xff}, []byte("\xd9\x01\x8f\xa0")} {
		_, err := TokenVerify(token, VerifyOptions{SkipPlatformSignature: true})
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("TokenVerify(%x) = %v, want an *Error", token, err)
		}
		if _, err := TokenShowJSON(token); err == nil && len(token) < 2 {
			t.Fatalf("TokenShowJSON(%x) accepted it", token)
		}
	}
	if _, err := ClaimsCheck([]byte{0xa0}, ClaimsRealm); !errors.Is(err, ErrClaimMissing) {
		t.Fatalf("ClaimsCheck(empty map) = %v, want ErrClaimMissing", err)
	}
}

func TestMeasureCalculators(t *testing.T) {
	rim, err := MeasureRIMParams(RIMParams{HashAlgo: HashSHA256, IPABits: 40, NumBPs: 1, NumWPs: 1})
	if err != nil || len(rim) != 32 {
		t.Fatalf("MeasureRIMParams = %x, %v", rim, err)
	}
	if _, err := MeasureRIMParams(RIMParams{HashAlgo: HashSHA256, IPABits: 20, NumBPs: 1, NumWPs: 1}); !errors.Is(err, ErrConfig) {
		t.Fatalf("MeasureRIMParams(ipa 20) = %v, want ErrConfig", err)
	}
	rem, err := MeasureREMExtend(HashSHA512, RemTFRMM, nil, []byte("value"))
	if err != nil || len(rem) != 64 {
		t.Fatalf("MeasureREMExtend = %x, %v", rem, err)
	}
	again, err := MeasureREMExtend(HashSHA512, RemTFRMM, rem, []byte("value"))
	if err != nil || string(again) == string(rem) {
		t.Fatalf("extending a REM did not change it: %x, %v", again, err)
	}
	if _, err := MeasureReplay([]byte("garbage log")); !errors.Is(err, syscall.EBADMSG) && !errors.Is(err, ErrUnsupported) {
		t.Fatalf("MeasureReplay(garbage) = %v, want EBADMSG", err)
	}
}
