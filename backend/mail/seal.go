package mail

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

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
