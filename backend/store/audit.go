package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one line of the audit log. Details must never hold a secret.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    string
	ActorName  string
	Action     string
	TargetType string
	TargetID   string
	TargetName string
	TargetKind string
	Address    string
	Details    map[string]any
	// ClientRelated: the entry involves a client (portal) account besides its target
	// (one that acted, or one named in the details). A client target counts on its own.
	ClientRelated bool
	// Needs is the catalog key a reader must hold to get this entry ("": none).
	Needs string
}

// AppendAudit adds e to the log.
func (s *Store) AppendAudit(ctx context.Context, e *AuditEntry) error {
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return fmt.Errorf("store: audit: %w", err)
		}
	}
	if e.At.IsZero() {
		return fmt.Errorf("store: audit: an entry needs its time")
	}
	clientRelated := e.ClientRelated || e.TargetKind == "client"
	res, err := s.q.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,
		target_name, target_kind, address, details, client_related, needs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		formatTime(e.At), e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.TargetName, e.TargetKind, e.Address, string(details),
		clientRelated, e.Needs)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// SignInAddresses returns the addresses userID opened sessions from at or after since
// (the audit log keeps every sign-in with its address), the most recent hundred.
func (s *Store) SignInAddresses(ctx context.Context, userID string, since time.Time) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT DISTINCT address FROM (SELECT address FROM audit_log WHERE target_id = ?
		AND action = 'session.create' AND at >= ? ORDER BY id DESC LIMIT 100)`, userID, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("store: sign-in addresses: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("store: sign-in addresses: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Action    string
	ActorID   string
	TargetID  string
	Query     string
	Kind      string    // the action's kind: "user" matches user.create, user.role_change…
	Since     time.Time // when set, entries at or after it
	Until     time.Time // when set, entries before it
	NoClients bool      // hide entries that involve client (portal) accounts
	Involving []string  // when set, only entries these users made or are the target of
	Holds     []string  // the keys the reader holds: entries needing another key are left out
	BeforeID  int64     // keyset: entries with a smaller id
	Limit     int
}

// Audit returns entries matching f, newest first.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	var conds []string
	var args []any
	if f.Action != "" {
		conds = append(conds, `action = ?`)
		args = append(args, f.Action)
	}
	if f.ActorID != "" {
		conds = append(conds, `actor_id = ?`)
		args = append(args, f.ActorID)
	}
	if f.TargetID != "" {
		conds = append(conds, `target_id = ?`)
		args = append(args, f.TargetID)
	}
	if f.Query != "" {
		p := likePattern(strings.ToLower(f.Query))
		conds = append(conds, `(LOWER(actor_name) LIKE ? ESCAPE '\' OR LOWER(target_name) LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	if f.Kind != "" {
		conds = append(conds, `action LIKE ? ESCAPE '\'`)
		args = append(args, likePrefix(f.Kind)+".%")
	}
	if !f.Since.IsZero() {
		conds = append(conds, `at >= ?`)
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		conds = append(conds, `at < ?`)
		args = append(args, formatTime(f.Until))
	}
	if f.NoClients {
		conds = append(conds, `client_related = 0`)
	}
	held := `needs = ''`
	for _, k := range f.Holds {
		held += ` OR needs = ?`
		args = append(args, k)
	}
	conds = append(conds, `(`+held+`)`)
	if len(f.Involving) > 0 {
		in := `(?` + strings.Repeat(",?", len(f.Involving)-1) + `)`
		conds = append(conds, `(actor_id IN `+in+` OR target_id IN `+in+`)`)
		for range 2 {
			for _, u := range f.Involving {
				args = append(args, u)
			}
		}
	}
	if f.BeforeID > 0 {
		conds = append(conds, `id < ?`)
		args = append(args, f.BeforeID)
	}
	q := `SELECT id, at, actor_id, actor_name, action, target_type, target_id, target_name, target_kind, address, details,
		client_related FROM audit_log`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []*AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at, details string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID, &e.TargetName,
			&e.TargetKind, &e.Address, &details, &e.ClientRelated); err != nil {
			return nil, fmt.Errorf("store: audit: %w", err)
		}
		e.At = parseTime(at)
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			e.Details = map[string]any{}
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// likePrefix escapes s for a LIKE pattern (\ as the escape).
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
