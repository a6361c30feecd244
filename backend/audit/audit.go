// Package audit writes the activity log for the services that make changes (Record, in
// their transaction; Append for sign-ins, which have no actor yet) and reads it for
// people allowed to see it: filtered, with sign-ins grouped per person and day, and with
// the names of people and things as they are now where the reader may see them. What
// each action is, and which of its details name things by id, is the catalog
// (actions.go).
package audit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Service is the audit log reader.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
	loc   func() *time.Location
	// retention is how many days entries are kept (0: for ever), as in force.
	retention func() int
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// SetLocation gives the time zone whose days From and To name (the organisation's).
func (s *Service) SetLocation(loc func() *time.Location) { s.loc = loc }

// SetRetention gives how many days the log keeps an entry (0: for ever), as in force at
// each call (Settings → Security).
func (s *Service) SetRetention(days func() int) { s.retention = days }

func (s *Service) location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc()
}

// cutoff is the time before which entries are past the retention (zero: none are).
func (s *Service) cutoff() time.Time {
	if s.retention == nil {
		return time.Time{}
	}
	return Cutoff(s.now(), s.retention())
}

// Cutoff is the time before which entries are past a retention of days at now (zero for
// 0, which keeps them for ever).
func Cutoff(now time.Time, days int) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(days) * 24 * time.Hour)
}

// Prune deletes the entries past the retention in force, and says how many went.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	c := s.cutoff()
	if c.IsZero() {
		return 0, nil
	}
	return s.store.DeleteAuditBefore(ctx, c)
}

// ListRequest filters the log.
type ListRequest struct {
	// Kind is the kind of action ("user", "role", "invoice"…, the catalog's); From and To
	// are days (YYYY-MM-DD, both included) in the organisation's time zone.
	Kind, From, To string
	Action         string
	ActorID        string
	TargetID       string
	// Query matches the actor's or the target's name; Target the target's alone. Both
	// match the names recorded and, for people and things the reader may see, their
	// names now.
	Query  string
	Target string
	Limit  int
	Cursor string
}

// LogEntry is one line of the audit log as a reader gets it: names resolved (Resolve).
type LogEntry = store.AuditEntry

// Page is one page of entries, newest first.
type Page struct {
	Entries []*store.AuditEntry
	Next    string
}

// maxNameMatches bounds how many things of each type a search by current name matches.
const maxNameMatches = 200

// List returns entries the actor may read: activity.team (all, or at the team scope only
// entries by or about the teams one leads that concern things one can see); entries that
// involve client accounts need activity.clients too. A person's successful sign-ins of a
// day are one entry (Group says how many); names are as Resolve gives them.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) (*Page, error) {
	scope, err := s.authz.AuditScope(actor)
	if err != nil {
		return nil, err
	}
	f := store.AuditFilter{Action: req.Action, ActorID: req.ActorID, TargetID: req.TargetID, Query: req.Query, Target: req.Target,
		Limit: req.Limit, GroupSignIns: true}
	if req.Kind != "" {
		if f.Actions = ActionsOf(req.Kind); len(f.Actions) == 0 {
			return nil, apperr.Field("kind", "There is no kind of action %q.", req.Kind)
		}
	}
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
	// Entries past the retention are gone for readers from the request after the setting
	// changes, whether or not the pruning has run yet.
	if c := s.cutoff(); !c.IsZero() && c.After(f.Since) {
		f.Since = c
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
	if f.Query != "" {
		if f.QueryIDs, err = s.namedLike(ctx, actor, f.Query); err != nil {
			return nil, err
		}
	}
	if f.Target != "" {
		if f.TargetIDs, err = s.namedLike(ctx, actor, f.Target); err != nil {
			return nil, err
		}
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
				return p, s.Resolve(ctx, actor, p.Entries)
			}
		}
		if len(batch) < f.Limit {
			return p, s.Resolve(ctx, actor, p.Entries)
		}
		f.BeforeID = batch[len(batch)-1].ID
	}
}

// namedLike returns the ids of the people and things the actor may see whose name now
// holds q.
func (s *Service) namedLike(ctx context.Context, actor authz.Actor, q string) ([]string, error) {
	byType, err := s.store.IDsNamedLike(ctx, q, maxNameMatches)
	if err != nil {
		return nil, err
	}
	var out []string
	for typ, ids := range byType {
		t, ok := authz.TypeOf(typ)
		if !ok {
			continue
		}
		seen, err := s.authz.Visible(actor, t, ids)
		if err != nil {
			return nil, err
		}
		out = append(out, seen...)
	}
	slices.Sort(out)
	return out, nil
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

// Person is someone the log's actor filter offers.
type Person struct {
	ID, Name, Kind string
	Active         bool
}

// People returns whom the actor may filter the log by: the people whose entries they may
// read (everyone at scope all, the teams they lead at scope team; portal accounts only
// with activity.clients) and whom they may see, by name.
func (s *Service) People(ctx context.Context, actor authz.Actor) ([]Person, error) {
	scope, err := s.authz.AuditScope(actor)
	if err != nil {
		return nil, err
	}
	all, err := s.store.UserIDs(ctx)
	if err != nil {
		return nil, err
	}
	seen, err := s.authz.Visible(actor, authz.User, all)
	if err != nil {
		return nil, err
	}
	people, err := s.store.People(ctx, seen)
	if err != nil {
		return nil, err
	}
	out := []Person{}
	for _, u := range people {
		if (scope.All || slices.Contains(scope.People, u.ID)) && (scope.Clients || u.Kind != string(authz.KindClient)) {
			out = append(out, Person{ID: u.ID, Name: u.Name, Kind: u.Kind, Active: u.Active})
		}
	}
	slices.SortFunc(out, func(a, b Person) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Catalog returns the catalog for the actor's filter pickers (anyone who may read the log).
func (s *Service) Catalog(actor authz.Actor) ([]ActionDef, error) {
	if _, err := s.authz.AuditScope(actor); err != nil {
		return nil, err
	}
	return Catalog(), nil
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

// Record appends e to the log inside the caller's transaction, naming the actor. An
// action that is not in the catalog is refused: the log holds only what it can say in
// words.
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
	return Append(ctx, tx, &store.AuditEntry{At: at, ActorID: actor.UserID, ActorName: name, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName, TargetKind: e.TargetKind, Details: e.Details,
		Address: e.Address, ClientRelated: clientRelated, Needs: e.Needs})
}

// Append writes e as it is (Record's last step; sign-ins, which are written before there
// is an actor, call it directly): its action must be in the catalog; the details that
// name things by id get their names as they are now, and the entry the organisation's
// day.
func Append(ctx context.Context, tx *store.Store, e *store.AuditEntry) error {
	def, ok := Lookup(e.Action)
	if !ok {
		return fmt.Errorf("audit: %q is not an action of the catalog (backend/audit/actions.go)", e.Action)
	}
	if len(def.Refs) > 0 && len(e.Details) > 0 {
		d, err := nameRefs(ctx, tx, def.Refs, e.Details)
		if err != nil {
			return err
		}
		e.Details = d
	}
	loc := time.UTC
	if tz, err := tx.OrganisationTimezone(ctx); err == nil {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	e.Day = e.At.In(loc).Format(time.DateOnly)
	return tx.AppendAudit(ctx, e)
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
