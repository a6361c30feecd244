package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// EmailSettings is Settings → Email. The SMTP password is not here: it is in the
// keychain, and PasswordSet only says whether one was stored.
type EmailSettings struct {
	Host        string
	Port        int
	Security    string // starttls, tls or none
	Username    string
	PasswordSet bool
	FromName    string
	FromAddress string
	AppURL      string
	// Which notification mails are sent at all.
	NotifyProject, NotifyAssigned, NotifyReviewed, NotifyMentioned bool
}

// Configured reports whether mail can be sent: a server and a sender are set.
func (c *EmailSettings) Configured() bool { return c.Host != "" && c.FromAddress != "" }

// EmailSettings returns Settings → Email.
func (s *Store) EmailSettings(ctx context.Context) (*EmailSettings, error) {
	var c EmailSettings
	err := s.q.QueryRowContext(ctx, `SELECT host, port, security, username, password_set, from_name, from_address, app_url,
		notify_project, notify_assigned, notify_reviewed, notify_mentioned FROM email_settings WHERE id = 1`).
		Scan(&c.Host, &c.Port, &c.Security, &c.Username, &c.PasswordSet, &c.FromName, &c.FromAddress, &c.AppURL,
			&c.NotifyProject, &c.NotifyAssigned, &c.NotifyReviewed, &c.NotifyMentioned)
	if err != nil {
		return nil, fmt.Errorf("store: email settings: %w", err)
	}
	return &c, nil
}

