package store

import (
	"context"
	"fmt"
	"time"
)

// SecretNamespace returns this data folder's random prefix for keychain entries, so two
// data folders on one machine never share a secret.
func (s *Store) SecretNamespace(ctx context.Context) (string, error) {
	var ns string
	if err := s.q.QueryRowContext(ctx, `SELECT secret_namespace FROM installation WHERE id = 1`).Scan(&ns); err != nil {
		return "", fmt.Errorf("store: secret namespace: %w", err)
	}
	return ns, nil
}

// SignInSettings is Settings → Sign-in. The client secret is not here: it is in the
// keychain, and ClientSecretSet only says whether one was stored.
type SignInSettings struct {
	GoogleClientID     string
	ClientSecretSet    bool
	GoogleIssuer       string
	HostedDomain       string
	AllowRegistrations bool
	LinkByEmail        bool
	DefaultRoleID      string
	UpdatedAt          *time.Time
}

// SignInSettings returns the sign-in settings.
func (s *Store) SignInSettings(ctx context.Context) (*SignInSettings, error) {
	var c SignInSettings
	var updated string
	err := s.q.QueryRowContext(ctx, `SELECT google_client_id, client_secret_set, google_issuer, hosted_domain,
		allow_registrations, link_by_email, default_role_id, updated_at FROM signin_settings WHERE id = 1`).
		Scan(&c.GoogleClientID, &c.ClientSecretSet, &c.GoogleIssuer, &c.HostedDomain, &c.AllowRegistrations,
			&c.LinkByEmail, &c.DefaultRoleID, &updated)
	if err != nil {
		return nil, fmt.Errorf("store: sign-in settings: %w", err)
	}
	if updated != "" {
		t := parseTime(updated)
		c.UpdatedAt = &t
	}
	return &c, nil
}

// UpdateSignInSettings writes every field of c.
func (s *Store) UpdateSignInSettings(ctx context.Context, c *SignInSettings, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE signin_settings SET google_client_id = ?, client_secret_set = ?, google_issuer = ?,
		hosted_domain = ?, allow_registrations = ?, link_by_email = ?, default_role_id = ?, updated_at = ? WHERE id = 1`,
		c.GoogleClientID, c.ClientSecretSet, c.GoogleIssuer, c.HostedDomain, c.AllowRegistrations, c.LinkByEmail,
		c.DefaultRoleID, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: update sign-in settings: %w", err)
	}
	return nil
}
