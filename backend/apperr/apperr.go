// Package apperr is the error vocabulary services use to say what went wrong in terms a
// person can act on. backend/httpapi maps each Kind to one HTTP status; the Message is
// always safe to show (it never holds a secret or an internal cause).
//
// A message is kept as its English format and arguments too (a Text), so that the answer
// can say it in the reader's language: httpapi writes it with In(lang), the catalog of
// each other language (pt-BR.json) maps an English format to its translation, and
// catalog_test.go fails when a message in the code has no translation, or a translation
// no message. Message itself stays English, for logs and for tests.
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
	Message    string // in English
	Field      string
	RetryAfter time.Duration
	text       Text // Message as format and arguments, to be said in another language
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// In is the message in lang (English for a language Gatehouse does not speak, or a
// message the catalog has no translation of).
func (e *Error) In(lang string) string {
	if e.text.format == "" || catalogs[lang] == nil { // made without a constructor, or English
		return e.Message
	}
	return e.text.In(lang)
}

// Text is the message as a Text (an argument of another message, say).
func (e *Error) Text() Text {
	if e.text.format == "" {
		return Text{format: "%s", args: []any{e.Message}}
	}
	return e.text
}

// OnField names the request field the error is about, for errors of another kind than
// Invalid (a name already taken is a 409 on "name"). It is for use where the error is
// made: it changes e.
func (e *Error) OnField(field string) *Error {
	e.Field = field
	return e
}

// As returns the *Error in err's chain, if any; else what a registered cause makes of
// err (a full disk, a read-only database), if anything.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	if err != nil {
		for _, f := range causes {
			if e := f(err); e != nil {
				return e, true
			}
		}
	}
	return nil, false
}

// causes say, for errors of the layers below the services that a person can act on, what
// to tell them: the store registers SQLite's (a full disk, a read-only or damaged file).
// Such an error is then answered like any *Error, in the reader's language, wherever it
// surfaces (a Scan, a commit), without each caller wrapping it.
var causes []func(error) *Error

// RegisterCause adds f to the causes As consults; call it from an init function.
func RegisterCause(f func(error) *Error) { causes = append(causes, f) }

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

func newError(k Kind, code, field, format string, args []any) *Error {
	t := Text{format: format, args: args}
	return &Error{Kind: k, Code: code, Field: field, Message: t.In(English), text: t}
}

// Field returns a 422 for one request field.
func Field(field, format string, args ...any) *Error {
	return newError(Invalid, "invalid", field, format, args)
}

// New returns an error of kind k with a code and message.
func New(k Kind, code, format string, args ...any) *Error {
	return newError(k, code, "", format, args)
}

// NotFoundf returns a 404 that does not reveal whether the thing exists.
func NotFoundf(format string, args ...any) *Error {
	return newError(NotFound, "not_found", "", format, args)
}

// Throttle returns a 429 that says when to try again (Retry-After).
func Throttle(retryAfter time.Duration, format string, args ...any) *Error {
	e := newError(Throttled, "throttled", "", format, args)
	e.RetryAfter = retryAfter
	return e
}

// FieldError is one field's problem, where several are reported at once (a CSV import's
// rows).
type FieldError struct {
	Field   string
	Message string // in English
	text    Text
}

// Problem returns one field's problem.
func Problem(field, format string, args ...any) FieldError {
	t := Text{format: format, args: args}
	return FieldError{Field: field, Message: t.In(English), text: t}
}

// In is the problem in lang.
func (f FieldError) In(lang string) string {
	if f.text.format == "" || catalogs[lang] == nil {
		return f.Message
	}
	return f.text.In(lang)
}

const somethingWrong = "Something went wrong; the details are in the application's log."

// TextOf is what err says to a person, to be said in the reader's language: its message
// when it is classified, else a generic line (an internal cause is never shown).
func TextOf(err error) Text {
	if e, ok := As(err); ok {
		return e.Text()
	}
	return Textf(somethingWrong)
}
