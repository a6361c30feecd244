package identity

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Two-factor sign-in: an authenticator app's time-based codes (TOTP, RFC 6238: HMAC-SHA1,
// 30-second steps, 6 digits, as every authenticator app reads them from a QR code), through
// github.com/pquerna/otp, and ten single-use recovery codes.
//
//   - The secret is sealed (AES-256-GCM) with a key kept in the keychain before it reaches
//     the database; it is shown once, while enrolling, and never again.
//   - A code is accepted within one step either side of the server's clock (a phone a
//     little ahead or behind), and each step's code works once.
//   - Every code guess, at sign-in or under My account, is charged to the sign-in throttle
//     before it is checked, under keys of its own: a right password never refunds them.
//   - Recovery codes (80 random bits each) are stored as SHA-256 and work once.
const (
	totpPeriod          = 30
	totpSkew            = 1
	totpDigits          = otp.DigitsSix
	recoveryCodeCount   = 10
	challengeLifetime   = 5 * time.Minute
	challengeMaxGuesses = 5
	// TOTPIssuer is the name authenticator apps show above the account.
	TOTPIssuer = "Gatehouse"
)

// SetSecrets gives the service the keychain its authenticator secrets' key lives in; ns
// is the data folder's keychain namespace.
func (s *Service) SetSecrets(sec secrets.Store, ns string) {
	s.seal = secrets.NewSealer(sec, ns+"/two-factor-key", "two-factor key")
}

// TOTPCode returns the RFC 6238 code of secret (base32) at t, with digits digits (6 for
// authenticator apps; RFC 6238's test vectors have 8).
func TOTPCode(secret string, t time.Time, digits otp.Digits) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: digits, Algorithm: otp.AlgorithmSHA1})
}

// MatchTOTP returns the time step whose code is code, within skew steps either side of
// now (false when none is). It compares in constant time.
func MatchTOTP(secret, code string, now time.Time, digits otp.Digits, skew int64) (int64, bool) {
	step := now.Unix() / totpPeriod
	if now.Unix() < 0 {
		return 0, false
	}
	found, at := false, int64(0)
	for d := -skew; d <= skew; d++ {
		if step+d < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(step+d), hotp.ValidateOpts{Digits: digits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !found {
			found, at = true, step+d
		}
	}
	return at, found
}

// ---- codes as typed ---------------------------------------------------------------------

type codeKind int

const (
	codeInvalid codeKind = iota
	codeTOTP
	codeRecovery
)

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// classify reads what a person typed: six digits are an authenticator code, sixteen
// letters and digits of base32 (dashes and spaces ignored, any case) a recovery code.
func classify(raw string) (codeKind, string) {
	if len(raw) > 64 {
		return codeInvalid, ""
	}
	c := strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(raw))
	if len(c) == int(totpDigits) && strings.Trim(c, "0123456789") == "" {
		return codeTOTP, c
	}
	c = strings.ToUpper(c)
	if len(c) == 16 {
		if _, err := recoveryEncoding.DecodeString(c); err == nil {
			return codeRecovery, strings.ToLower(c)
		}
	}
	return codeInvalid, ""
}

func recoveryHash(normal string) []byte {
	h := sha256.Sum256([]byte(normal))
	return h[:]
}

// newRecoveryCodes returns ten recovery codes as people read them (xxxx-xxxx-xxxx-xxxx)
// and their hashes.
func newRecoveryCodes() ([]string, [][]byte, error) {
	codes := make([]string, recoveryCodeCount)
	hashes := make([][]byte, recoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10) // 80 bits
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("identity: recovery code: %w", err)
		}
		c := strings.ToLower(recoveryEncoding.EncodeToString(b))
		codes[i] = c[0:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:16]
		hashes[i] = recoveryHash(c)
	}
	return codes, hashes, nil
}

