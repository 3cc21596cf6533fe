// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/fasco.h>
import "C"

import "sync"

// SystemRealm serves the forwarded calls of the realms attached to it,
// confined to a root directory (fasco_sysrealm). Close it after its realms.
type SystemRealm struct {
	mu   sync.RWMutex
	ptr  *C.fasco_sysrealm
	Root string
}

// NewSystemRealm creates a system realm serving calls inside root ("" or
// "/": the host's root).
func (c *Context) NewSystemRealm(root string) (*SystemRealm, error) {
	dir := optString(root)
	defer freeString(dir)
	var ptr *C.fasco_sysrealm
	err := c.use("fasco_sysrealm_create", func(p *C.fasco_ctx) error {
		_, err := call("fasco_sysrealm_create", func() C.int {
			return C.fasco_sysrealm_create(p, dir, &ptr)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &SystemRealm{ptr: ptr, Root: root}, nil
}

// Close destroys the system realm.
func (s *SystemRealm) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	C.fasco_sysrealm_destroy(s.ptr)
	s.ptr = nil
	return nil
}
