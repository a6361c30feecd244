package identity

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalizeEmail: any input either is refused or gives one stable, plain, bounded form,
// so two accounts can never look the same.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"owner@example.com", "ｏｗｎｅｒ@ｅｘａｍｐｌｅ.com", "оwner@example.com", "owner\u200b@example.com",
		"owner@exa\u200bmple.com", "a@b", "@example.com", "x@münchen.de", strings.Repeat("a", 300) + "@example.com", " Sam@Example.COM "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeEmail(in)
		if err != nil {
			return
		}
		if len(out) > MaxEmailBytes || !utf8.ValidString(out) {
			t.Fatalf("%q → %q: too long or not UTF-8", in, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] < 0x21 || out[i] > 0x7e {
				t.Fatalf("%q → %q: not plain ASCII", in, out)
			}
		}
		again, err := NormalizeEmail(out)
		if err != nil || again != out {
			t.Fatalf("%q → %q → %q (%v): not stable", in, out, again, err)
		}
	})
}

// FuzzCheckPassword: the password policy answers every input without panicking, and never
// accepts what it cannot hash as typed.
func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{"welcome123", "correct horse battery staple", strings.Repeat("é", 200), "\xff\xfe", ""} {
		f.Add(s, "Sam Staff", "sam@example.com")
	}
	f.Fuzz(func(t *testing.T, pw, name, email string) {
		if CheckPassword("password", pw, name, email, MinPasswordChars) == nil && (len(pw) > MaxPasswordBytes || !utf8.ValidString(pw) || utf8.RuneCountInString(pw) < MinPasswordChars) {
			t.Fatalf("accepted %q", pw)
		}
	})
}