// UpdateEmailSettings writes every field of c.
func (s *Store) UpdateEmailSettings(ctx context.Context, c *EmailSettings, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE email_settings SET host = ?, port = ?, security = ?, username = ?, password_set = ?,
		from_name = ?, from_address = ?, app_url = ?, notify_project = ?, notify_assigned = ?, notify_reviewed = ?, notify_mentioned = ?, updated_at = ?
		WHERE id = 1`, c.Host, c.Port, c.Security, c.Username, c.PasswordSet, c.FromName, c.FromAddress, c.AppURL,
		c.NotifyProject, c.NotifyAssigned, c.NotifyReviewed, c.NotifyMentioned, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: update email settings: %w", err)
	}
	return nil
}

// Mail states.
const (
	MailQueued    = "queued"
	MailSent      = "sent"
	MailFailed    = "failed"
	MailCancelled = "cancelled"
)

// Mail is one message of the outbox.
type Mail struct {
	ID       string
	Seq      int64
	Kind     string
	ToUserID string
	To       string
	Subject  string
	Params   map[string]string
	// Secret is the sealed link token or password the mail carries; nil once sent.
	Secret        []byte
	State         string
	Attempts      int
	LastError     string
	CreatedAt     time.Time
	NextAttemptAt *time.Time
	SentAt        *time.Time
}

// QueueMail adds m to the outbox (state queued, due at m.CreatedAt). Its seq orders the
// log.
func (s *Store) QueueMail(ctx context.Context, m *Mail) error {
	params, err := json.Marshal(m.Params)
	if err != nil {
		return fmt.Errorf("store: queue mail: %w", err)
	}
	if m.Params == nil {
		params = []byte("{}")
	}
	m.State = MailQueued
	due := m.CreatedAt
	m.NextAttemptAt = &due
	err = s.q.QueryRowContext(ctx, `INSERT INTO outbox (id, seq, kind, to_user_id, to_address, subject, params, secret, state,
		created_at, next_attempt_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
		RETURNING seq`, m.ID, m.Kind, m.ToUserID, m.To, m.Subject, string(params), m.Secret, formatTime(m.CreatedAt), formatTime(due)).Scan(&m.Seq)
	if err != nil {
		return fmt.Errorf("store: queue mail: %w", err)
	}
	return nil
}

const mailColumns = `id, seq, kind, to_user_id, to_address, subject, params, secret, state, attempts, last_error, created_at,
	next_attempt_at, sent_at`

func scanMail(sc interface{ Scan(...any) error }) (*Mail, error) {
	var m Mail
	var params, created, next, sent string
	if err := sc.Scan(&m.ID, &m.Seq, &m.Kind, &m.ToUserID, &m.To, &m.Subject, &params, &m.Secret, &m.State, &m.Attempts,
		&m.LastError, &created, &next, &sent); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
		return nil, fmt.Errorf("mail %s: params: %w", m.ID, err)
	}
	m.CreatedAt = parseTime(created)
	if next != "" && m.State == MailQueued {
		t := parseTime(next)
		m.NextAttemptAt = &t
	}
	if sent != "" {
		t := parseTime(sent)
		m.SentAt = &t
	}
	return &m, nil
}

// Mail returns one message of the outbox.
func (s *Store) Mail(ctx context.Context, id string) (*Mail, error) {
	m, err := scanMail(s.q.QueryRowContext(ctx, `SELECT `+mailColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: mail %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: mail: %w", err)
	}
	return m, nil
}

// DueMails returns up to limit queued mails due at now, oldest first.
func (s *Store) DueMails(ctx context.Context, now time.Time, limit int) ([]*Mail, error) {
	return s.mails(ctx, `SELECT `+mailColumns+` FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?
		ORDER BY next_attempt_at, seq LIMIT ?`, formatTime(now), limit)
}

// SetMailRecipient records the address a mail goes to (the account's current one).
func (s *Store) SetMailRecipient(ctx context.Context, id, to string) error {
	return s.execOne(ctx, "mail recipient", `UPDATE outbox SET to_address = ? WHERE id = ?`, to, id)
}

// PruneMail drops sent and cancelled mails made before mailsBefore, and password links
// that were used or expired before linksBefore.
func (s *Store) PruneMail(ctx context.Context, mailsBefore, linksBefore time.Time) error {
	if err := s.execOne(ctx, "prune mail", `DELETE FROM outbox WHERE state IN ('sent', 'cancelled') AND created_at < ?`,
		formatTime(mailsBefore)); err != nil {
		return err
	}
	return s.execOne(ctx, "prune links", `DELETE FROM password_links WHERE (used_at <> '' AND used_at < ?) OR expires_at < ?`,
		formatTime(linksBefore), formatTime(linksBefore))
}

// ResetLinkSince reports whether userID has an unused reset link made at or after since
// (a fresh one makes another request for the same account a no-op).
func (s *Store) ResetLinkSince(ctx context.Context, userID string, since time.Time) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM password_links WHERE user_id = ? AND purpose = 'reset' AND used_at = ''
		AND created_at >= ?`, userID, formatTime(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: reset link: %w", err)
	}
	return n > 0, nil
}

// MailAllDue makes every queued mail due at now (at start: what waited for a retry is
// tried at once, the failure may have been the crash itself).
func (s *Store) MailAllDue(ctx context.Context, now time.Time) error {
	return s.execOne(ctx, "mail due", `UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at > ?`,
		formatTime(now), formatTime(now))
}

// NextMailDue returns when the next queued mail is due (nil when none is queued).
func (s *Store) NextMailDue(ctx context.Context) (*time.Time, error) {
	var next sql.NullString
	if err := s.q.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'`).Scan(&next); err != nil {
		return nil, fmt.Errorf("store: next mail: %w", err)
	}
	return nullTime(next), nil
}

// MailFilter pages the email log, newest first.
type MailFilter struct {
	State  string
	Before int64 // seq of the last row of the previous page; 0 for the first
	Limit  int
}

