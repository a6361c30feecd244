// Package identity owns who someone is: first-run setup, password sign-in, bearer
// sessions, password changes and the sign-in throttle. It decides nothing about what a
// signed-in person may do; that is backend/authz.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/mail"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Config holds the defaults of the security policy (those of a new data folder, before
// anyone changes Settings → Security; see Policy) and how long an address stays usual.
type Config struct {
	IdleTimeout      time.Duration // a session unused this long ends (default 8 h)
	AbsoluteLifetime time.Duration // a session ends this long after sign-in (default 7 days)
	// AccountThreshold is the failures on one account from one client address before
	// that address waits for that account.
	AccountThreshold int
	// AccountWideThreshold is the failures on one account, from every address it has not
	// signed in from lately, before all such addresses wait for it: guessing one account
	// from many addresses stays throttled, while its owner's usual addresses never wait
	// because of a stranger.
	AccountWideThreshold int
	// AddressThreshold is the failures from one client address, on any accounts.
	AddressThreshold int
	// TrustedFor is how long a successful sign-in from an address keeps it "usual".
	TrustedFor time.Duration
}

// DefaultConfig is what the application runs with.
var DefaultConfig = Config{IdleTimeout: 8 * time.Hour, AbsoluteLifetime: 7 * 24 * time.Hour, AccountThreshold: 5,
	AccountWideThreshold: 10, AddressThreshold: 20, TrustedFor: 90 * 24 * time.Hour}

// Service is the identity service.
type Service struct {
	store    *store.Store
	authz    *authz.Authorizer
	cfg      Config
	now      func() time.Time
	throttle *Throttle
	log      *slog.Logger
	write    *write.Path
	mail     *mail.Service // the outbox reset mails go to (nil: none)
	// pol is the security policy in force (see Policy).
	pol atomic.Pointer[Policy]
	// seal keeps authenticator secrets encrypted in the database (SetSecrets).
	seal *secrets.Sealer
	// challenges are sign-ins waiting for their second factor.
	challenges *challenges
}

// New returns a Service. now is the clock (time.Now in production).
func New(st *store.Store, az *authz.Authorizer, cfg Config, now func() time.Time, log *slog.Logger) *Service {
	return &Service{store: st, authz: az, cfg: cfg, now: now, throttle: NewThrottle(now), log: log,
		write: &write.Path{Store: st, Authz: az, Now: now}, challenges: newChallenges()}
}

// Throttle exposes the sign-in throttle (tests adjust its clock through New's now).
func (s *Service) Throttle() *Throttle { return s.throttle }

// SetupRequired reports whether no user exists yet.
func (s *Service) SetupRequired(ctx context.Context) (bool, error) {
	n, err := s.store.UserCount(ctx)
	return n == 0, err
}

// OwnerRequest is the first owner's account.
type OwnerRequest struct {
	Name     string
	Email    string
	Password string
}

// CheckName validates a full name.
func CheckName(field, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field(field, "Enter a full name.")
	}
	if len(name) > 200 {
		return "", apperr.Field(field, "The name is too long: at most 200 characters.")
	}
	if err := text.Line(field, apperr.Textf("name"), name); err != nil {
		return "", err
	}
	return name, nil
}

// Setup creates the first owner, an Admin account, from the setup screen: only while no
// user exists.
func (s *Service) Setup(ctx context.Context, req OwnerRequest, address string) (*store.User, error) {
	return s.createOwner(ctx, req, address, "setup.owner", func(tx *store.Store) error {
		n, err := tx.UserCount(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "already_set_up", "Gatehouse is already set up. Sign in instead.")
		}
		return nil
	})
}

// CreateOwner creates another Admin account from `gatehouse admin create-owner`, the
// recovery command that needs local access to the data folder.
func (s *Service) CreateOwner(ctx context.Context, req OwnerRequest, address string) (*store.User, error) {
	return s.createOwner(ctx, req, address, "admin.create_owner", func(*store.Store) error { return nil })
}

