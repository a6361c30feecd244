package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Client engagement, read from the audit log: one aggregate per measure, grouped in SQL.

// Tally is how often one account did one thing (to one target, for downloads and views)
// since a time, and its latest time ever.
type Tally struct {
	UserID   string
	TargetID string // "" for sign-ins
	Count    int    // since the period's start
	LastAt   time.Time
	LastName string // the latest entry's target name, as recorded
	LastAddr string // the latest entry's address
}

// SignInTallies returns, per account, its sign-ins (session.create entries about it)
// at or after since, and its latest sign-in ever.
func (s *Store) SignInTallies(ctx context.Context, since time.Time) ([]Tally, error) {
	return s.tallies(ctx, `SELECT t.who, '', t.n, a.at, a.target_name, a.address
		FROM (SELECT target_id AS who, COUNT(CASE WHEN at >= ? THEN 1 END) AS n, MAX(id) AS last
			FROM audit_log WHERE action = 'session.create' GROUP BY target_id) t
		JOIN audit_log a ON a.id = t.last`, formatTime(since))
}

// ActionTallies returns, per account and target, how often the account did action
// (file.download, invoice.view) to it at or after since, and the latest time ever.
func (s *Store) ActionTallies(ctx context.Context, action string, since time.Time) ([]Tally, error) {
	return s.tallies(ctx, `SELECT t.actor_id, t.target_id, t.n, a.at, a.target_name, a.address
		FROM (SELECT actor_id, target_id, COUNT(CASE WHEN at >= ? THEN 1 END) AS n, MAX(id) AS last
			FROM audit_log WHERE action = ? GROUP BY actor_id, target_id) t
		JOIN audit_log a ON a.id = t.last`, formatTime(since), action)
}

func (s *Store) tallies(ctx context.Context, query string, args ...any) ([]Tally, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: engagement: %w", err)
	}
	defer rows.Close()
	var out []Tally
	for rows.Next() {
		var t Tally
		var at string
		if err := rows.Scan(&t.UserID, &t.TargetID, &t.Count, &at, &t.LastName, &t.LastAddr); err != nil {
			return nil, fmt.Errorf("store: engagement: %w", err)
		}
		t.LastAt = parseTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// SignInsPerPeriod returns, per account, how many sign-ins (session.create entries about
// it) fall in each period [bounds[i], bounds[i+1]): len(bounds)-1 counts, in order. The
// bounds are instants (a week's Monday midnight in the organisation's time zone), so the
// periods follow that zone, its daylight saving included.
func (s *Store) SignInsPerPeriod(ctx context.Context, bounds []time.Time) (map[string][]int, error) {
	out := map[string][]int{}
	if len(bounds) < 2 {
		return out, nil
	}
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT target_id, CASE`)
	for i, t := range bounds[1 : len(bounds)-1] {
		fmt.Fprintf(&b, ` WHEN at < ? THEN %d`, i)
		args = append(args, formatTime(t))
	}
	fmt.Fprintf(&b, ` ELSE %d END AS period, COUNT(*) FROM audit_log
		WHERE action = 'session.create' AND at >= ? AND at < ? GROUP BY target_id, period`, len(bounds)-2)
	args = append(args, formatTime(bounds[0]), formatTime(bounds[len(bounds)-1]))
	rows, err := s.q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: sign-ins per period: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var who string
		var period, n int
		if err := rows.Scan(&who, &period, &n); err != nil {
			return nil, fmt.Errorf("store: sign-ins per period: %w", err)
		}
		if out[who] == nil {
			out[who] = make([]int, len(bounds)-1)
		}
		out[who][period] = n
	}
	return out, rows.Err()
}

// SignInHistory returns userID's sign-ins, failed sign-ins and refused sign-ins, newest
// first: limit entries with ids below beforeID (0: from the newest).
func (s *Store) SignInHistory(ctx context.Context, userID string, beforeID int64, limit int) ([]*AuditEntry, error) {
	q := `SELECT id, at, action, address, details FROM audit_log
		WHERE target_id = ? AND action IN ('session.create', 'session.fail', 'session.refused')`
	args := []any{userID}
	if beforeID > 0 {
		q += ` AND id < ?`
		args = append(args, beforeID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: sign-in history: %w", err)
	}
	defer rows.Close()
	var out []*AuditEntry
	for rows.Next() {
		e := &AuditEntry{TargetID: userID}
		var at, details string
		if err := rows.Scan(&e.ID, &at, &e.Action, &e.Address, &details); err != nil {
			return nil, fmt.Errorf("store: sign-in history: %w", err)
		}
		e.At = parseTime(at)
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			e.Details = map[string]any{}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Recorded reports whether actorID has an entry of action about targetID at or after
// since (a client's invoice view is recorded once a day).
func (s *Store) Recorded(ctx context.Context, action, actorID, targetID string, since time.Time) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM audit_log
		WHERE target_id = ? AND actor_id = ? AND action = ? AND at >= ? LIMIT 1) AS hit`, targetID, actorID, action, formatTime(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: recorded %s: %w", action, err)
	}
	return n > 0, nil
}
