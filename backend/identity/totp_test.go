package identity

import (
	"encoding/base32"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// RFC 6238, Appendix B: the SHA1 test vectors (secret "12345678901234567890", 8 digits).
var rfc6238SHA1 = []struct {
	unix int64
	code string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

func TestTOTPMatchesRFC6238TestVectors(t *testing.T) {
	for _, v := range rfc6238SHA1 {
		at := time.Unix(v.unix, 0).UTC()
		got, err := TOTPCode(rfcSecret, at, otp.DigitsEight)
		if err != nil || got != v.code {
			t.Errorf("T=%d: %q %v, want %q", v.unix, got, err, v.code)
		}
		// What sign-in checks: the code is accepted at its own time, in its own step.
		if step, ok := MatchTOTP(rfcSecret, v.code, at, otp.DigitsEight, totpSkew); !ok || step != v.unix/30 {
			t.Errorf("T=%d: the vector is not accepted (%d %v)", v.unix, step, ok)
		}
		// Authenticator apps show six digits: the same number's last six.
		if _, ok := MatchTOTP(rfcSecret, v.code[2:], at, totpDigits, totpSkew); !ok {
			t.Errorf("T=%d: the six-digit code %s is not accepted", v.unix, v.code[2:])
		}
	}
}

// A phone a step ahead or behind is accepted; two steps either way are not.
func TestTOTPAcceptsOneStepOfSkewAndNoMore(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 10, 0, time.UTC)
	for _, c := range []struct {
		steps int64
		ok    bool
	}{{-2, false}, {-1, true}, {0, true}, {1, true}, {2, false}} {
		code, err := TOTPCode(rfcSecret, now.Add(time.Duration(c.steps)*totpPeriod*time.Second), totpDigits)
		if err != nil {
			t.Fatal(err)
		}
		step, ok := MatchTOTP(rfcSecret, code, now, totpDigits, totpSkew)
		if ok != c.ok {
			t.Errorf("a code %+d steps away: accepted %v, want %v", c.steps, ok, c.ok)
		}
		if ok && step != now.Unix()/totpPeriod+c.steps {
			t.Errorf("a code %+d steps away matched step %d", c.steps, step)
		}
	}
}

func TestCodesAreReadAsTyped(t *testing.T) {
	for in, want := range map[string]codeKind{
		"123456": codeTOTP, " 123 456 ": codeTOTP, "12345": codeInvalid, "1234567": codeInvalid, "12345a": codeInvalid,
		"abcd-efgh-ijkl-mnop": codeRecovery, "ABCDEFGHIJKLMNOP": codeRecovery, "abcd efgh ijkl mnop": codeRecovery,
		"abcd-efgh-ijkl-mno1": codeInvalid, "": codeInvalid,
	} {
		if got, _ := classify(in); got != want {
			t.Errorf("%q read as %v, want %v", in, got, want)
		}
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil || len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("recovery codes: %v %v", codes, err)
	}
	seen := map[string]bool{}
	for i, c := range codes {
		kind, normal := classify(c)
		if kind != codeRecovery || string(recoveryHash(normal)) != string(hashes[i]) || seen[c] {
			t.Errorf("recovery code %q does not read back (%v)", c, kind)
		}
		seen[c] = true
	}
}
