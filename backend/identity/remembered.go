package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
)

// RememberLifetime is how long "keep me signed in" lasts without the window being opened.
const RememberLifetime = 30 * 24 * time.Hour

// Remember is "keep me signed in" for the window: a refresh token kept in the system
// keychain (only its hash in the database) that opens a new session at the next start.
// It is rotated at every use and ends with sign-out, deactivation, and any password
// change or reset (store.DeleteUserSessions).
type Remember struct {
	id      *Service
	secrets secrets.Store
	ns      string
}

// NewRemember returns the remembered-session service; secretNS is the data folder's
// keychain namespace.
func NewRemember(id *Service, sec secrets.Store, secretNS string) *Remember {
	return &Remember{id: id, secrets: sec, ns: secretNS}
}

func (r *Remember) key() string { return r.ns + "/remembered-session" }

func newRefreshToken() (string, error) {
	t, err := randomString()
	if err != nil {
		return "", err
	}
	return "ghr_" + t, nil
}

// Enable remembers the signed-in user on this computer, replacing whatever was remembered.
func (r *Remember) Enable(ctx context.Context, p *Principal) error {
	old, err := r.secrets.Get(r.key())
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return errKeychain(err)
	}
	token, err := newRefreshToken()
	if err != nil {
		return err
	}
	if err := r.secrets.Set(r.key(), token); err != nil {
		return errKeychain(err)
	}
	now := r.id.now()
	err = r.id.store.RunInTx(ctx, func(tx *store.Store) error {
		if old != "" {
			if prev, err := tx.RememberedSessionByTokenHash(ctx, hashToken(old)); err == nil {
				if err := tx.DeleteRememberedSession(ctx, prev.ID); err != nil {
					return err
				}
			}
		}
		return tx.CreateRememberedSession(ctx, &store.RememberedSession{ID: uuid.NewString(), TokenHash: hashToken(token),
			UserID: p.Actor.UserID, CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(RememberLifetime), Method: p.Method})
	})
	if err != nil {
		// The keychain holds a token the database does not know: harmless, but tidy it.
		if derr := r.secrets.Delete(r.key()); derr != nil {
			r.id.log.Warn("remembered sign-in: could not remove the unused token from the keychain", "err", derr)
		}
		return err
	}
	return nil
}

var (
	errNothingRemembered = apperr.NotFoundf("Nobody is remembered on this computer.")
	errRememberedEnded   = apperr.New(apperr.Unauthenticated, "remembered_ended",
		"Your remembered sign-in has ended (signed out, password changed, account deactivated, or unused for 30 days). Sign in again.")
)

// Resume opens a session from the remembered token in the keychain and rotates it.
func (r *Remember) Resume(ctx context.Context, address string) (*Session, error) {
	token, err := r.secrets.Get(r.key())
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, errNothingRemembered
	}
	if err != nil {
		return nil, errKeychain(err)
	}
	now := r.id.now()
	rs, err := r.id.store.RememberedSessionByTokenHash(ctx, hashToken(token))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if rs == nil || !now.Before(rs.ExpiresAt) || !r.id.authz.Active(rs.UserID) {
		if rs != nil {
			if err := r.id.store.DeleteRememberedSession(ctx, rs.ID); err != nil {
				return nil, err
			}
		}
		if err := r.secrets.Delete(r.key()); err != nil {
			return nil, errKeychain(err)
		}
		return nil, errRememberedEnded
	}
	u, err := r.id.store.User(ctx, rs.UserID)
	if err != nil {
		return nil, err
	}
	next, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	var session string
	err = r.id.store.RunInTx(ctx, func(tx *store.Store) error {
		if err := tx.RotateRememberedSession(ctx, rs.ID, hashToken(next), now); err != nil {
			return err
		}
		var err error
		if session, err = openSession(ctx, tx, u.ID, now, r.id.Policy().SessionLifetime, rs.Method); err != nil {
			return err
		}
		if err := tx.TouchUserSignIn(ctx, u.ID, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: u.Name, Action: "session.create",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
			Details: map[string]any{"method": "remembered"}})
	})
	if err != nil {
		return nil, err
	}
	if err := r.secrets.Set(r.key(), next); err != nil {
		// The old token no longer works; the person signs in again next time.
		r.id.log.Warn("remembered sign-in: could not store the rotated token", "err", err)
	}
	u.LastSignInAt = &now
	return &Session{Token: session, User: u}, nil
}

// Forget ends every remembered sign-in of userID and clears the keychain entry. The
// database rows go first: once they are gone the token in the keychain is worthless, so
// a keychain that cannot be reached does not keep anyone signed in.
func (r *Remember) Forget(ctx context.Context, userID string) error {
	if err := r.id.store.DeleteUserRememberedSessions(ctx, userID); err != nil {
		return err
	}
	if err := r.secrets.Delete(r.key()); err != nil {
		r.id.log.Warn("remembered sign-in: could not remove the token from the keychain", "err", err)
	}
	return nil
}
