// Package roles manages custom roles: create (blank or from a template), edit, clone and
// delete with reassignment. Built-in roles are read-only. Every method asks backend/authz
// first and writes through authz.Update so the index never lags the database.
package roles

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
	"gatehouse/backend/companies"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Service is the roles service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// Role is a role as clients see it. Assignable are the roles its holders may give to
// others even where those hold more than it (ids; built-in roles list none).
type Role struct {
	ID          string
	Name        string
	Kind        authz.Kind
	BuiltIn     bool
	Description string
	Grants      []authz.Grant
	Assignable  []string
	UserCount   int
}

func fromStore(r *store.Role) *Role {
	out := &Role{ID: r.ID, Name: r.Name, Kind: authz.Kind(r.Kind), BuiltIn: r.BuiltIn, Description: r.Description, UserCount: r.UserCount}
	if r.BuiltIn {
		out.Grants = append([]authz.Grant(nil), authz.BuiltIn[r.ID]...)
	} else {
		for _, g := range r.Grants {
			out.Grants = append(out.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
		}
		out.Assignable = append([]string(nil), r.Assignable...)
	}
	return out
}

func toStoreGrants(gs []authz.Grant) []store.Grant {
	out := make([]store.Grant, len(gs))
	for i, g := range gs {
		out[i] = store.Grant{Key: g.Key, Scope: string(g.Scope)}
	}
	return out
}

// List returns every role with its user count.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*Role, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Role}); err != nil {
		return nil, err
	}
	rs, err := s.store.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Role, len(rs))
	for i, r := range rs {
		out[i] = fromStore(r)
	}
	return out, nil
}

// Get returns one role.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Role, error) {
	if err := s.authz.Check(actor, authz.View, authz.RoleRef(id)); err != nil {
		return nil, err
	}
	r, err := s.store.Role(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.NotFoundf("No such role.")
	}
	if err != nil {
		return nil, err
	}
	return fromStore(r), nil
}

// Givings says, for each role, whether the actor's role may give it and by which actions
// (users.create, users.edit): what the role pickers and the role editor's list offer.
func (s *Service) Givings(actor authz.Actor, rs []*Role) map[string]authz.Giving {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return s.authz.Givings(actor, ids)
}

// Templates returns the role templates (for role managers).
func (s *Service) Templates(actor authz.Actor) ([]authz.Template, error) {
	if err := s.authz.Check(actor, authz.RolesManage, authz.Ref{}); err != nil {
		return nil, err
	}
	return authz.Templates, nil
}

// Catalog returns the permission catalog (any signed-in user may read it).
func (s *Service) Catalog(actor authz.Actor) ([]authz.Area, []authz.Permission, error) {
	if _, err := s.authz.Permissions(actor); err != nil {
		return nil, nil, err
	}
	return authz.Areas, authz.Catalog, nil
}

// CreateRequest is a new custom role. Assignable are the roles its holders may give.
type CreateRequest struct {
	Name        string
	Description string
	Kind        authz.Kind
	Grants      []authz.Grant
	Assignable  []string
}

// UpdateRequest changes a custom role; nil fields stay as they are.
type UpdateRequest struct {
	Name        *string
	Description *string
	Kind        *authz.Kind
	Grants      *[]authz.Grant
	Assignable  *[]string
	// ExpectVersion is the index version of the what-if preview the change was shown
	// with: when access has changed since, the change is refused (stale_preview).
	ExpectVersion string
}

// Patch applies r to role, validating what it sets.
func (r UpdateRequest) Patch(role *Role) error {
	var err error
	if r.Name != nil {
		if role.Name, err = checkName(*r.Name); err != nil {
			return err
		}
	}
	if r.Description != nil {
		if role.Description, err = checkDescription(*r.Description); err != nil {
			return err
		}
	}
	if r.Kind != nil {
		role.Kind = *r.Kind
	}
	if r.Grants != nil {
		role.Grants = *r.Grants
	}
	if r.Assignable != nil {
		role.Assignable = *r.Assignable
	}
	if role.Assignable, err = authz.NormalizeAssignable(role.Assignable); err != nil {
		return err
	}
	role.Grants, err = authz.NormalizeGrants(role.Kind, role.Grants)
	return err
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field("name", "Enter a role name that says what it is for, such as \"Bookkeeper\".")
	}
	if len(name) > 100 {
		return "", apperr.Field("name", "The role name is too long: at most 100 characters.")
	}
	if err := text.Line("name", apperr.Textf("role name"), name); err != nil {
		return "", err
	}
	return name, nil
}

func checkDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if len(d) > 1000 {
		return "", apperr.Field("description", "The description is too long: at most 1000 characters.")
	}
	if err := text.Lines("description", apperr.Textf("description"), d); err != nil {
		return "", err
	}
	return d, nil
}

func nameTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.Conflict, "name_taken", "A role with this name already exists (names are compared ignoring case).").OnField("name")
	}
	return err
}

