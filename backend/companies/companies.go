// Package companies keeps the client companies ("Customer > Project"): each has a name and
// contact details, its portal users and its projects. Who sees and changes them is
// backend/authz's (the company resource); every change takes the one write path.
package companies

import (
	"context"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Service is the companies service.
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

// Company is a client company as the service returns it.
type Company = store.Company

// Request makes or changes a company; nil fields stay.
type Request struct {
	Name, Email, Phone, Address *string
}

func (r Request) apply(c *Company) error {
	if r.Name != nil {
		c.Name = strings.TrimSpace(*r.Name)
	}
	if r.Email != nil {
		c.Email = strings.TrimSpace(*r.Email)
	}
	if r.Phone != nil {
		c.Phone = strings.TrimSpace(*r.Phone)
	}
	if r.Address != nil {
		c.Address = strings.TrimSpace(*r.Address)
	}
	switch {
	case c.Name == "":
		return apperr.Field("name", "Enter the company's name.")
	case utf8.RuneCountInString(c.Name) > MaxName:
		return apperr.Field("name", "The name is too long: at most %d characters.", MaxName)
	case c.Email != "" && !validEmail(c.Email):
		return apperr.Field("email", "Enter one email address, such as accounts@example.com, or leave it empty.")
	case utf8.RuneCountInString(c.Phone) > 50:
		return apperr.Field("phone", "The phone number is too long: at most 50 characters.")
	case utf8.RuneCountInString(c.Address) > 1000:
		return apperr.Field("address", "The address is too long: at most 1000 characters.")
	}
	for _, f := range []struct {
		field string
		what  apperr.Text
		v     string
	}{{"name", apperr.Textf("name"), c.Name}, {"email", apperr.Textf("email"), c.Email}, {"phone", apperr.Textf("phone number"), c.Phone}} {
		if err := text.Line(f.field, f.what, f.v); err != nil {
			return err
		}
	}
	return text.Lines("address", apperr.Textf("address"), c.Address)
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && len(s) <= 254
}

// MaxName is the longest a company's name may be.
const MaxName = 200

var nameTaken = apperr.New(apperr.Conflict, "name_taken", "A client company of that name exists already.")

// List returns the companies the actor sees, by name.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*Company, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Company}); err != nil {
		return nil, err
	}
	all, err := s.store.Companies(ctx)
	if err != nil {
		return nil, err
	}
	return authz.Keep(s.authz, actor, authz.Company, all, func(c *Company) string { return c.ID })
}

// Get returns a company the actor sees.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Company, error) {
	if err := s.authz.Check(actor, authz.View, authz.CompanyRef(id)); err != nil {
		return nil, err
	}
	return s.store.Company(ctx, id)
}

// Create makes a company.
func (s *Service) Create(ctx context.Context, actor authz.Actor, r Request) (*Company, error) {
	c := &Company{ID: uuid.NewString(), CreatedAt: s.now(), People: []string{}, Projects: []string{}}
	if err := r.apply(c); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Company, write.Effect, error) {
		if err := w.Check(actor, authz.UsersCreate, authz.Ref{Type: authz.Company}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateCompany(ctx, c); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return nil, write.Effect{}, nameTaken
			}
			return nil, write.Effect{}, err
		}
		return c, write.Entry(audit.Entry{Action: "company.create", TargetType: "company", TargetID: c.ID, TargetName: c.Name, ClientRelated: true},
			func(w *authz.Writer) { w.PutCompany(c) }), nil
	})
}

// Update changes a company's name or contact details.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*Company, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Company, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.CompanyRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		c, err := tx.Company(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		before := *c
		if err := r.apply(c); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.UpdateCompany(ctx, c); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return nil, write.Effect{}, nameTaken
			}
			return nil, write.Effect{}, err
		}
		changes := map[string]any{}
		for _, f := range []struct{ k, a, b string }{{"name", before.Name, c.Name}, {"email", before.Email, c.Email},
			{"phone", before.Phone, c.Phone}, {"address", before.Address, c.Address}} {
			if f.a != f.b {
				changes[f.k] = map[string]string{"from": f.a, "to": f.b}
			}
		}
		return c, write.Entry(audit.Entry{Action: "company.update", TargetType: "company", TargetID: c.ID, TargetName: c.Name, Details: changes, ClientRelated: true},
			func(w *authz.Writer) { w.PutCompany(c) }), nil
	})
}

