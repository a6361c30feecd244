// Package secrets keeps the application's secrets (the Google client secret, the SMTP
// password, the outbox and two-factor keys, the remembered desktop session) out of the
// database: in the operating system's keychain
// through github.com/zalando/go-keyring, or — only when the owner asks for it with
// --insecure-file-secrets — in a plain file next to the database.
//
// "Not found" and "the keychain cannot be reached" are different answers and stay
// different: a caller that gets ErrUnavailable must report it, never treat the secret as
// missing, store it elsewhere or make a new one.
package secrets

import (
	"errors"
	"fmt"

	"gatehouse/backend/apperr"
)

// Store holds secrets by key.
type Store interface {
	// Get returns the secret stored under key: ErrNotFound when there is none,
	// an error wrapping ErrUnavailable when the store cannot be asked.
	Get(key string) (string, error)
	// Set stores value under key, replacing any previous value.
	Set(key, value string) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(key string) error
	// Warning is a sentence the UI shows about how secrets are kept (zero when all is well).
	Warning() apperr.Text
}

// ErrNotFound means the store answered and holds nothing under that key.
var ErrNotFound = errors.New("secrets: not found")

// ErrUnavailable means the store could not be asked (no Secret Service, a locked
// keychain, a timeout). Errors of this kind are *UnavailableError values.
var ErrUnavailable = errors.New("secrets: keychain unavailable")

// UnavailableError says why the keychain could not be used. Its message is safe to show:
// it never holds a secret (only the operation and the keychain's own error).
type UnavailableError struct {
	Op    string // "read", "store" or "delete"
	Cause error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the system keychain is unavailable (could not %s a secret): %v", e.Op, e.Cause)
}

// text is Error as a sentence to show (the cause is the keychain's own, in English).
func (e *UnavailableError) text() apperr.Text {
	switch e.Op {
	case "read":
		return apperr.Textf("The system keychain is unavailable (could not read a secret): %v.", e.Cause)
	case "store":
		return apperr.Textf("The system keychain is unavailable (could not store a secret): %v.", e.Cause)
	}
	return apperr.Textf("The system keychain is unavailable (could not delete a secret): %v.", e.Cause)
}

// Unwrap makes errors.Is(err, ErrUnavailable) true and keeps the cause reachable.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Cause} }

// Advice is what a person can do when the keychain is unavailable, for messages in the
// UI and on the command line.
const Advice = "Gatehouse keeps secrets in your system keychain (the Secret Service: GNOME Keyring or KWallet on Linux, " +
	"Keychain on macOS, Credential Manager on Windows). Make sure it is running and unlocked — on Linux, log in to a " +
	"desktop session or unlock the \"Login\" keyring in Passwords and Keys — then try again. On a machine without a " +
	"keychain you can start Gatehouse with --insecure-file-secrets to keep them in a plain file instead."

// Explain turns an error of the secret store into what a person can act on: a 503
// (apperr.Unavailable) with Advice when the keychain cannot be reached (never "missing"),
// err itself otherwise.
func Explain(err error) error {
	var u *UnavailableError
	if errors.As(err, &u) {
		return apperr.New(apperr.Unavailable, "keychain_unavailable", "%s %s", u.text(), apperr.Textf(Advice))
	}
	return err
}
