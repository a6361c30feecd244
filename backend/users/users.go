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
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/companies"
	"gatehouse/backend/identity"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Service is the users service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
	mail  *mail.Service // welcome and reset mails (nil: none)
	jobs  importJobs
	// minPasswordLength is the security policy's minimum (nil: the default).
	minPasswordLength func() int
}

// SetMail gives the service the outbox welcome and reset mails go to.
func (s *Service) SetMail(m *mail.Service) { s.mail = m }

// SetPasswordPolicy gives the service the minimum password length in force (Settings →
// Security), read at each use.
func (s *Service) SetPasswordPolicy(minLength func() int) { s.minPasswordLength = minLength }

func (s *Service) minPassword() int {
	if s.minPasswordLength == nil {
		return identity.MinPasswordChars
	}
	return s.minPasswordLength()
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// User is an account as the service returns it (the row, with its role's name and kind).
type User = store.User

// CreateRequest is a new account. Without a password (or with Generate) a strong one is
// generated and returned once, unless a welcome mail goes out: then the person chooses
// their own password with its one-time link, or (IncludePassword) the mail carries a
// generated one.
type CreateRequest struct {
	Name     string
	Email    string
	RoleID   string
	Password string
	Generate bool
	// SendWelcome: queue a welcome mail (nil: when email is set up).
	SendWelcome     *bool
	IncludePassword bool
	// CompanyID is a portal account's client company ("": a new company named after them).
	CompanyID string
}

// Welcome says what became of a new account's welcome mail.
const (
	WelcomeQueued        = "queued"
	WelcomeNotConfigured = "not_configured"
	WelcomeNotRequested  = "not_requested"
)

// Created is a new account and how its person learns of it.
type Created struct {
	User *User
	// Generated is the generated password, returned once, when no mail carries it.
	Generated string
	Welcome   string
	MailID    string
	// WithoutProjects: a team member whose role sees only assigned projects and who has
	// none; they would see an empty dashboard.
	WithoutProjects bool
}

var errOwnEmail = apperr.New(apperr.Forbidden, "own_email",
	"To change your own email, use My account: it asks for your password.").OnField("email")

var errEmailNotConfigured = apperr.New(apperr.Conflict, "email_not_configured", "Email is not set up: ask whoever holds Settings → Email to set up SMTP first.")

func (s *Service) emailConfigured(ctx context.Context) (bool, error) {
	if s.mail == nil {
		return false, nil
	}
	return s.mail.Configured(ctx)
}

// Create adds an account.
func (s *Service) Create(ctx context.Context, actor authz.Actor, req CreateRequest) (*Created, error) {
	req.RoleID = strings.TrimSpace(req.RoleID)
	if req.RoleID == "" {
		return nil, apperr.Field("roleId", "Choose a role.")
	}
	// Who may give which role is decided under the lock; this early answer only spares a
	// refused request the password work.
	if err := s.authz.Check(actor, authz.UsersCreate, authz.Ref{Type: authz.User}, authz.Change{Role: req.RoleID}); err != nil {
		return nil, err
	}
	name, err := identity.CheckName("name", req.Name)
	if err != nil {
		return nil, err
	}
	email, err := identity.CheckEmail("email", req.Email)
	if err != nil {
		return nil, err
	}
	configured, err := s.emailConfigured(ctx)
	if err != nil {
		return nil, err
	}
	out := &Created{Welcome: WelcomeNotRequested}
	// Without a choice, a mail goes out when nobody asked for a password to hand over.
	send := configured && (req.SendWelcome == nil && req.Password == "" && !req.Generate || req.SendWelcome != nil && *req.SendWelcome)
	switch {
	case req.SendWelcome != nil && *req.SendWelcome && !configured:
		return nil, apperr.New(apperr.Conflict, "email_not_configured",
			"Email is not set up (Settings → Email), so no welcome mail can be sent; hand over the password yourself.").OnField("sendWelcome")
	case send && req.Password != "":
		return nil, apperr.Field("password", "With a welcome mail the person chooses their own password: leave this empty, or send no mail.")
	case !configured:
		out.Welcome = WelcomeNotConfigured
	case send:
		out.Welcome = WelcomeQueued
	}
	password, hash := req.Password, ""
	if !send || req.IncludePassword {
		if req.Generate || password == "" {
			if password, err = identity.GeneratePassword(); err != nil {
				return nil, err
			}
			if !send {
				out.Generated = password
			}
		} else if err := identity.CheckPassword("password", password, name, email, s.minPassword()); err != nil {
			return nil, err
		}
		// Hashing takes tens of milliseconds: done before the lock, which it must not hold up.
		if hash, err = identity.HashPassword(password); err != nil {
			return nil, err
		}
	}
	id := uuid.NewString()
	var welcome *mail.Prepared
	if send {
		carried := ""
		if req.IncludePassword {
			carried = password
		}
		if welcome, err = s.mail.PrepareWelcome(mail.Recipient{ID: id, Name: name, Email: email}, carried); err != nil {
			return nil, err
		}
		out.MailID = welcome.Mail.ID
	}
	now := s.now()
	u, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*User, write.Effect, error) {
		if err := w.Check(actor, authz.UsersCreate, authz.Ref{Type: authz.User}, authz.Change{Role: req.RoleID}); err != nil {
			return nil, write.Effect{}, err
		}
		roleName, roleKind, ok := w.RoleName(req.RoleID)
		if !ok { // the check above refuses an unknown role; this keeps it so
			return nil, write.Effect{}, apperr.Field("roleId", "No such role.")
		}
		// A person who chooses their own password through the welcome link has none
		// until then (nothing signs in with an empty hash).
		u := &User{ID: id, Name: name, Email: email, PasswordHash: hash, RoleID: req.RoleID, RoleName: roleName, RoleKind: string(roleKind),
			Status: store.StatusActive, MustChangePassword: hash != "", CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateUser(ctx, u); err != nil {
			return nil, write.Effect{}, emailTaken(err)
		}
		place := func(*authz.Writer) {}
		if roleKind == authz.KindClient {
			if place, err = companies.Place(ctx, w, tx, actor, u, strings.TrimSpace(req.CompanyID), now); err != nil {
				return nil, write.Effect{}, err
			}
		} else if req.CompanyID != "" {
			return nil, write.Effect{}, apperr.Field("companyId", "Only portal (client) accounts belong to a client company.")
		}
		if u.CompanyID, u.CompanyName, err = companyOf(ctx, tx, u.ID); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Entry(entry("user.create", u, map[string]any{"email": email, "role": roleName, "passwordGenerated": out.Generated != "",
			"welcomeMail": welcome != nil}), func(w *authz.Writer) { w.PutUser(u.ID, u.RoleID, true); place(w) })
		if welcome != nil {
			if err := welcome.Write(ctx, tx); err != nil {
				return nil, write.Effect{}, err
			}
			eff.Mail = []*store.Mail{welcome.Mail}
		}
		return u, eff, nil
	})
	if err != nil {
		return nil, err
	}
	out.User = u
	out.WithoutProjects = slices.Contains(s.authz.StaffWithoutProjects(), u.ID)
	return out, nil
}

