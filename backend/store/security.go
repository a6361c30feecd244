package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SecuritySettings is Settings → Security: the password, session and throttle policies
// and the roles that must sign in with a second factor.
type SecuritySettings struct {
	MinPasswordLength    int
	IdleTimeoutMinutes   int
	SessionLifetimeHours int
	ThrottleAccount      int
	ThrottleAccountWide  int
	ThrottleAddress      int
	// TwoFactorRoles are the ids of the roles whose holders must use a second factor,
	// sorted.
	TwoFactorRoles []string
	// ActivityRetentionDays is how long the activity log keeps an entry (0: for ever).
	ActivityRetentionDays int
}

// SecuritySettings returns Settings → Security.
func (s *Store) SecuritySettings(ctx context.Context) (*SecuritySettings, error) {
	var c SecuritySettings
	err := s.q.QueryRowContext(ctx, `SELECT min_password_length, idle_timeout_minutes, session_lifetime_hours,
		throttle_account, throttle_account_wide, throttle_address, activity_retention_days FROM security_settings WHERE id = 1`).
		Scan(&c.MinPasswordLength, &c.IdleTimeoutMinutes, &c.SessionLifetimeHours, &c.ThrottleAccount,
			&c.ThrottleAccountWide, &c.ThrottleAddress, &c.ActivityRetentionDays)
	if err != nil {
		return nil, fmt.Errorf("store: security settings: %w", err)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT role_id FROM two_factor_roles ORDER BY role_id`)
	if err != nil {
		return nil, fmt.Errorf("store: two-factor roles: %w", err)
	}
	defer rows.Close()
	c.TwoFactorRoles = []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: two-factor roles: %w", err)
		}
		c.TwoFactorRoles = append(c.TwoFactorRoles, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: two-factor roles: %w", err)
	}
	return &c, nil
}

// UpdateSecuritySettings writes every field of c, the role list included.
func (s *Store) UpdateSecuritySettings(ctx context.Context, c *SecuritySettings, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE security_settings SET min_password_length = ?, idle_timeout_minutes = ?,
		session_lifetime_hours = ?, throttle_account = ?, throttle_account_wide = ?, throttle_address = ?,
		activity_retention_days = ?, updated_at = ? WHERE id = 1`, c.MinPasswordLength, c.IdleTimeoutMinutes, c.SessionLifetimeHours,
		c.ThrottleAccount, c.ThrottleAccountWide, c.ThrottleAddress, c.ActivityRetentionDays, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: update security settings: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM two_factor_roles`); err != nil {
		return fmt.Errorf("store: update two-factor roles: %w", err)
	}
	for _, id := range c.TwoFactorRoles {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO two_factor_roles (role_id) VALUES (?)`, id); err != nil {
			if isForeignKeyViolation(err) {
				return fmt.Errorf("store: two-factor role %s: %w", id, ErrNotFound)
			}
			return fmt.Errorf("store: update two-factor roles: %w", err)
		}
	}
	return nil
}

// TwoFactor is a person's authenticator enrolment. The secret is sealed by the caller
// (backend/identity) with a key from the keychain; the store never sees it in clear.
type TwoFactor struct {
	UserID       string
	SecretSealed []byte
	StartedAt    time.Time
	ConfirmedAt  *time.Time // nil while the enrolment waits for its first code
	LastStep     int64
}

// TwoFactor returns userID's enrolment (ErrNotFound when none was started).
func (s *Store) TwoFactor(ctx context.Context, userID string) (*TwoFactor, error) {
	var t TwoFactor
	var started string
	var confirmed sql.NullString
	err := s.q.QueryRowContext(ctx, `SELECT user_id, secret_sealed, started_at, confirmed_at, last_step FROM two_factor
		WHERE user_id = ?`, userID).Scan(&t.UserID, &t.SecretSealed, &started, &confirmed, &t.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: two-factor: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: two-factor: %w", err)
	}
	t.StartedAt = parseTime(started)
	if confirmed.Valid {
		c := parseTime(confirmed.String)
		t.ConfirmedAt = &c
	}
	return &t, nil
}

// StartTwoFactor records a new, unconfirmed enrolment of userID, replacing one that was
// waiting for its first code; a confirmed enrolment is never replaced (ErrConflict).
func (s *Store) StartTwoFactor(ctx context.Context, userID string, sealed []byte, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `INSERT INTO two_factor (user_id, secret_sealed, started_at) VALUES (?,?,?)
		ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, started_at = excluded.started_at,
		last_step = 0 WHERE two_factor.confirmed_at IS NULL`, userID, sealed, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: start two-factor: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: start two-factor: %w", err)
	} else if n == 0 {
		return fmt.Errorf("store: start two-factor: %w", ErrConflict)
	}
	return nil
}

// ConfirmTwoFactor marks userID's waiting enrolment confirmed by the code of time step
// step, and replaces their recovery codes with codeHashes.
func (s *Store) ConfirmTwoFactor(ctx context.Context, userID string, step int64, codeHashes [][]byte, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE two_factor SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL`,
		formatTime(at), step, userID)
	if err != nil {
		return fmt.Errorf("store: confirm two-factor: %w", err)
	}
	if err := affectedOne(res, "confirm two-factor"); err != nil {
		return err
	}
	return s.ReplaceRecoveryCodes(ctx, userID, codeHashes)
}

// UseTwoFactorStep records that the code of time step step was accepted for userID; it
// reports false when that step (or a later one) was used already, so a code works once
// even when sent twice at the same moment.
func (s *Store) UseTwoFactorStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE two_factor SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL
		AND last_step < ?`, step, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: use two-factor code: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: use two-factor code: %w", err)
	}
	return n == 1, nil
}

// DeleteTwoFactor removes userID's enrolment (confirmed or waiting) and recovery codes;
// it reports whether a confirmed enrolment was removed.
func (s *Store) DeleteTwoFactor(ctx context.Context, userID string) (bool, error) {
	var confirmed int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM two_factor WHERE user_id = ? AND confirmed_at IS NOT NULL`,
		userID).Scan(&confirmed); err != nil {
		return false, fmt.Errorf("store: delete two-factor: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM two_factor WHERE user_id = ?`, userID); err != nil {
		return false, fmt.Errorf("store: delete two-factor: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return false, fmt.Errorf("store: delete recovery codes: %w", err)
	}
	return confirmed > 0, nil
}

// ReplaceRecoveryCodes makes codeHashes userID's only recovery codes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, codeHashes [][]byte) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: replace recovery codes: %w", err)
	}
	for _, h := range codeHashes {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?,?)`, userID, h); err != nil {
			return fmt.Errorf("store: replace recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode marks userID's unused recovery code with hash h used; it reports false
// when there is no such unused code (wrong, or used already).
func (s *Store) UseRecoveryCode(ctx context.Context, userID string, h []byte, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		formatTime(at), userID, h)
	if err != nil {
		return false, fmt.Errorf("store: use recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: use recovery code: %w", err)
	}
	return n == 1, nil
}

// RecoveryCodesLeft returns how many of userID's recovery codes are unused.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`,
		userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: recovery codes left: %w", err)
	}
	return n, nil
}
