// Package users manages team members and client accounts: create, edit, change role,
// reset password, deactivate, reactivate, delete, and the searchable list. Every method
// asks backend/authz first; writes go through authz.Update so a role or status change is
// in force for the very next request of every session.
package users

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/store"
)

// Service is the users service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// CreateRequest is a new account. Without a password (or with Generate) a strong one is
// generated and returned once.
type CreateRequest struct {
	Name     string
	Email    string
	RoleID   string
	Password string
	Generate bool
}

// UpdateRequest changes an account; nil fields stay as they are.
type UpdateRequest struct {
	Name   *string
	Email  *string
	RoleID *string
}

// Patch applies r to u and reports what changed, as [old, new] pairs.
func (r UpdateRequest) Patch(u *store.User) map[string]any {
	changes := map[string]any{}
	if r.Name != nil && *r.Name != u.Name {
		changes["name"] = []string{u.Name, *r.Name}
		u.Name = *r.Name
	}
	if r.Email != nil && *r.Email != u.Email {
		changes["email"] = []string{u.Email, *r.Email}
		u.Email = *r.Email
	}
	if r.RoleID != nil && *r.RoleID != u.RoleID {
		u.RoleID = *r.RoleID
	}
	return changes
}

var errLastAdmin = apperr.New(apperr.Conflict, "last_admin",
	"This is the last active Admin. Make someone else an Admin first, so Gatehouse always has one.")

func emailTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &apperr.Error{Kind: apperr.Conflict, Code: "email_taken", Field: "email", Message: "Another user already has this email address."}
	}
	return err
}

func hidden(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFoundf("No such user.")
	}
	return err
}

// Get returns one account the actor may see.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*store.User, error) {
	if err := s.authz.Can(actor, "users.view", authz.UserRes(id)); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	return u, hidden(err)
}

// Create adds an account. It returns the generated password, if one was generated.
func (s *Service) Create(ctx context.Context, actor authz.Actor, req CreateRequest) (*store.User, string, error) {
	role, err := s.store.Role(ctx, strings.TrimSpace(req.RoleID))
	if errors.Is(err, store.ErrNotFound) {
		if req.RoleID == "" {
			return nil, "", apperr.Field("roleId", "Choose a role.")
		}
		return nil, "", apperr.Field("roleId", "No such role.")
	}
	if err != nil {
		return nil, "", err
	}
	kind := authz.Kind(role.Kind)
	if err := s.authz.Can(actor, "users.create", authz.NewUserRes(kind)); err != nil {
		return nil, "", err
	}
	if err := s.authz.CanAssignRole(actor, role.ID); err != nil {
		return nil, "", err
	}
	name, err := identity.CheckName("name", req.Name)
	if err != nil {
		return nil, "", err
	}
	email, err := identity.CheckEmail("email", req.Email)
	if err != nil {
		return nil, "", err
	}
	password, generated := req.Password, ""
	if req.Generate || password == "" {
		if password, err = identity.GeneratePassword(); err != nil {
			return nil, "", err
		}
		generated = password
	} else if err := identity.CheckPassword("password", password, name, email); err != nil {
		return nil, "", err
	}
	hash, err := identity.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u := &store.User{ID: uuid.NewString(), Name: name, Email: email, PasswordHash: hash, RoleID: role.ID,
		Status: store.StatusActive, MustChangePassword: true, CreatedAt: s.now()}
	err = s.authz.Update(func(w *authz.Writer) error {
		// The role's kind as it is now: it may have changed since it was read.
		kind, ok := w.RoleKind(role.ID)
		if !ok {
			return apperr.Field("roleId", "No such role.")
		}
		if err := w.Can(actor, "users.create", authz.NewUserRes(kind)); err != nil {
			return err
		}
		if err := w.CanAssignRole(actor, role.ID); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.CreateUser(ctx, u); err != nil {
				return emailTaken(err)
			}
			return s.audit(ctx, tx, actor, "user.create", u.ID, name, string(kind), map[string]any{
				"email": email, "role": role.Name, "passwordGenerated": generated != ""})
		})
		if err != nil {
			return err
		}
		w.SetUser(authz.UserDef{ID: u.ID, RoleID: role.ID, Active: true})
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	out, err := s.store.User(ctx, u.ID)
	return out, generated, err
}