// UpdateRequest changes an account; nil fields stay as they are.
type UpdateRequest struct {
	Name   *string
	Email  *string
	RoleID *string
	// CompanyID moves a portal account to another client company.
	CompanyID *string
	// ExpectVersion is the index version of the what-if preview a role change was shown
	// with: when access has changed since, the change is refused (stale_preview).
	ExpectVersion string
}

// Patch applies r to u and reports what changed, as {from, to} (the role is recorded on
// its own).
func (r UpdateRequest) Patch(u *store.User) map[string]any {
	changes := map[string]any{}
	if r.Name != nil && *r.Name != u.Name {
		changes["name"] = map[string]string{"from": u.Name, "to": *r.Name}
		u.Name = *r.Name
	}
	if r.Email != nil && *r.Email != u.Email {
		changes["email"] = map[string]string{"from": u.Email, "to": *r.Email}
		u.Email = *r.Email
	}
	if r.RoleID != nil && *r.RoleID != u.RoleID {
		u.RoleID = *r.RoleID
	}
	return changes
}

// validate checks and normalises the fields r sets.
func (r *UpdateRequest) validate() error {
	if r.Name != nil {
		n, err := identity.CheckName("name", *r.Name)
		if err != nil {
			return err
		}
		r.Name = &n
	}
	if r.Email != nil {
		e, err := identity.CheckEmail("email", *r.Email)
		if err != nil {
			return err
		}
		r.Email = &e
	}
	if r.RoleID != nil {
		id := strings.TrimSpace(*r.RoleID)
		if id == "" {
			return apperr.Field("roleId", "Choose a role.")
		}
		r.RoleID = &id
	}
	return nil
}

