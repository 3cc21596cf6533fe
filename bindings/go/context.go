// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/fasco.h>
// #include <fasco/attest.h>
import "C"

import (
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Backend selects how realms are built (enum fasco_backend).
type Backend int

const (
	BackendAuto Backend = 0 // the best backend this host can run
	BackendKVM  Backend = 1 // a KVM VM per realm (x86-64)
	BackendCCA  Backend = 2 // an Arm CCA realm
)

// Context is a library context (fasco_ctx). It may be shared between
// goroutines; Close it after the realms and system realms made from it.
type Context struct {
	mu  sync.RWMutex
	ptr *C.fasco_ctx
	log cgo.Handle // the SetLog callback, released with the context
}

// NewContext creates a context. stateDir holds persistent state such as
// the platform key; "" means the library's default.
func NewContext(backend Backend, stateDir string) (*Context, error) {
	dir := optString(stateDir)
	defer freeString(dir)
	var ptr *C.fasco_ctx
	if _, err := call("fasco_ctx_create", func() C.int {
		return C.fasco_ctx_create(C.int(backend), dir, &ptr)
	}); err != nil {
		return nil, err
	}
	return &Context{ptr: ptr}, nil
}

// Close destroys the context; later calls fail with ErrState.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.fasco_ctx_destroy(c.ptr)
	c.ptr = nil
	if c.log != 0 {
		c.log.Delete()
		c.log = 0
	}
	return nil
}

// use runs f with the live handle under the read lock.
func (c *Context) use(op string, f func(*C.fasco_ctx) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return errClosed(op)
	}
	return f(c.ptr)
}

// Backend is the backend in use.
func (c *Context) Backend() (b Backend, err error) {
	err = c.use("fasco_ctx_backend", func(p *C.fasco_ctx) error {
		b = Backend(C.fasco_ctx_backend(p))
		return nil
	})
	return
}

// Platform is the backend's platform name (for instance "kvm-pvm").
func (c *Context) Platform() (name string, err error) {
	err = c.use("fasco_ctx_platform", func(p *C.fasco_ctx) error {
		name = C.GoString(C.fasco_ctx_platform(p))
		return nil
	})
	return
}

// PlatformKeyPEM is the PEM public key that realms of this context report
// under (on kvm a software key in the state directory, created on first
// use), for a relying party to pin and pass to TokenVerify.
func (c *Context) PlatformKeyPEM() (pem string, err error) {
	err = c.use("fasco_platform_key_pem", func(p *C.fasco_ctx) error {
		pem, err = textOut("fasco_platform_key_pem", func(out *C.char, capacity C.size_t, n *C.size_t) C.int {
			return C.fasco_platform_key_pem(p, out, capacity, n)
		})
		return err
	})
	return
}

// textOut calls f for a NUL-terminated string, growing the buffer while
// the library answers FASCO_E_BUFFER (bounded at 64 KiB).
func textOut(op string, f func(out *C.char, capacity C.size_t, n *C.size_t) C.int) (string, error) {
	for size := 512; ; size *= 4 {
		buf := (*C.char)(C.malloc(C.size_t(size)))
		var n C.size_t
		_, err := call(op, func() C.int { return f(buf, C.size_t(size), &n) })
		if err == nil {
			s := C.GoStringN(buf, C.int(n))
			C.free(unsafe.Pointer(buf))
			return s, nil
		}
		C.free(unsafe.Pointer(buf))
		if !isCode(err, CodeBuffer) || size >= 1<<16 {
			return "", err
		}
	}
}

func isCode(err error, code int) bool {
	e, ok := err.(*Error)
	return ok && e.Code == code
}
