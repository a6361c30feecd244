// Package apperr is the error vocabulary services use to say what went wrong in terms a
// person can act on. backend/httpapi maps each Kind to one HTTP status; the Message is
// always safe to show (it never holds a secret or an internal cause).
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error.
type Kind int

// Kinds, each mapped once to a status code by httpapi.
const (
	Invalid         Kind = iota + 1 // 422: the request is well-formed but a field is wrong
	Malformed                       // 400: the request cannot be read
	Unauthenticated                 // 401
	Forbidden                       // 403: visible but not allowed
	NotFound                        // 404: absent, or hidden from the actor
	Conflict                        // 409
	Throttled                       // 429
	Unavailable                     // 503: a dependency (the keychain) cannot be reached
	TooLarge                        // 413: an upload past its limit
)

// Sentinels of the store, the one vocabulary of absence and conflict: backend/store wraps
// them with what failed, and httpapi maps what no service classified (a row deleted
// between two statements, say) to a status without importing the store.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	// ErrGone: a write refers to a row that no longer exists (deleted meanwhile).
	ErrGone = errors.New("refers to something that no longer exists")
)

// Error is a classified error.
type Error struct {
	Kind       Kind
	Code       string // machine-readable, e.g. "invalid", "last_admin"
	Message    string
	Field      string
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// Field returns a 422 for one request field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: "invalid", Field: field, Message: fmt.Sprintf(format, args...)}
}

// New returns an error of kind k with a code and message.
func New(k Kind, code, format string, args ...any) *Error {
	return &Error{Kind: k, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a 404 that does not reveal whether the thing exists.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
}

// FieldError is one field's problem, where several are reported at once (a CSV import's
// rows).
type FieldError struct {
	Field   string
	Message string
}

// MessageOf is what err says to a person: its message when it is classified, else a
// generic line (an internal cause is never shown).
func MessageOf(err error) string {
	if e, ok := As(err); ok {
		return e.Message
	}
	return "Something went wrong; the details are in the application's log."
}