func grantKeys(gs []authz.Grant) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Key
		if g.Scope != "" {
			out[i] += ":" + string(g.Scope)
		}
	}
	return out
}

func entry(action, id, name string, details map[string]any) audit.Entry {
	return audit.Entry{Action: action, TargetType: "role", TargetID: id, TargetName: name, Details: details}
}

// Create makes a custom role. The actor needs roles.manage and every permission granted.
func (s *Service) Create(ctx context.Context, actor authz.Actor, req CreateRequest) (*Role, error) {
	return s.create(ctx, actor, req, "role.create")
}

func (s *Service) create(ctx context.Context, actor authz.Actor, req CreateRequest, action string) (*Role, error) {
	name, err := checkName(req.Name)
	if err != nil {
		return nil, err
	}
	desc, err := checkDescription(req.Description)
	if err != nil {
		return nil, err
	}
	grants, err := authz.NormalizeGrants(req.Kind, req.Grants)
	if err != nil {
		return nil, err
	}
	assignable, err := authz.NormalizeAssignable(req.Assignable)
	if err != nil {
		return nil, err
	}
	now := s.now()
	def := authz.RoleDef{ID: uuid.NewString(), Name: name, Kind: req.Kind, Grants: grants, Assignable: assignable}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Role, write.Effect, error) {
		if err := w.Check(actor, authz.RolesManage, authz.Ref{Type: authz.Role}, authz.Change{Def: &def}); err != nil {
			return nil, write.Effect{}, err
		}
		row := &store.Role{ID: def.ID, Name: name, Kind: string(req.Kind), Description: desc, Grants: toStoreGrants(grants), Assignable: assignable,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateRole(ctx, row); err != nil {
			return nil, write.Effect{}, assignableGone(nameTaken(err))
		}
		if err := addVersion(ctx, tx, actor, row, strings.TrimPrefix(action, "role."), 0); err != nil {
			return nil, write.Effect{}, err
		}
		details := map[string]any{"kind": req.Kind, "permissions": grantKeys(grants)}
		if len(assignable) > 0 {
			details["assignableRoles"] = roleNames(w, assignable)
		}
		return fromStore(row), write.Entry(entry(action, row.ID, name, details), func(w *authz.Writer) { w.PutRole(row) }), nil
	})
}

// roleNames names roles for the audit log (the index's names, sorted).
func roleNames(rd *authz.Writer, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if name, _, ok := rd.RoleName(id); ok {
			out = append(out, name)
		} else {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// assignableGone: a role listed was deleted between the check and the write (the foreign
// key refused it).
func assignableGone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Field("assignableRoleIds", "A role listed no longer exists.")
	}
	return err
}

// Update edits a custom role. The actor needs every permission the role holds before and
// after the change; built-in roles cannot be edited; a change of kind moves every holder
// to the other kind, so it takes the right to move each of them.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest) (*Role, error) {
	return s.update(ctx, actor, id, req, 0)
}

