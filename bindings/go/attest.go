// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/attest.h>
import "C"

import (
	"errors"
	"unsafe"
)

// KeyFormat is the encoding of a public key (enum fasco_key_format).
type KeyFormat int

const (
	KeyAuto   KeyFormat = 0 // guess from the content
	KeyPEM    KeyFormat = 1 // SubjectPublicKeyInfo, PEM or DER
	KeyJWK    KeyFormat = 2 // JSON Web Key, kty "EC"
	KeyTAJSON KeyFormat = 3 // Veraison trust anchors
	KeyCOSE   KeyFormat = 4 // COSE_Key, kty EC2
	KeyRaw    KeyFormat = 5 // SEC1 uncompressed point
)

// pointOut calls f with a buffer for a SEC1 point.
func pointOut(op string, f func(out *C.uint8_t, capacity C.size_t, n *C.size_t) C.int) ([]byte, error) {
	var buf [C.FASCO_KEY_MAX_POINT]C.uint8_t
	var n C.size_t
	if _, err := call(op, func() C.int { return f(&buf[0], C.size_t(len(buf)), &n) }); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&buf[0]), C.int(n)), nil
}

// KeyParse parses a P-256/384/521 public key in any KeyFormat (a
// trust-anchor document must hold one anchor) into a SEC1 point.
func KeyParse(data []byte, format KeyFormat) ([]byte, error) {
	return pointOut("fasco_key_parse", func(out *C.uint8_t, capacity C.size_t, n *C.size_t) C.int {
		return C.fasco_key_parse(bytesPtr(data), C.size_t(len(data)), C.int(format), out, capacity, n)
	})
}

// KeyParseFile is KeyParse of a file (at most 64 KiB).
func KeyParseFile(path string, format KeyFormat) ([]byte, error) {
	s := cString(path)
	defer freeString(s)
	return pointOut("fasco_key_parse_file", func(out *C.uint8_t, capacity C.size_t, n *C.size_t) C.int {
		return C.fasco_key_parse_file(s, C.int(format), out, capacity, n)
	})
}

// KeyToPEM is the PEM SubjectPublicKeyInfo of a SEC1 point.
func KeyToPEM(point []byte) (string, error) {
	return textOut("fasco_key_to_pem", func(out *C.char, capacity C.size_t, n *C.size_t) C.int {
		return C.fasco_key_to_pem(bytesPtr(point), C.size_t(len(point)), out, capacity, n)
	})
}

// AnchorCount is the number of trust anchors in a document TokenVerify
// would accept (ErrKey if it holds none it can use).
func AnchorCount(data []byte, format KeyFormat) (int, error) {
	return call("fasco_anchor_count", func() C.int {
		return C.fasco_anchor_count(bytesPtr(data), C.size_t(len(data)), C.int(format))
	})
}

// VerifyOptions are the trust anchor and the optional reference values of
// TokenVerify; a nil slice skips its check.
type VerifyOptions struct {
	Anchor       []byte // platform trust anchor (required unless SkipPlatformSignature)
	AnchorFormat KeyFormat
	// SkipPlatformSignature checks everything but the platform signature,
	// for diagnosis only: the token then proves nothing about the platform.
	SkipPlatformSignature bool
	Challenge             []byte    // 64 bytes
	RPV                   []byte    // 64 bytes
	RIM                   []byte    // digest length of the realm hash algorithm
	REM                   [4][]byte // each nil or digest length
}

// cBuffers holds C copies of Go byte slices until free: the options struct
// lives in Go memory, and cgo forbids Go pointers inside what C receives.
type cBuffers []unsafe.Pointer

func (b *cBuffers) copy(data []byte) (*C.uint8_t, C.size_t) {
	if data == nil {
		return nil, 0
	}
	p := C.CBytes(data) // a 0-byte slice still yields a valid pointer
	*b = append(*b, p)
	return (*C.uint8_t)(p), C.size_t(len(data))
}

func (b cBuffers) free() {
	for _, p := range b {
		C.free(p)
	}
}

// TokenVerify checks a CCA token: structure, both signatures, the binding,
// every mandatory claim, then the reference values in opts. It returns the
// claims, or the first failure (ErrSignature, ErrBinding, ErrChallenge,
// ErrReference, ErrKey, ErrCBOR, ...).
func TokenVerify(token []byte, opts VerifyOptions) (*TokenClaims, error) {
	var bufs cBuffers
	defer bufs.free()
	var o C.struct_fasco_verify_opts
	o.size = C.uint32_t(C.sizeof_struct_fasco_verify_opts)
	if opts.SkipPlatformSignature {
		o.flags |= C.FASCO_VERIFY_SKIP_PLATFORM_SIGNATURE
	}
	o.anchor, o.anchor_len = bufs.copy(opts.Anchor)
	o.anchor_format = C.uint32_t(opts.AnchorFormat)
	o.challenge, o.challenge_len = bufs.copy(opts.Challenge)
	o.rpv, o.rpv_len = bufs.copy(opts.RPV)
	o.rim, o.rim_len = bufs.copy(opts.RIM)
	for i, rem := range opts.REM {
		o.rem[i], o.rem_len[i] = bufs.copy(rem)
	}
	c := newCClaims()
	defer C.free(unsafe.Pointer(c))
	if _, err := call("fasco_token_verify", func() C.int {
		return C.fasco_token_verify(bytesPtr(token), C.size_t(len(token)), &o, c)
	}); err != nil {
		return nil, err
	}
	claims := tokenClaims(c)
	return &claims, nil
}

// ClaimsKind selects the claims map ClaimsCheck reads.
type ClaimsKind int

const (
	ClaimsRealm    ClaimsKind = 1
	ClaimsPlatform ClaimsKind = 2
)

// ClaimsCheck checks an unsigned claims map (a COSE_Sign1 payload) as
// TokenVerify checks a token's claims; the part of kind is filled in.
// Nothing is signed, so this proves nothing about where the claims came from.
func ClaimsCheck(claims []byte, kind ClaimsKind) (*TokenClaims, error) {
	c := newCClaims()
	defer C.free(unsafe.Pointer(c))
	if _, err := call("fasco_claims_check", func() C.int {
		return C.fasco_claims_check(bytesPtr(claims), C.size_t(len(claims)), C.int(kind), c)
	}); err != nil {
		return nil, err
	}
	out := tokenClaims(c)
	return &out, nil
}

// TokenShowJSON decodes a token (signatures not checked) into JSON for people.
func TokenShowJSON(token []byte) (string, error) {
	var out *C.char
	if _, err := call("fasco_token_show_json", func() C.int {
		return C.fasco_token_show_json(bytesPtr(token), C.size_t(len(token)), &out)
	}); err != nil {
		return "", err
	}
	defer C.fasco_free(unsafe.Pointer(out))
	if out == nil {
		return "", errors.New("fasco: fasco_token_show_json returned no text")
	}
	return C.GoString(out), nil
}
