// Package audit reads the audit log for people allowed to see it. Entries are written by
// the services that make the changes, in the same transaction.
package audit

import (
	"context"
	"strconv"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Service is the audit log reader.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	loc   func() *time.Location
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer) *Service { return &Service{store: st, authz: az} }

// SetLocation gives the time zone whose days From and To name (the organisation's).
func (s *Service) SetLocation(loc func() *time.Location) { s.loc = loc }

func (s *Service) location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc()
}

// ListRequest filters the log.
type ListRequest struct {
	// Kind is the kind of action ("user", "role", "invoice"…); From and To are days
	// (YYYY-MM-DD, both included) in the organisation's time zone.
	Kind, From, To string
	Action         string
	ActorID        string
	TargetID       string
	Query          string
	Limit          int
	Cursor         string
}

// LogEntry is one line of the audit log.
type LogEntry = store.AuditEntry

// Page is one page of entries, newest first.
type Page struct {
	Entries []*store.AuditEntry
	Next    string
}

// List returns entries the actor may read: activity.team (all, or at the team scope only
// entries by or about the teams one leads that concern things one can see); entries that
// involve client accounts need activity.clients too.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) (*Page, error) {
	scope, err := s.authz.AuditScope(actor)
	if err != nil {
		return nil, err
	}
	f := store.AuditFilter{Action: req.Action, Kind: req.Kind, ActorID: req.ActorID, TargetID: req.TargetID, Query: req.Query, Limit: req.Limit}
	for _, d := range []struct {
		field, v string
		to       *time.Time
		next     int
	}{{"from", req.From, &f.Since, 0}, {"to", req.To, &f.Until, 1}} {
		if d.v == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, d.v, s.location())
		if err != nil {
			return nil, apperr.Field(d.field, "Give the day as YYYY-MM-DD.")
		}
		*d.to = day.AddDate(0, 0, d.next)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return nil, apperr.Field("to", "The period ends before it starts.")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		return nil, apperr.Field("limit", "The limit is between 1 and 200.")
	}
	if req.Cursor != "" {
		id, err := strconv.ParseInt(req.Cursor, 10, 64)
		if err != nil || id <= 0 {
			return nil, apperr.Field("cursor", "The cursor is not valid; start again from the first page.")
		}
		f.BeforeID = id
	}
	f.NoClients = !scope.Clients
	f.Holds = scope.Holds
	if !scope.All {
		f.Involving = scope.People
	}
	limit := f.Limit
	p := &Page{Entries: []*store.AuditEntry{}}
	// At the team scope some rows are about things the reader cannot see: read on in
	// batches until the page is full or the log ends.
	for {
		batch, err := s.store.Audit(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range batch {
			if !s.authz.SeesAuditEntry(actor, scope, authz.AuditEntryRef{ActorID: e.ActorID, TargetType: e.TargetType, TargetID: e.TargetID}) {
				continue
			}
			p.Entries = append(p.Entries, e)
			if len(p.Entries) == limit {
				p.Next = strconv.FormatInt(e.ID, 10)
				return p, nil
			}
		}
		if len(batch) < f.Limit {
			return p, nil
		}
		f.BeforeID = batch[len(batch)-1].ID
	}
}

// MaxExport is the most entries one CSV export holds (the newest first).
const MaxExport = 10_000

// Export returns up to MaxExport entries the actor may read that match req, newest first.
func (s *Service) Export(ctx context.Context, actor authz.Actor, req ListRequest) ([]*store.AuditEntry, error) {
	req.Limit, req.Cursor = 200, ""
	var out []*store.AuditEntry
	for len(out) < MaxExport {
		p, err := s.List(ctx, actor, req)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Entries...)
		if p.Next == "" {
			break
		}
		req.Cursor = p.Next
	}
	return out[:min(len(out), MaxExport)], nil
}

// Entry describes a change for Record.
type Entry struct {
	Action     string
	TargetType string
	TargetID   string
	TargetName string
	TargetKind string
	Details    map[string]any
	// People are other accounts the entry names in its details (a follower added); an
	// entry naming a client account is only for readers with activity.clients.
	People []string
	// Address is the client address, for entries about signing in and setting up.
	Address string
	// Needs is what a reader must hold to get the entry (its details carry figures only
	// that permission shows: costs, hour rates).
	Needs string // a catalog key, such as authz.CostsView.String()
	// ClientRelated: the entry is about client material (a client company) besides any
	// account it names: for readers with activity.clients only.
	ClientRelated bool
}

// Record appends e to the log inside the caller's transaction, naming the actor.
func Record(ctx context.Context, tx *store.Store, actor authz.Actor, at time.Time, e Entry) error {
	var name string
	clientRelated := e.ClientRelated
	if u, err := tx.User(ctx, actor.UserID); err == nil {
		name, clientRelated = u.Name, clientRelated || u.RoleKind == string(authz.KindClient)
	}
	people := e.People
	if e.TargetType == "user" && e.TargetKind == "" {
		// The kind of an account the entry is about is read here, so no caller can forget it.
		people = append(people, e.TargetID)
	}
	for _, id := range people {
		if u, err := tx.User(ctx, id); err == nil && u.RoleKind == string(authz.KindClient) {
			clientRelated = true
		}
	}
	return tx.AppendAudit(ctx, &store.AuditEntry{At: at, ActorID: actor.UserID, ActorName: name, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName, TargetKind: e.TargetKind, Details: e.Details,
		Address: e.Address, ClientRelated: clientRelated, Needs: e.Needs})
}

// Change is one field a write may have changed, for Changes.
type Change struct{ Field, From, To string }

// Changes is an entry's details for the fields that did change: field → {from, to}.
func Changes(fields ...Change) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		if f.From != f.To {
			out[f.Field] = map[string]string{"from": f.From, "to": f.To}
		}
	}
	return out
}