func (s *Service) createOwner(ctx context.Context, req OwnerRequest, address, action string, allowed func(tx *store.Store) error) (*store.User, error) {
	name, err := CheckName("name", req.Name)
	if err != nil {
		return nil, err
	}
	email, err := CheckEmail("email", req.Email)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword("password", req.Password, name, email, s.MinPasswordLength()); err != nil {
		return nil, err
	}
	hash, err := HashPassword(req.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &store.User{ID: uuid.NewString(), Name: name, Email: email, PasswordHash: hash, RoleID: authz.RoleAdmin,
		RoleName: "Admin", RoleKind: string(authz.KindInternal), Status: store.StatusActive, CreatedAt: now, UpdatedAt: now}
	// The new owner is the actor of their own creation (there is nobody else yet, or it is
	// the owner of the data folder at its command line).
	return write.Do(ctx, s.write, authz.Actor{UserID: u.ID}, func(w *authz.Writer, tx *store.Store) (*store.User, write.Effect, error) {
		if err := allowed(tx); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return nil, write.Effect{}, apperr.New(apperr.Conflict, "email_taken", "A user with this email already exists.").OnField("email")
			}
			return nil, write.Effect{}, err
		}
		return u, write.Entry(audit.Entry{Action: action, TargetType: "user", TargetID: u.ID, TargetName: name, Address: address,
			Details: map[string]any{"role": "Admin"}}, func(w *authz.Writer) { w.PutUser(u.ID, u.RoleID, true) }), nil
	})
}

// ResetPasswordLocal sets a user's password from the `gatehouse admin reset-password`
// recovery command, reactivating nothing and ending every session of that user.
func (s *Service) ResetPasswordLocal(ctx context.Context, email, password string) (*store.User, error) {
	u, err := s.store.UserByEmail(ctx, emailKey(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.Field("email", "No user has the email %q.", strings.TrimSpace(email))
	}
	if err != nil {
		return nil, err
	}
	if err := CheckPassword("password", password, u.Name, u.Email, s.MinPasswordLength()); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	err = s.store.RunInTx(ctx, func(tx *store.Store) error {
		if err := tx.SetUserPassword(ctx, u.ID, hash, false, s.now()); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, "", store.EndedPasswordReset, s.now()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &store.AuditEntry{At: s.now(), ActorName: "local administrator (command line)",
			Action: "admin.reset_password", TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind})
	})
	if err != nil {
		return nil, err
	}
	s.throttle.Succeed(pairKey(u.Email, "local administrator (command line)"))
	return u, nil
}

// Session is a new bearer session: the token is returned once and only its hash stored.
// When the password was right and the account signs in with a second factor, no session
// is opened yet: Challenge is set instead (and Token is empty), to complete with a code.
type Session struct {
	Token string
	User  *store.User
	// Challenge is the sign-in waiting for its second factor (CompleteSignIn).
	Challenge *Challenge
	// RecoveryCodesLeft is set when a recovery code opened the session: how many remain.
	RecoveryCodesLeft *int
}

// emailKey is the form an email is looked up and throttled under: its normal form when it
// has one, else the trimmed text (which then matches no account).
func emailKey(email string) string {
	if n, err := NormalizeEmail(email); err == nil {
		return store.EmailKey(n)
	}
	return store.EmailKey(email)
}

// Throttle keys. An account is throttled per address it is guessed from, and across the
// addresses it has not signed in from lately; an address across every account.
func pairKey(email, addr string) string {
	return "pair:" + emailKey(email) + "\x00" + addressClass(addr)
}
func accountKey(email string) string { return "account:" + emailKey(email) }
func addressKey(addr string) string  { return "address:" + addressClass(addr) }

// limits are what one password attempt on email from address is charged to, at the
// thresholds of the policy in force.
func (s *Service) limits(email, address string, trusted bool) []Limit {
	p := s.Policy()
	l := []Limit{{Key: pairKey(email, address), Threshold: p.AccountThreshold, Clear: true},
		{Key: addressKey(address), Threshold: p.AddressThreshold}}
	if !trusted {
		l = append(l, Limit{Key: accountKey(email), Threshold: p.AccountWideThreshold})
	}
	return l
}

// trusted reports whether userID signed in from address (or another address of its class:
// the same IPv6 /64) within TrustedFor: such an address is not held back by failures from
// other addresses. The query runs for unknown accounts too (userID ""), so it tells
// nothing apart by its timing.
func (s *Service) trusted(ctx context.Context, userID, address string) (bool, error) {
	seen, err := s.store.SignInAddresses(ctx, userID, s.now().Add(-s.cfg.TrustedFor))
	if err != nil {
		return false, err
	}
	class := addressClass(address)
	for _, a := range seen {
		if addressClass(a) == class {
			return true, nil
		}
	}
	return false, nil
}

