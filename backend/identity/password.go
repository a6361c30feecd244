package identity

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"gatehouse/backend/apperr"
)

// Argon2id parameters: OWASP's minimum recommendation (m = 19 MiB, t = 2, p = 1).
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password limits. 256 bytes is enough for any passphrase and bounds hashing work.
// MinPasswordChars is the default minimum; Settings → Security may change it (Policy).
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 256
)

// argonSlots bounds how many Argon2id computations run at once. Each takes 19 MiB, and
// the garbage collector lets two or three such blocks wait before it frees them, so
// without a bound a burst of requests (sign-ins, password changes) would take memory in
// proportion to the burst (40 at once took +490 MB). One at a time keeps a flood's peak
// near +60 MB (TestFloodsStayUnder100MB) at about 30 hashes a second, far more than the
// sign-ins of a team of 300; the others wait their turn. It is process-wide on purpose:
// the bound is a property of the machine's memory, not of any one service.
var argonSlots = make(chan struct{}, 1)

// idKey is argon2.IDKey within argonSlots.
func idKey(pw, salt []byte, t, m uint32, p uint8, keyLen uint32) []byte {
	argonSlots <- struct{}{}
	defer func() { <-argonSlots }()
	return argon2.IDKey(pw, salt, t, m, p, keyLen)
}

// HashPassword returns an encoded Argon2id hash of pw, exactly as typed (no trimming or
// normalisation).
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("identity: salt: %w", err)
	}
	key := idKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the encoded hash. It reads the parameters
// from the hash, so stronger parameters later still verify old hashes. An account without
// a usable hash (Google sign-in only) is checked against dummyHash and fails, after the
// same work as any other wrong password.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		verifyEncoded(strings.Split(dummyHash, "$"), pw)
		return false
	}
	return verifyEncoded(parts, pw)
}

func verifyEncoded(parts []string, pw string) bool {
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	if m > 4*argonMemory || t > 8 || p > 8 || len(want) > 64 {
		return false // not a hash we wrote: refuse to spend unbounded memory on it
	}
	got := idKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when an email is unknown or its account has no password
// (Google sign-in only), so those cost as much time as a wrong password and cannot be told
// apart. It is a constant, not computed at start: hashing takes tens of milliseconds.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$NgdhDGLRvI+d5KviwBKR1g$yt+fsvOEsCg9yikcGx209uJ1JOya7Jwqk75R44hF/v8"

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// CheckPassword applies the password policy: at least minChars characters (the policy in
// force: Service.MinPasswordLength), at most 256 bytes, and not a common or predictable
// password (such as "welcome123" or "password1234", or one made of the person's name or
// email). field names the request field for the error.
func CheckPassword(field, pw, name, email string, minChars int) error {
	if pw == "" {
		return apperr.Field(field, "Enter a password.")
	}
	if len(pw) > MaxPasswordBytes {
		return apperr.Field(field, "The password is too long: at most %d bytes.", MaxPasswordBytes)
	}
	if !utf8.ValidString(pw) {
		return apperr.Field(field, "The password contains invalid characters.")
	}
	tooCommon := apperr.Field(field, "This password is too common or predictable (like \"welcome123\" or \"password1234\"). Choose a longer, less guessable one.")
	// The common-password test comes first so that "welcome123" is told why it is bad,
	// not only that it is short.
	if isCommon(pw) {
		return tooCommon
	}
	if utf8.RuneCountInString(pw) < minChars {
		return apperr.Field(field, "The password must be at least %d characters long.", minChars)
	}
	if isPredictable(pw, name, email) {
		return tooCommon
	}
	return nil
}

// isCommon reports whether pw is a common password, or one with digits or symbols added
// at either end: "Password1234!" and "welcome2024" have the cores "password", "welcome".
func isCommon(pw string) bool {
	low := strings.ToLower(pw)
	core := strings.TrimFunc(low, func(r rune) bool { return !unicode.IsLetter(r) })
	return commonPasswords[low] || (core != "" && commonPasswords[core])
}

func isPredictable(pw, name, email string) bool {
	low := strings.ToLower(pw)
	core := strings.TrimFunc(low, func(r rune) bool { return !unicode.IsLetter(r) })
	if core == "" { // digits and symbols only
		return true
	}
	// One character repeated, or a run such as "123456789012" or "abcdefghijkl".
	if distinct(low) <= 3 || sequential(low) {
		return true
	}
	for _, part := range personalParts(name, email) {
		if core == part {
			return true
		}
	}
	return false
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

func sequential(s string) bool {
	rs := []rune(s)
	up, down := true, true
	for i := 1; i < len(rs); i++ {
		up = up && rs[i] == rs[i-1]+1
		down = down && rs[i] == rs[i-1]-1
	}
	return up || down
}

func personalParts(name, email string) []string {
	var out []string
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 3 {
		out = append(out, local)
	}
	n := strings.ToLower(strings.Join(strings.Fields(name), ""))
	if len(n) >= 3 {
		out = append(out, n)
	}
	for _, f := range strings.Fields(strings.ToLower(name)) {
		if len(f) >= 3 {
			out = append(out, f)
		}
	}
	return out
}

// GeneratePassword returns a strong random password: 20 characters from an alphabet
// without look-alikes (about 115 bits), grouped for reading aloud.
func GeneratePassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	buf := make([]byte, 20)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("identity: generate password: %w", err)
	}
	var b strings.Builder
	for i, c := range buf {
		if i > 0 && i%5 == 0 {
			b.WriteByte('-')
		}
		// 256 is not a multiple of len(alphabet); the bias is negligible for passwords
		// of this length, but rejection keeps it exact.
		for int(c) >= 256-256%len(alphabet) {
			var one [1]byte
			if _, err := rand.Read(one[:]); err != nil {
				return "", fmt.Errorf("identity: generate password: %w", err)
			}
			c = one[0]
		}
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return b.String(), nil
}
