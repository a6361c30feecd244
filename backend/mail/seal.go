package mail

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gatehouse/backend/secrets"
)

// sealer keeps what a queued mail carries (a one-time link token, a generated password)
// encrypted in the database until the mail is sent: AES-256-GCM with a key that lives in
// the keychain, created on first use. The database alone never yields them.
type sealer struct {
	secrets secrets.Store
	name    string
	mu      sync.Mutex
	aead    cipher.AEAD
}

func (s *sealer) cipher(create bool) (cipher.AEAD, error) {
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
			return nil, fmt.Errorf("mail: the outbox key in the keychain is damaged")
		}
	case errors.Is(err, secrets.ErrNotFound) && create:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := s.secrets.Set(s.name, base64.StdEncoding.EncodeToString(key)); err != nil {
			return nil, err
		}
	case errors.Is(err, secrets.ErrNotFound):
		return nil, errNoKey
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

var errNoKey = errors.New("the outbox key is not in this computer's keychain (was the data folder moved?)")

// seal encrypts plain for the outbox row id (the id is bound in, so a sealed value cannot
// be moved to another mail).
func (s *sealer) seal(id, plain string) ([]byte, error) {
	a, err := s.cipher(true)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plain)+a.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return a.Seal(nonce, nonce, []byte(plain), []byte(id)), nil
}

func (s *sealer) open(id string, sealed []byte) (string, error) {
	a, err := s.cipher(false)
	if err != nil {
		return "", err
	}
	if len(sealed) < a.NonceSize() {
		return "", errors.New("the sealed secret is damaged")
	}
	plain, err := a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], []byte(id))
	if err != nil {
		return "", errors.New("the sealed secret does not open with this computer's outbox key")
	}
	return string(plain), nil
}

// NewToken returns a one-time link token (160 random bits, 32 lower-case base32
// characters: safe in a URL and easy to paste) and the SHA-256 that is stored.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return token, HashToken(token), nil
}

// HashToken is what is stored of a link token. A token is read ignoring case and
// surrounding spaces (people retype codes).
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(token))))
	return h[:]
}