var (
	errCodeShape = apperr.Field("code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes (like abcd-efgh-ijkl-mnop).")
	errCodeWrong = apperr.Field("code", "That code is not right. Codes change every 30 seconds: enter the one shown now (check that your phone's clock is right), or use a recovery code.")
	errTOTPShape = apperr.Field("code", "Enter the 6-digit code your authenticator app shows.")
)

func codeThrottled(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return apperr.Throttle(wait, "Too many wrong codes. Try again in %d seconds.", secs)
}

// codeLimits are what one guess of userID's second factor from address is charged to:
// the account from that address, the account from everywhere, and the address. They are
// apart from the password's keys, so signing in with the right password again never
// buys more guesses of the code.
func (s *Service) codeLimits(userID, address string) []Limit {
	p := s.Policy()
	return []Limit{{Key: "code:pair:" + userID + "\x00" + addressClass(address), Threshold: p.AccountThreshold, Clear: true},
		{Key: "code:account:" + userID, Threshold: p.AccountWideThreshold},
		{Key: addressKey(address), Threshold: p.AddressThreshold}}
}

// keyError explains why the authenticator secret could not be opened.
func keyError(err error) error {
	if errors.Is(err, secrets.ErrNoKey) {
		return apperr.New(apperr.Unavailable, "two_factor_key_missing",
			"The key that opens authenticator codes is not in this computer's keychain (was the data folder moved?). Use a recovery code, or ask an administrator to reset your two-factor sign-in.")
	}
	if errors.Is(err, secrets.ErrUnavailable) {
		return secrets.Explain(err)
	}
	return err
}

func totpContext(userID string) string { return "totp:" + userID }

// secondFactor checks code (an authenticator code or a recovery code) for userID's
// confirmed enrolment, charging the guess to the throttle first. It uses the code up and
// returns which kind it was ("totp" or "recovery_code").
func (s *Service) secondFactor(ctx context.Context, userID, code, address string) (string, error) {
	kind, normal := classify(code)
	if kind == codeInvalid {
		return "", errCodeShape
	}
	wait, outcome := s.throttle.Attempt(s.codeLimits(userID, address))
	if wait > 0 {
		return "", codeThrottled(wait)
	}
	ok, err := s.checkFactor(ctx, userID, kind, normal)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errCodeWrong
	}
	outcome(true)
	if kind == codeRecovery {
		return "recovery_code", nil
	}
	return "totp", nil
}

func (s *Service) checkFactor(ctx context.Context, userID string, kind codeKind, normal string) (bool, error) {
	if kind == codeRecovery {
		return s.store.UseRecoveryCode(ctx, userID, recoveryHash(normal), s.now())
	}
	tf, err := s.store.TwoFactor(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if tf.ConfirmedAt == nil {
		return false, nil
	}
	secret, err := s.seal.Open(totpContext(userID), tf.SecretSealed)
	if err != nil {
		return false, keyError(err)
	}
	step, ok := MatchTOTP(secret, normal, s.now(), totpDigits, totpSkew)
	if !ok {
		return false, nil
	}
	// Each step's code works once: a code seen over a shoulder, or sent twice, is refused.
	return s.store.UseTwoFactorStep(ctx, userID, step)
}

// ---- sign-in's second step -------------------------------------------------------------

// Challenge is a sign-in whose password was right, waiting for its second factor. Only
// the SHA-256 of its token is kept, in memory: it lives five minutes and takes five
// guesses at most (the throttle counts them too), then the password is asked again.
type Challenge struct {
	Token     string
	ExpiresAt time.Time
}

type pending struct {
	userID    string
	expiresAt time.Time
	guesses   int
}

// challenges hold at most one waiting sign-in per account (a newer one replaces it), so
// their number is bounded by the accounts whose password is known to the asker.
type challenges struct {
	mu     sync.Mutex
	byHash map[[32]byte]*pending
	byUser map[string][32]byte
}

func newChallenges() *challenges {
	return &challenges{byHash: map[[32]byte]*pending{}, byUser: map[string][32]byte{}}
}

func (c *challenges) open(userID string, now time.Time) (*Challenge, error) {
	raw, err := randomString()
	if err != nil {
		return nil, err
	}
	token := "ghc_" + raw
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byUser[userID]; ok {
		delete(c.byHash, old)
	}
	for k, p := range c.byHash { // expired ones go as new ones come
		if !now.Before(p.expiresAt) {
			delete(c.byHash, k)
			delete(c.byUser, p.userID)
		}
	}
	p := &pending{userID: userID, expiresAt: now.Add(challengeLifetime)}
	c.byHash[h], c.byUser[userID] = p, h
	return &Challenge{Token: token, ExpiresAt: p.expiresAt}, nil
}

// take finds the waiting sign-in of token and counts a guess on it.
func (c *challenges) take(token string, now time.Time) (string, bool) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.byHash[h]
	if !ok {
		return "", false
	}
	if !now.Before(p.expiresAt) || p.guesses >= challengeMaxGuesses {
		c.dropLocked(h, p)
		return "", false
	}
	p.guesses++
	return p.userID, true
}

