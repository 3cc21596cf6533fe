// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/fasco.h>
// #include <fasco/measure.h>
import "C"

import "unsafe"

// RealmStats are the statistics of a finished realm.
type RealmStats struct {
	StartupNs    uint64
	RunNs        uint64
	Exits        uint64
	Forwarded    uint64
	Unsupported  uint64
	PeakRSSBytes uint64
	Polled       uint64         // forwarded calls answered without a VM exit
	PerSyscall   map[int]uint64 // x86-64 syscall number -> calls (non-zero only)
}

// Stats reports on a finished realm (ErrState before it ends).
func (r *Realm) Stats() (RealmStats, error) {
	var c C.struct_fasco_realm_stats
	c.size = C.uint32_t(C.sizeof_struct_fasco_realm_stats)
	if _, err := r.do("fasco_realm_stats", func(p *C.fasco_realm) C.int {
		return C.fasco_realm_stats(p, &c)
	}); err != nil {
		return RealmStats{}, err
	}
	s := RealmStats{
		StartupNs: uint64(c.startup_ns), RunNs: uint64(c.run_ns), Exits: uint64(c.exits),
		Forwarded: uint64(c.forwarded), Unsupported: uint64(c.unsupported),
		PeakRSSBytes: uint64(c.peak_rss_bytes), Polled: uint64(c.polled),
		PerSyscall: map[int]uint64{},
	}
	for nr, n := range c.per_syscall {
		if n != 0 {
			s.PerSyscall[nr] = uint64(n)
		}
	}
	return s, nil
}

// digestOut calls f with a 64-byte buffer and returns the digest it wrote.
func digestOut(f func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error)) ([]byte, error) {
	var buf [C.FASCO_MEASURE_MAX_LEN]C.uint8_t
	var n C.size_t
	if _, err := f(&buf[0], C.size_t(len(buf)), &n); err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&buf[0]), C.int(n)), nil
}

// Measurement is a measurement of a loaded realm: index 0 is the RIM
// (fixed at load), 1..4 the REMs (final once the realm has ended). ErrState
// before Load; ErrUnsupported for a realm created with ParamMeasure 0.
func (r *Realm) Measurement(index uint) ([]byte, error) {
	return digestOut(func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error) {
		return r.do("fasco_realm_measurement", func(p *C.fasco_realm) C.int {
			return C.fasco_realm_measurement(p, C.uint(index), out, capacity, n)
		})
	})
}

// RIM is the Realm Initial Measurement, Measurement(0).
func (r *Realm) RIM() ([]byte, error) {
	return r.Measurement(0)
}

// tokenMax bounds the token size the binding will allocate for.
const tokenMax = 1 << 20

// Attest gives a CCA attestation token for this loaded realm, bound to
// challenge (at most 64 bytes, zero padded) and reporting its measurements.
// Check it with TokenVerify against Context.PlatformKeyPEM.
func (r *Realm) Attest(challenge []byte) ([]byte, error) {
	size := C.size_t(8192)
	for {
		buf := C.malloc(size)
		var n C.size_t
		_, err := r.do("fasco_realm_attest", func(p *C.fasco_realm) C.int {
			return C.fasco_realm_attest(p, bytesPtr(challenge), C.size_t(len(challenge)),
				(*C.uint8_t)(buf), size, &n)
		})
		if err == nil {
			token := C.GoBytes(buf, C.int(n))
			C.free(buf)
			return token, nil
		}
		C.free(buf)
		if !isCode(err, CodeBuffer) || n <= size || n > tokenMax {
			return nil, err
		}
		size = n
	}
}
