// Package roles manages custom roles: create (blank or from a template), edit, clone and
// delete with reassignment. Built-in roles are read-only. Every method asks backend/authz
// first and writes through authz.Update so the index never lags the database.
package roles

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Service is the roles service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// Role is a role as clients see it.
type Role struct {
	ID          string
	Name        string
	Kind        authz.Kind
	BuiltIn     bool
	Description string
	Grants      []authz.Grant
	UserCount   int
}

func (s *Service) fromStore(r *store.Role) *Role {
	out := &Role{ID: r.ID, Name: r.Name, Kind: authz.Kind(r.Kind), BuiltIn: r.BuiltIn, Description: r.Description, UserCount: r.UserCount}
	if r.BuiltIn {
		out.Grants = append([]authz.Grant(nil), authz.BuiltIn[r.ID]...)
	} else {
		for _, g := range r.Grants {
			out.Grants = append(out.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
		}
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
	if err := s.authz.CanListRoles(actor); err != nil {
		return nil, err
	}
	rs, err := s.store.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Role, len(rs))
	for i, r := range rs {
		out[i] = s.fromStore(r)
	}
	return out, nil
}

// Get returns one role.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Role, error) {
	if err := s.authz.CanListRoles(actor); err != nil {
		return nil, err
	}
	r, err := s.store.Role(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.NotFoundf("No such role.")
	}
	if err != nil {
		return nil, err
	}
	return s.fromStore(r), nil
}

// Templates returns the role templates (for role managers).
func (s *Service) Templates(actor authz.Actor) ([]authz.Template, error) {
	if err := s.authz.Can(actor, "roles.manage", authz.Resource{}); err != nil {
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

// CreateRequest is a new custom role.
type CreateRequest struct {
	Name        string
	Description string
	Kind        authz.Kind
	Grants      []authz.Grant
}

// UpdateRequest changes a custom role; nil fields stay as they are.
type UpdateRequest struct {
	Name        *string
	Description *string
	Kind        *authz.Kind
	Grants      *[]authz.Grant
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field("name", "Enter a role name that says what it is for, such as \"Bookkeeper\".")
	}
	if len(name) > 100 {
		return "", apperr.Field("name", "The role name is too long: at most 100 characters.")
	}
	return name, nil
}

func checkDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if len(d) > 1000 {
		return "", apperr.Field("description", "The description is too long: at most 1000 characters.")
	}
	return d, nil
}

func nameTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &apperr.Error{Kind: apperr.Conflict, Code: "name_taken", Field: "name", Message: "A role with this name already exists (names are compared ignoring case)."}
	}
	return err
}

func indexDef(id, name string, kind authz.Kind, grants []authz.Grant) authz.RoleDef {
	return authz.RoleDef{ID: id, Name: name, Kind: kind, Grants: grants}
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

// Create makes a custom role. The actor needs roles.manage and every permission granted.
func (s *Service) Create(ctx context.Context, actor authz.Actor, req CreateRequest, action string) (*Role, error) {
	if err := s.authz.Can(actor, "roles.manage", authz.Resource{}); err != nil {
		return nil, err
	}
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
	r := &store.Role{ID: uuid.NewString(), Name: name, Kind: string(req.Kind), Description: desc, Grants: toStoreGrants(grants), CreatedAt: s.now()}
	err = s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "roles.manage", authz.Resource{}); err != nil {
			return err
		}
		if err := w.CanGrant(actor, grants); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.CreateRole(ctx, r); err != nil {
				return nameTaken(err)
			}
			return s.audit(ctx, tx, actor, action, r.ID, name, map[string]any{"kind": req.Kind, "permissions": grantKeys(grants)})
		})
		if err != nil {
			return err
		}
		w.SetRole(indexDef(r.ID, name, req.Kind, grants))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, r.ID)
}

