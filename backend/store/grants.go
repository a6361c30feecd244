package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// UserGrant is a row of user_grants: something given to one person beyond their role,
// optionally until a date.
type UserGrant struct {
	ID     string
	UserID string
	// Kind is GrantPermission, GrantRole, GrantProject, GrantBoard or GrantFollow.
	Kind       string
	Permission string // GrantPermission: a catalog key
	Scope      string
	RoleID     string // GrantRole: the role held for a while
	// PreviousRoleID is the role a GrantRole returns the person to.
	PreviousRoleID string
	TargetID       string // the project, board or task
	Level          string // GrantBoard: editor or member
	Note           string
	GivenBy        string
	GivenByName    string
	CreatedAt      time.Time
	Until          *time.Time
	RemindedAt     *time.Time
	EndedAt        *time.Time
	EndedHow       string // "", GrantRevoked, GrantExpired
	EndedByName    string
}

// Kinds of grant, and how one ends.
const (
	GrantPermission = "permission"
	GrantRole       = "role"
	GrantProject    = "project"
	GrantBoard      = "board"
	GrantFollow     = "follow"
	GrantRevoked    = "revoked"
	GrantExpired    = "expired"
)

const grantColumns = `id, user_id, kind, permission, scope, role_id, previous_role_id, target_id, level, note, given_by,
	given_by_name, created_at, until, reminded_at, ended_at, ended_how, ended_by_name`

func scanGrant(row interface{ Scan(...any) error }) (*UserGrant, error) {
	var g UserGrant
	var created string
	var until, reminded, ended sql.NullString
	if err := row.Scan(&g.ID, &g.UserID, &g.Kind, &g.Permission, &g.Scope, &g.RoleID, &g.PreviousRoleID, &g.TargetID, &g.Level,
		&g.Note, &g.GivenBy, &g.GivenByName, &created, &until, &reminded, &ended, &g.EndedHow, &g.EndedByName); err != nil {
		return nil, err
	}
	g.CreatedAt = parseTime(created)
	g.Until, g.RemindedAt, g.EndedAt = nullTime(until), nullTime(reminded), nullTime(ended)
	return &g, nil
}

func timeOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// CreateUserGrant adds a grant.
func (s *Store) CreateUserGrant(ctx context.Context, g *UserGrant) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO user_grants (`+grantColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		g.ID, g.UserID, g.Kind, g.Permission, g.Scope, g.RoleID, g.PreviousRoleID, g.TargetID, g.Level, g.Note, g.GivenBy,
		g.GivenByName, formatTime(g.CreatedAt), timeOrNull(g.Until), timeOrNull(g.RemindedAt), timeOrNull(g.EndedAt), g.EndedHow, g.EndedByName)
	if err != nil {
		return fmt.Errorf("store: create grant: %w", err)
	}
	return nil
}

// UserGrant returns one grant, ended or not.
func (s *Store) UserGrant(ctx context.Context, id string) (*UserGrant, error) {
	g, err := scanGrant(s.q.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM user_grants WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: grant %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: grant: %w", err)
	}
	return g, nil
}

func (s *Store) userGrants(ctx context.Context, where string, args ...any) ([]*UserGrant, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+grantColumns+` FROM user_grants `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: grants: %w", err)
	}
	defer rows.Close()
	out := []*UserGrant{}
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, fmt.Errorf("store: grants: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: grants: %w", err)
	}
	return out, nil
}

// OpenUserGrants returns the grants in force (not ended), oldest first; of one person
// when userID is set.
func (s *Store) OpenUserGrants(ctx context.Context, userID string) ([]*UserGrant, error) {
	if userID != "" {
		return s.userGrants(ctx, `WHERE ended_at IS NULL AND user_id = ? ORDER BY created_at, id`, userID)
	}
	return s.userGrants(ctx, `WHERE ended_at IS NULL ORDER BY created_at, id`)
}

// UserGrantsDue returns the grants in force whose until is at or before t, soonest first.
func (s *Store) UserGrantsDue(ctx context.Context, t time.Time) ([]*UserGrant, error) {
	return s.userGrants(ctx, `WHERE ended_at IS NULL AND until IS NOT NULL AND until <= ? ORDER BY until, id`, formatTime(t))
}

// UserGrantsToRemind returns the grants in force, not yet reminded of, whose until is at
// or before t.
func (s *Store) UserGrantsToRemind(ctx context.Context, t time.Time) ([]*UserGrant, error) {
	return s.userGrants(ctx, `WHERE ended_at IS NULL AND reminded_at IS NULL AND until IS NOT NULL AND until <= ? ORDER BY until, id`, formatTime(t))
}

// EndUserGrant marks a grant in force as ended (how: GrantRevoked or GrantExpired). It
// reports ErrConflict when the grant had already ended: an end happens once.
func (s *Store) EndUserGrant(ctx context.Context, id, how, byName string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE user_grants SET ended_at = ?, ended_how = ?, ended_by_name = ? WHERE id = ? AND ended_at IS NULL`,
		formatTime(at), how, byName, id)
	if err != nil {
		return fmt.Errorf("store: end grant: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: end grant: %w", err)
	} else if n == 0 {
		return fmt.Errorf("store: end grant %s: %w", id, ErrConflict)
	}
	return nil
}

// SetUserGrantUntil moves a grant's end (nil: no end), and forgets a reminder sent for
// the old one.
func (s *Store) SetUserGrantUntil(ctx context.Context, id string, until *time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE user_grants SET until = ?, reminded_at = NULL WHERE id = ? AND ended_at IS NULL`, timeOrNull(until), id)
	if err != nil {
		return fmt.Errorf("store: grant until: %w", err)
	}
	return nil
}

// MarkUserGrantReminded records that the reminder of a grant's end went out.
func (s *Store) MarkUserGrantReminded(ctx context.Context, id string, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE user_grants SET reminded_at = ? WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("store: grant reminded: %w", err)
	}
	return nil
}

// RoleGrantsTouching returns the roles given for a while, in force, that give roleID or
// return their holder to it.
func (s *Store) RoleGrantsTouching(ctx context.Context, roleID string) ([]*UserGrant, error) {
	return s.userGrants(ctx, `WHERE ended_at IS NULL AND kind = 'role' AND (role_id = ? OR previous_role_id = ?) ORDER BY created_at, id`, roleID, roleID)
}

// RepointRoleGrants makes the roles given for a while, in force, that give role from or
// return to it, give or return to role to instead (from is being deleted).
func (s *Store) RepointRoleGrants(ctx context.Context, from, to string) error {
	for _, col := range []string{"role_id", "previous_role_id"} {
		if _, err := s.q.ExecContext(ctx, `UPDATE user_grants SET `+col+` = ? WHERE ended_at IS NULL AND kind = 'role' AND `+col+` = ?`, to, from); err != nil {
			return fmt.Errorf("store: repoint role grants: %w", err)
		}
	}
	return nil
}
