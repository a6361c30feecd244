package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Role is a row of roles with its stored permissions (empty for built-in roles, whose
// permissions live in backend/authz), the roles its holders may give to others (ids, in
// id order), and how many users hold it.
type Role struct {
	ID          string
	Name        string
	Kind        string
	BuiltIn     bool
	Description string
	Grants      []Grant
	Assignable  []string
	UserCount   int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Grant is one permission key with its scope ("" when the permission has none).
type Grant struct {
	Key   string
	Scope string
}

// RoleNameKey is the form in which role names are compared for uniqueness.
func RoleNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Roles returns every role, built-in first, then by name, with grants and user counts.
func (s *Store) Roles(ctx context.Context) ([]*Role, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT r.id, r.name, r.kind, r.built_in, r.description, r.created_at, r.updated_at,
		(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id)
		FROM roles r ORDER BY r.built_in DESC, r.created_at, r.name_key`)
	if err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	var out []*Role
	byID := map[string]*Role{}
	for rows.Next() {
		var r Role
		var created, updated string
		if err := rows.Scan(&r.ID, &r.Name, &r.Kind, &r.BuiltIn, &r.Description, &created, &updated, &r.UserCount); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: roles: %w", err)
		}
		r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, &r)
		byID[r.ID] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	grows, err := s.q.QueryContext(ctx, `SELECT role_id, perm_key, scope FROM role_permissions ORDER BY role_id, perm_key`)
	if err != nil {
		return nil, fmt.Errorf("store: role permissions: %w", err)
	}
	defer grows.Close()
	for grows.Next() {
		var id string
		var g Grant
		if err := grows.Scan(&id, &g.Key, &g.Scope); err != nil {
			return nil, fmt.Errorf("store: role permissions: %w", err)
		}
		if r := byID[id]; r != nil {
			r.Grants = append(r.Grants, g)
		}
	}
	if err := grows.Err(); err != nil {
		return nil, fmt.Errorf("store: role permissions: %w", err)
	}
	arows, err := s.q.QueryContext(ctx, `SELECT role_id, assignable_role_id FROM role_assignable ORDER BY role_id, assignable_role_id`)
	if err != nil {
		return nil, fmt.Errorf("store: role assignable: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id, to string
		if err := arows.Scan(&id, &to); err != nil {
			return nil, fmt.Errorf("store: role assignable: %w", err)
		}
		if r := byID[id]; r != nil {
			r.Assignable = append(r.Assignable, to)
		}
	}
	return out, arows.Err()
}

// Role returns one role with its grants and user count.
func (s *Store) Role(ctx context.Context, id string) (*Role, error) {
	var r Role
	var created, updated string
	err := s.q.QueryRowContext(ctx, `SELECT r.id, r.name, r.kind, r.built_in, r.description, r.created_at, r.updated_at,
		(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id) FROM roles r WHERE r.id = ?`, id).
		Scan(&r.ID, &r.Name, &r.Kind, &r.BuiltIn, &r.Description, &created, &updated, &r.UserCount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: role %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: role: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
	rows, err := s.q.QueryContext(ctx, `SELECT perm_key, scope FROM role_permissions WHERE role_id = ? ORDER BY perm_key`, id)
	if err != nil {
		return nil, fmt.Errorf("store: role permissions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.Key, &g.Scope); err != nil {
			return nil, fmt.Errorf("store: role permissions: %w", err)
		}
		r.Grants = append(r.Grants, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: role permissions: %w", err)
	}
	if r.Assignable, err = s.roleAssignable(ctx, id); err != nil {
		return nil, err
	}
	return &r, nil
}

func (s *Store) roleAssignable(ctx context.Context, id string) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT assignable_role_id FROM role_assignable WHERE role_id = ? ORDER BY assignable_role_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: role assignable: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var to string
		if err := rows.Scan(&to); err != nil {
			return nil, fmt.Errorf("store: role assignable: %w", err)
		}
		out = append(out, to)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: role assignable: %w", err)
	}
	return out, nil
}

// CreateRole inserts a custom role and its grants. A duplicate name is ErrConflict.
func (s *Store) CreateRole(ctx context.Context, r *Role) error {
	now := formatTime(r.CreatedAt)
	_, err := s.q.ExecContext(ctx, `INSERT INTO roles (id, name, name_key, kind, built_in, description, created_at, updated_at)
		VALUES (?,?,?,?,0,?,?,?)`, r.ID, r.Name, RoleNameKey(r.Name), r.Kind, r.Description, now, now)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: create role: name %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: create role: %w", err)
	}
	if err := s.setGrants(ctx, r.ID, r.Grants); err != nil {
		return err
	}
	return s.setAssignable(ctx, r.ID, r.Assignable)
}

// UpdateRole writes name, kind, description and grants of a custom role.
func (s *Store) UpdateRole(ctx context.Context, r *Role) error {
	res, err := s.q.ExecContext(ctx, `UPDATE roles SET name = ?, name_key = ?, kind = ?, description = ?, updated_at = ?
		WHERE id = ? AND built_in = 0`, r.Name, RoleNameKey(r.Name), r.Kind, r.Description, formatTime(r.UpdatedAt), r.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: update role: name %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: update role: %w", err)
	}
	if err := affectedOne(res, "update role"); err != nil {
		return err
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM role_permissions WHERE role_id = ?`, r.ID); err != nil {
		return fmt.Errorf("store: update role: %w", err)
	}
	if err := s.setGrants(ctx, r.ID, r.Grants); err != nil {
		return err
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM role_assignable WHERE role_id = ?`, r.ID); err != nil {
		return fmt.Errorf("store: update role: %w", err)
	}
	return s.setAssignable(ctx, r.ID, r.Assignable)
}

// setAssignable writes the roles a role's holders may give. A role that does not exist is
// ErrNotFound (the foreign key).
func (s *Store) setAssignable(ctx context.Context, roleID string, ids []string) error {
	for _, to := range ids {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO role_assignable (role_id, assignable_role_id) VALUES (?,?)`, roleID, to); err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
				return fmt.Errorf("store: role assignable: role %s: %w", to, ErrNotFound)
			}
			return fmt.Errorf("store: role assignable: %w", err)
		}
	}
	return nil
}

func (s *Store) setGrants(ctx context.Context, roleID string, grants []Grant) error {
	for _, g := range grants {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO role_permissions (role_id, perm_key, scope) VALUES (?,?,?)`,
			roleID, g.Key, g.Scope); err != nil {
			return fmt.Errorf("store: role permissions: %w", err)
		}
	}
	return nil
}

// DeleteRole removes a custom role. It fails with ErrConflict while users hold it.
func (s *Store) DeleteRole(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM roles WHERE id = ? AND built_in = 0`, id)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
			return fmt.Errorf("store: delete role: in use: %w", ErrConflict)
		}
		return fmt.Errorf("store: delete role: %w", err)
	}
	return affectedOne(res, "delete role")
}