// Update edits name, email and role. Every change is decided on the row as it is under
// the index lock, so a concurrent edit cannot slip a role change past its checks or its
// audit entry. A role change is in force for the user's next request; the last active
// Admin keeps the Admin role.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest) (*store.User, error) {
	if err := s.authz.Can(actor, "users.edit", authz.UserRes(id)); err != nil {
		return nil, err
	}
	if req.Name != nil {
		n, err := identity.CheckName("name", *req.Name)
		if err != nil {
			return nil, err
		}
		req.Name = &n
	}
	if req.Email != nil {
		e, err := identity.CheckEmail("email", *req.Email)
		if err != nil {
			return nil, err
		}
		req.Email = &e
	}
	if req.RoleID != nil {
		r := strings.TrimSpace(*req.RoleID)
		req.RoleID = &r
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "users.edit", authz.UserRes(id)); err != nil {
			return err
		}
		u, err := s.store.User(ctx, id)
		if err != nil {
			return hidden(err)
		}
		oldRoleID, oldRoleName := u.RoleID, u.RoleName
		changes := req.Patch(u)
		roleChanged := u.RoleID != oldRoleID
		if roleChanged {
			if err := w.CanChangeRole(actor, id, u.RoleID); err != nil {
				return err
			}
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateUser(ctx, u); err != nil {
				return emailTaken(err)
			}
			if len(changes) > 0 {
				if err := s.audit(ctx, tx, actor, "user.update", id, u.Name, u.RoleKind, changes); err != nil {
					return err
				}
			}
			if roleChanged {
				to, err := tx.Role(ctx, u.RoleID)
				if err != nil {
					return err
				}
				return s.audit(ctx, tx, actor, "user.role_change", id, u.Name, to.Kind,
					map[string]any{"from": oldRoleName, "to": to.Name})
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.SetUser(authz.UserDef{ID: id, RoleID: u.RoleID, Active: u.Status == store.StatusActive})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, id)
}

// Deactivate refuses the user's sign-in and ends every session at once; their history
// stays.
func (s *Service) Deactivate(ctx context.Context, actor authz.Actor, id string) (*store.User, error) {
	return s.setStatus(ctx, actor, id, store.StatusDeactivated)
}

// Reactivate lets a deactivated user sign in again.
func (s *Service) Reactivate(ctx context.Context, actor authz.Actor, id string) (*store.User, error) {
	return s.setStatus(ctx, actor, id, store.StatusActive)
}

func (s *Service) setStatus(ctx context.Context, actor authz.Actor, id, status string) (*store.User, error) {
	if err := s.authz.Can(actor, "users.deactivate", authz.UserRes(id)); err != nil {
		return nil, err
	}
	if status == store.StatusDeactivated && id == actor.UserID {
		return nil, apperr.New(apperr.Conflict, "self", "You cannot deactivate your own account.")
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "users.deactivate", authz.UserRes(id)); err != nil {
			return err
		}
		u, err := s.store.User(ctx, id)
		if err != nil {
			return hidden(err)
		}
		if u.Status == status {
			return nil
		}
		if status == store.StatusDeactivated && u.RoleID == authz.RoleAdmin && w.ActiveAdmins() <= 1 {
			return errLastAdmin
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SetUserStatus(ctx, id, status); err != nil {
				return err
			}
			action := "user.reactivate"
			if status == store.StatusDeactivated {
				action = "user.deactivate"
				if err := tx.DeleteUserSessions(ctx, id, ""); err != nil {
					return err
				}
			}
			return s.audit(ctx, tx, actor, action, id, u.Name, u.RoleKind, nil)
		})
		if err != nil {
			return err
		}
		w.SetUser(authz.UserDef{ID: id, RoleID: u.RoleID, Active: status == store.StatusActive})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, id)
}

// Delete removes the account for good (its audit entries stay, by name).
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	if err := s.authz.Can(actor, "users.delete", authz.UserRes(id)); err != nil {
		return err
	}
	if id == actor.UserID {
		return apperr.New(apperr.Conflict, "self", "You cannot delete your own account.")
	}
	return s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "users.delete", authz.UserRes(id)); err != nil {
			return err
		}
		u, err := s.store.User(ctx, id)
		if err != nil {
			return hidden(err)
		}
		if u.RoleID == authz.RoleAdmin && u.Status == store.StatusActive && w.ActiveAdmins() <= 1 {
			return errLastAdmin
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.DeleteUserPrincipals(ctx, id); err != nil {
				return err
			}
			if err := tx.DeleteUser(ctx, id); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "user.delete", id, u.Name, u.RoleKind, map[string]any{"email": u.Email, "role": u.RoleName})
		})
		if err != nil {
			return err
		}
		w.DeleteUser(id)
		return nil
	})
}

