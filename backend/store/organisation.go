package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Organisation is Settings → General (the logo's bytes apart: OrganisationLogo).
type Organisation struct {
	Name, Accent, Timezone, DateFormat, NumberFormat, Language string
	Currency                                                   string // installation.currency
	LogoType                                                   string // "" without a logo
	LogoVersion                                                int64  // changes with every new logo
}

// Organisation reads Settings → General.
func (s *Store) Organisation(ctx context.Context) (*Organisation, error) {
	var o Organisation
	err := s.q.QueryRowContext(ctx, `SELECT o.name, o.accent, o.timezone, o.date_format, o.number_format, o.language, i.currency,
		o.logo_type, o.logo_version FROM organisation o, installation i WHERE o.id = 1 AND i.id = 1`).
		Scan(&o.Name, &o.Accent, &o.Timezone, &o.DateFormat, &o.NumberFormat, &o.Language, &o.Currency, &o.LogoType, &o.LogoVersion)
	if err != nil {
		return nil, fmt.Errorf("store: organisation: %w", err)
	}
	return &o, nil
}

// UpdateOrganisation writes every field of o but the logo.
func (s *Store) UpdateOrganisation(ctx context.Context, o *Organisation, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE organisation SET name = ?, accent = ?, timezone = ?, date_format = ?, number_format = ?,
		language = ?, updated_at = ? WHERE id = 1`, o.Name, o.Accent, o.Timezone, o.DateFormat, o.NumberFormat, o.Language, formatTime(at)); err != nil {
		return fmt.Errorf("store: update organisation: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE installation SET currency = ? WHERE id = 1`, o.Currency); err != nil {
		return fmt.Errorf("store: update currency: %w", err)
	}
	return nil
}

// OrganisationLogo returns the logo's bytes and type (nil and "" without one).
func (s *Store) OrganisationLogo(ctx context.Context) ([]byte, string, error) {
	var b []byte
	var t string
	if err := s.q.QueryRowContext(ctx, `SELECT logo, logo_type FROM organisation WHERE id = 1`).Scan(&b, &t); err != nil {
		return nil, "", fmt.Errorf("store: logo: %w", err)
	}
	return b, t, nil
}

// SetOrganisationLogo replaces the logo (nil data removes it).
func (s *Store) SetOrganisationLogo(ctx context.Context, data []byte, contentType string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE organisation SET logo = ?, logo_type = ?, logo_version = logo_version + 1, updated_at = ? WHERE id = 1`,
		data, contentType, formatTime(at)); err != nil {
		return fmt.Errorf("store: logo: %w", err)
	}
	return nil
}

// HoldsMoney reports whether any amount is kept in the currency: an invoice, a payment, a
// cost, a budget or an hour rate (the currency may change only before).
func (s *Store) HoldsMoney(ctx context.Context) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM invoices) + (SELECT COUNT(*) FROM project_costs) +
		(SELECT COUNT(*) FROM companies WHERE cost_per_month IS NOT NULL) +
		(SELECT COUNT(*) FROM projects WHERE budget IS NOT NULL) +
		(SELECT COUNT(*) FROM user_rates)`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: money held: %w", err)
	}
	return n > 0, nil
}

// UserLanguage is the language userID chose ("" when none: the organisation's).
func (s *Store) UserLanguage(ctx context.Context, userID string) (string, error) {
	var l string
	err := s.q.QueryRowContext(ctx, `SELECT language FROM user_languages WHERE user_id = ?`, userID).Scan(&l)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: user language: %w", err)
	}
	return l, nil
}

// SetUserLanguage records userID's language ("" forgets it).
func (s *Store) SetUserLanguage(ctx context.Context, userID, language string) error {
	var err error
	if language == "" {
		_, err = s.q.ExecContext(ctx, `DELETE FROM user_languages WHERE user_id = ?`, userID)
	} else {
		_, err = s.q.ExecContext(ctx, `INSERT INTO user_languages (user_id, language) VALUES (?, ?)
			ON CONFLICT (user_id) DO UPDATE SET language = excluded.language`, userID, language)
	}
	if err != nil {
		return fmt.Errorf("store: set user language: %w", err)
	}
	return nil
}
