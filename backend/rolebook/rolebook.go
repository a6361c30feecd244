// Package rolebook documents the role structure, the first article's "Document your role
// structure … keep a record … of what each role is intended for and what permissions it
// includes": the role book (each role's purpose, its permissions in words, who holds it
// and what changed recently) as Markdown and PDF, and the access report (who reaches
// which project or board, and by which path) as CSV rows.
//
// Reading either is for who shapes roles (roles.manage, decided by authz.Lint, as the
// permission lint); the people named are only those the reader sees, and the paths are
// authz's who-can-see paths, with what the reader cannot see redacted there. It writes
// nothing.
package rolebook

import (
	"context"
	"slices"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/roles"
	"gatehouse/backend/store"
)

// Recent is how many of a role's last versions the book shows.
const Recent = 3

// Service builds the role book and the access report.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	roles *roles.Service
	now   func() time.Time
}

// New returns the service.
func New(st *store.Store, az *authz.Authorizer, rs *roles.Service, now func() time.Time) *Service {
	return &Service{store: st, authz: az, roles: rs, now: now}
}

// Change is one recent version of a role, in words.
type Change struct {
	At        time.Time
	ChangedBy string // "" when the reader does not see who
	Version   int
	Note      string // create, clone, update or rollback
	Changes   []apperr.Text
}

// Role is one role of the book.
type Role struct {
	Name, Description string
	Kind              authz.Kind
	BuiltIn           bool
	Permissions       []apperr.Text // catalog labels with their scopes, in catalog order
	Gives             []string      // names of the roles its holders may give beyond their own
	Holders           []string      // names of the holders the reader sees, by name
	HiddenHolders     int           // holders the reader does not see
	Recent            []Change      // newest first
}

// Book is the whole role structure.
type Book struct {
	Generated time.Time
	Roles     []Role
}

// Book returns the role book for actor (403 without roles.manage).
func (s *Service) Book(ctx context.Context, actor authz.Actor) (*Book, error) {
	lv, err := s.authz.Lint(actor)
	if err != nil {
		return nil, err
	}
	rs, err := s.roles.List(ctx, actor)
	if err != nil {
		return nil, err
	}
	names, err := s.names(ctx, lv)
	if err != nil {
		return nil, err
	}
	holders := map[string][]string{}
	for _, u := range lv.Users {
		holders[u.RoleID] = append(holders[u.RoleID], names[u.ID])
	}
	vs, err := s.store.AllRoleVersions(ctx)
	if err != nil {
		return nil, err
	}
	byRole := map[string][]*store.RoleVersion{}
	for _, v := range vs {
		byRole[v.RoleID] = append(byRole[v.RoleID], v)
	}
	roleNames := map[string]string{}
	for _, r := range rs {
		roleNames[r.ID] = r.Name
	}
	book := &Book{Generated: s.now()}
	for _, r := range rs {
		br := Role{Name: r.Name, Description: r.Description, Kind: r.Kind, BuiltIn: r.BuiltIn}
		for _, p := range authz.Catalog {
			for _, g := range r.Grants {
				if g.Key == p.Key {
					br.Permissions = append(br.Permissions, roles.GrantText(g))
				}
			}
		}
		for _, id := range r.Assignable {
			br.Gives = append(br.Gives, roleNames[id])
		}
		slices.Sort(br.Gives)
		br.Holders = holders[r.ID]
		slices.SortFunc(br.Holders, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		br.HiddenHolders = max(0, r.UserCount-len(br.Holders))
		hist := byRole[r.ID]
		for i := len(hist) - 1; i >= 0 && len(br.Recent) < Recent; i-- {
			v := hist[i]
			c := Change{At: v.CreatedAt, Version: v.Version, Note: v.Note, ChangedBy: names[v.ActorID]}
			if i > 0 {
				for _, ch := range roles.Compare(state(hist[i-1]), state(v), func(id string) string { return roleNames[id] }) {
					c.Changes = append(c.Changes, ch.Text)
				}
			}
			br.Recent = append(br.Recent, c)
		}
		book.Roles = append(book.Roles, br)
	}
	return book, nil
}

func state(v *store.RoleVersion) roles.State {
	st := roles.State{Name: v.Name, Description: v.Description, Kind: authz.Kind(v.Kind), Assignable: v.Assignable}
	for _, g := range v.Grants {
		st.Grants = append(st.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
	}
	return st
}

// names maps the id of each account the reader sees to its name.
func (s *Service) names(ctx context.Context, lv authz.LintView) (map[string]string, error) {
	ids := make([]string, len(lv.Users))
	for i, u := range lv.Users {
		ids[i] = u.ID
	}
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	us, err := s.store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, u := range us {
		out[id] = u.Name
	}
	return out, nil
}