// ResetPassword sets a new password (typed, or generated and returned once); the user
// must change it at next sign-in, and their sessions end.
func (s *Service) ResetPassword(ctx context.Context, actor authz.Actor, id, password string, generate bool) (string, error) {
	if err := s.authz.CanResetPassword(actor, id); err != nil {
		return "", err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return "", hidden(err)
	}
	generated := ""
	if generate || password == "" {
		if password, err = identity.GeneratePassword(); err != nil {
			return "", err
		}
		generated = password
	} else if err := identity.CheckPassword("password", password, u.Name, u.Email); err != nil {
		return "", err
	}
	hash, err := identity.HashPassword(password)
	if err != nil {
		return "", err
	}
	err = s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "users.edit", authz.UserRes(id)); err != nil {
			return err
		}
		return s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SetUserPassword(ctx, id, hash, true); err != nil {
				return err
			}
			if err := tx.DeleteUserSessions(ctx, id, ""); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "user.password_reset", id, u.Name, u.RoleKind, map[string]any{"generated": generated != ""})
		})
	})
	return generated, err
}

// ListRequest filters, sorts and pages the user list.
type ListRequest struct {
	// WithoutProjects: only staff whose role sees assigned projects and who have none.
	WithoutProjects bool
	Query           string
	RoleID          string
	Kind            string
	Status          string
	Sort            string
	Desc            bool
	Limit           int
	Cursor          string
}

// Page is one page of users.
type Page struct {
	Users []*store.User
	Next  string
	Total int
}

type cursor struct {
	Sort  string `json:"s"`
	Desc  bool   `json:"d"`
	Value string `json:"v"`
	ID    string `json:"i"`
}

// List returns the accounts the actor may see (their users.view scope) that match req.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) (*Page, error) {
	kinds, err := s.authz.VisibleUserKinds(actor)
	if err != nil {
		return nil, err
	}
	f := store.UserFilter{Query: req.Query, RoleID: req.RoleID, Kind: req.Kind, Status: req.Status, Sort: req.Sort, Desc: req.Desc, Limit: req.Limit}
	if kinds != nil {
		f.Kinds = []string{}
		for _, k := range kinds {
			f.Kinds = append(f.Kinds, string(k))
		}
	}
	switch f.Sort {
	case "", "name":
		f.Sort = "name"
	case "email", "createdAt":
	default:
		return nil, apperr.Field("sort", "Sort by name, email or createdAt.")
	}
	if f.Kind != "" && f.Kind != string(authz.KindInternal) && f.Kind != string(authz.KindClient) {
		return nil, apperr.Field("kind", "Kind is internal or client.")
	}
	if f.Status != "" && f.Status != store.StatusActive && f.Status != store.StatusDeactivated {
		return nil, apperr.Field("status", "Status is active or deactivated.")
	}
	if req.WithoutProjects {
		f.IDs = s.authz.StaffWithoutProjects()
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		return nil, apperr.Field("limit", "The limit is between 1 and 200.")
	}
	if req.Cursor != "" {
		var c cursor
		raw, err := base64.RawURLEncoding.DecodeString(req.Cursor)
		if err != nil || json.Unmarshal(raw, &c) != nil || c.Sort != f.Sort || c.Desc != f.Desc {
			return nil, apperr.Field("cursor", "The cursor is not valid for this list; start again from the first page.")
		}
		f.After = &store.UserCursor{Value: c.Value, ID: c.ID}
	}
	users, total, err := s.store.Users(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &Page{Users: users, Total: total}
	if len(users) == f.Limit {
		last := users[len(users)-1]
		raw, _ := json.Marshal(cursor{Sort: f.Sort, Desc: f.Desc, Value: f.SortValue(last), ID: last.ID})
		p.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	return p, nil
}

func (s *Service) audit(ctx context.Context, tx *store.Store, actor authz.Actor, action, id, name, kind string, details map[string]any) error {
	return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: action, TargetType: "user", TargetID: id, TargetName: name,
		TargetKind: kind, Details: details})
}