var errBadCredentials = apperr.New(apperr.Unauthenticated, "invalid_credentials", "Email or password is wrong.")

func throttled(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return apperr.Throttle(wait, "Too many failed sign-in attempts. Try again in %d seconds.", secs)
}

// SignIn checks email and password and opens a session. Unknown email and wrong password
// get the same answer, after the same work.
func (s *Service) SignIn(ctx context.Context, email, password, address string) (*Session, error) {
	// Over-long input is refused before any work, so a flood of huge "emails" costs
	// nothing but the request itself.
	if len(email) > MaxEmailBytes {
		return nil, apperr.Field("email", "The email address is too long: at most %d characters.", MaxEmailBytes)
	}
	if strings.TrimSpace(email) == "" {
		return nil, apperr.Field("email", "Enter your email address.")
	}
	if password == "" {
		return nil, apperr.Field("password", "Enter your password.")
	}
	if len(password) > MaxPasswordBytes {
		return nil, errBadCredentials
	}
	u, err := s.store.UserByEmail(ctx, emailKey(email))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	uid := ""
	if u != nil {
		uid = u.ID
	}
	trusted, err := s.trusted(ctx, uid, address)
	if err != nil {
		return nil, err
	}
	wait, outcome := s.throttle.Attempt(s.limits(email, address, trusted))
	if wait > 0 {
		return nil, throttled(wait)
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok := VerifyPassword(hash, password) && u != nil
	now := s.now()
	if !ok {
		// The attempt was charged by Attempt already.
		e := &store.AuditEntry{At: now, Action: "session.fail", TargetType: "user", TargetName: "(unknown account)", Address: address}
		if u != nil {
			// Only a known account is named: a mistyped "email" may be a password.
			e.TargetID, e.TargetName, e.TargetKind = u.ID, u.Name, u.RoleKind
		}
		if err := audit.Append(ctx, s.store, e); err != nil {
			s.log.Error("audit failed sign-in", "err", err)
		}
		return nil, errBadCredentials
	}
	if u.Status != store.StatusActive {
		_ = audit.Append(ctx, s.store, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: u.Name, Action: "session.refused",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
			Details: map[string]any{"reason": "deactivated"}})
		return nil, apperr.New(apperr.Unauthenticated, "deactivated", "This account is deactivated. Ask an administrator to reactivate it.")
	}
	outcome(true)
	// The password is right: with a second factor, the sign-in waits for its code.
	if u.TwoFactor {
		c, err := s.challenges.open(u.ID, now)
		if err != nil {
			return nil, err
		}
		return &Session{User: u, Challenge: c}, nil
	}
	return s.openPasswordSession(ctx, u, address, store.MethodPassword, nil)
}

// openPasswordSession opens a session for u signed in with a password (and, with method
// MethodTwoFactor, a second factor, detailed in the audit entry by second).
func (s *Service) openPasswordSession(ctx context.Context, u *store.User, address, method string, second map[string]any) (*Session, error) {
	now := s.now()
	details := map[string]any{"method": "password"}
	for k, v := range second {
		details[k] = v
	}
	var token string
	err := s.store.RunInTx(ctx, func(tx *store.Store) error {
		var err error
		if token, err = openSession(ctx, tx, u.ID, now, s.Policy().SessionLifetime, method); err != nil {
			return err
		}
		if err := tx.TouchUserSignIn(ctx, u.ID, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: u.Name, Action: "session.create",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
			Details: details})
	})
	if err != nil {
		return nil, err
	}
	u.LastSignInAt = &now
	return &Session{Token: token, User: u}, nil
}

// openSession stores a new session for userID, opened by method (store.Method*), and
// returns its token.
func openSession(ctx context.Context, st *store.Store, userID string, now time.Time, lifetime time.Duration, method string) (string, error) {
	raw := make([]byte, 32) // 256 random bits
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("identity: token: %w", err)
	}
	token := "gh_" + base64.RawURLEncoding.EncodeToString(raw)
	se := &store.Session{ID: uuid.NewString(), TokenHash: hashToken(token), UserID: userID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(lifetime), Method: method}
	if err := st.CreateSession(ctx, se); err != nil {
		return "", err
	}
	return token, nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Principal is an authenticated request's actor and session.