// companyOf reads a user's company as the transaction has it.
func companyOf(ctx context.Context, tx *store.Store, id string) (string, string, error) {
	u, err := tx.User(ctx, id)
	if err != nil {
		return "", "", err
	}
	return u.CompanyID, u.CompanyName, nil
}

func emailTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.Conflict, "email_taken", "Another user already has this email address.").OnField("email")
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
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*User, error) {
	if err := s.authz.Check(actor, authz.View, authz.UserRef(id)); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	return u, hidden(err)
}

// Actions lists what the actor may do to an account: users.edit, users.deactivate,
// users.delete (by their keys), activity.team (view as), rates.edit, and
// users.credentials — resetting its password, mailing it a reset or welcome link and
// changing its email, which take over the account and so need more than users.edit
// (a role within the actor's, not merely one their role may give).
func (s *Service) Actions(actor authz.Actor, id string) []string {
	out := s.authz.Allowed(actor, authz.UserRef(id), authz.UsersEdit, authz.UsersDeactivate, authz.UsersDelete, authz.ActivityTeam, authz.RatesEdit)
	if s.authz.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Password: true}) == nil {
		out = append(out, "users.credentials")
	}
	return out
}

func entry(action string, u *User, details map[string]any) audit.Entry {
	return audit.Entry{Action: action, TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Details: details}
}

// Update edits name, email and role. Every change is decided on the row as it is under
// the index lock, so a concurrent edit cannot slip a role change past its checks or its
// audit entry. A role change is in force for the user's next request; the last active
// Admin keeps the Admin role.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req UpdateRequest) (*User, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*User, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Expect(s.authz, req.ExpectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, write.Effect{}, hidden(err)
		}
		before := *u
		roleBefore := u.RoleID
		changes := req.Patch(u)
		if _, ok := changes["email"]; ok {
			if id == actor.UserID {
				// Whoever controls the email can reset the password: on oneself, changing it
				// without the password would turn a stolen session into a permanent takeover.
				return nil, write.Effect{}, errOwnEmail
			}
			// On someone else, for the same reason, it is taking their account over.
			if err := w.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Email: true}); err != nil {
				return nil, write.Effect{}, err
			}
		}
		var eff write.Effect
		if len(changes) > 0 {
			eff.Audit = append(eff.Audit, entry("user.update", u, changes))
		}
		if u.RoleID != roleBefore {
			if err := w.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Role: u.RoleID}); err != nil {
				return nil, write.Effect{}, err
			}
			toName, toKind, ok := w.RoleName(u.RoleID)
			if !ok { // the check above refuses an unknown role; this keeps it so
				return nil, write.Effect{}, apperr.Field("roleId", "No such role.")
			}
			u.RoleName, u.RoleKind = toName, string(toKind)
			eff.Audit = append(eff.Audit, entry("user.role_change", u, map[string]any{"role": map[string]string{"from": roleBefore, "to": u.RoleID}}))
		}
		u.UpdatedAt = s.now()
		if err := tx.UpdateUserOnly(ctx, u, &before); err != nil {
			return nil, write.Effect{}, emailTaken(err)
		}
		// A portal account belongs to one client company; a team member to none.
		place := func(*authz.Writer) {}
		company, err := tx.UserCompany(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		switch {
		case u.RoleKind != string(authz.KindClient):
			if req.CompanyID != nil && *req.CompanyID != "" {
				return nil, write.Effect{}, apperr.Field("companyId", "Only portal (client) accounts belong to a client company.")
			}
			if company != "" {
				if err := tx.SetUserCompany(ctx, id, ""); err != nil {
					return nil, write.Effect{}, err
				}
				place = func(w *authz.Writer) { w.SetUserCompany(id, "") }
			}
		case req.CompanyID != nil && strings.TrimSpace(*req.CompanyID) != company:
			to := strings.TrimSpace(*req.CompanyID)
			if to == "" {
				return nil, write.Effect{}, apperr.Field("companyId", "A portal account belongs to a client company: choose one.")
			}
			if place, err = companies.Place(ctx, w, tx, actor, u, to, u.UpdatedAt); err != nil {
				return nil, write.Effect{}, err
			}
			eff.Audit = append(eff.Audit, entry("user.company_change", u, map[string]any{"from": company, "to": to}))
		case company == "":
			if place, err = companies.Place(ctx, w, tx, actor, u, "", u.UpdatedAt); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if u.Email != before.Email {
			voided, err := tx.VoidMailedPassword(ctx, id, u.UpdatedAt)
			if err != nil {
				return nil, write.Effect{}, err
			}
			if voided { // resend the invitation: a link to the corrected address
				changes["mailedPasswordVoided"] = true
			}
		}
		if u.CompanyID, u.CompanyName, err = companyOf(ctx, tx, id); err != nil {
			return nil, write.Effect{}, err
		}
		eff.Index = func(w *authz.Writer) { w.PutUser(id, u.RoleID, u.Status == store.StatusActive); place(w) }
		return u, eff, nil
	})
}

