// Package projects manages projects and who is on them: internal members, teams and
// attached clients. Every method asks backend/authz; writes update the index in the same
// critical section as the commit.
package projects

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Service is the projects service.
type Service struct {
	afterDelete func()
	store       *store.Store
	authz       *authz.Authorizer
	write       *write.Path
	now         func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// Project is a project as the service returns it.
type Project = store.Project

// Request creates or changes a project; nil fields stay as they are on update.
type Request struct {
	Name        *string
	Description *string
	Status      *string
	Members     *[]string
	Teams       *[]string
	Clients     *[]string
	// CompanyID is the client company the project is for ("": none).
	CompanyID *string
	// ExpectVersion is the index version of the what-if preview the change was shown
	// with; the write is refused (stale_preview) when access moved since. "": no check.
	ExpectVersion string
}

// Patch applies r to p.
func (r Request) Patch(p *store.Project) {
	if r.Name != nil {
		p.Name = strings.TrimSpace(*r.Name)
	}
	if r.CompanyID != nil {
		p.CompanyID = strings.TrimSpace(*r.CompanyID)
	}
	if r.Description != nil {
		p.Description = strings.TrimSpace(*r.Description)
	}
	if r.Status != nil {
		p.Status = *r.Status
	}
	if r.Members != nil {
		p.Members = dedupe(*r.Members)
	}
	if r.Teams != nil {
		p.Teams = dedupe(*r.Teams)
	}
	if r.Clients != nil {
		p.Clients = dedupe(*r.Clients)
	}
}

// added returns the ids of now that were not in before's list.
func added(now []string, before *store.Project, list func(*store.Project) []string) []string {
	if before == nil {
		return now
	}
	var out []string
	for _, id := range now {
		if !slices.Contains(list(before), id) {
			out = append(out, id)
		}
	}
	return out
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// validate checks fields and that added members are internal users, added clients are
// portal users, and added teams exist. Only additions are checked: someone whose role
// changed kind since joining must not block unrelated edits of the project.
func validate(ctx context.Context, tx *store.Store, p, before *store.Project) error {
	if p.Name == "" {
		return apperr.Field("name", "Enter a project name.")
	}
	if len(p.Name) > 200 {
		return apperr.Field("name", "The project name is too long: at most 200 characters.")
	}
	if len(p.Description) > 5000 {
		return apperr.Field("description", "The description is too long: at most 5000 characters.")
	}
	if err := text.Line("name", apperr.Textf("project name"), p.Name); err != nil {
		return err
	}
	if err := text.Lines("description", apperr.Textf("description"), p.Description); err != nil {
		return err
	}
	if p.Status != "active" && p.Status != "archived" {
		return apperr.Field("status", "Status is active or archived.")
	}
	for _, id := range added(p.Members, before, func(b *store.Project) []string { return b.Members }) {
		u, err := tx.User(ctx, id)
		if err != nil {
			return apperr.Field("members", "No user %q.", id)
		}
		if u.RoleKind != "internal" {
			return apperr.Field("members", "%s is a client (portal) user: attach them as a client instead.", u.Name)
		}
	}
	for _, id := range added(p.Clients, before, func(b *store.Project) []string { return b.Clients }) {
		u, err := tx.User(ctx, id)
		if err != nil {
			return apperr.Field("clients", "No user %q.", id)
		}
		if u.RoleKind != "client" {
			return apperr.Field("clients", "%s is an internal user: add them as a member instead.", u.Name)
		}
	}
	for _, id := range added(p.Teams, before, func(b *store.Project) []string { return b.Teams }) {
		if _, err := tx.Team(ctx, id); err != nil {
			return apperr.Field("teams", "No team %q.", id)
		}
	}
	return nil
}

// Get returns a project the actor sees.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Project, error) {
	if err := s.authz.Check(actor, authz.View, authz.ProjectRef(id)); err != nil {
		return nil, err
	}
	return s.store.Project(ctx, id)
}

// ForViewer shapes a project for the actor: the count of the tasks they see, and no member,
// team or client lists for portal users (a client must not learn of other clients).
func (s *Service) ForViewer(actor authz.Actor, p *Project) *Project {
	out := *p
	out.TaskCount = s.authz.VisibleTaskCount(actor, p.ID)
	if me, err := s.authz.Permissions(actor); err == nil && me.Kind == authz.KindClient {
		out.Members, out.Teams, out.Clients = nil, nil, nil
	}
	return &out
}

// Actions lists what the actor may do on a project (for the UI).
func (s *Service) Actions(actor authz.Actor, id string) []string {
	names := map[string]string{"projects.edit": "edit", "projects.delete": "delete", "projects.members": "members", "tasks.create": "createTask",
		"costs.view": "viewCosts", "costs.edit": "editCosts"}
	out := []string{}
	for _, a := range s.authz.Allowed(actor, authz.ProjectRef(id), authz.ProjectsEdit, authz.ProjectsDelete, authz.ProjectsMembers, authz.TasksCreate,
		authz.CostsView, authz.CostsEdit) {
		out = append(out, names[a])
	}
	return out
}

// ListRequest filters the project list.
type ListRequest struct {
	Query  string
	Status string
	Limit  int
	Cursor string
}

// List returns the projects the actor sees: one index lookup for the visible ids, one
// query for the page.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) ([]*Project, string, int, error) {
	ids, all, err := s.authz.VisibleProjects(actor)
	if err != nil {
		return nil, "", 0, err
	}
	f := store.ProjectFilter{Query: strings.TrimSpace(req.Query), Status: req.Status, Limit: req.Limit}
	if !all {
		f.IDs = ids
	}
	if f.Status != "" && f.Status != "active" && f.Status != "archived" {
		return nil, "", 0, apperr.Field("status", "Status is active or archived.")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		return nil, "", 0, apperr.Field("limit", "The limit is between 1 and 200.")
	}
	if req.Cursor != "" {
		name, id, ok := strings.Cut(req.Cursor, "\x1f")
		if !ok {
			return nil, "", 0, apperr.Field("cursor", "The cursor is not valid; start again from the first page.")
		}
		f.AfterName, f.AfterID = name, id
	}
	ps, total, err := s.store.Projects(ctx, f)
	if err != nil {
		return nil, "", 0, err
	}
	next := ""
	if len(ps) == f.Limit {
		last := ps[len(ps)-1]
		next = strings.ToLower(last.Name) + "\x1f" + last.ID
	}
	return ps, next, total, nil
}

