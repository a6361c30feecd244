package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
	// Day is the organisation's day of At when it was written (YYYY-MM-DD): successful
	// sign-ins are grouped by it.
	Day string
	// Group is set on a sign-in that stands for its person's sign-ins of that day.
	Group *SignInGroup
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
	day := e.Day
	if day == "" {
		day = e.At.UTC().Format(time.DateOnly)
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,
		target_name, target_kind, address, details, client_related, needs, day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		formatTime(e.At), e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.TargetName, e.TargetKind, e.Address, string(details),
		clientRelated, e.Needs, day).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// SignInAddresses returns the addresses userID opened sessions from at or after since
// (the audit log keeps every sign-in with its address), the most recent hundred.
func (s *Store) SignInAddresses(ctx context.Context, userID string, since time.Time) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT DISTINCT address FROM (SELECT address FROM audit_log WHERE target_id = ?
		AND action = 'session.create' AND at >= ? ORDER BY id DESC LIMIT 100) AS recent`, userID, formatTime(since))
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
	Action  string
	Actions []string // when set, only these actions (a kind's)
	ActorID string
	// TargetID, when set, is the one thing the entries are about.
	TargetID string
	// Query matches the actor's or the target's recorded name, or is found in
	// QueryIDs: ids of people and things whose current name matches (the caller keeps
	// only those the reader may see).
	Query    string
	QueryIDs []string
	// Target matches the target's recorded name, or the target is one of TargetIDs
	// (current names, as for QueryIDs).
	Target    string
	TargetIDs []string
	Since     time.Time // when set, entries at or after it
	Until     time.Time // when set, entries before it
	NoClients bool      // hide entries that involve client (portal) accounts
	Involving []string  // when set, only entries these users made or are the target of
	Holds     []string  // the keys the reader holds: entries needing another key are left out
	// GroupSignIns: successful sign-ins come as one entry per person and day (the
	// organisation's), the newest of them, with Group saying how many there were.
	GroupSignIns bool
	BeforeID     int64 // keyset: entries with a smaller id
	Limit        int
}

// SignInGroup is what one person's sign-ins of one day add up to (GroupSignIns).
type SignInGroup struct {
	Count     int
	FirstAt   time.Time
	Addresses []string // distinct, in the order first used
}

// signInAction is the action GroupSignIns folds per person and day.
const signInAction = "session.create"

// conds is f as SQL conditions on unqualified columns of audit_log, with their arguments
// (all but the keyset): in a correlated subquery they apply to its own rows.
func (f *AuditFilter) conds() ([]string, []any) {
	var conds []string
	var args []any
	in := func(n int) string { return `(?` + strings.Repeat(",?", n-1) + `)` }
	if f.Action != "" {
		conds = append(conds, `action = ?`)
		args = append(args, f.Action)
	}
	if len(f.Actions) > 0 {
		conds = append(conds, `action IN `+in(len(f.Actions)))
		for _, a := range f.Actions {
			args = append(args, a)
		}
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
		c := `LOWER(actor_name) LIKE ? ESCAPE '\' OR LOWER(target_name) LIKE ? ESCAPE '\'`
		args = append(args, p, p)
		if len(f.QueryIDs) > 0 {
			c += ` OR actor_id IN ` + in(len(f.QueryIDs)) + ` OR target_id IN ` + in(len(f.QueryIDs))
			for range 2 {
				for _, id := range f.QueryIDs {
					args = append(args, id)
				}
			}
		}
		conds = append(conds, `(`+c+`)`)
	}
	if f.Target != "" {
		c := `LOWER(target_name) LIKE ? ESCAPE '\'`
		args = append(args, likePattern(strings.ToLower(f.Target)))
		if len(f.TargetIDs) > 0 {
			c += ` OR target_id IN ` + in(len(f.TargetIDs))
			for _, id := range f.TargetIDs {
				args = append(args, id)
			}
		}
		conds = append(conds, `(`+c+`)`)
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
		conds = append(conds, `(actor_id IN `+in(len(f.Involving))+` OR target_id IN `+in(len(f.Involving))+`)`)
		for range 2 {
			for _, u := range f.Involving {
				args = append(args, u)
			}
		}
	}
	return conds, args
}

