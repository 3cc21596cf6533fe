// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/attest.h>
import "C"

import (
	"bytes"
	"unsafe"
)

// SwComponent is a software component of the platform token.
type SwComponent struct {
	Measurement []byte
	SignerID    []byte
	Type        string
	Version     string
	HashAlgo    string
}

// RealmClaims are the claims of a realm token.
type RealmClaims struct {
	Profile     string // "" in legacy tokens
	Challenge   []byte // 64 bytes
	RPV         []byte // 64 bytes
	RIM         []byte // digest length of HashAlgo
	REM         [4][]byte
	HashAlgo    string
	RAKHashAlgo string
	RAK         []byte // realm attestation key, SEC1 point
	Alg         int    // COSE alg of the realm signature
}

// PlatformClaims are the claims of a platform token.
type PlatformClaims struct {
	Profile             string
	Challenge           []byte
	ImplementationID    []byte
	InstanceID          []byte
	Lifecycle           uint32
	Config              []byte // at most 512 bytes kept
	ConfigLen           int    // full length in the token
	HashAlgo            string
	VerificationService string
	SwComponents        []SwComponent // at most 32 kept
	SwCount             int           // full count in the token
	Alg                 int
}

// TokenClaims are the claims of a verified CCA token.
type TokenClaims struct {
	CollectionTag    uint32 // 399 or 907
	PlatformVerified bool   // false only with SkipPlatformSignature
	Realm            RealmClaims
	Platform         PlatformClaims
}

// newCClaims allocates a zeroed claims struct in C memory (it is large)
// with its size set; free it with C.free.
func newCClaims() *C.struct_fasco_token_claims {
	c := (*C.struct_fasco_token_claims)(C.calloc(1, C.sizeof_struct_fasco_token_claims))
	if c == nil {
		panic("fasco: out of memory")
	}
	c.size = C.uint32_t(C.sizeof_struct_fasco_token_claims)
	return c
}

// take copies the first n bytes of a C byte array of capacity max (n clamped).
func take(p *C.uint8_t, n, max int) []byte {
	if n > max {
		n = max
	}
	if n <= 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// text reads a NUL-terminated string from a C char array of capacity max,
// never past its end.
func text(p *C.char, max int) string {
	b := C.GoBytes(unsafe.Pointer(p), C.int(max))
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func tokenClaims(c *C.struct_fasco_token_claims) TokenClaims {
	return TokenClaims{
		CollectionTag:    uint32(c.collection_tag),
		PlatformVerified: c.platform_verified != 0,
		Realm:            realmClaims(&c.realm),
		Platform:         platformClaims(&c.platform),
	}
}

func realmClaims(c *C.struct_fasco_realm_claims) RealmClaims {
	n := int(c.measurement_len)
	r := RealmClaims{
		Profile:     text(&c.profile[0], len(c.profile)),
		Challenge:   take(&c.challenge[0], 64, 64),
		RPV:         take(&c.rpv[0], 64, 64),
		RIM:         take(&c.rim[0], n, 64),
		HashAlgo:    text(&c.hash_algo[0], len(c.hash_algo)),
		RAKHashAlgo: text(&c.rak_hash_algo[0], len(c.rak_hash_algo)),
		RAK:         take(&c.rak[0], int(c.rak_len), len(c.rak)),
		Alg:         int(c.alg),
	}
	for i := range r.REM {
		r.REM[i] = take(&c.rem[i][0], n, 64)
	}
	return r
}

func platformClaims(c *C.struct_fasco_platform_claims) PlatformClaims {
	p := PlatformClaims{
		Profile:             text(&c.profile[0], len(c.profile)),
		Challenge:           take(&c.challenge[0], int(c.challenge_len), len(c.challenge)),
		ImplementationID:    take(&c.implementation_id[0], len(c.implementation_id), len(c.implementation_id)),
		InstanceID:          take(&c.instance_id[0], len(c.instance_id), len(c.instance_id)),
		Lifecycle:           uint32(c.lifecycle),
		Config:              take(&c.config[0], int(c.config_len), len(c.config)),
		ConfigLen:           int(c.config_len),
		HashAlgo:            text(&c.hash_algo[0], len(c.hash_algo)),
		VerificationService: text(&c.verification_service[0], len(c.verification_service)),
		SwCount:             int(c.sw_count),
		Alg:                 int(c.alg),
	}
	kept := int(c.sw_count)
	if kept > len(c.sw) {
		kept = len(c.sw)
	}
	for i := 0; i < kept; i++ {
		s := &c.sw[i]
		p.SwComponents = append(p.SwComponents, SwComponent{
			Measurement: take(&s.measurement[0], int(s.measurement_len), len(s.measurement)),
			SignerID:    take(&s.signer_id[0], int(s.signer_id_len), len(s.signer_id)),
			Type:        text(&s._type[0], len(s._type)),
			Version:     text(&s.version[0], len(s.version)),
			HashAlgo:    text(&s.hash_algo[0], len(s.hash_algo)),
		})
	}
	return p
}