func (c *challenges) done(token string) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.byHash[h]; ok {
		c.dropLocked(h, p)
	}
}

func (c *challenges) dropLocked(h [32]byte, p *pending) {
	delete(c.byHash, h)
	if c.byUser[p.userID] == h {
		delete(c.byUser, p.userID)
	}
}

// forget drops userID's waiting sign-in (their second factor was reset or turned off).
func (c *challenges) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.byUser[userID]; ok {
		delete(c.byHash, h)
		delete(c.byUser, userID)
	}
}

var errChallengeEnded = apperr.New(apperr.Unauthenticated, "two_factor_expired",
	"This sign-in has ended (it waits five minutes for a code, and five wrong codes end it). Enter your email and password again.")

// CompleteSignIn completes a sign-in waiting for its second factor with an authenticator
// code or a recovery code, and opens the session.
func (s *Service) CompleteSignIn(ctx context.Context, challenge, code, address string) (*Session, error) {
	if len(challenge) > 200 || challenge == "" {
		return nil, errChallengeEnded
	}
	if kind, _ := classify(code); kind == codeInvalid {
		return nil, errCodeShape
	}
	userID, ok := s.challenges.take(challenge, s.now())
	if !ok {
		return nil, errChallengeEnded
	}
	u, err := s.store.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		s.challenges.done(challenge)
		return nil, errChallengeEnded
	}
	if err != nil {
		return nil, err
	}
	used, err := s.secondFactor(ctx, userID, code, address)
	if err != nil {
		if apperr.IsKind(err, apperr.Invalid) {
			e := &store.AuditEntry{At: s.now(), Action: "session.fail", TargetType: "user", TargetID: u.ID, TargetName: u.Name,
				TargetKind: u.RoleKind, Address: address, Details: map[string]any{"step": "two_factor"}}
			if aerr := audit.Append(ctx, s.store, e); aerr != nil {
				s.log.Error("audit failed second factor", "err", aerr)
			}
		}
		return nil, err
	}
	s.challenges.done(challenge)
	if u.Status != store.StatusActive || !s.authz.Active(u.ID) {
		return nil, apperr.New(apperr.Unauthenticated, "deactivated", "This account is deactivated. Ask an administrator to reactivate it.")
	}
	se, err := s.openPasswordSession(ctx, u, address, store.MethodTwoFactor, map[string]any{"secondFactor": used})
	if err != nil {
		return nil, err
	}
	if used == "recovery_code" {
		left, err := s.store.RecoveryCodesLeft(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		se.RecoveryCodesLeft = &left
	}
	return se, nil
}

// ---- one's own second factor (My account) --------------------------------------------------