// Audit returns entries matching f, newest first. With GroupSignIns, a person's
// successful sign-ins of one day are one entry — the newest, with Group — decided in the
// query itself, so a keyset page never splits a day: a day's sign-ins belong to the page of
// their newest, and the next page (ids below it) skips the rest of that day.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	base, baseArgs := f.conds()
	conds, args := slices.Clone(base), slices.Clone(baseArgs)
	if f.GroupSignIns {
		sub := `SELECT MAX(s.id) FROM audit_log s WHERE s.action = ? AND s.actor_id = a.actor_id AND s.day = a.day`
		if len(base) > 0 {
			sub += ` AND ` + strings.Join(base, " AND ")
		}
		conds = append(conds, `(a.action <> ? OR a.id = (`+sub+`))`)
		args = append(args, signInAction, signInAction)
		args = append(args, baseArgs...)
	}
	if f.BeforeID > 0 {
		conds = append(conds, `a.id < ?`)
		args = append(args, f.BeforeID)
	}
	q := `SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.target_type, a.target_id, a.target_name, a.target_kind,
		a.address, a.details, a.client_related, a.day FROM audit_log a`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY a.id DESC LIMIT ?`
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
			&e.TargetKind, &e.Address, &details, &e.ClientRelated, &e.Day); err != nil {
			return nil, fmt.Errorf("store: audit: %w", err)
		}
		e.At = parseTime(at)
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			e.Details = map[string]any{}
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	if f.GroupSignIns {
		if err := s.signInGroups(ctx, base, baseArgs, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// signInGroups fills Group for the sign-ins among entries: how many the person made that
// day and from where, counted under the same conditions as the list.
func (s *Store) signInGroups(ctx context.Context, base []string, baseArgs []any, entries []*AuditEntry) error {
	type key struct{ actor, day string }
	groups := map[key]*AuditEntry{}
	var pairs []string
	args := []any{signInAction}
	for _, e := range entries {
		k := key{e.ActorID, e.Day}
		if e.Action != signInAction || groups[k] != nil {
			continue
		}
		groups[k] = e
		e.Group = &SignInGroup{Addresses: []string{}}
		pairs = append(pairs, `(actor_id = ? AND day = ?)`)
		args = append(args, e.ActorID, e.Day)
	}
	if len(pairs) == 0 {
		return nil
	}
	where := `action = ? AND (` + strings.Join(pairs, " OR ") + `)`
	if len(base) > 0 {
		where += ` AND ` + strings.Join(base, " AND ")
	}
	args = append(args, baseArgs...)
	rows, err := s.q.QueryContext(ctx, `SELECT actor_id, day, at, address FROM audit_log WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("store: sign-in groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var at, address string
		if err := rows.Scan(&k.actor, &k.day, &at, &address); err != nil {
			return fmt.Errorf("store: sign-in groups: %w", err)
		}
		g := groups[k].Group
		if g.Count == 0 {
			g.FirstAt = parseTime(at)
		}
		g.Count++
		if address != "" && !slices.Contains(g.Addresses, address) {
			g.Addresses = append(g.Addresses, address)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: sign-in groups: %w", err)
	}
	return nil
}

// DeleteAuditBefore removes the entries older than t (the retention setting), and says
// how many went.
func (s *Store) DeleteAuditBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM audit_log WHERE at < ?`, formatTime(t))
	if err != nil {
		return 0, fmt.Errorf("store: prune audit: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// named are the tables of the things an audit entry can name, by authz type: the table
// and the column that names a row.
var named = map[string][2]string{
	"user": {"users", "name"}, "role": {"roles", "name"}, "project": {"projects", "name"}, "team": {"teams", "name"},
	"board": {"boards", "name"}, "task": {"tasks", "title"}, "task_type": {"task_types", "name"}, "file": {"files", "name"},
	"folder": {"folders", "name"}, "thread": {"threads", "title"}, "company": {"companies", "name"},
	"invoice": {"invoices", "COALESCE(number, '')"},
}

// NamesOf returns the current names of those of ids (things of type typ, an authz type
// name) that exist; an unknown type names nothing.
func (s *Store) NamesOf(ctx context.Context, typ string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	t, ok := named[typ]
	if !ok || len(ids) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.q.QueryContext(ctx, `SELECT id, `+t[1]+` FROM `+t[0]+` WHERE id IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: names of %s: %w", typ, err)
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: names of %s: %w", typ, err)
			}
			out[id] = name
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: names of %s: %w", typ, err)
		}
	}
	return out, nil
}

// IDsNamedLike returns, by authz type name, the ids of things whose current name holds q
// (case-insensitive), at most limit of each type.
func (s *Store) IDsNamedLike(ctx context.Context, q string, limit int) (map[string][]string, error) {
	out := map[string][]string{}
	p := likePattern(strings.ToLower(q))
	for typ, t := range named {
		rows, err := s.q.QueryContext(ctx, `SELECT id FROM `+t[0]+` WHERE LOWER(`+t[1]+`) LIKE ? ESCAPE '\' LIMIT ?`, p, limit)
		if err != nil {
			return nil, fmt.Errorf("store: names like: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: names like: %w", err)
			}
			out[typ] = append(out[typ], id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: names like: %w", err)
		}
	}
	return out, nil
}

// OrganisationTimezone is the organisation's time zone's name (Settings → General).
func (s *Store) OrganisationTimezone(ctx context.Context) (string, error) {
	var tz string
	if err := s.q.QueryRowContext(ctx, `SELECT timezone FROM organisation WHERE id = 1`).Scan(&tz); err != nil {
		return "", fmt.Errorf("store: time zone: %w", err)
	}
	return tz, nil
}

// likePrefix escapes s for a LIKE pattern (\ as the escape).
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