// Deactivate refuses the user's sign-in and ends every session at once; their history
// stays.
func (s *Service) Deactivate(ctx context.Context, actor authz.Actor, id string, plan Plan) (*User, error) {
	return s.setStatus(ctx, actor, id, store.StatusDeactivated, plan)
}

// Reactivate lets a deactivated user sign in again.
func (s *Service) Reactivate(ctx context.Context, actor authz.Actor, id string) (*User, error) {
	return s.setStatus(ctx, actor, id, store.StatusActive, Plan{})
}

func (s *Service) setStatus(ctx context.Context, actor authz.Actor, id, status string, plan Plan) (*User, error) {
	off := status == store.StatusDeactivated
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*User, write.Effect, error) {
		if err := w.Check(actor, authz.UsersDeactivate, authz.UserRef(id), authz.Change{Deactivate: off}); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, write.Effect{}, hidden(err)
		}
		if u.Status == status {
			return u, write.Effect{}, nil
		}
		var eff write.Effect
		if err := s.handOver(ctx, w, tx, actor, u, plan, &eff); err != nil {
			return nil, write.Effect{}, err
		}
		u.Status, u.UpdatedAt = status, s.now()
		if err := tx.SetUserStatus(ctx, id, status, u.UpdatedAt); err != nil {
			return nil, write.Effect{}, err
		}
		action := "user.reactivate"
		if off {
			action = "user.deactivate"
			if err := tx.DeleteUserSessions(ctx, id, "", store.EndedDeactivated, u.UpdatedAt); err != nil {
				return nil, write.Effect{}, err
			}
		}
		eff.Audit = append([]audit.Entry{entry(action, u, nil)}, eff.Audit...)
		moved := eff.Index
		eff.Index = func(w *authz.Writer) {
			if moved != nil {
				moved(w)
			}
			w.PutUser(id, u.RoleID, !off)
		}
		return u, eff, nil
	})
}

// Delete removes the account for good (its audit entries and comments stay, by name);
// its open tasks go to whom plan names, the others become unassigned.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string, plan Plan) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.UsersDelete, authz.UserRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, hidden(err)
		}
		var eff write.Effect
		if err := s.handOver(ctx, w, tx, actor, u, plan, &eff); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteUserPrincipals(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteUser(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		eff.Audit = append([]audit.Entry{entry("user.delete", u, map[string]any{"email": u.Email, "role": u.RoleName})}, eff.Audit...)
		moved := eff.Index
		eff.Index = func(w *authz.Writer) {
			if moved != nil {
				moved(w)
			}
			w.DeleteUser(id)
		}
		return struct{}{}, eff, nil
	})
	return err
}

// ResetPassword sets a new password (typed, or generated and returned once); the user
// must change it at next sign-in, and their sessions end.
func (s *Service) ResetPassword(ctx context.Context, actor authz.Actor, id, password string, generate bool) (string, error) {
	if err := s.authz.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Password: true}); err != nil {
		return "", err
	}
	// The policy reads the person's name and email; the decision is made again below.
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
	} else if err := identity.CheckPassword("password", password, u.Name, u.Email, s.minPassword()); err != nil {
		return "", err
	}
	hash, err := identity.HashPassword(password)
	if err != nil {
		return "", err
	}
	_, err = write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Password: true}); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, hidden(err)
		}
		if err := tx.SetUserPassword(ctx, id, hash, true, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteUserSessions(ctx, id, "", store.EndedPasswordReset, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{entry("user.password_reset", u, map[string]any{"generated": generated != ""})}}, nil
	})
	if err != nil {
		return "", err
	}
	return generated, nil
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