// Update edits a custom role. The actor needs every permission the role holds before and
// after the change; built-in roles cannot be edited.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest) (*Role, error) {
	if err := s.authz.CanManageRole(actor, id, false); err != nil {
		return nil, err
	}
	// Read, patch and write under the index's write lock (see tasks.Service.Update).
	err := s.authz.Update(func(w *authz.Writer) error {
		cur, err := s.store.Role(ctx, id)
		if err != nil {
			return err
		}
		old := s.fromStore(cur)
		next := *old
		if req.Name != nil {
			if next.Name, err = checkName(*req.Name); err != nil {
				return err
			}
		}
		if req.Description != nil {
			if next.Description, err = checkDescription(*req.Description); err != nil {
				return err
			}
		}
		if req.Kind != nil {
			next.Kind = *req.Kind
		}
		if req.Grants != nil {
			next.Grants = *req.Grants
		}
		if next.Grants, err = authz.NormalizeGrants(next.Kind, next.Grants); err != nil {
			return err
		}
		added, removed, changed := authz.Diff(old.Grants, next.Grants)
		details := map[string]any{"added": added, "removed": removed, "changed": changed}
		if next.Name != old.Name {
			details["name"] = []string{old.Name, next.Name}
		}
		if next.Kind != old.Kind {
			details["kind"] = []string{string(old.Kind), string(next.Kind)}
		}
		if err := w.CanRedefineRole(actor, id, indexDef(id, next.Name, next.Kind, next.Grants)); err != nil {
			return err
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			err := tx.UpdateRole(ctx, &store.Role{ID: id, Name: next.Name, Kind: string(next.Kind), Description: next.Description,
				Grants: toStoreGrants(next.Grants)})
			if err != nil {
				return nameTaken(err)
			}
			return s.audit(ctx, tx, actor, "role.update", id, next.Name, details)
		})
		if err != nil {
			return err
		}
		w.SetRole(indexDef(id, next.Name, next.Kind, next.Grants))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// Clone copies a role (built-in ones too) under a new name.
func (s *Service) Clone(ctx context.Context, actor authz.Actor, id, name string) (*Role, error) {
	if err := s.authz.CanManageRole(actor, id, true); err != nil {
		return nil, err
	}
	src, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, actor, CreateRequest{Name: name, Description: src.Description, Kind: src.Kind, Grants: src.Grants}, "role.clone")
}

// Delete removes a custom role. When users hold it, reassignTo names the role they move
// to, in the same transaction; the actor must be allowed to give that role.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id, reassignTo string) error {
	if err := s.authz.CanManageRole(actor, id, false); err != nil {
		return err
	}
	return s.authz.Update(func(w *authz.Writer) error {
		if w.Holders(id) > 0 && (reassignTo == "" || reassignTo == id) {
			if err := w.CanManageRole(actor, id, false); err != nil {
				return err
			}
		} else if err := w.CanDeleteRole(actor, id, reassignTo); err != nil {
			return err
		}
		var moved []string
		var name string
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			r, err := tx.Role(ctx, id)
			if err != nil {
				return err
			}
			name = r.Name
			if moved, err = tx.UserIDsByRole(ctx, id); err != nil {
				return err
			}
			details := map[string]any{"permissions": grantKeys(s.fromStore(r).Grants)}
			if len(moved) > 0 {
				if reassignTo == "" {
					return &apperr.Error{Kind: apperr.Conflict, Code: "role_in_use", Field: "reassignTo",
						Message: pluralUsers(len(moved)) + " this role. Choose a role to move them to before deleting it."}
				}
				if reassignTo == id {
					return apperr.Field("reassignTo", "Choose a different role to move the users to.")
				}
				to, err := tx.Role(ctx, reassignTo)
				if err != nil {
					return err
				}
				if _, err := tx.ReassignUsersRole(ctx, id, reassignTo); err != nil {
					return err
				}
				details["reassignedTo"] = to.Name
				details["users"] = len(moved)
			}
			if err := tx.DeleteRole(ctx, id); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "role.delete", id, name, details)
		})
		if err != nil {
			return err
		}
		for _, uid := range moved {
			_, active, _ := w.UserRole(uid)
			w.SetUser(authz.UserDef{ID: uid, RoleID: reassignTo, Active: active})
		}
		w.DeleteRole(id)
		return nil
	})
}

func pluralUsers(n int) string {
	if n == 1 {
		return "1 user holds"
	}
	return strconv.Itoa(n) + " users hold"
}

func (s *Service) audit(ctx context.Context, tx *store.Store, actor authz.Actor, action, id, name string, details map[string]any) error {
	return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: action, TargetType: "role", TargetID: id, TargetName: name, Details: details})
}
