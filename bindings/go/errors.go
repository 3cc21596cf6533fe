// SPDX-License-Identifier: Apache-2.0

package fasco

import "syscall"

// Status codes of enum fasco_status (negative errno values are the other
// codes the library returns).
const (
	CodeInternal     = -20000
	CodeUnsupported  = -20001
	CodeNoKVM        = -20002
	CodeKVM          = -20003
	CodeBadELF       = -20004
	CodeManifest     = -20005
	CodeSandbox      = -20006
	CodeState        = -20007
	CodeConfig       = -20008
	CodeNoMemory     = -20009
	CodeProtocol     = -20010
	CodeCBOR         = -20100
	CodeCOSE         = -20101
	CodeSignature    = -20102
	CodeBinding      = -20103
	CodeClaimMissing = -20104
	CodeClaimInvalid = -20105
	CodeReference    = -20106
	CodeChallenge    = -20107
	CodeKey          = -20108
	CodeDuplicate    = -20109
	CodeBuffer       = -20110
)

// Error is a failed libfasco call: Code is the negative C return value,
// Message the library's detail (fasco_last_error), Op the function.
type Error struct {
	Op      string
	Code    int
	Message string
}

func (e *Error) Error() string {
	s := Strerror(e.Code)
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return "fasco: " + s
}

// Is matches any *Error with the same code, so the sentinels below work
// with errors.Is whatever the operation and message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Unwrap gives the syscall.Errno of an errno code (-ENOENT: ENOENT), so
// errors.Is(err, fs.ErrNotExist) and errors.Is(err, syscall.EINVAL) work.
func (e *Error) Unwrap() error {
	if e.Code < 0 && e.Code > -4096 {
		return syscall.Errno(-e.Code)
	}
	return nil
}

func newError(op string, code int, message string) *Error {
	return &Error{Op: op, Code: code, Message: message}
}

// Sentinels for errors.Is, one per library status code.
var (
	ErrInternal     = &Error{Code: CodeInternal}
	ErrUnsupported  = &Error{Code: CodeUnsupported}
	ErrNoKVM        = &Error{Code: CodeNoKVM}
	ErrKVM          = &Error{Code: CodeKVM}
	ErrBadELF       = &Error{Code: CodeBadELF}
	ErrManifest     = &Error{Code: CodeManifest}
	ErrSandbox      = &Error{Code: CodeSandbox}
	ErrState        = &Error{Code: CodeState} // also: the handle is closed
	ErrConfig       = &Error{Code: CodeConfig}
	ErrNoMemory     = &Error{Code: CodeNoMemory}
	ErrProtocol     = &Error{Code: CodeProtocol}
	ErrCBOR         = &Error{Code: CodeCBOR}
	ErrCOSE         = &Error{Code: CodeCOSE}
	ErrSignature    = &Error{Code: CodeSignature}
	ErrBinding      = &Error{Code: CodeBinding}
	ErrClaimMissing = &Error{Code: CodeClaimMissing}
	ErrClaimInvalid = &Error{Code: CodeClaimInvalid}
	ErrReference    = &Error{Code: CodeReference}
	ErrChallenge    = &Error{Code: CodeChallenge}
	ErrKey          = &Error{Code: CodeKey}
	ErrDuplicate    = &Error{Code: CodeDuplicate}
	ErrBuffer       = &Error{Code: CodeBuffer}
)

// errClosed is what a method of a closed handle returns.
func errClosed(op string) error {
	return newError(op, CodeState, "the handle is closed")
}
