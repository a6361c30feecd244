package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RememberedSession is a "keep me signed in" refresh token of the window; only its hash
// is kept.
type RememberedSession struct {
	ID         string
	TokenHash  []byte
	UserID     string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	// Method is how the session that made it was opened (Method* of sessions).
	Method string
}

// CreateRememberedSession inserts r.
func (s *Store) CreateRememberedSession(ctx context.Context, r *RememberedSession) error {
	if r.Method == "" {
		r.Method = MethodPassword
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO remembered_sessions (id, token_hash, user_id, created_at, last_used_at, expires_at, method)
		VALUES (?,?,?,?,?,?,?)`, r.ID, r.TokenHash, r.UserID, formatTime(r.CreatedAt), formatTime(r.LastUsedAt), formatTime(r.ExpiresAt), r.Method)
	if err != nil {
		return fmt.Errorf("store: create remembered session: %w", err)
	}
	return nil
}

// RememberedSessionByTokenHash returns the remembered session whose token hashes to h.
func (s *Store) RememberedSessionByTokenHash(ctx context.Context, h []byte) (*RememberedSession, error) {
	var r RememberedSession
	var created, used, expires string
	err := s.q.QueryRowContext(ctx, `SELECT id, token_hash, user_id, created_at, last_used_at, expires_at, method
		FROM remembered_sessions WHERE token_hash = ?`, h).Scan(&r.ID, &r.TokenHash, &r.UserID, &created, &used, &expires, &r.Method)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: remembered session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: remembered session: %w", err)
	}
	r.CreatedAt, r.LastUsedAt, r.ExpiresAt = parseTime(created), parseTime(used), parseTime(expires)
	return &r, nil
}

// RotateRememberedSession replaces the token of remembered session id (each use hands
// out a new token, so a copied old one is worthless).
func (s *Store) RotateRememberedSession(ctx context.Context, id string, h []byte, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE remembered_sessions SET token_hash = ?, last_used_at = ? WHERE id = ?`, h, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: rotate remembered session: %w", err)
	}
	return affectedOne(res, "rotate remembered session")
}

// DeleteRememberedSession removes one remembered session.
func (s *Store) DeleteRememberedSession(ctx context.Context, id string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM remembered_sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete remembered session: %w", err)
	}
	return nil
}

// DeleteUserRememberedSessions removes every remembered session of a user.
func (s *Store) DeleteUserRememberedSessions(ctx context.Context, userID string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM remembered_sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: delete remembered sessions: %w", err)
	}
	return nil
}

// RememberedSessionCount returns how many remembered sessions a user has (for tests).
func (s *Store) RememberedSessionCount(ctx context.Context, userID string) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM remembered_sessions WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count remembered sessions: %w", err)
	}
	return n, nil
}