type Principal struct {
	Actor     authz.Actor
	SessionID string
	// MustChangePassword: the account was given its password by an admin; until the user
	// chooses their own, only /api/me, the password change and sign-out are open.
	MustChangePassword bool
	// ViewAs is whom the session has started viewing the app as ("" when nobody).
	ViewAs string
	// MustEnrolTwoFactor: the security policy asks this person's role for a second
	// factor and they have none; until they set one up, only /api/me, setting it up and
	// sign-out are open. A Google sign-in is not asked (Google has its own).
	MustEnrolTwoFactor bool
	// Method is how the session was opened (store.Method*).
	Method string
}

var errSessionEnded = apperr.New(apperr.Unauthenticated, "session_expired", "Your session has ended. Sign in again.")

// endedBecause says, to a session someone else ended, why.
var endedBecause = map[string]*apperr.Error{
	store.EndedDeactivated: apperr.New(apperr.Unauthenticated, "deactivated",
		"An administrator deactivated your account, so you were signed out. Ask them if you think this is a mistake."),
	store.EndedPasswordReset: apperr.New(apperr.Unauthenticated, "password_reset",
		"An administrator reset your password, so you were signed out. Sign in with the password they gave you."),
	store.EndedPasswordChanged: apperr.New(apperr.Unauthenticated, "password_changed",
		"Your password was changed in another session, so this one was signed out. Sign in with the new password."),
	store.EndedTwoFactorReset: apperr.New(apperr.Unauthenticated, "two_factor_reset",
		"An administrator reset your two-factor sign-in, so you were signed out. Sign in with your password and set it up again if asked."),
}

func (s *Service) whyEnded(ctx context.Context, h []byte) error {
	reason, err := s.store.EndedSession(ctx, h)
	if err != nil {
		return err
	}
	if e, ok := endedBecause[reason]; ok {
		return e
	}
	return errSessionEnded
}

// Authenticate resolves a bearer token to its principal, ending sessions that are past
// the idle timeout or lifetime of the policy in force, or whose user is no longer active.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthenticated, "unauthenticated", "Sign in first.")
	}
	se, err := s.store.SessionByTokenHash(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, s.whyEnded(ctx, hashToken(token))
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	pol := s.Policy()
	// The lifetime counts from sign-in under the policy as it is now, not as it was then:
	// a shorter lifetime ends older sessions at once.
	if !now.Before(se.CreatedAt.Add(pol.SessionLifetime)) || now.Sub(se.LastSeenAt) >= pol.IdleTimeout || !s.authz.Active(se.UserID) {
		if err := s.store.DeleteSession(ctx, se.ID); err != nil {
			return nil, err
		}
		return nil, errSessionEnded
	}
	// Writing on every request would turn each read into a write; a minute of slack on
	// an eight-hour idle timeout does not matter.
	if now.Sub(se.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, se.ID, now); err != nil {
			return nil, err
		}
	}
	return &Principal{Actor: s.authz.Actor(se.UserID), SessionID: se.ID, MustChangePassword: se.MustChangePassword, ViewAs: se.ViewAs,
		MustEnrolTwoFactor: !se.TwoFactor && se.Method != store.MethodGoogle && pol.RequiresTwoFactor(se.RoleID), Method: se.Method}, nil
}

// SignOut ends the session.
func (s *Service) SignOut(ctx context.Context, p *Principal) error {
	return s.store.DeleteSession(ctx, p.SessionID)
}

// ownPassword checks the signed-in user u's own password (field names it in the answer,
// wrong is what a wrong one is told). Guesses are charged to the sign-in throttle before
// they are checked, with the address trusted as sign-in decides it: a stolen session
// must not guess the password from addresses the account never signed in from faster
// than a stranger could.
func (s *Service) ownPassword(ctx context.Context, u *store.User, field string, wrong apperr.Text, password, address string) error {
	trusted, err := s.trusted(ctx, u.ID, address)
	if err != nil {
		return err
	}
	wait, outcome := s.throttle.Attempt(s.limits(u.Email, address, trusted))
	if wait > 0 {
		return throttled(wait)
	}
	if !VerifyPassword(u.PasswordHash, password) {
		return apperr.Field(field, "%s", wrong)
	}
	outcome(true)
	return nil
}

