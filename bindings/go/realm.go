// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <fasco/fasco.h>
import "C"

import (
	"context"
	"runtime"
	"sync"
	"syscall"
)

// EndKind tells how a realm ended (enum fasco_end_kind).
type EndKind int

const (
	EndExit   EndKind = 1 // the program exited: Value is its status
	EndSignal EndKind = 2 // a signal ended it: Value is the signal
	EndFault  EndKind = 3 // an unhandled fault: Value is the signal it maps to
	EndCrash  EndKind = 4 // the realm broke (triple fault, protocol)
)

// ExitInfo reports how a realm ended (struct fasco_exit_info).
type ExitInfo struct {
	Kind      EndKind
	Value     int    // exit status or signal number
	Vector    uint32 // EndFault: CPU exception vector
	Address   uint64 // EndFault: faulting address
	IP        uint64 // EndFault: instruction pointer
	ErrorCode uint64 // EndFault: CPU error code
	Detail    string
}

// Status is the exit status as a shell reports it: Value, or 128 + signal.
func (e ExitInfo) Status() int {
	if e.Kind == EndExit {
		return e.Value
	}
	return 128 + e.Value
}

// Realm is a container realm (fasco_realm). Kill and Pid may be called
// while another goroutine is in Wait; the other methods are serialised.
// Close kills a realm that still runs.
type Realm struct {
	handle sync.RWMutex // write-locked only to destroy the handle
	calls  sync.Mutex   // one call at a time on the handle, Kill and Pid aside
	ptr    *C.fasco_realm
	loaded bool
}

