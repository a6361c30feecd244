package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Currency is the organisation's currency (ISO 4217), in which every amount is kept in
// minor units.
func (s *Store) Currency(ctx context.Context) (string, error) {
	var c string
	if err := s.q.QueryRowContext(ctx, `SELECT currency FROM installation WHERE id = 1`).Scan(&c); err != nil {
		return "", fmt.Errorf("store: currency: %w", err)
	}
	return c, nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// CompanyCost returns a company's cost per month (nil: not set).
func (s *Store) CompanyCost(ctx context.Context, companyID string) (*int64, error) {
	var v sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT cost_per_month FROM companies WHERE id = ?`, companyID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: company %s: %w", companyID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: company cost: %w", err)
	}
	return nullInt(v), nil
}

// SetCompanyCost writes a company's cost per month (nil: not set).
func (s *Store) SetCompanyCost(ctx context.Context, companyID string, v *int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE companies SET cost_per_month = ? WHERE id = ?`, v, companyID)
	if err != nil {
		return fmt.Errorf("store: company cost: %w", err)
	}
	return affectedOne(res, "company cost")
}

// ProjectBudget returns a project's budget (nil: not set).
func (s *Store) ProjectBudget(ctx context.Context, projectID string) (*int64, error) {
	var v sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT budget FROM projects WHERE id = ?`, projectID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: project %s: %w", projectID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: project budget: %w", err)
	}
	return nullInt(v), nil
}

// SetProjectBudget writes a project's budget (nil: not set).
func (s *Store) SetProjectBudget(ctx context.Context, projectID string, v *int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE projects SET budget = ? WHERE id = ?`, v, projectID)
	if err != nil {
		return fmt.Errorf("store: project budget: %w", err)
	}
	return affectedOne(res, "project budget")
}

// ProjectCost is one extra cost of a project.
type ProjectCost struct {
	ID, ProjectID, Description, SpentOn, CreatedBy string
	Amount                                         int64
	CreatedAt                                      time.Time
}

// ProjectCosts returns a project's extra costs, by date.
func (s *Store) ProjectCosts(ctx context.Context, projectID string) ([]*ProjectCost, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, project_id, description, amount, spent_on, created_by, created_at
		FROM project_costs WHERE project_id = ? ORDER BY spent_on, created_at, id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: project costs: %w", err)
	}
	defer rows.Close()
	out := []*ProjectCost{}
	for rows.Next() {
		var c ProjectCost
		var created string
		if err := rows.Scan(&c.ID, &c.ProjectID, &c.Description, &c.Amount, &c.SpentOn, &c.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("store: project costs: %w", err)
		}
		c.CreatedAt = parseTime(created)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// ProjectCost returns one extra cost.
func (s *Store) ProjectCost(ctx context.Context, id string) (*ProjectCost, error) {
	var c ProjectCost
	var created string
	err := s.q.QueryRowContext(ctx, `SELECT id, project_id, description, amount, spent_on, created_by, created_at FROM project_costs WHERE id = ?`, id).
		Scan(&c.ID, &c.ProjectID, &c.Description, &c.Amount, &c.SpentOn, &c.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: project cost %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: project cost: %w", err)
	}
	c.CreatedAt = parseTime(created)
	return &c, nil
}

// AddProjectCost records an extra cost.
func (s *Store) AddProjectCost(ctx context.Context, c *ProjectCost) error {
	return s.execOne(ctx, "project cost", `INSERT INTO project_costs (id, project_id, description, amount, spent_on, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.ProjectID, c.Description, c.Amount, c.SpentOn, c.CreatedBy, formatTime(c.CreatedAt))
}

// DeleteProjectCost removes an extra cost.
func (s *Store) DeleteProjectCost(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM project_costs WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete project cost: %w", err)
	}
	return affectedOne(res, "delete project cost")
}

// HourRate returns a user's hour rate (nil: not set).
func (s *Store) HourRate(ctx context.Context, userID string) (*int64, error) {
	var v int64
	err := s.q.QueryRowContext(ctx, `SELECT hour_rate FROM user_rates WHERE user_id = ?`, userID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: hour rate: %w", err)
	}
	return &v, nil
}

// SetHourRate writes a user's hour rate (nil: not set).
func (s *Store) SetHourRate(ctx context.Context, userID string, v *int64) error {
	if v == nil {
		return s.execOne(ctx, "hour rate", `DELETE FROM user_rates WHERE user_id = ?`, userID)
	}
	return s.execOne(ctx, "hour rate", `INSERT INTO user_rates (user_id, hour_rate) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET hour_rate = excluded.hour_rate`, userID, *v)
}
