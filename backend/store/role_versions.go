package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RoleVersion is a custom role as it stood after one change: version 1 when it was
// created, then one more for each edit or rollback.
type RoleVersion struct {
	RoleID      string
	Version     int
	Name        string
	Description string
	Kind        string
	Grants      []Grant
	// Assignable are the roles its holders may give (ids); nil for a version written
	// before they were recorded.
	Assignable []string
	ActorID    string
	ActorName  string
	Note       string // "create", "clone", "update" or "rollback"
	RolledBack int    // for a rollback: the version it returned to
	CreatedAt  time.Time
}

type grantJSON struct {
	Key   string `json:"key"`
	Scope string `json:"scope"`
}

// AddRoleVersion appends the role's next version (its number is set on v).
func (s *Store) AddRoleVersion(ctx context.Context, v *RoleVersion) error {
	gs := make([]grantJSON, len(v.Grants))
	for i, g := range v.Grants {
		gs[i] = grantJSON{g.Key, g.Scope}
	}
	raw, err := json.Marshal(gs)
	if err != nil {
		return fmt.Errorf("store: role version: %w", err)
	}
	gives := v.Assignable
	if gives == nil {
		gives = []string{}
	}
	rawGives, err := json.Marshal(gives)
	if err != nil {
		return fmt.Errorf("store: role version: %w", err)
	}
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM role_versions WHERE role_id = ?`, v.RoleID).Scan(&n); err != nil {
		return fmt.Errorf("store: role version: %w", err)
	}
	note := v.Note
	if v.RolledBack > 0 {
		note = fmt.Sprintf("rollback:%d", v.RolledBack)
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO role_versions (role_id, version, name, description, kind, grants, assignable, actor_id, actor_name, note, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, v.RoleID, n, v.Name, v.Description, v.Kind, string(raw), string(rawGives), v.ActorID, v.ActorName, note, formatTime(v.CreatedAt)); err != nil {
		return fmt.Errorf("store: role version: %w", err)
	}
	v.Version = n
	return nil
}

// RoleVersions returns a role's versions, oldest first.
func (s *Store) RoleVersions(ctx context.Context, roleID string) ([]*RoleVersion, error) {
	return s.roleVersions(ctx, `WHERE role_id = ? ORDER BY version`, roleID)
}

// AllRoleVersions returns every role's versions, by role, oldest first.
func (s *Store) AllRoleVersions(ctx context.Context) ([]*RoleVersion, error) {
	return s.roleVersions(ctx, `ORDER BY role_id, version`)
}

// RoleVersion returns one version of a role (ErrNotFound when it has no such version).
func (s *Store) RoleVersion(ctx context.Context, roleID string, version int) (*RoleVersion, error) {
	vs, err := s.roleVersions(ctx, `WHERE role_id = ? AND version = ?`, roleID, version)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("store: role %s version %d: %w", roleID, version, ErrNotFound)
	}
	return vs[0], nil
}

func (s *Store) roleVersions(ctx context.Context, where string, args ...any) ([]*RoleVersion, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT role_id, version, name, description, kind, grants, assignable, actor_id, actor_name, note, created_at
		FROM role_versions `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: role versions: %w", err)
	}
	defer rows.Close()
	var out []*RoleVersion
	for rows.Next() {
		var v RoleVersion
		var raw, at string
		var gives sql.NullString
		if err := rows.Scan(&v.RoleID, &v.Version, &v.Name, &v.Description, &v.Kind, &raw, &gives, &v.ActorID, &v.ActorName, &v.Note, &at); err != nil {
			return nil, fmt.Errorf("store: role versions: %w", err)
		}
		var gs []grantJSON
		if err := json.Unmarshal([]byte(raw), &gs); err != nil {
			return nil, fmt.Errorf("store: role versions: grants of %s v%d: %w", v.RoleID, v.Version, err)
		}
		for _, g := range gs {
			v.Grants = append(v.Grants, Grant{g.Key, g.Scope})
		}
		if gives.Valid {
			v.Assignable = []string{}
			if err := json.Unmarshal([]byte(gives.String), &v.Assignable); err != nil {
				return nil, fmt.Errorf("store: role versions: roles to give of %s v%d: %w", v.RoleID, v.Version, err)
			}
		}
		var n int
		if _, err := fmt.Sscanf(v.Note, "rollback:%d", &n); err == nil {
			v.Note, v.RolledBack = "rollback", n
		}
		v.CreatedAt = parseTime(at)
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: role versions: %w", err)
	}
	return out, nil
}
