package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Team is a row of teams with its members and leaders.
type Team struct {
	ID          string
	Name        string
	Description string
	Members     []string
	Leaders     []string
	CreatedAt   time.Time
}

// CreateTeam inserts a team with its members. A duplicate name is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, t *Team) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO teams (id, name, name_key, description, created_at) VALUES (?,?,?,?,?)`,
		t.ID, t.Name, RoleNameKey(t.Name), t.Description, formatTime(t.CreatedAt))
	if err := teamErr(err); err != nil {
		return err
	}
	return s.setTeamMembers(ctx, t)
}

// UpdateTeam updates a team and replaces its members. A duplicate name is ErrConflict.
func (s *Store) UpdateTeam(ctx context.Context, t *Team) error {
	res, err := s.q.ExecContext(ctx, `UPDATE teams SET name = ?, name_key = ?, description = ? WHERE id = ?`, t.Name, RoleNameKey(t.Name), t.Description, t.ID)
	if err == nil {
		err = affectedOne(res, "update team")
	}
	if err := teamErr(err); err != nil {
		return err
	}
	return s.setTeamMembers(ctx, t)
}

func teamErr(err error) error {
	if isUniqueViolation(err) {
		return fmt.Errorf("store: save team: name %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: save team: %w", err)
	}
	return nil
}

// Teams returns every team by name.
func (s *Store) Teams(ctx context.Context) ([]*Team, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, name, description, created_at FROM teams ORDER BY name_key, id`)
	if err != nil {
		return nil, fmt.Errorf("store: teams: %w", err)
	}
	var out []*Team
	by := map[string]*Team{}
	for rows.Next() {
		var t Team
		var created string
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: teams: %w", err)
		}
		t.CreatedAt = parseTime(created)
		t.Members, t.Leaders = []string{}, []string{}
		out = append(out, &t)
		by[t.ID] = &t
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("store: teams: %w", err)
	}
	rows.Close()
	m, err := s.q.QueryContext(ctx, `SELECT team_id, user_id, leader FROM team_members ORDER BY team_id, user_id`)
	if err != nil {
		return nil, fmt.Errorf("store: team members: %w", err)
	}
	defer m.Close()
	for m.Next() {
		var tid, uid string
		var leader bool
		if err := m.Scan(&tid, &uid, &leader); err != nil {
			return nil, fmt.Errorf("store: team members: %w", err)
		}
		if t := by[tid]; t != nil {
			t.Members = append(t.Members, uid)
			if leader {
				t.Leaders = append(t.Leaders, uid)
			}
		}
	}
	return out, m.Err()
}

// Team returns one team.
func (s *Store) Team(ctx context.Context, id string) (*Team, error) {
	var t Team
	var created string
	err := s.q.QueryRowContext(ctx, `SELECT id, name, description, created_at FROM teams WHERE id = ?`, id).Scan(&t.ID, &t.Name, &t.Description, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: team %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: team: %w", err)
	}
	t.CreatedAt = parseTime(created)
	if t.Members, err = s.idList(ctx, `SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id`, id); err != nil {
		return nil, fmt.Errorf("store: team members: %w", err)
	}
	if t.Leaders, err = s.idList(ctx, `SELECT user_id FROM team_members WHERE team_id = ? AND leader = 1 ORDER BY user_id`, id); err != nil {
		return nil, fmt.Errorf("store: team members: %w", err)
	}
	return &t, nil
}

func (s *Store) setTeamMembers(ctx context.Context, t *Team) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = ?`, t.ID); err != nil {
		return fmt.Errorf("store: team members: %w", err)
	}
	leaders := map[string]bool{}
	for _, l := range t.Leaders {
		leaders[l] = true
	}
	for _, u := range t.Members {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO team_members (team_id, user_id, leader) VALUES (?,?,?)`, t.ID, u, leaders[u]); err != nil {
			if isForeignKeyViolation(err) {
				return fmt.Errorf("store: team members: unknown user %s: %w", u, ErrNotFound)
			}
			return fmt.Errorf("store: team members: %w", err)
		}
	}
	return nil
}

// DeleteTeam removes a team, its memberships and its board and task-type authorisations.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	// Task-type authorisations of the team stay: they match nobody, so the type stays
	// closed rather than opening to everyone.
	for _, q := range []string{`DELETE FROM board_access WHERE principal_type = 'team' AND principal_id = ?`} {
		if _, err := s.q.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete team: %w", err)
		}
	}
	res, err := s.q.ExecContext(ctx, `DELETE FROM teams WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete team: %w", err)
	}
	return affectedOne(res, "delete team")
}

// DeleteUserPrincipals removes a deleted user's board invitations and task-type
// authorisations (they are not foreign keys, as a principal may be a user or a team).
func (s *Store) DeleteUserPrincipals(ctx context.Context, userID string) error {
	for _, q := range []string{`DELETE FROM board_access WHERE principal_type = 'user' AND principal_id = ?`} {
		if _, err := s.q.ExecContext(ctx, q, userID); err != nil {
			return fmt.Errorf("store: delete user principals: %w", err)
		}
	}
	return nil
}
