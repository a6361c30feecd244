package identity

import (
	"context"
	"errors"
	"slices"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// One-time set-password links: the welcome link of a new account (72 hours) and the
// reset link of "forgot password" or an administrator's "send reset email" (30 minutes).
// Only the SHA-256 of a token is stored; a link works once, and a newer link ends the
// older ones.

// SetMail gives the service the outbox it queues reset mails in.
func (s *Service) SetMail(m *mail.Service) { s.mail = m }

// passwordPurposes are the links that set a password (an email link does not).
var passwordPurposes = []string{"welcome", "reset"}

var errLinkInvalid = apperr.New(apperr.NotFound, "link_invalid", "This link has expired or was already used. Ask for a new one.")

// Forgot-password and link throttles: requests per address and per account, charged
// whatever the outcome, so neither mail bombing one person nor guessing links pays.
const (
	forgotPerAddress = 5
	forgotPerAccount = 3
	linksPerAddress  = 20
	// resetCoalesce: a reset link younger than this is not replaced by another request.
	resetCoalesce = 5 * time.Minute
)

func throttledRequests(wait time.Duration) error {
	return apperr.Throttle(wait, "Too many requests from here. Try again in a little while.")
}

// ForgotPassword queues a reset mail to email when it names an active account and email
// is set up. The answer is the same in every case, and comes before the work is done
// (the work runs after), so neither it nor its timing tells whether the account exists.
func (s *Service) ForgotPassword(ctx context.Context, email, address string) error {
	if len(email) > MaxEmailBytes {
		return apperr.Field("email", "The email address is too long: at most %d characters.", MaxEmailBytes)
	}
	n, err := NormalizeEmail(email)
	if err != nil {
		return apperr.Field("email", "Enter the email address you sign in with.")
	}
	// The address that asks is held back openly; the account asked about only silently
	// (its owner must never be told to wait because of a stranger's requests).
	if wait, _ := s.throttle.Attempt([]Limit{{Key: "forgot-address:" + addressClass(address), Threshold: forgotPerAddress}}); wait > 0 {
		return throttledRequests(wait)
	}
	if wait, _ := s.throttle.Attempt([]Limit{{Key: "forgot-account:" + emailKey(n), Threshold: forgotPerAccount}}); wait > 0 || s.mail == nil {
		return nil
	}
	go func() {
		if err := s.queueReset(context.WithoutCancel(ctx), n, address); err != nil {
			s.log.Warn("forgot password: could not queue the reset mail", "err", err)
		}
	}()
	return nil
}

func (s *Service) queueReset(ctx context.Context, email, address string) error {
	u, err := s.store.UserByEmail(ctx, emailKey(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if ok, err := s.mail.Configured(ctx); err != nil || !ok {
		return err
	}
	p, err := s.mail.PrepareReset(mail.Recipient{ID: u.ID, Name: u.Name, Email: u.Email})
	if err != nil {
		return err
	}
	// Recorded as asked by nobody in particular, from the address: whoever asks is not
	// known to be the account's owner.
	_, err = write.Do(ctx, s.write, authz.Actor{}, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if !w.Active(u.ID) {
			return struct{}{}, write.Effect{}, nil
		}
		// A link made in the last few minutes is still on its way: another request adds
		// nothing (and does not end it).
		if fresh, err := tx.ResetLinkSince(ctx, u.ID, s.now().Add(-resetCoalesce)); err != nil || fresh {
			return struct{}{}, write.Effect{}, err
		}
		if err := p.Write(ctx, tx); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Mail: []*store.Mail{p.Mail}, Audit: []audit.Entry{{Action: "user.reset_requested",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address}}}, nil
	})
	return err
}

// Link is what a valid set-password link is for.
type Link struct {
	Purpose   string
	Email     string
	Name      string
	ExpiresAt time.Time
}

// link finds the valid link of token and its active account, charging unknown tokens to
// the address's throttle.
func (s *Service) link(ctx context.Context, st *store.Store, token, address string, purposes ...string) (*store.PasswordLink, *store.User, error) {
	if token == "" || len(token) > 200 {
		return nil, nil, apperr.Field("token", "Paste the whole link or code from the mail.")
	}
	wait, outcome := s.throttle.Attempt([]Limit{{Key: "link-address:" + addressClass(address), Threshold: linksPerAddress}})
	if wait > 0 {
		return nil, nil, throttledRequests(wait)
	}
	l, err := st.PasswordLink(ctx, mail.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errLinkInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(purposes, l.Purpose) {
		return nil, nil, errLinkInvalid
	}
	if ok, err := st.LinkValid(ctx, l, s.now()); err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, errLinkInvalid
	}
	u, err := st.User(ctx, l.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Status != store.StatusActive) {
		return nil, nil, errLinkInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	outcome(true)
	return l, u, nil
}

// CheckLink says what a link is for, without using it.
func (s *Service) CheckLink(ctx context.Context, token, address string) (*Link, error) {
	l, u, err := s.link(ctx, s.store, token, address, passwordPurposes...)
	if err != nil {
		return nil, err
	}
	return &Link{Purpose: l.Purpose, Email: u.Email, Name: u.Name, ExpiresAt: l.ExpiresAt}, nil
}

// SetPasswordWithLink sets the account's password with a link, which it uses up; the
// account's sessions end and the password is the person's own (no change at next
// sign-in). It returns the email to sign in with.
func (s *Service) SetPasswordWithLink(ctx context.Context, token, password, address string) (string, error) {
	_, u, err := s.link(ctx, s.store, token, address, passwordPurposes...)
	if err != nil {
		return "", err
	}
	if err := CheckPassword("password", password, u.Name, u.Email, s.MinPasswordLength()); err != nil {
		return "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	actor := s.authz.Actor(u.ID)
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (string, write.Effect, error) {
		// Decided again under the lock: the link may have been used, or the account
		// deactivated, while the password was hashed.
		l, err := s.useLink(ctx, w, tx, token, u.ID, passwordPurposes...)
		if err != nil {
			return "", write.Effect{}, err
		}
		if err := tx.SetUserPassword(ctx, u.ID, hash, false, s.now()); err != nil {
			return "", write.Effect{}, err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, "", store.EndedPasswordReset, s.now()); err != nil {
			return "", write.Effect{}, err
		}
		return u.Email, write.Effect{Audit: []audit.Entry{{Action: "user.password_set_by_link", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Address: address, Details: map[string]any{"purpose": l.Purpose}}}}, nil
	})
}

// ConfirmEmail opens an email link: the account's email becomes the address the link was
// sent to (which its holder therefore reads). It returns the new email.
func (s *Service) ConfirmEmail(ctx context.Context, token, address string) (string, error) {
	_, u, err := s.link(ctx, s.store, token, address, "email")
	if err != nil {
		return "", err
	}
	return write.Do(ctx, s.write, s.authz.Actor(u.ID), func(w *authz.Writer, tx *store.Store) (string, write.Effect, error) {
		l, err := s.useLink(ctx, w, tx, token, u.ID, "email")
		if err != nil {
			return "", write.Effect{}, err
		}
		cur, err := tx.User(ctx, u.ID)
		if err != nil {
			return "", write.Effect{}, err
		}
		old := cur.Email
		cur.Email, cur.UpdatedAt = l.NewEmail, s.now()
		if err := tx.UpdateUser(ctx, cur); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return "", write.Effect{}, apperr.New(apperr.Conflict, "email_taken",
					"Another account took this address meanwhile; your email stays as it was.")
			}
			return "", write.Effect{}, err
		}
		if err := tx.EndPasswordLinks(ctx, u.ID, s.now()); err != nil {
			return "", write.Effect{}, err
		}
		return cur.Email, write.Effect{Audit: []audit.Entry{{Action: "user.update", TargetType: "user", TargetID: u.ID, TargetName: u.Name,
			TargetKind: u.RoleKind, Address: address, Details: map[string]any{"email": map[string]string{"from": old, "to": cur.Email}, "self": true, "confirmed": true}}}}, nil
	})
}

// useLink uses up the link of token, under the write lock, when it is still valid, of
// one of purposes, and userID's, who is still active.
func (s *Service) useLink(ctx context.Context, w *authz.Writer, tx *store.Store, token, userID string, purposes ...string) (*store.PasswordLink, error) {
	l, err := tx.PasswordLink(ctx, mail.HashToken(token))
	if err != nil || l.UserID != userID || !w.Active(userID) || !slices.Contains(purposes, l.Purpose) {
		return nil, errLinkInvalid
	}
	if ok, err := tx.LinkValid(ctx, l, s.now()); err != nil {
		return nil, err
	} else if !ok {
		return nil, errLinkInvalid
	}
	if err := tx.UsePasswordLink(ctx, l.TokenHash, s.now()); err != nil {
		return nil, errLinkInvalid
	}
	return l, nil
}