// update is Update; rolledBack, when not 0, is the version the change returns the role to
// (Rollback), noted in its audit entry and its new version.
func (s *Service) update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest, rolledBack int) (*Role, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Role, write.Effect, error) {
		if err := w.Check(actor, authz.RolesManage, authz.RoleRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Expect(s.authz, req.ExpectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		cur, err := tx.Role(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		old := fromStore(cur)
		next := *old
		if err := req.Patch(&next); err != nil {
			return nil, write.Effect{}, err
		}
		def := authz.RoleDef{ID: id, Name: next.Name, Kind: next.Kind, Grants: next.Grants, Assignable: next.Assignable}
		if err := w.Check(actor, authz.RolesManage, authz.RoleRef(id), authz.Change{Def: &def}); err != nil {
			return nil, write.Effect{}, err
		}
		added, removed, changed := authz.Diff(old.Grants, next.Grants)
		details := map[string]any{"added": added, "removed": removed, "changed": changed}
		for k, v := range audit.Changes(audit.Change{Field: "name", From: old.Name, To: next.Name},
			audit.Change{Field: "kind", From: string(old.Kind), To: string(next.Kind)}) {
			details[k] = v
		}
		// The roles its holders may give, by name: which were added and which taken away.
		if gained, lost := setDiff(old.Assignable, next.Assignable); len(gained)+len(lost) > 0 {
			details["assignableAdded"] = roleNames(w, gained)
			details["assignableRemoved"] = roleNames(w, lost)
		}
		row := &store.Role{ID: id, Name: next.Name, Kind: string(next.Kind), Description: next.Description, Grants: toStoreGrants(next.Grants),
			Assignable: next.Assignable, UpdatedAt: s.now(), CreatedAt: cur.CreatedAt, UserCount: cur.UserCount}
		if err := tx.UpdateRole(ctx, row); err != nil {
			return nil, write.Effect{}, assignableGone(nameTaken(err))
		}
		if err := addVersion(ctx, tx, actor, row, "update", rolledBack); err != nil {
			return nil, write.Effect{}, err
		}
		if rolledBack > 0 {
			details["rollbackTo"] = rolledBack
		}
		rehome := func(*authz.Writer) {}
		if next.Kind != old.Kind { // its holders change kind: their companies follow
			if rehome, err = companies.Rehome(ctx, w, tx, actor, w.HolderIDs(id), next.Kind, row.UpdatedAt); err != nil {
				return nil, write.Effect{}, err
			}
		}
		return &next, write.Entry(entry("role.update", id, next.Name, details), func(w *authz.Writer) { w.PutRole(row); rehome(w) }), nil
	})
}

// Clone copies a role (built-in ones too) under a new name.
func (s *Service) Clone(ctx context.Context, actor authz.Actor, id, name string) (*Role, error) {
	if err := s.authz.Check(actor, authz.RolesManage, authz.RoleRef(id), authz.Change{Clone: true}); err != nil {
		return nil, err
	}
	src, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	// The copy lets its holders give what the original does (each decided again for the
	// asker); a role that lists itself makes a copy that lists the original.
	return s.create(ctx, actor, CreateRequest{Name: name, Description: src.Description, Kind: src.Kind, Grants: src.Grants, Assignable: src.Assignable}, "role.clone")
}

// setDiff returns what is in b and not a, and what is in a and not b.
func setDiff(a, b []string) (added, removed []string) {
	for _, x := range b {
		if !slices.Contains(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

// Delete removes a custom role. When users hold it, reassignTo names the role they move
// to, in the same transaction; the actor must be allowed to move each of them there.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id, reassignTo string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		none := struct{}{}
		if err := w.Check(actor, authz.RolesManage, authz.RoleRef(id)); err != nil {
			return none, write.Effect{}, err
		}
		holders := w.HolderIDs(id)
		// Who holds the role for a while, or returns to it when a role given for a while
		// ends, holds it too: deleting it says where they go instead, and their grant
		// follows (otherwise a role for a while would be kept for good).
		timed, err := tx.RoleGrantsTouching(ctx, id)
		if err != nil {
			return none, write.Effect{}, err
		}
		returning := 0
		for _, g := range timed {
			if g.PreviousRoleID == id {
				returning++
			}
		}
		if n := len(holders) + returning; n > 0 {
			switch {
			case reassignTo == "":
				if n == 1 {
					return none, write.Effect{}, apperr.New(apperr.Conflict, "role_in_use",
						"1 user holds this role. Choose a role to move them to before deleting it.").OnField("reassignTo")
				}
				return none, write.Effect{}, apperr.New(apperr.Conflict, "role_in_use",
					"%d users hold this role. Choose a role to move them to before deleting it.", n).OnField("reassignTo")
			case reassignTo == id:
				return none, write.Effect{}, apperr.Field("reassignTo", "Choose a different role to move the users to.")
			}
		}
		if err := w.Check(actor, authz.RolesManage, authz.RoleRef(id), authz.Change{Delete: true, Role: reassignTo}); err != nil {
			return none, write.Effect{}, err
		}
		r, err := tx.Role(ctx, id)
		if err != nil {
			return none, write.Effect{}, err
		}
		details := map[string]any{"permissions": grantKeys(fromStore(r).Grants)}
		if by := w.RolesListing(id); len(by) > 0 {
			details["noLongerGivenBy"] = by // the database's cascade takes it off their lists
		}
		if returning > 0 {
			to, err := tx.Role(ctx, reassignTo)
			if err != nil {
				return none, write.Effect{}, err
			}
			if to.Kind != r.Kind {
				return none, write.Effect{}, apperr.Field("reassignTo", "Someone given another role for a while returns to this one: choose a role of the same kind (%s) for them to return to.", r.Kind)
			}
			details["returnTo"] = to.Name
		}
		if len(timed) > 0 {
			if err := tx.RepointRoleGrants(ctx, id, reassignTo); err != nil {
				return none, write.Effect{}, err
			}
		}
		rehome := func(*authz.Writer) {}
		if len(holders) > 0 {
			to, err := tx.Role(ctx, reassignTo)
			if err != nil {
				return none, write.Effect{}, err
			}
			if _, err := tx.ReassignUsersRole(ctx, id, reassignTo, s.now()); err != nil {
				return none, write.Effect{}, err
			}
			if rehome, err = companies.Rehome(ctx, w, tx, actor, holders, authz.Kind(to.Kind), s.now()); err != nil {
				return none, write.Effect{}, err
			}
			details["reassignedTo"] = to.Name
			details["users"] = len(holders)
		}
		if err := tx.DeleteRole(ctx, id); err != nil {
			return none, write.Effect{}, err
		}
		return none, write.Entry(entry("role.delete", id, r.Name, details), func(w *authz.Writer) {
			for _, uid := range holders {
				_, active, _ := w.UserRole(uid)
				w.PutUser(uid, reassignTo, active)
			}
			rehome(w)
			w.DeleteRole(id)
		}), nil
	})
	return err
}