// SetNotifier makes the service send notification mails ("added to a project").
func (s *Service) SetNotifier(n write.Notifier) { s.write.Notifier = n }

// Create makes a project. Choosing members, teams or clients takes projects.members.
func (s *Service) Create(ctx context.Context, actor authz.Actor, req Request) (*Project, error) {
	now := s.now()
	p := &Project{ID: uuid.NewString(), Status: "active", CreatedAt: now, UpdatedAt: now, Members: []string{}, Teams: []string{}, Clients: []string{}}
	if req.Status != nil {
		return nil, apperr.New(apperr.Malformed, "unknown_field", "A new project is active; archive it later.").OnField("status")
	}
	req.Patch(p)
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Project, write.Effect, error) {
		if err := w.Check(actor, authz.ProjectsCreate, authz.Ref{Type: authz.Project}); err != nil {
			return nil, write.Effect{}, err
		}
		if len(p.Members)+len(p.Teams)+len(p.Clients) > 0 {
			if err := w.Check(actor, authz.ProjectsMembers, authz.Ref{Type: authz.Project}); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if err := validate(ctx, tx, p, nil); err != nil {
			return nil, write.Effect{}, err
		}
		if err := companyOK(w, actor, p.CompanyID, "", req.CompanyID != nil); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateProject(ctx, p); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Entry(audit.Entry{Action: "project.create", TargetType: "project", TargetID: p.ID, TargetName: p.Name,
			Details: map[string]any{"members": p.Members, "teams": p.Teams, "clients": p.Clients}, People: p.Clients},
			func(w *authz.Writer) { w.PutProject(p); w.SetProjectCompany(p.ID, p.CompanyID) })
		err := s.write.Notify(ctx, tx, actor, &eff, "projectAdded", map[string]string{"projectId": p.ID}, append(slices.Clone(p.Members), p.Clients...)...)
		return p, eff, err
	})
}

