package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Company is a client company with its portal users and projects.
type Company struct {
	ID, Name, Email, Phone, Address string
	CreatedAt                       time.Time
	People, Projects                []string // ids, filled by Companies and Company
}

// CompanyKey is the form in which company names are compared: what looks the same is the
// same (Unicode canonical composition), and case is folded in every script.
func CompanyKey(name string) string {
	return cases.Fold().String(norm.NFC.String(strings.TrimSpace(name)))
}

// rekeyCompanies makes every company's stored key CompanyKey of its name (the migration
// that made them could only lower-case ASCII); a name that then collides with another's
// gets a number.
func rekeyCompanies(ctx context.Context, db querier) error {
	rows, err := db.QueryContext(ctx, `SELECT id, name, name_key FROM companies ORDER BY created_at, id`)
	if err != nil {
		return fmt.Errorf("store: rekey companies: %w", err)
	}
	type row struct{ id, name, key string }
	var stale []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.key); err != nil {
			rows.Close()
			return fmt.Errorf("store: rekey companies: %w", err)
		}
		if r.key != CompanyKey(r.name) {
			stale = append(stale, r)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("store: rekey companies: %w", err)
	}
	rows.Close()
	for _, r := range stale {
		name := r.name
		for i := 2; ; i++ {
			_, err := db.ExecContext(ctx, `UPDATE companies SET name = ?, name_key = ? WHERE id = ?`, name, CompanyKey(name), r.id)
			if err == nil {
				break
			}
			if !isUniqueViolation(err) || i > 100 {
				return fmt.Errorf("store: rekey companies: %w", err)
			}
			name = fmt.Sprintf("%s (%d)", r.name, i)
		}
	}
	return nil
}

func companyErr(err error) error {
	if isUniqueViolation(err) {
		return fmt.Errorf("store: save company: name %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: save company: %w", err)
	}
	return nil
}

// CreateCompany inserts a company. A name already taken (ignoring case) is ErrConflict.
func (s *Store) CreateCompany(ctx context.Context, c *Company) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO companies (id, name, name_key, email, phone, address, created_at) VALUES (?,?,?,?,?,?,?)`,
		c.ID, c.Name, CompanyKey(c.Name), c.Email, c.Phone, c.Address, formatTime(c.CreatedAt))
	return companyErr(err)
}

// UpdateCompany writes a company's name and contact details.
func (s *Store) UpdateCompany(ctx context.Context, c *Company) error {
	res, err := s.q.ExecContext(ctx, `UPDATE companies SET name = ?, name_key = ?, email = ?, phone = ?, address = ? WHERE id = ?`,
		c.Name, CompanyKey(c.Name), c.Email, c.Phone, c.Address, c.ID)
	if err == nil {
		err = affectedOne(res, "update company")
	}
	return companyErr(err)
}

// DeleteCompany removes a company that has no people (its projects stay, without it).
func (s *Store) DeleteCompany(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM companies WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete company: %w", err)
	}
	return affectedOne(res, "delete company")
}

// Companies returns every company by name, with its people and projects.
func (s *Store) Companies(ctx context.Context) ([]*Company, error) {
	return s.companies(ctx, `SELECT id, name, email, phone, address, created_at FROM companies ORDER BY name_key, id`)
}

// Company returns one company with its people and projects.
func (s *Store) Company(ctx context.Context, id string) (*Company, error) {
	cs, err := s.companies(ctx, `SELECT id, name, email, phone, address, created_at FROM companies WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("store: company %s: %w", id, ErrNotFound)
	}
	return cs[0], nil
}

func (s *Store) companies(ctx context.Context, query string, args ...any) ([]*Company, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: companies: %w", err)
	}
	out := []*Company{}
	by := map[string]*Company{}
	for rows.Next() {
		c := &Company{People: []string{}, Projects: []string{}}
		var created string
		if err := rows.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Address, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: companies: %w", err)
		}
		c.CreatedAt = parseTime(created)
		out = append(out, c)
		by[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: companies: %w", err)
	}
	links, err := s.CompanyLinks(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if c := by[l.CompanyID]; c != nil {
			if l.UserID != "" {
				c.People = append(c.People, l.UserID)
			} else {
				c.Projects = append(c.Projects, l.ProjectID)
			}
		}
	}
	return out, nil
}

// CompanyLink is one portal user's or one project's company.
type CompanyLink struct {
	CompanyID, UserID, ProjectID string
}

// CompanyLinks returns every user's and project's company (the index reads them at start).
func (s *Store) CompanyLinks(ctx context.Context) ([]CompanyLink, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT company_id, user_id, '' FROM company_users
		UNION ALL SELECT company_id, '', project_id FROM company_projects ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("store: company links: %w", err)
	}
	defer rows.Close()
	var out []CompanyLink
	for rows.Next() {
		var l CompanyLink
		if err := rows.Scan(&l.CompanyID, &l.UserID, &l.ProjectID); err != nil {
			return nil, fmt.Errorf("store: company links: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// UserCompany returns the company of a user ("" when none).
func (s *Store) UserCompany(ctx context.Context, userID string) (string, error) {
	var id string
	err := s.q.QueryRowContext(ctx, `SELECT company_id FROM company_users WHERE user_id = ?`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: user company: %w", err)
	}
	return id, nil
}

// SetUserCompany puts a user in a company ("": in none).
func (s *Store) SetUserCompany(ctx context.Context, userID, companyID string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM company_users WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: user company: %w", err)
	}
	if companyID == "" {
		return nil
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO company_users (user_id, company_id) VALUES (?, ?)`, userID, companyID)
	if err != nil {
		return fmt.Errorf("store: user company: %w", err)
	}
	return nil
}

// ProjectCompany returns the company of a project ("" when none).
func (s *Store) ProjectCompany(ctx context.Context, projectID string) (string, error) {
	var id string
	err := s.q.QueryRowContext(ctx, `SELECT company_id FROM company_projects WHERE project_id = ?`, projectID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: project company: %w", err)
	}
	return id, nil
}

// SetProjectCompany gives a project to a company ("": to none).
func (s *Store) SetProjectCompany(ctx context.Context, projectID, companyID string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM company_projects WHERE project_id = ?`, projectID); err != nil {
		return fmt.Errorf("store: project company: %w", err)
	}
	if companyID == "" {
		return nil
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO company_projects (project_id, company_id) VALUES (?, ?)`, projectID, companyID)
	if err != nil {
		return fmt.Errorf("store: project company: %w", err)
	}
	return nil
}
