// SPDX-License-Identifier: Apache-2.0

package fasco

// #include <stdlib.h>
// #include <fasco/fasco.h>
import "C"

import (
	"sync"
	"unsafe"
)

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

// MountFlag is a bit of fasco_mount_flag, for AddMount.
type MountFlag uint32

const (
	MountReadOnly  MountFlag = C.FASCO_MOUNT_RDONLY
	MountRecursive MountFlag = C.FASCO_MOUNT_RECURSIVE // bind: submounts too (rbind)
	MountNoSuid    MountFlag = C.FASCO_MOUNT_NOSUID
	MountNoDev     MountFlag = C.FASCO_MOUNT_NODEV
	MountNoExec    MountFlag = C.FASCO_MOUNT_NOEXEC
)

// Namespace is a host namespace type the system realm serves in (fasco_namespace).
type Namespace int

const (
	NamespaceMount  Namespace = C.FASCO_NS_MOUNT
	NamespaceUTS    Namespace = C.FASCO_NS_UTS
	NamespaceIPC    Namespace = C.FASCO_NS_IPC
	NamespaceNet    Namespace = C.FASCO_NS_NET
	NamespaceCgroup Namespace = C.FASCO_NS_CGROUP
)

// set runs one setter on the handle; setters are made before any realm loads.
func (s *SystemRealm) set(op string, f func(*C.fasco_sysrealm) C.int) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return errClosed(op)
	}
	_, err := call(op, func() C.int { return f(s.ptr) })
	return err
}

// AddMount adds a mount to the container: typ "bind" (source: an absolute
// host path) or "tmpfs" (options: tmpfs parameters such as "size=1m,mode=1777",
// or ""). target is resolved inside the root.
func (s *SystemRealm) AddMount(typ, source, target string, flags MountFlag, options string) error {
	ctyp, csrc, ctgt, copt := cString(typ), optString(source), cString(target), optString(options)
	defer freeString(ctyp)
	defer freeString(csrc)
	defer freeString(ctgt)
	defer freeString(copt)
	return s.set("fasco_sysrealm_add_mount", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_add_mount(p, ctyp, csrc, ctgt, C.uint32_t(flags), copt)
	})
}

// SetReadOnly serves the root read-only (mounts keep their own flags).
func (s *SystemRealm) SetReadOnly(readonly bool) error {
	v := C.int(0)
	if readonly {
		v = 1
	}
	return s.set("fasco_sysrealm_set_readonly", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_set_readonly(p, v)
	})
}

// AddDefaultDevices binds the host's null, zero, full, random, urandom and tty under /dev.
func (s *SystemRealm) AddDefaultDevices() error {
	return s.set("fasco_sysrealm_add_default_devices", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_add_default_devices(p)
	})
}

// SetHostname is the hostname the realm's uname() reports.
func (s *SystemRealm) SetHostname(hostname string) error {
	c := cString(hostname)
	defer freeString(c)
	return s.set("fasco_sysrealm_set_hostname", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_set_hostname(p, c)
	})
}

// SetUser serves the realm's calls as uid:gid with these additional groups.
func (s *SystemRealm) SetUser(uid, gid uint32, groups []uint32) error {
	var first *C.uint32_t
	if len(groups) > 0 {
		first = (*C.uint32_t)(unsafe.Pointer(&groups[0]))
	}
	return s.set("fasco_sysrealm_set_user", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_set_user(p, C.uint32_t(uid), C.uint32_t(gid), C.size_t(len(groups)), first)
	})
}

// SetNamespace serves in a new namespace of type ns (path "") or joins the
// one at path, such as /var/run/netns/NAME; the path is checked now.
func (s *SystemRealm) SetNamespace(ns Namespace, path string) error {
	c := optString(path)
	defer freeString(c)
	return s.set("fasco_sysrealm_set_namespace", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_set_namespace(p, C.enum_fasco_namespace(ns), c)
	})
}

// SetCapabilities serves calls with these capabilities (CAP_* numbers of
// linux/capability.h), among those whose effect stays in the container.
func (s *SystemRealm) SetCapabilities(caps []int) error {
	var mask uint64
	for _, c := range caps {
		if c < 0 || c > 63 {
			return newError("fasco_sysrealm_set_capabilities", int(C.FASCO_E_CONFIG), "no such capability")
		}
		mask |= 1 << uint(c)
	}
	return s.set("fasco_sysrealm_set_capabilities", func(p *C.fasco_sysrealm) C.int {
		return C.fasco_sysrealm_set_capabilities(p, C.uint64_t(mask))
	})
}
