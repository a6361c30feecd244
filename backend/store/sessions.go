package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in bearer token; only its hash is kept.
type Session struct {
	ID         string
	TokenHash  []byte
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	// MustChangePassword is the user's flag, read with the session so a request needs one
	// query to know whether it may do anything but change the password.
	MustChangePassword bool
	// ViewAs is whom the session views the app as ("" when nobody).
	ViewAs string
	// Method is how the session was opened (one of the Method* values).
	Method string
	// RoleID and TwoFactor are the user's role and whether they have a confirmed second
	// factor, read with the session so a request needs one query to know whether the
	// security policy asks them to set one up first.
	RoleID    string
	TwoFactor bool
}

// How a session was opened. A remembered sign-in keeps the method of the session that
// made it.
const (
	MethodPassword  = "password"
	MethodTwoFactor = "two_factor" // a password and a code (or a recovery code)
	MethodGoogle    = "google"
)

// CreateSession inserts se.
func (s *Store) CreateSession(ctx context.Context, se *Session) error {
	if se.Method == "" {
		se.Method = MethodPassword
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, method)
		VALUES (?,?,?,?,?,?,?)`, se.ID, se.TokenHash, se.UserID, formatTime(se.CreatedAt), formatTime(se.LastSeenAt), formatTime(se.ExpiresAt), se.Method)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByTokenHash returns the session whose token hashes to h.
func (s *Store) SessionByTokenHash(ctx context.Context, h []byte) (*Session, error) {
	var se Session
	var created, seen, expires string
	err := s.q.QueryRowContext(ctx, `SELECT s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
		(SELECT must_change_password FROM users WHERE id = s.user_id), s.view_as, s.method,
		(SELECT role_id FROM users WHERE id = s.user_id),
		EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = s.user_id AND t.confirmed_at IS NOT NULL)
		FROM sessions s WHERE s.token_hash = ?`, h).
		Scan(&se.ID, &se.TokenHash, &se.UserID, &created, &seen, &expires, &se.MustChangePassword, &se.ViewAs, &se.Method,
			&se.RoleID, &se.TwoFactor)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	se.CreatedAt, se.LastSeenAt, se.ExpiresAt = parseTime(created), parseTime(seen), parseTime(expires)
	return &se, nil
}

// SetSessionViewAs records whom a session views the app as.
func (s *Store) SetSessionViewAs(ctx context.Context, id, userID string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE sessions SET view_as = ? WHERE id = ?`, userID, id)
	if err != nil {
		return fmt.Errorf("store: session view as: %w", err)
	}
	return affectedOne(res, "session view as")
}

// SessionExists reports whether the session with id is still open.
func (s *Store) SessionExists(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: session exists: %w", err)
	}
	return n > 0, nil
}

// TouchSession records activity on a session (for the idle timeout).
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// Why sessions were ended by someone else's act, as EndedSession reports it.
const (
	EndedDeactivated     = "deactivated"
	EndedPasswordReset   = "password_reset"
	EndedPasswordChanged = "password_changed"
	EndedTwoFactorReset  = "two_factor_reset"
)

// DeleteUserSessions ends every session of a user except keep (may be empty), recording
// why (one of the Ended* reasons) by token hash, and every remembered sign-in ("keep me
// signed in") of theirs without exception: each caller — deactivation, a password change
// or reset — must end those too.
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keep, reason string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO ended_sessions (token_hash, reason, ended_at)
		SELECT token_hash, ?, ? FROM sessions WHERE user_id = ? AND id <> ?
		ON CONFLICT (token_hash) DO UPDATE SET reason = excluded.reason, ended_at = excluded.ended_at`, reason, formatTime(at), userID, keep); err != nil {
		return fmt.Errorf("store: end user sessions: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep); err != nil {
		return fmt.Errorf("store: delete user sessions: %w", err)
	}
	return s.DeleteUserRememberedSessions(ctx, userID)
}

// EndedSession returns why the session whose token hashes to h was ended by someone
// else's act ("" when it was not, or long ago).
func (s *Store) EndedSession(ctx context.Context, h []byte) (string, error) {
	var reason string
	err := s.q.QueryRowContext(ctx, `SELECT reason FROM ended_sessions WHERE token_hash = ?`, h).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: ended session: %w", err)
	}
	return reason, nil
}

// DeleteExpiredSessions removes sessions opened before createdBefore (past the lifetime
// in force) or idle since before idleBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, createdBefore, idleBefore time.Time) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE created_at <= ? OR last_seen_at <= ?`,
		formatTime(createdBefore), formatTime(idleBefore)); err != nil {
		return fmt.Errorf("store: delete expired sessions: %w", err)
	}
	// A session ended by someone else is told why for as long as it could have lived.
	if _, err := s.q.ExecContext(ctx, `DELETE FROM ended_sessions WHERE ended_at <= ?`, formatTime(now.Add(-7*24*time.Hour))); err != nil {
		return fmt.Errorf("store: delete ended sessions: %w", err)
	}
	return nil
}

// SessionCount returns how many sessions a user has (for tests and the user page).
func (s *Store) SessionCount(ctx context.Context, userID string) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sessions: %w", err)
	}
	return n, nil
}
