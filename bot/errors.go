package bot

import (
	"errors"
	"fmt"
)

// Error codes shared by the engine and the adapters.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	EINTERNAL = "internal"
	EUNAVAIL  = "unavailable"
	EGONE     = "gone"
)

// Error is slipdesk's one error type: a code for programs and a message for
// people (operators and logs, never end users, who see localized texts).
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrConflict is returned by Store.Commit when the conversation changed
// since it was loaded; the engine reloads and runs the turn again.
var ErrConflict = &Error{Code: ECONFLICT, Message: "conversation changed since it was loaded"}

// ErrUnavailable wraps store failures that a channel should answer with
// "try again later" (for example Redis is unreachable).
var ErrUnavailable = &Error{Code: EUNAVAIL, Message: "state store unavailable"}

// ErrUndeliverable is what a Sender returns when its channel refuses a
// message for good: the user blocked the bot or left the chat. Trying
// again changes nothing, so the work counts as done, except an alert,
// which then goes to operators as for a merchant nobody can reach.
var ErrUndeliverable = &Error{Code: EGONE, Message: "the channel refuses messages to this user"}

// Is makes errors.Is match any *Error of the same code, so that a store's
// own conflict error matches ErrConflict.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}