// Update edits a project: name, description and status need projects.edit; members,
// teams and clients need projects.members.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req Request) (*Project, error) {
	fields := req.Name != nil || req.Description != nil || req.Status != nil || req.CompanyID != nil
	members := req.Members != nil || req.Teams != nil || req.Clients != nil
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Project, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.ProjectRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		if fields {
			if err := w.Check(actor, authz.ProjectsEdit, authz.ProjectRef(id)); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if members {
			if err := w.Check(actor, authz.ProjectsMembers, authz.ProjectRef(id)); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if err := w.Expect(s.authz, req.ExpectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		p, err := tx.Project(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		before := *p
		req.Patch(p)
		if err := validate(ctx, tx, p, &before); err != nil {
			return nil, write.Effect{}, err
		}
		if err := companyOK(w, actor, p.CompanyID, before.CompanyID, req.CompanyID != nil); err != nil {
			return nil, write.Effect{}, err
		}
		p.UpdatedAt = s.now()
		if err := tx.UpdateProject(ctx, p); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Effect{Index: func(w *authz.Writer) { w.PutProject(p); w.SetProjectCompany(p.ID, p.CompanyID) }}
		details := diffProject(&before, p)
		if len(details) > 0 || p.Description != before.Description { // nothing changed: nothing to record
			var clients []string
			for _, k := range []string{"clientsAdded", "clientsRemoved"} {
				l, _ := details[k].([]string)
				clients = append(clients, l...)
			}
			eff.Audit = []audit.Entry{{Action: "project.update", TargetType: "project", TargetID: id, TargetName: p.Name, Details: details, People: clients}}
		}
		added, _ := details["membersAdded"].([]string)
		clientsAdded, _ := details["clientsAdded"].([]string)
		err = s.write.Notify(ctx, tx, actor, &eff, "projectAdded", map[string]string{"projectId": p.ID}, append(slices.Clone(added), clientsAdded...)...)
		return p, eff, err
	})
}

// CheckPeople validates an update of a project's people as Update does (for its what-if
// preview, once the change is allowed).
func (s *Service) CheckPeople(ctx context.Context, id string, req Request) error {
	p, err := s.store.Project(ctx, id)
	if err != nil {
		return err
	}
	before := *p
	req.Patch(p)
	return validate(ctx, s.store, p, &before)
}

// AddPerson puts one person on a project — a team member as a member, a portal user as
// an attached client — leaving everyone else as they are (two people added at once both
// stay). It needs projects.members; adding someone already there changes nothing.
func (s *Service) AddPerson(ctx context.Context, actor authz.Actor, id, userID string) (*Project, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Project, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.ProjectRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Check(actor, authz.ProjectsMembers, authz.ProjectRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		p, err := tx.Project(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		// As when the members are set whole (Update): anyone who exists may be put on it,
		// by their kind.
		u, err := tx.User(ctx, userID)
		if err != nil {
			return nil, write.Effect{}, apperr.Field("userId", "No such person.")
		}
		before := *p
		list, key := &p.Members, "membersAdded"
		if u.RoleKind == string(authz.KindClient) {
			list, key = &p.Clients, "clientsAdded"
		}
		if slices.Contains(*list, userID) {
			return p, write.Effect{}, nil
		}
		*list = append(slices.Clone(*list), userID)
		if err := validate(ctx, tx, p, &before); err != nil {
			return nil, write.Effect{}, err
		}
		p.UpdatedAt = s.now()
		if err := tx.UpdateProject(ctx, p); err != nil {
			return nil, write.Effect{}, err
		}
		var people []string
		if key == "clientsAdded" {
			people = []string{userID}
		}
		eff := write.Entry(audit.Entry{Action: "project.update", TargetType: "project", TargetID: id, TargetName: p.Name,
			Details: map[string]any{key: []string{userID}}, People: people}, func(w *authz.Writer) { w.PutProject(p) })
		err = s.write.Notify(ctx, tx, actor, &eff, "projectAdded", map[string]string{"projectId": p.ID}, userID)
		return p, eff, err
	})
}

// RemovePerson takes one person off a project — a member, or an attached client — as
// editing its people by hand does (an access review's revocation): projects.members,
// the same validation, audit entry and index change. Someone no longer on it is an error
// that says so, and nothing changes.
func (s *Service) RemovePerson(ctx context.Context, actor authz.Actor, id, userID string) (*Project, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Project, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.ProjectRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Check(actor, authz.ProjectsMembers, authz.ProjectRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		p, err := tx.Project(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		before := *p
		list, key := &p.Members, "membersRemoved"
		if slices.Contains(p.Clients, userID) {
			list, key = &p.Clients, "clientsRemoved"
		} else if !slices.Contains(p.Members, userID) {
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "not_member", "They are no longer on the project “%s”.", p.Name)
		}
		*list = slices.DeleteFunc(slices.Clone(*list), func(m string) bool { return m == userID })
		if err := validate(ctx, tx, p, &before); err != nil {
			return nil, write.Effect{}, err
		}
		p.UpdatedAt = s.now()
		if err := tx.UpdateProject(ctx, p); err != nil {
			return nil, write.Effect{}, err
		}
		var people []string
		if key == "clientsRemoved" {
			people = []string{userID}
		}
		return p, write.Entry(audit.Entry{Action: "project.update", TargetType: "project", TargetID: id, TargetName: p.Name,
			Details: map[string]any{key: []string{userID}}, People: people}, func(w *authz.Writer) { w.PutProject(p) }), nil
	})
}

