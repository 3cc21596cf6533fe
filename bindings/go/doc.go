// SPDX-License-Identifier: Apache-2.0

// Package fasco is the Go binding of libfasco, a C library for lightweight
// confidential containers: each program runs in a container realm (a
// hardware-isolated address space) whose system calls a system realm serves
// inside a root directory. The package wraps include/fasco/fasco.h,
// attest.h and measure.h through cgo (#cgo pkg-config: fasco).
//
// Handles (Context, Config, SystemRealm, Realm) own C resources and are
// released by an explicit Close; there are no finalizers, so a handle that
// is not closed leaks. Closing a Context does not close its children: close
// realms, then system realms, then the context.
//
// Every failure is an *Error carrying the C code and the library's detail
// message. Compare with errors.Is against the exported sentinels (ErrState,
// ErrConfig, ErrSignature, ...); a negative errno code also matches its
// syscall.Errno (errors.Is(err, fs.ErrNotExist) works for -ENOENT).
//
// Realm.Wait takes a context.Context: when it ends first, the realm is
// killed with SIGKILL and reaped before Wait returns.
//
// Standard streams: a realm's program reads and writes the caller process's
// file descriptors 0, 1 and 2; the C API has no way to give a realm other
// streams, so this package offers no io.Reader/io.Writer for them. Run the
// program with its output redirected inside the realm's root, or set the
// process's own descriptors, until the C API grows stdio parameters.
//
// Threads: each realm's monitor process is forked by the thread that loads
// it, and the library reports failure details per thread. The package
// therefore makes every C call whose detail it reads from a goroutine locked
// to its OS thread, and loads realms from a dedicated locked goroutine.
package fasco
