// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/fasco.h>
import "C"

import (
	"sync"
	"unsafe"
)

// Param is a numeric realm parameter (enum fasco_config_param).
type Param int

const (
	ParamMemoryBytes Param = 1 // realm private memory (default 256 MiB)
	ParamVCPUs       Param = 2 // vCPU count
	ParamStackBytes  Param = 3 // initial stack limit
	ParamHashAlgo    Param = 4 // 0 SHA-256, 1 SHA-512
	ParamIPABits     Param = 5 // guest-physical width
	ParamPollNs      Param = 6 // polling window for forwarded calls
	ParamMeasure     Param = 7 // 1: measure the realm (default); 0: do not
)

// Config is a realm configuration (fasco_config). Realms copy it at
// creation, so it may be changed and reused afterwards. Use it from one
// goroutine at a time.
type Config struct {
	mu  sync.Mutex
	ptr *C.fasco_config
}

// NewConfig creates an empty configuration.
func NewConfig() (*Config, error) {
	var ptr *C.fasco_config
	if _, err := call("fasco_config_create", func() C.int {
		return C.fasco_config_create(&ptr)
	}); err != nil {
		return nil, err
	}
	return &Config{ptr: ptr}, nil
}

// Close destroys the configuration.
func (c *Config) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.fasco_config_destroy(c.ptr)
	c.ptr = nil
	return nil
}

func (c *Config) use(op string, f func(*C.fasco_config) C.int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil {
		return errClosed(op)
	}
	_, err := call(op, func() C.int { return f(c.ptr) })
	return err
}

// SetProgram sets the program path, resolved inside the system realm's root.
func (c *Config) SetProgram(path string) error {
	s := cString(path)
	defer freeString(s)
	return c.use("fasco_config_set_program", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_program(p, s)
	})
}

// SetArgv sets the program's arguments; argv[0] defaults to the program.
func (c *Config) SetArgv(argv []string) error {
	array := C.malloc(C.size_t(len(argv)+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
	defer C.free(array)
	items := unsafe.Slice((**C.char)(array), len(argv)+1)
	for i, a := range argv {
		items[i] = cString(a)
		defer freeString(items[i])
	}
	items[len(argv)] = nil
	return c.use("fasco_config_set_argv", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_argv(p, C.int(len(argv)), (**C.char)(array))
	})
}

// AddEnv appends one "KEY=VALUE" environment entry.
func (c *Config) AddEnv(entry string) error {
	s := cString(entry)
	defer freeString(s)
	return c.use("fasco_config_add_env", func(p *C.fasco_config) C.int {
		return C.fasco_config_add_env(p, s)
	})
}

// SetCwd sets the working directory inside the root (default "/").
func (c *Config) SetCwd(path string) error {
	s := cString(path)
	defer freeString(s)
	return c.use("fasco_config_set_cwd", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_cwd(p, s)
	})
}

// SetParam sets a numeric parameter; ErrConfig outside ParamBounds.
func (c *Config) SetParam(param Param, value uint64) error {
	return c.use("fasco_config_set_param", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_param(p, C.int(param), C.uint64_t(value))
	})
}

// Param reads a numeric parameter.
func (c *Config) Param(param Param) (uint64, error) {
	var v C.uint64_t
	err := c.use("fasco_config_get_param", func(p *C.fasco_config) C.int {
		return C.fasco_config_get_param(p, C.int(param), &v)
	})
	return uint64(v), err
}

// SetRPV sets the 64-byte Realm Personalization Value.
func (c *Config) SetRPV(rpv []byte) error {
	return c.use("fasco_config_set_rpv", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_rpv(p, bytesPtr(rpv), C.size_t(len(rpv)))
	})
}

// SetConfigDigest puts a digest (at most 64 bytes; empty clears it) of the
// container's configuration into the realm's measured manifest, so the RIM
// proves how the container was configured.
func (c *Config) SetConfigDigest(digest []byte) error {
	return c.use("fasco_config_set_config_digest", func(p *C.fasco_config) C.int {
		return C.fasco_config_set_config_digest(p, bytesPtr(digest), C.size_t(len(digest)))
	})
}

// ParamBounds gives the inclusive range the library accepts for param.
func ParamBounds(param Param) (min, max uint64, err error) {
	var lo, hi C.uint64_t
	_, err = call("fasco_config_param_bounds", func() C.int {
		return C.fasco_config_param_bounds(C.int(param), &lo, &hi)
	})
	return uint64(lo), uint64(hi), err
}