// Mails returns a page of the email log and how many match in all.
func (s *Store) Mails(ctx context.Context, f MailFilter) ([]*Mail, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, f.State)
	}
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE `+strings.Join(where, " AND "), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: mails: %w", err)
	}
	if f.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, f.Before)
	}
	items, err := s.mails(ctx, `SELECT `+mailColumns+` FROM outbox WHERE `+strings.Join(where, " AND ")+` ORDER BY seq DESC LIMIT ?`,
		append(args, f.Limit)...)
	return items, total, err
}

func (s *Store) mails(ctx context.Context, query string, args ...any) ([]*Mail, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: mails: %w", err)
	}
	defer rows.Close()
	var out []*Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, fmt.Errorf("store: mails: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailSent records a clean send: the secret it carried is dropped.
func (s *Store) MailSent(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "mail sent", `UPDATE outbox SET state = 'sent', secret = NULL, attempts = attempts + 1, last_error = '',
		sent_at = ?, next_attempt_at = '' WHERE id = ? AND state = 'queued'`, formatTime(at), id)
}

// MailAttemptFailed records a failed attempt: queued again for next, or failed for good
// when next is nil.
func (s *Store) MailAttemptFailed(ctx context.Context, id, reason string, next *time.Time) error {
	if next == nil {
		return s.execOne(ctx, "mail failed", `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,
			next_attempt_at = '' WHERE id = ? AND state = 'queued'`, reason, id)
	}
	return s.execOne(ctx, "mail retry", `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
		WHERE id = ? AND state = 'queued'`, reason, formatTime(*next), id)
}

// MailWaiting records why a queued mail was not tried (email is not set up, the keychain
// is locked) without counting an attempt; it is tried again at next.
func (s *Store) MailWaiting(ctx context.Context, id, reason string, next time.Time) error {
	return s.execOne(ctx, "mail waiting", `UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'queued'`,
		reason, formatTime(next), id)
}

// MailCancelled ends a mail that must not be sent any more (its link was used or
// replaced, the recipient left or can no longer see what it names); its secret is dropped.
func (s *Store) MailCancelled(ctx context.Context, id, reason string) error {
	return s.execOne(ctx, "mail cancelled", `UPDATE outbox SET state = 'cancelled', secret = NULL, last_error = ?, next_attempt_at = ''
		WHERE id = ? AND state IN ('queued', 'failed')`, reason, id)
}

// RetryMail queues a queued or failed mail again, due at now.
func (s *Store) RetryMail(ctx context.Context, id string, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE id = ? AND state IN ('queued', 'failed')`,
		formatTime(now), id)
	if err != nil {
		return fmt.Errorf("store: retry mail: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: retry mail %s: %w", id, ErrConflict)
	}
	return nil
}