// Delete removes a company without people; its projects belong to none afterwards.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.CompanyRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		c, err := tx.Company(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if len(c.People) > 0 {
			return struct{}{}, write.Effect{}, apperr.New(apperr.Conflict, "company_has_people",
				"%s still has %d portal account(s): move them to another company or delete them first.", c.Name, len(c.People))
		}
		if err := tx.DeleteCompany(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "company.delete", TargetType: "company", TargetID: id, TargetName: c.Name,
			Details: map[string]any{"projects": len(c.Projects)}, ClientRelated: true}, func(w *authz.Writer) { w.DeleteCompany(id) }), nil
	})
	return err
}

// fit is name + suffix within MaxName characters, shortening name.
func fit(name, suffix string) string {
	r, s := []rune(name), []rune(suffix)
	if len(s) > MaxName/2 {
		s = s[:MaxName/2]
	}
	if len(r)+len(s) > MaxName {
		r = r[:MaxName-len(s)]
	}
	return strings.TrimSpace(string(r)) + string(s)
}

// Rehome keeps people's companies right after their role's kind changed (a role's kind
// edited, a role's holders moved to another): a portal account belongs to one company
// (a new one named after them when they have none), a team member to none.
func Rehome(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, userIDs []string, kind authz.Kind, now time.Time) (func(*authz.Writer), error) {
	var steps []func(*authz.Writer)
	for _, id := range userIDs {
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, err
		}
		switch {
		case kind == authz.KindClient && u.CompanyID == "":
			step, err := Place(ctx, w, tx, actor, u, "", now)
			if err != nil {
				return nil, err
			}
			steps = append(steps, step)
		case kind != authz.KindClient && u.CompanyID != "":
			if err := tx.SetUserCompany(ctx, id, ""); err != nil {
				return nil, err
			}
			steps = append(steps, func(w *authz.Writer) { w.SetUserCompany(id, "") })
		}
	}
	return func(w *authz.Writer) {
		for _, s := range steps {
			s(w)
		}
	}, nil
}

// Place puts client user u (just made, or just turned into a client) in company
// companyID, or, with none given, in a new company named after them; inside the caller's
// write. It returns what the index must learn after the commit.
func Place(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, u *store.User, companyID string, now time.Time) (func(*authz.Writer), error) {
	if companyID != "" {
		if err := w.Check(actor, authz.View, authz.CompanyRef(companyID)); err != nil {
			return nil, apperr.Field("companyId", "No such client company.")
		}
		if err := tx.SetUserCompany(ctx, u.ID, companyID); err != nil {
			return nil, err
		}
		return func(w *authz.Writer) { w.SetUserCompany(u.ID, companyID) }, nil
	}
	c := &Company{ID: uuid.NewString(), Email: u.Email, CreatedAt: now}
	// Named after them; when that name is taken (a namesake, or their own company kept
	// from before), told apart by their email, then by a number — always within the
	// length a name may have.
	var err error
	for i := 0; ; i++ {
		suffix := ""
		switch {
		case i == 1:
			suffix = " (" + u.Email + ")"
		case i > 1:
			suffix = " (" + u.Email + ") " + strconv.Itoa(i)
		}
		c.Name = fit(u.Name, suffix)
		if err = tx.CreateCompany(ctx, c); !errors.Is(err, store.ErrConflict) || i == 50 {
			break
		}
	}
	if errors.Is(err, store.ErrConflict) {
		return nil, apperr.Field("companyId", "Choose the client company this person belongs to.")
	}
	if err != nil {
		return nil, err
	}
	if err := tx.SetUserCompany(ctx, u.ID, c.ID); err != nil {
		return nil, err
	}
	return func(w *authz.Writer) { w.PutCompany(c); w.SetUserCompany(u.ID, c.ID) }, nil
}
