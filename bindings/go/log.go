// SPDX-License-Identifier: Apache-2.0

package fasco

/*
#include <fasco/fasco.h>

extern void fascoGoLog(void *userdata, int level, char *message);

static void fasco_go_log_trampoline(void *userdata, int level, const char *message)
{
	fascoGoLog(userdata, level, (char *)message);
}

static void fasco_go_set_log(fasco_ctx *ctx, int max_level, uintptr_t handle)
{
	fasco_ctx_set_log(ctx, max_level, handle ? fasco_go_log_trampoline : NULL,
			  (void *)handle);
}
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// LogLevel is a message's severity (enum fasco_log_level).
type LogLevel int

const (
	LogError   LogLevel = 0
	LogWarning LogLevel = 1
	LogInfo    LogLevel = 2
	LogDebug   LogLevel = 3
)

// LogFunc receives the library's messages, on the goroutine whose call
// produced them.
type LogFunc func(level LogLevel, message string)

//export fascoGoLog
func fascoGoLog(userdata unsafe.Pointer, level C.int, message *C.char) {
	if fn, ok := cgo.Handle(uintptr(userdata)).Value().(LogFunc); ok {
		fn(LogLevel(level), C.GoString(message))
	}
}

// SetLog sends messages up to maxLevel to fn (nil stops logging). The
// callback stays registered until it is replaced or the context closed.
func (c *Context) SetLog(maxLevel LogLevel, fn LogFunc) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil {
		return errClosed("fasco_ctx_set_log")
	}
	var h cgo.Handle
	if fn != nil {
		h = cgo.NewHandle(fn)
	}
	C.fasco_go_set_log(c.ptr, C.int(maxLevel), C.uintptr_t(h))
	if c.log != 0 {
		c.log.Delete()
	}
	c.log = h
	return nil
}