func diffProject(a, b *Project) map[string]any {
	d := audit.Changes(audit.Change{Field: "name", From: a.Name, To: b.Name}, audit.Change{Field: "status", From: a.Status, To: b.Status},
		audit.Change{Field: "company", From: a.CompanyID, To: b.CompanyID})
	for _, f := range []struct {
		key      string
		old, new []string
	}{{"members", a.Members, b.Members}, {"teams", a.Teams, b.Teams}, {"clients", a.Clients, b.Clients}} {
		var added, removed []string
		for _, id := range f.new {
			if !slices.Contains(f.old, id) {
				added = append(added, id)
			}
		}
		for _, id := range f.old {
			if !slices.Contains(f.new, id) {
				removed = append(removed, id)
			}
		}
		if len(added) > 0 {
			d[f.key+"Added"] = added
		}
		if len(removed) > 0 {
			d[f.key+"Removed"] = removed
		}
	}
	return d
}

// Delete removes a project and its tasks.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.ProjectsDelete, authz.ProjectRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		p, err := tx.Project(ctx, id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return struct{}{}, write.Effect{}, apperr.NotFoundf("No such project.")
			}
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteProject(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "project.delete", TargetType: "project", TargetID: id, TargetName: p.Name,
			Details: map[string]any{"tasks": p.TaskCount}}, func(w *authz.Writer) { w.DeleteProject(id) }), nil
	})
	if err == nil && s.afterDelete != nil {
		s.afterDelete() // its files' contents go (the rows went with the project)
	}
	return err
}

// AfterDelete sets what runs after a project is deleted (the files service's sweep).
func (s *Service) AfterDelete(fn func()) { s.afterDelete = fn }

// companyOK: only someone who sees client companies gives a project to one or takes it
// away — the company named must be one they see, and so must the one it had (asked at
// all, whether or not it changes, so the answer tells nothing of a company one cannot see).
func companyOK(w *authz.Writer, actor authz.Actor, id, before string, given bool) error {
	if !given {
		return nil
	}
	for _, c := range []string{id, before} {
		if c != "" && w.Check(actor, authz.View, authz.CompanyRef(c)) != nil {
			return apperr.Field("companyId", "No such client company.")
		}
	}
	if w.Check(actor, authz.View, authz.Ref{Type: authz.Company}) != nil {
		return apperr.Field("companyId", "Your role does not list client companies, so it cannot give a project to one.")
	}
	return nil
}

// Named returns the names of those of these projects the actor sees, by id.
func (s *Service) Named(ctx context.Context, actor authz.Actor, ids []string) (map[string]string, error) {
	seen, err := authz.Keep(s.authz, actor, authz.Project, ids, func(id string) string { return id })
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(seen))
	for _, id := range seen {
		p, err := s.store.Project(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = p.Name
	}
	return out, nil
}
