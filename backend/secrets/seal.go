package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
)

// Sealer keeps values that must rest in the database encrypted there (what a queued mail
// carries, a person's authenticator secret): AES-256-GCM with a key that lives in the
// store (the keychain) under Name, created on first use. The database alone never yields
// them. Each sealed value is bound to a context (a mail's id, a person's id), so it cannot
// be moved to another row.
type Sealer struct {
	secrets Store
	name    string
	what    string // the key as a person would name it, for messages
	mu      sync.Mutex
	aead    cipher.AEAD
}

// NewSealer returns a sealer whose key is kept in st under name; what names the key in
// messages ("the outbox key").
func NewSealer(st Store, name, what string) *Sealer {
	return &Sealer{secrets: st, name: name, what: what}
}

// ErrNoKey means the key is not in the keychain: there is nothing it could open.
var ErrNoKey = errors.New("secrets: the sealing key is not in this computer's keychain")

// noKey says which key is missing, in words a person can act on; it is ErrNoKey.
type noKey struct{ what string }

func (e noKey) Error() string {
	return "the " + e.what + " is not in this computer's keychain (was the data folder moved?)"
}
func (e noKey) Unwrap() error { return ErrNoKey }

func (s *Sealer) cipher(create bool) (cipher.AEAD, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aead != nil {
		return s.aead, nil
	}
	encoded, err := s.secrets.Get(s.name)
	var key []byte
	switch {
	case err == nil:
		if key, err = base64.StdEncoding.DecodeString(encoded); err != nil || len(key) != 32 {
			return nil, fmt.Errorf("the %s in the keychain is damaged", s.what)
		}
	case errors.Is(err, ErrNotFound) && create:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := s.secrets.Set(s.name, base64.StdEncoding.EncodeToString(key)); err != nil {
			return nil, err
		}
	case errors.Is(err, ErrNotFound):
		return nil, noKey{s.what}
	default:
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if s.aead, err = cipher.NewGCM(block); err != nil {
		return nil, err
	}
	return s.aead, nil
}

// Seal encrypts plain bound to context, making the key when there is none yet.
func (s *Sealer) Seal(context, plain string) ([]byte, error) {
	a, err := s.cipher(true)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plain)+a.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return a.Seal(nonce, nonce, []byte(plain), []byte(context)), nil
}

// Open decrypts what Seal made for the same context.
func (s *Sealer) Open(context string, sealed []byte) (string, error) {
	a, err := s.cipher(false)
	if err != nil {
		return "", err
	}
	if len(sealed) < a.NonceSize() {
		return "", errors.New("the sealed secret is damaged")
	}
	plain, err := a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], []byte(context))
	if err != nil {
		return "", fmt.Errorf("the sealed secret does not open with this computer's %s", s.what)
	}
	return string(plain), nil
}
