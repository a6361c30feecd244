package identity

import (
	"strings"
	"testing"
	"time"

	"gatehouse/backend/apperr"
)

func TestArgon2idParametersMeetOWASP(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash parameters: %s", h)
	}
	if !VerifyPassword(h, "correct horse battery staple") || VerifyPassword(h, "correct horse battery stapl") {
		t.Fatal("verify is wrong")
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x$y$z$w", "$argon2id$v=19$m=x$a$b"} {
		if VerifyPassword(bad, "x") {
			t.Fatalf("malformed hash %q verified", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		pw   string
		ok   bool
		want string
	}{
		{"", false, "Enter a password"},
		{"welcome123", false, "too common"},
		{"password1234", false, "too common"},
		{"Password1234!", false, "too common"},
		{"Welcome2024!!", false, "too common"},
		{"qwertyuiop12", false, "too common"},
		{"short one", false, "at least 12"},
		{"aaaaaaaaaaaaaaaa", false, "too common"},
		{"123456789012", false, "too common"},
		{"abcdefghijklm", false, "too common"},
		{"ababababababab", false, "too common"},
		{"olivia.owner2026", false, "too common"}, // the email's local part
		{strings.Repeat("x", 257), false, "too long"},
		{"correct horse battery staple", true, ""},
		{"Tr0ub4dor&3-extended", true, ""},
		{"ünïcödé pässphräse", true, ""},
	}
	for _, c := range cases {
		err := CheckPassword("password", c.pw, "Olivia Owner", "olivia.owner@example.com", MinPasswordChars)
		if c.ok {
			if err != nil {
				t.Errorf("%q refused: %v", c.pw, err)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid || e.Field != "password" || !strings.Contains(e.Message, c.want) {
			t.Errorf("%q: got %v, want a 422 on password mentioning %q", c.pw, err, c.want)
		}
	}
}

func TestGeneratedPasswordsPassThePolicy(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		pw, err := GeneratePassword()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPassword("password", pw, "Any Name", "any@example.com", MinPasswordChars); err != nil {
			t.Fatalf("generated %q refused: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("generated %q twice", pw)
		}
		seen[pw] = true
	}
}

func TestThrottleBackoffDoublesAndForgets(t *testing.T) {
	now := time.Unix(0, 0)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 3; i++ {
		th.Fail("k", 3)
	}
	if w := th.Wait("k"); w != th.Base {
		t.Fatalf("first delay %v, want %v", w, th.Base)
	}
	th.Fail("k", 3)
	if w := th.Wait("k"); w != 2*th.Base {
		t.Fatalf("second delay %v, want %v", w, 2*th.Base)
	}
	for i := 0; i < 50; i++ {
		th.Fail("k", 3)
	}
	if w := th.Wait("k"); w != th.Max {
		t.Fatalf("delay %v, want the ceiling %v", w, th.Max)
	}
	if th.Wait("other") != 0 {
		t.Fatal("an untouched key waits")
	}
	now = now.Add(th.Max + th.Forget + time.Second)
	if th.Wait("k") != 0 {
		t.Fatal("the key was not forgiven")
	}
}