// NewRealm creates a realm from cfg (copied) attached to sys.
func (c *Context) NewRealm(cfg *Config, sys *SystemRealm) (*Realm, error) {
	var ptr *C.fasco_realm
	err := c.use("fasco_realm_create", func(p *C.fasco_ctx) error {
		cfg.mu.Lock()
		defer cfg.mu.Unlock()
		if cfg.ptr == nil {
			return errClosed("fasco_realm_create")
		}
		_, err := call("fasco_realm_create", func() C.int {
			return C.fasco_realm_create(p, cfg.ptr, &ptr)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	r := &Realm{ptr: ptr}
	sys.mu.RLock()
	defer sys.mu.RUnlock()
	if sys.ptr == nil {
		err = errClosed("fasco_attach_sysrealm")
	} else {
		_, err = call("fasco_attach_sysrealm", func() C.int {
			return C.fasco_attach_sysrealm(ptr, sys.ptr)
		})
	}
	if err != nil {
		C.fasco_realm_destroy(ptr)
		return nil, err
	}
	return r, nil
}

// do runs a C call on the handle, serialised with the other calls.
func (r *Realm) do(op string, f func(*C.fasco_realm) C.int) (int, error) {
	r.calls.Lock()
	defer r.calls.Unlock()
	r.handle.RLock()
	defer r.handle.RUnlock()
	if r.ptr == nil {
		return 0, errClosed(op)
	}
	return call(op, func() C.int { return f(r.ptr) })
}

// onLockedThread runs f on a fresh goroutine locked to its OS thread: the
// thread that loads a realm forks its monitor, and cgo would otherwise be
// free to move the caller between threads around the call.
func onLockedThread(f func()) {
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(done)
		f()
	}()
	<-done
}

// Load builds the realm; its first instruction has not run yet.
func (r *Realm) Load() error {
	var err error
	onLockedThread(func() {
		_, err = r.do("fasco_realm_load", func(p *C.fasco_realm) C.int {
			return C.fasco_realm_load(p)
		})
	})
	if err == nil {
		r.calls.Lock()
		r.loaded = true
		r.calls.Unlock()
	}
	return err
}

// LoadBegin starts loading the realm and returns at once: its monitor
// builds the realm meanwhile, and Load or Start waits for the rest.
func (r *Realm) LoadBegin() error {
	var err error
	onLockedThread(func() {
		_, err = r.do("fasco_realm_load_begin", func(p *C.fasco_realm) C.int {
			return C.fasco_realm_load_begin(p)
		})
	})
	return err
}

// EndFd is a descriptor that turns readable (and stays so) when the loaded
// realm has ended, for an event loop; once readable, Wait does not block.
// It belongs to the realm until Close: poll it, never read or close it.
func (r *Realm) EndFd() (int, error) {
	r.handle.RLock()
	defer r.handle.RUnlock()
	if r.ptr == nil {
		return -1, errClosed("fasco_realm_fd")
	}
	return call("fasco_realm_fd", func() C.int { return C.fasco_realm_fd(r.ptr) })
}

// Start lets the realm run (loading it first if needed); returns at once.
func (r *Realm) Start() error {
	r.calls.Lock()
	loaded := r.loaded
	r.calls.Unlock()
	if !loaded {
		if err := r.Load(); err != nil {
			return err
		}
	}
	_, err := r.do("fasco_realm_start", func(p *C.fasco_realm) C.int {
		return C.fasco_realm_start(p)
	})
	return err
}

// Wait blocks until the started realm ends. If ctx ends first, the realm is
// killed with SIGKILL and reaped, and Wait returns its ExitInfo with
// ctx.Err().
func (r *Realm) Wait(ctx context.Context) (ExitInfo, error) {
	type result struct {
		info ExitInfo
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var c C.struct_fasco_exit_info
		c.size = C.uint32_t(C.sizeof_struct_fasco_exit_info)
		_, err := r.do("fasco_realm_wait", func(p *C.fasco_realm) C.int {
			return C.fasco_realm_wait(p, &c)
		})
		done <- result{exitInfo(&c), err}
	}()
	select {
	case res := <-done:
		return res.info, res.err
	case <-ctx.Done():
		_ = r.Kill(syscall.SIGKILL) // fails only if it has just ended
		res := <-done
		if res.err != nil {
			return res.info, res.err
		}
		return res.info, ctx.Err()
	}
}

func exitInfo(c *C.struct_fasco_exit_info) ExitInfo {
	return ExitInfo{
		Kind:      EndKind(c.kind),
		Value:     int(c.value),
		Vector:    uint32(c.vector),
		Address:   uint64(c.address),
		IP:        uint64(c.ip),
		ErrorCode: uint64(c.error_code),
		Detail:    text(&c.detail[0], len(c.detail)),
	}
}

// Exec starts the realm (loading it first if needed) and waits for its end.
func (r *Realm) Exec(ctx context.Context) (ExitInfo, error) {
	if err := r.Start(); err != nil {
		return ExitInfo{}, err
	}
	return r.Wait(ctx)
}

// Kill sends a signal to the running realm; SIGKILL ends it at once.
func (r *Realm) Kill(sig syscall.Signal) error {
	r.handle.RLock()
	defer r.handle.RUnlock()
	if r.ptr == nil {
		return errClosed("fasco_realm_kill")
	}
	_, err := call("fasco_realm_kill", func() C.int {
		return C.fasco_realm_kill(r.ptr, C.int(sig))
	})
	return err
}

// Pid is the host process id of the realm's monitor, or 0 if it has none.
func (r *Realm) Pid() int {
	r.handle.RLock()
	defer r.handle.RUnlock()
	if r.ptr == nil {
		return 0
	}
	if pid := int(C.fasco_realm_pid(r.ptr)); pid > 0 {
		return pid
	}
	return 0
}

// Close destroys the realm, killing it first if it still runs. A Wait in
// another goroutine holds the call lock: end the realm so that it returns.
func (r *Realm) Close() error {
	if !r.calls.TryLock() {
		_ = r.Kill(syscall.SIGKILL)
		r.calls.Lock()
	}
	defer r.calls.Unlock()
	r.handle.Lock()
	defer r.handle.Unlock()
	C.fasco_realm_destroy(r.ptr)
	r.ptr = nil
	return nil
}
