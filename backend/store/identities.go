package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Identity is an external account (a Google account) linked to a user.
type Identity struct {
	ID         string
	UserID     string
	Provider   string
	Issuer     string
	Subject    string
	Email      string
	LinkedVia  string // "email" or "registration"
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

const identityColumns = `id, user_id, provider, issuer, subject, email, linked_via, created_at, last_used_at`

func scanIdentity(row interface{ Scan(...any) error }) (*Identity, error) {
	var i Identity
	var created string
	var used sql.NullString
	if err := row.Scan(&i.ID, &i.UserID, &i.Provider, &i.Issuer, &i.Subject, &i.Email, &i.LinkedVia, &created, &used); err != nil {
		return nil, err
	}
	i.CreatedAt, i.LastUsedAt = parseTime(created), nullTime(used)
	return &i, nil
}

// IdentityBySubject returns the identity the issuer knows as subject.
func (s *Store) IdentityBySubject(ctx context.Context, issuer, subject string) (*Identity, error) {
	i, err := scanIdentity(s.q.QueryRowContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE issuer = ? AND subject = ?`,
		issuer, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: identity: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: identity: %w", err)
	}
	return i, nil
}

// IdentitiesOfUser returns a user's linked identities, oldest first.
func (s *Store) IdentitiesOfUser(ctx context.Context, userID string) ([]*Identity, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: identities: %w", err)
	}
	defer rows.Close()
	out := []*Identity{}
	for rows.Next() {
		i, err := scanIdentity(rows)
		if err != nil {
			return nil, fmt.Errorf("store: identities: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// CreateIdentity links i. An identity already linked, or a second identity of the same
// issuer for one user, is ErrConflict.
func (s *Store) CreateIdentity(ctx context.Context, i *Identity) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO identities (`+identityColumns+`) VALUES (?,?,?,?,?,?,?,?,?)`,
		i.ID, i.UserID, i.Provider, i.Issuer, i.Subject, i.Email, i.LinkedVia, formatTime(i.CreatedAt), formatTime(i.CreatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("store: create identity: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: create identity: %w", err)
	}
	return nil
}

// TouchIdentity records a sign-in through identity id.
func (s *Store) TouchIdentity(ctx context.Context, id string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE identities SET last_used_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("store: touch identity: %w", err)
	}
	return nil
}

// DeleteIdentity unlinks identity id of user userID.
func (s *Store) DeleteIdentity(ctx context.Context, userID, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM identities WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("store: delete identity: %w", err)
	}
	return affectedOne(res, "delete identity")
}