// CancelUserMails cancels the queued mails of kinds to userID (a newer welcome or reset
// mail replaces the older ones).
func (s *Store) CancelUserMails(ctx context.Context, userID, reason string, kinds ...string) error {
	if len(kinds) == 0 {
		return nil
	}
	args := []any{reason, userID}
	for _, k := range kinds {
		args = append(args, k)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', secret = NULL, last_error = ?, next_attempt_at = ''
		WHERE to_user_id = ? AND state IN ('queued', 'failed') AND kind IN (`+placeholders(len(kinds))+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: cancel mails: %w", err)
	}
	return nil
}

func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	if _, err := s.q.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// PasswordLink is a one-time set-password link; only the SHA-256 of its token is stored.
type PasswordLink struct {
	TokenHash []byte
	UserID    string
	// Stamp is the account's UserStamp when the link was made (CreatePasswordLink sets it).
	Stamp   []byte
	Purpose string // welcome, reset or email
	// NewEmail is the address an email link confirms.
	NewEmail  string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// CreatePasswordLink stores l, stamped with the account as it is now, and ends the
// user's earlier unused links of any purpose: only the newest link works.
func (s *Store) CreatePasswordLink(ctx context.Context, l *PasswordLink) error {
	if err := s.EndPasswordLinks(ctx, l.UserID, l.CreatedAt); err != nil {
		return err
	}
	stamp, err := s.UserStamp(ctx, l.UserID)
	if err != nil {
		return err
	}
	l.Stamp = stamp
	if _, err := s.q.ExecContext(ctx, `INSERT INTO password_links (token_hash, user_id, stamp, purpose, new_email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.TokenHash, l.UserID, stamp, l.Purpose, l.NewEmail, formatTime(l.CreatedAt), formatTime(l.ExpiresAt)); err != nil {
		return fmt.Errorf("store: password link: %w", err)
	}
	return nil
}

// EndPasswordLinks ends the user's unused links.
func (s *Store) EndPasswordLinks(ctx context.Context, userID string, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE password_links SET used_at = ? WHERE user_id = ? AND used_at = ''`,
		formatTime(at), userID); err != nil {
		return fmt.Errorf("store: end password links: %w", err)
	}
	return nil
}

// UserStamp is a digest of what a password link may not outlive: the account's email,
// role (and that role's permissions) and password hash.
func (s *Store) UserStamp(ctx context.Context, userID string) ([]byte, error) {
	var email, role, hash string
	// The role's kind and permissions are part of it: a link does not outlive a promotion
	// made by editing the role either.
	err := s.q.QueryRowContext(ctx, `SELECT u.email_key, u.role_id || ' ' || COALESCE(r.kind, '') || ' ' ||
		COALESCE((SELECT `+s.pick(`group_concat(k, ',')`, `string_agg(k, ',' ORDER BY k)`)+` FROM (SELECT perm_key || ':' || scope AS k FROM role_permissions
			WHERE role_id = u.role_id ORDER BY k) AS perms), ''), u.password_hash
		FROM users u LEFT JOIN roles r ON r.id = u.role_id WHERE u.id = ?`, userID).Scan(&email, &role, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: user stamp: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: user stamp: %w", err)
	}
	h := sha256.Sum256([]byte(email + "\x00" + role + "\x00" + hash))
	return h[:], nil
}

// LinkValid reports whether l still works at now: unused, unexpired, and its account
// unchanged since it was made.
func (s *Store) LinkValid(ctx context.Context, l *PasswordLink, now time.Time) (bool, error) {
	if l.UsedAt != nil || !now.Before(l.ExpiresAt) {
		return false, nil
	}
	stamp, err := s.UserStamp(ctx, l.UserID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return bytes.Equal(stamp, l.Stamp), nil
}

// PasswordLink returns the link with this token hash.
func (s *Store) PasswordLink(ctx context.Context, hash []byte) (*PasswordLink, error) {
	l := PasswordLink{TokenHash: hash}
	var created, expires, used string
	err := s.q.QueryRowContext(ctx, `SELECT user_id, stamp, purpose, new_email, created_at, expires_at, used_at FROM password_links
		WHERE token_hash = ?`, hash).Scan(&l.UserID, &l.Stamp, &l.Purpose, &l.NewEmail, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: password link: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: password link: %w", err)
	}
	l.CreatedAt, l.ExpiresAt = parseTime(created), parseTime(expires)
	if used != "" {
		t := parseTime(used)
		l.UsedAt = &t
	}
	return &l, nil
}

// UsePasswordLink marks the link used; ErrGone when it was used (or replaced) already.
func (s *Store) UsePasswordLink(ctx context.Context, hash []byte, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE password_links SET used_at = ? WHERE token_hash = ? AND used_at = ''`, formatTime(at), hash)
	if err != nil {
		return fmt.Errorf("store: use password link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: use password link: %w", ErrGone)
	}
	return nil
}

// NotificationPrefs returns the kinds userID turned off or on explicitly (absent: on).
func (s *Store) NotificationPrefs(ctx context.Context, userID string) (map[string]bool, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT kind, enabled FROM notification_prefs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: notification prefs: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		var on bool
		if err := rows.Scan(&k, &on); err != nil {
			return nil, fmt.Errorf("store: notification prefs: %w", err)
		}
		out[k] = on
	}
	return out, rows.Err()
}

// SetNotificationPref records whether userID wants mails of kind.
func (s *Store) SetNotificationPref(ctx context.Context, userID, kind string, on bool) error {
	return s.execOne(ctx, "notification pref", `INSERT INTO notification_prefs (user_id, kind, enabled) VALUES (?, ?, ?)
		ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled`, userID, kind, on)
}

// placeholders is "?,?,…" for n values (n ≥ 1).
func placeholders(n int) string { return "?" + strings.Repeat(",?", n-1) }
