// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/measure.h>
import "C"

// Platform names the conventions a realm image follows (enum fasco_platform).
type Platform int

const (
	PlatformHost   Platform = 0 // this host's
	PlatformKVMPVM Platform = 1 // shadow-paging KVM without VMX/SVM
	PlatformKVMHW  Platform = 2 // KVM on VMX/SVM
)

// HashAlgo is a realm hash algorithm (enum fasco_hash_algo).
type HashAlgo int

const (
	HashSHA256 HashAlgo = 0
	HashSHA512 HashAlgo = 1
	HashSHA384 HashAlgo = 2
)

// RealmFlag bits of RmiRealmFlags.
const (
	RealmFlagLPA2 = 1
	RealmFlagSVE  = 2
	RealmFlagPMU  = 4
)

// RemMode is the REM extension formula (enum fasco_rem_mode).
type RemMode int

const (
	RemTFRMM RemMode = 0 // RHA(old || value): TF-RMM, Islet
	RemSpec  RemMode = 1 // RHA(old[0..64) || value padded to 64): DEN0137
)

// MeasureConfig predicts the RIM of the realm cfg creates, without
// creating it and without /dev/kvm: the program is read inside root ("":
// "/") as loading reads it. Equal to Realm.RIM of such a realm on platform.
func MeasureConfig(cfg *Config, root string, platform Platform) ([]byte, error) {
	dir := optString(root)
	defer freeString(dir)
	cfg.mu.Lock()
	defer cfg.mu.Unlock()
	if cfg.ptr == nil {
		return nil, errClosed("fasco_measure_config")
	}
	return digestOut(func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error) {
		return call("fasco_measure_config", func() C.int {
			return C.fasco_measure_config(cfg.ptr, dir, C.int(platform), out, capacity, n)
		})
	})
}

// RIMParams are the measured fields of RmiRealmParams, in spec encodings.
type RIMParams struct {
	HashAlgo   HashAlgo
	IPABits    uint
	Flags      uint64 // RealmFlag bits
	SVEVL      uint   // (vector length / 128) - 1; 0 unless SVE
	NumBPs     uint   // breakpoints MINUS ONE
	NumWPs     uint   // watchpoints MINUS ONE
	PMUNumCtrs uint   // 0 unless PMU
}

// MeasureRIMParams is the initial RIM under the RMM 1.0 rules; ErrConfig
// names the first value the RMM would reject.
func MeasureRIMParams(p RIMParams) ([]byte, error) {
	return digestOut(func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error) {
		return call("fasco_measure_rim_params", func() C.int {
			return C.fasco_measure_rim_params(C.int(p.HashAlgo), C.uint(p.IPABits),
				C.uint64_t(p.Flags), C.uint(p.SVEVL), C.uint(p.NumBPs), C.uint(p.NumWPs),
				C.uint(p.PMUNumCtrs), out, capacity, n)
		})
	})
}

// MeasureREMExtend is one RSI_MEASUREMENT_EXTEND: old (nil for the initial
// zero REM; digest length or a 64-byte slot) extended by value (<= 64).
func MeasureREMExtend(algo HashAlgo, mode RemMode, old, value []byte) ([]byte, error) {
	return digestOut(func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error) {
		return call("fasco_measure_rem_extend", func() C.int {
			return C.fasco_measure_rem_extend(C.int(algo), C.int(mode), bytesPtr(old),
				C.size_t(len(old)), bytesPtr(value), C.size_t(len(value)), out, capacity, n)
		})
	})
}

// MeasureReplay is the RIM a libfasco measurement operation log produces.
// The log is untrusted: a malformed one fails with EBADMSG.
func MeasureReplay(log []byte) ([]byte, error) {
	return digestOut(func(out *C.uint8_t, capacity C.size_t, n *C.size_t) (int, error) {
		return call("fasco_measure_replay", func() C.int {
			return C.fasco_measure_replay(bytesPtr(log), C.size_t(len(log)), out, capacity, n)
		})
	})
}