// ChangePassword changes the signed-in user's own password after checking the current one,
// clears the must-change flag, and ends their other sessions. Guesses of the current
// password are charged to the same throttle as sign-in, before they are checked, so
// parallel guesses cannot slip through.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next, address string) error {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return err
	}
	if current == "" {
		return apperr.Field("current", "Enter your current password.")
	}
	if len(current) > MaxPasswordBytes {
		return apperr.Field("current", "The current password is wrong.")
	}
	if err := s.ownPassword(ctx, u, "current", apperr.Textf("The current password is wrong."), current, address); err != nil {
		return err
	}
	if err := CheckPassword("new", next, u.Name, u.Email, s.MinPasswordLength()); err != nil {
		return err
	}
	if next == current {
		return apperr.Field("new", "The new password must differ from the current one.")
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	// The request may have taken long (a slow body, a queue for hashing): decide again,
	// under the index lock every account change holds, that this account is still active
	// and this session still open, so a deactivation that came meanwhile wins.
	_, err = write.Do(ctx, s.write, p.Actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if !w.Active(u.ID) {
			return struct{}{}, write.Effect{}, errSessionEnded
		}
		if open, err := tx.SessionExists(ctx, p.SessionID); err != nil {
			return struct{}{}, write.Effect{}, err
		} else if !open {
			return struct{}{}, write.Effect{}, errSessionEnded
		}
		if err := tx.SetUserPassword(ctx, u.ID, hash, false, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, p.SessionID, store.EndedPasswordChanged, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.password_change", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	return err
}

// ChangeEmail asks to change the signed-in user's own email (their login), after
// checking their password (charged to the same throttle as sign-in): a link goes to the
// new address, and the email changes only when it is opened (ConfirmEmail), so nobody
// can claim an address they do not read. The answer is the same whether or not the
// address is taken (then no mail goes out), so it tells nobody which addresses have
// accounts. Without email set up a new address cannot be confirmed: an administrator
// changes it instead.
func (s *Service) ChangeEmail(ctx context.Context, p *Principal, password, email, address string) error {
	u, err := s.store.User(ctx, p.Actor.UserID)
	if err != nil {
		return err
	}
	if password == "" {
		return apperr.Field("password", "Enter your password.")
	}
	if len(password) > MaxPasswordBytes {
		return apperr.Field("password", "The password is wrong.")
	}
	next, err := CheckEmail("email", email)
	if err != nil {
		return err
	}
	if store.EmailKey(next) == store.EmailKey(u.Email) {
		return apperr.Field("email", "This is your email already.")
	}
	if err := s.ownPassword(ctx, u, "password", apperr.Textf("The password is wrong."), password, address); err != nil {
		return err
	}
	if s.mail == nil {
		return errNoMailToConfirm
	}
	if ok, err := s.mail.Configured(ctx); err != nil {
		return err
	} else if !ok {
		return errNoMailToConfirm
	}
	if _, err := s.store.UserByEmail(ctx, store.EmailKey(next)); err == nil {
		return nil // taken: the same answer, and no mail
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	prep, err := s.mail.PrepareEmailConfirm(mail.Recipient{ID: u.ID, Name: u.Name, Email: u.Email}, next)
	if err != nil {
		return err
	}
	_, err = write.Do(ctx, s.write, p.Actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if !w.Active(u.ID) {
			return struct{}{}, write.Effect{}, errSessionEnded
		}
		if err := prep.Write(ctx, tx); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Mail: []*store.Mail{prep.Mail}, Audit: []audit.Entry{{Action: "user.email_change_requested",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
			Details: map[string]any{"to": next}}}}, nil
	})
	return err
}

var errNoMailToConfirm = apperr.New(apperr.Conflict, "email_not_configured",
	"A new email is confirmed by a mail to it, and email is not set up (Settings → Email): ask an administrator to change your email.")

// User returns the signed-in user's own account.
func (s *Service) User(ctx context.Context, p *Principal) (*store.User, error) {
	return s.store.User(ctx, p.Actor.UserID)
}
