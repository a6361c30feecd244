package identity

import (
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/secure/precis"

	"gatehouse/backend/apperr"
)

// MaxEmailBytes is the longest email address there can be (RFC 5321: 254 octets). Longer
// input is refused before any other work.
const MaxEmailBytes = 254

// NormalizeEmail returns the one form of an email address that Gatehouse stores and
// compares, so that two accounts can never look the same:
//   - the local part goes through PRECIS (RFC 8265: fullwidth letters become their
//     ordinary forms; invisible and control characters are refused) and must then be
//     plain ASCII, so Cyrillic or Greek lookalikes of Latin letters are refused;
//   - the domain goes through IDNA (UTS #46: mapped, then written in ASCII), so a
//     lookalike domain shows as its distinct xn-- form.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", errEmail("Enter an email address.")
	}
	if len(email) > MaxEmailBytes {
		return "", errEmail("The email address is too long: at most %d characters.", MaxEmailBytes)
	}
	if !utf8.ValidString(email) {
		return "", errEmail("The email address contains bytes that are not text.")
	}
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 {
		return "", errEmail("%q is not a valid email address (like name@example.com).", email)
	}
	local, domain := email[:at], email[at+1:]
	local, err := precis.UsernameCasePreserved.String(local)
	if err != nil || !dotAtom(local) {
		return "", errEmail("The part before @ may use only plain letters (a–z), digits and signs such as . _ + - '; lookalike, invisible or accented characters are refused so that no two addresses look the same.")
	}
	ascii, err := idna.Lookup.ToASCII(domain)
	if err == nil {
		// The ASCII form must itself be a valid name, or it would not read back the same.
		var again string
		if again, err = idna.Lookup.ToASCII(ascii); err == nil && again != ascii {
			err = errors.New("unstable") // refused below, with the domain named
		}
	}
	if err != nil || !domainName.MatchString(ascii) {
		return "", errEmail("%q is not a valid email domain (like example.com).", domain)
	}
	if ascii == strings.ToLower(domain) && isASCII(domain) {
		// Plain ASCII as typed: keep its case (logins compare ignoring case). Unicode case
		// folding would also match "ſ" or the Kelvin sign, so only true ASCII is kept.
		ascii = domain
	}
	out := local + "@" + ascii
	if len(out) > MaxEmailBytes || len(local) > 64 {
		return "", errEmail("The email address is too long.")
	}
	return out, nil
}

func errEmail(format string, args ...any) *apperr.Error {
	return apperr.Field("email", format, args...)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// dotAtom reports whether s is an unquoted local part of plain ASCII (RFC 5322 dot-atom).
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".!#$%&'*+-/=?^_`{|}~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// CheckEmail validates an email address for field and returns its normal form.
func CheckEmail(field, email string) (string, error) {
	out, err := NormalizeEmail(email)
	if e, ok := err.(*apperr.Error); ok {
		e.Field = field
	}
	return out, err
}
