// SPDX-License-Identifier: Apache-2.0

package fasco

// #cgo pkg-config: fasco
// #include <stdlib.h>
// #include <fasco/fasco.h>
// #include <fasco/attest.h>
// #include <fasco/measure.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// call runs one C call on a locked OS thread and turns a negative result
// into an *Error; the detail message is thread-local, so it must be read on
// the thread that made the call, before any other libfasco call there.
func call(op string, f func() C.int) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ret := f()
	if ret < 0 {
		return 0, newError(op, int(ret), C.GoString(C.fasco_last_error()))
	}
	return int(ret), nil
}

// cString is a C copy of s; free it with C.free.
func cString(s string) *C.char {
	return C.CString(s)
}

// optString is a C copy of s, or NULL for "" (the library's default).
func optString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeString(p *C.char) {
	C.free(unsafe.Pointer(p))
}

// bytesPtr points at the first byte of b, or is NULL for an empty slice.
// The slice holds no Go pointers, so cgo lets C read it during the call.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// Version is the runtime version of the library, "MAJOR.MINOR.PATCH".
func Version() string {
	return C.GoString(C.fasco_version())
}

// VersionNumber is MAJOR*10000 + MINOR*100 + PATCH of the loaded library.
func VersionNumber() uint {
	return uint(C.fasco_version_number())
}

// SyscallSupported tells whether realms serve x86-64 system call nr (in the
// shim or forwarded); otherwise it is answered ENOSYS.
func SyscallSupported(nr uint) bool {
	return C.fasco_syscall_supported(C.uint(nr)) != 0
}

// Strerror names a status code or negative errno.
func Strerror(code int) string {
	return C.GoString(C.fasco_strerror(C.int(code)))
}