// TwoFactorStatus is one's own two-factor sign-in as My account shows it.
type TwoFactorStatus struct {
	Enabled           bool
	EnabledAt         *time.Time
	RecoveryCodesLeft int
	// Required: the security policy asks this person's role for a second factor.
	Required bool
}

// TwoFactorStatus returns the signed-in person's own two-factor sign-in.
func (s *Service) TwoFactorStatus(ctx context.Context, p *Principal) (*TwoFactorStatus, error) {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return nil, err
	}
	out := &TwoFactorStatus{Required: s.Policy().RequiresTwoFactor(u.RoleID)}
	tf, err := s.store.TwoFactor(ctx, u.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if tf != nil && tf.ConfirmedAt != nil {
		out.Enabled, out.EnabledAt = true, tf.ConfirmedAt
		if out.RecoveryCodesLeft, err = s.store.RecoveryCodesLeft(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Enrolment is a new authenticator secret to add to an app: shown once.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	URI    string // otpauth://totp/…, what the QR code holds
	QRCode string // the QR code as a PNG data URL
}

var errAlreadyEnabled = apperr.New(apperr.Conflict, "two_factor_enabled",
	"Two-factor sign-in is already on. To use another device, turn it off first (or regenerate recovery codes).")

// StartEnrolment makes a new authenticator secret for the signed-in person and keeps it,
// sealed, until a first code confirms it (ConfirmEnrolment); starting again replaces it.
func (s *Service) StartEnrolment(ctx context.Context, p *Principal) (*Enrolment, error) {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return nil, err
	}
	if u.TwoFactor {
		return nil, errAlreadyEnabled
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: u.Email, Period: totpPeriod,
		SecretSize: 20, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("identity: authenticator secret: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, fmt.Errorf("identity: QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("identity: QR code: %w", err)
	}
	sealed, err := s.seal.Seal(totpContext(u.ID), key.Secret())
	if err != nil {
		return nil, keyError(err)
	}
	if err := s.store.StartTwoFactor(ctx, u.ID, sealed, s.now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errAlreadyEnabled
		}
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URI: key.URL(), QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ConfirmEnrolment turns two-factor sign-in on with the first code of the secret being
// enrolled, and returns ten new recovery codes (shown once). Remembered sign-ins of the
// window end, so every computer asks for a code at its next sign-in.
func (s *Service) ConfirmEnrolment(ctx context.Context, p *Principal, code, address string) ([]string, error) {
	kind, normal := classify(code)
	if kind != codeTOTP {
		return nil, errTOTPShape
	}
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return nil, err
	}
	tf, err := s.store.TwoFactor(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && tf.ConfirmedAt != nil) {
		if err == nil {
			return nil, errAlreadyEnabled
		}
		return nil, apperr.New(apperr.Conflict, "no_enrolment", "Start setting up two-factor sign-in first: scan the QR code, then enter a code.")
	}
	if err != nil {
		return nil, err
	}
	wait, outcome := s.throttle.Attempt(s.codeLimits(u.ID, address))
	if wait > 0 {
		return nil, codeThrottled(wait)
	}
	secret, err := s.seal.Open(totpContext(u.ID), tf.SecretSealed)
	if err != nil {
		return nil, keyError(err)
	}
	step, ok := MatchTOTP(secret, normal, s.now(), totpDigits, totpSkew)
	if !ok {
		return nil, errCodeWrong
	}
	outcome(true)
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	_, err = write.Do(ctx, s.write, p.Actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if !w.Active(u.ID) {
			return struct{}{}, write.Effect{}, errSessionEnded
		}
		if err := tx.ConfirmTwoFactor(ctx, u.ID, step, hashes, s.now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return struct{}{}, write.Effect{}, apperr.New(apperr.Conflict, "no_enrolment",
					"This setup was replaced or finished in another window. Start again.")
			}
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteUserRememberedSessions(ctx, u.ID); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.two_factor_enabled", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces the signed-in person's recovery codes (the old ones stop
// working) after a code (authenticator or recovery) proves they hold the second factor.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, p *Principal, code, address string) ([]string, error) {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return nil, err
	}
	if !u.TwoFactor {
		return nil, errNotEnabled
	}
	if _, err := s.secondFactor(ctx, u.ID, code, address); err != nil {
		return nil, err
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	_, err = write.Do(ctx, s.write, p.Actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if !w.Active(u.ID) {
			return struct{}{}, write.Effect{}, errSessionEnded
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.recovery_codes_replaced", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

var errNotEnabled = apperr.New(apperr.Conflict, "two_factor_off", "Two-factor sign-in is not on for this account.")

// DisableTwoFactor turns the signed-in person's own second factor off, after a code
// proves they hold it; not while the security policy requires it of their role.
func (s *Service) DisableTwoFactor(ctx context.Context, p *Principal, code, address string) error {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return err
	}
	if !u.TwoFactor {
		return errNotEnabled
	}
	if s.Policy().RequiresTwoFactor(u.RoleID) {
		return apperr.New(apperr.Conflict, "two_factor_required",
			"Your role must sign in with two-factor sign-in (Settings → Security), so it cannot be turned off. To move to another device, ask an administrator to reset it.")
	}
	if _, err := s.secondFactor(ctx, u.ID, code, address); err != nil {
		return err
	}
	_, err = write.Do(ctx, s.write, p.Actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if _, err := tx.DeleteTwoFactor(ctx, u.ID); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.two_factor_disabled", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	if err == nil {
		s.challenges.forget(u.ID)
	}
	return err
}

// MayResetTwoFactor reports whether actor may reset userID's second factor.
func (s *Service) MayResetTwoFactor(actor authz.Actor, userID string) bool {
	return s.authz.Check(actor, authz.UsersEdit, authz.UserRef(userID), authz.Change{TwoFactor: true}) == nil
}

// ResetTwoFactor removes another person's second factor and recovery codes (they lost
// their phone): users.edit over their account, never one's own (that is My account's,
// with a code). Their sessions and remembered sign-ins end; at their next sign-in the
// password is enough, unless their role requires a second factor: then they set up a
// new one before anything else.
func (s *Service) ResetTwoFactor(ctx context.Context, actor authz.Actor, userID, address string) error {
	if err := s.authz.Check(actor, authz.UsersEdit, authz.UserRef(userID), authz.Change{TwoFactor: true}); err != nil {
		return err
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(userID), authz.Change{TwoFactor: true}); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		u, err := tx.User(ctx, userID)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return struct{}{}, write.Effect{}, apperr.NotFoundf("No such user.")
			}
			return struct{}{}, write.Effect{}, err
		}
		removed, err := tx.DeleteTwoFactor(ctx, userID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if !removed {
			return struct{}{}, write.Effect{}, errNotEnabled
		}
		if err := tx.DeleteUserSessions(ctx, userID, "", store.EndedTwoFactorReset, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.two_factor_reset", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	if err == nil {
		s.challenges.forget(userID)
	}
	return err
}

// ResetTwoFactorLocal removes a person's second factor from `gatehouse admin
// reset-two-factor`, the recovery command for an owner who lost both their phone and
// their recovery codes; their sessions end.
func (s *Service) ResetTwoFactorLocal(ctx context.Context, email string) (*store.User, error) {
	u, err := s.store.UserByEmail(ctx, emailKey(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.Field("email", "No user has the email %q.", strings.TrimSpace(email))
	}
	if err != nil {
		return nil, err
	}
	err = s.store.RunInTx(ctx, func(tx *store.Store) error {
		removed, err := tx.DeleteTwoFactor(ctx, u.ID)
		if err != nil {
			return err
		}
		if !removed {
			return errNotEnabled
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, "", store.EndedTwoFactorReset, s.now()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &store.AuditEntry{At: s.now(), ActorName: "local administrator (command line)",
			Action: "user.two_factor_reset", TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
