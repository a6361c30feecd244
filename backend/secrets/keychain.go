package secrets

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"

	"gatehouse/backend/apperr"
)

// DefaultTimeout bounds every keychain call. A locked keychain may show an unlock prompt
// and wait for it without end; the person needs a little time to type, the request must
// not hang for ever.
const DefaultTimeout = 20 * time.Second

// Service is the keychain "service" under which Gatehouse's entries are filed.
const Service = "Gatehouse"

// backend is the part of go-keyring we use; tests swap in one that hangs.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (goKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// Keychain is the operating system's keychain.
type Keychain struct {
	service string
	timeout time.Duration
	kr      backend
}

var _ Store = (*Keychain)(nil)

// NewKeychain returns the system keychain, filing entries under service with each call
// bounded by timeout (DefaultTimeout when 0).
func NewKeychain(service string, timeout time.Duration) *Keychain {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Keychain{service: service, timeout: timeout, kr: goKeyring{}}
}

// withTimeout runs fn on its own goroutine and gives up after k.timeout. A call that
// hangs keeps its goroutine until the keychain answers; that is the price of not
// hanging the caller, and such calls are rare (one per sign-in or settings change).
func withTimeout[T any](k *Keychain, op string, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	var zero T
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			return r.v, nil
		case errors.Is(r.err, keyring.ErrNotFound):
			return zero, ErrNotFound
		default:
			// Anything else — no D-Bus session, no Secret Service, a dismissed unlock
			// prompt, data too big — means the keychain could not do its job.
			return zero, &UnavailableError{Op: op, Cause: r.err}
		}
	case <-time.After(k.timeout):
		return zero, &UnavailableError{Op: op, Cause: fmt.Errorf("it did not answer within %s; it may be locked", k.timeout)}
	}
}

// Get reads a secret.
func (k *Keychain) Get(key string) (string, error) {
	return withTimeout(k, "read", func() (string, error) { return k.kr.Get(k.service, key) })
}

// Set stores a secret.
func (k *Keychain) Set(key, value string) error {
	_, err := withTimeout(k, "store", func() (struct{}, error) { return struct{}{}, k.kr.Set(k.service, key, value) })
	return err
}

// Delete removes a secret; a missing one is not an error.
func (k *Keychain) Delete(key string) error {
	_, err := withTimeout(k, "delete", func() (struct{}, error) { return struct{}{}, k.kr.Delete(k.service, key) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Warning is empty: the keychain is where secrets belong.
func (k *Keychain) Warning() apperr.Text { return apperr.Text{} }
