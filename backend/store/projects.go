package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Project is a row of projects with its members, teams and attached clients.
type Project struct {
	ID          string
	Name        string
	Description string
	Status      string // active | archived
	Members     []string
	Teams       []string
	Clients     []string
	TaskCount   int
	CompanyID   string // the client company the project is for ("": none)
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (s *Store) idList(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (s *Store) fillProject(ctx context.Context, p *Project) error {
	var err error
	if p.Members, err = s.idList(ctx, `SELECT user_id FROM project_members WHERE project_id = ? ORDER BY user_id`, p.ID); err != nil {
		return fmt.Errorf("store: project members: %w", err)
	}
	if p.Teams, err = s.idList(ctx, `SELECT team_id FROM project_teams WHERE project_id = ? ORDER BY team_id`, p.ID); err != nil {
		return fmt.Errorf("store: project teams: %w", err)
	}
	if p.Clients, err = s.idList(ctx, `SELECT user_id FROM project_clients WHERE project_id = ? ORDER BY user_id`, p.ID); err != nil {
		return fmt.Errorf("store: project clients: %w", err)
	}
	p.CompanyID, err = s.ProjectCompany(ctx, p.ID)
	return err
}

// Project returns one project with its members.
func (s *Store) Project(ctx context.Context, id string) (*Project, error) {
	var p Project
	var created, updated string
	err := s.q.QueryRowContext(ctx, `SELECT id, name, description, status, created_at, updated_at,
		(SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) FROM projects p WHERE id = ?`, id).
		Scan(&p.ID, &p.Name, &p.Description, &p.Status, &created, &updated, &p.TaskCount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: project %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: project: %w", err)
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	return &p, s.fillProject(ctx, &p)
}

// ProjectFilter selects projects. IDs, when not nil, limits the list to those projects
// (the ones the actor sees); All lifts that limit.
type ProjectFilter struct {
	IDs       []string
	Query     string
	Status    string
	AfterName string
	AfterID   string
	Limit     int
}

// Projects returns a page of projects by name, and the number matching.
func (s *Store) Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error) {
	var conds []string
	var args []any
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return []*Project{}, 0, nil
		}
		conds = append(conds, `p.id IN (?`+strings.Repeat(",?", len(f.IDs)-1)+`)`)
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Query != "" {
		conds = append(conds, `LOWER(p.name) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(strings.ToLower(f.Query)))
	}
	if f.Status != "" {
		conds = append(conds, `p.status = ?`)
		args = append(args, f.Status)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count projects: %w", err)
	}
	if f.AfterID != "" {
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += `(LOWER(p.name) > ? OR (LOWER(p.name) = ? AND p.id > ?))`
		args = append(args, f.AfterName, f.AfterName, f.AfterID)
	}
	args = append(args, f.Limit)
	rows, err := s.q.QueryContext(ctx, `SELECT p.id, p.name, p.description, p.status, p.created_at, p.updated_at,
		(SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) FROM projects p`+where+` ORDER BY LOWER(p.name), p.id LIMIT ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: projects: %w", err)
	}
	var out []*Project
	for rows.Next() {
		var p Project
		var created, updated string
		if err := rows.Scan(&p.ID, &p.Name, &p.Description, &p.Status, &created, &updated, &p.TaskCount); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("store: projects: %w", err)
		}
		p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, 0, fmt.Errorf("store: projects: %w", err)
	}
	rows.Close()
	for _, p := range out {
		if err := s.fillProject(ctx, p); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// CreateProject inserts a project with its members, teams and clients.
func (s *Store) CreateProject(ctx context.Context, p *Project) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO projects (id, name, description, status, created_at, updated_at) VALUES (?,?,?,?,?,?)`,
		p.ID, p.Name, p.Description, p.Status, formatTime(p.CreatedAt), formatTime(p.UpdatedAt)); err != nil {
		return fmt.Errorf("store: create project: %w", err)
	}
	if err := s.SetProjectCompany(ctx, p.ID, p.CompanyID); err != nil {
		return err
	}
	return s.setProjectPeople(ctx, p)
}

// UpdateProject updates a project and replaces its members, teams and clients.
func (s *Store) UpdateProject(ctx context.Context, p *Project) error {
	res, err := s.q.ExecContext(ctx, `UPDATE projects SET name = ?, description = ?, status = ?, updated_at = ? WHERE id = ?`,
		p.Name, p.Description, p.Status, formatTime(p.UpdatedAt), p.ID)
	if err != nil {
		return fmt.Errorf("store: update project: %w", err)
	}
	if err := affectedOne(res, "update project"); err != nil {
		return err
	}
	if err := s.SetProjectCompany(ctx, p.ID, p.CompanyID); err != nil {
		return err
	}
	return s.setProjectPeople(ctx, p)
}

func (s *Store) setProjectPeople(ctx context.Context, p *Project) error {
	for _, q := range []string{`DELETE FROM project_members WHERE project_id = ?`, `DELETE FROM project_teams WHERE project_id = ?`,
		`DELETE FROM project_clients WHERE project_id = ?`} {
		if _, err := s.q.ExecContext(ctx, q, p.ID); err != nil {
			return fmt.Errorf("store: project members: %w", err)
		}
	}
	ins := func(q string, ids []string) error {
		for _, id := range ids {
			if _, err := s.q.ExecContext(ctx, q, p.ID, id); err != nil {
				if isForeignKeyViolation(err) {
					return fmt.Errorf("store: project members: unknown id %s: %w", id, ErrNotFound)
				}
				return fmt.Errorf("store: project members: %w", err)
			}
		}
		return nil
	}
	if err := ins(`INSERT INTO project_members (project_id, user_id) VALUES (?,?)`, p.Members); err != nil {
		return err
	}
	if err := ins(`INSERT INTO project_teams (project_id, team_id) VALUES (?,?)`, p.Teams); err != nil {
		return err
	}
	return ins(`INSERT INTO project_clients (project_id, user_id) VALUES (?,?)`, p.Clients)
}

// DeleteProject removes a project with its tasks.
func (s *Store) DeleteProject(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM projects WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete project: %w", err)
	}
	return affectedOne(res, "delete project")
}

// ProjectIDsByName maps each project name, lower-cased, to the ids of the projects of
// that name (a CSV import names projects).
func (s *Store) ProjectIDsByName(ctx context.Context) (map[string][]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, name FROM projects ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: project names: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: project names: %w", err)
		}
		k := strings.ToLower(strings.TrimSpace(name))
		out[k] = append(out[k], id)
	}
	return out, rows.Err()
}
