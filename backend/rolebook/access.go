package rolebook

import (
	"context"
	"slices"
	"strings"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// AccessRow is one person reaching one project or board by one path.
type AccessRow struct {
	Person, Email, Role string
	Type                string // project or board
	Thing               string // its name
	Path                authz.Path
}

// PathText is a path in words.
func PathText(p authz.Path) apperr.Text {
	switch p.Kind {
	case "role_scope":
		return apperr.Textf("their role (%s) sees every one", p.Name)
	case "member":
		return apperr.Textf("member of the project")
	case "team":
		return apperr.Textf("through the team “%s”", p.Name)
	case "client":
		return apperr.Textf("client attached to the project")
	case "board_open":
		return apperr.Textf("the board is open to the whole team")
	case "board_invite":
		return apperr.Textf("invited to the board")
	}
	return apperr.Textf("%s", p.Kind)
}

// Access returns who reaches which project and board and by which path, for actor
// (roles.manage, as the role book): one row per person, thing and path, by person, then
// thing. It names the people actor's users.view covers and the projects and boards actor
// sees, with authz's who-can-see paths (what actor cannot see redacted there).
func (s *Service) Access(ctx context.Context, actor authz.Actor) ([]AccessRow, error) {
	if _, err := s.authz.Lint(actor); err != nil {
		return nil, err
	}
	projects, _, err := s.store.Projects(ctx, store.ProjectFilter{Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	boards, err := s.store.Boards(ctx)
	if err != nil {
		return nil, err
	}
	type thing struct {
		t          authz.Type
		typ, id, n string
	}
	var things []thing
	for _, p := range projects {
		things = append(things, thing{authz.Project, "project", p.ID, p.Name})
	}
	for _, b := range boards {
		things = append(things, thing{authz.Board, "board", b.ID, b.Name})
	}
	type reach struct {
		th    thing
		users []authz.Access
	}
	var reached []reach
	err = s.authz.Read(func(rd *authz.Reader) error {
		for _, th := range things {
			if ok, _ := rd.Visible(actor, th.t, []string{th.id}); len(ok) == 0 {
				continue
			}
			acc, err := rd.WhoCanSee(actor, th.t, th.id)
			if err != nil {
				return err
			}
			reached = append(reached, reach{th, acc})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range reached {
		for _, a := range r.users {
			ids = append(ids, a.UserID)
		}
	}
	slices.Sort(ids)
	people, err := s.store.UsersByIDs(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	var out []AccessRow
	for _, r := range reached {
		for _, a := range r.users {
			u := people[a.UserID]
			if u == nil {
				continue
			}
			for _, p := range a.Paths {
				out = append(out, AccessRow{Person: u.Name, Email: u.Email, Role: u.RoleName, Type: r.th.typ, Thing: r.th.n, Path: p})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b AccessRow) int {
		if c := strings.Compare(strings.ToLower(a.Person), strings.ToLower(b.Person)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Email, b.Email); c != 0 {
			return c
		}
		if c := strings.Compare(a.Type, b.Type); c != 0 {
			return -c // projects first
		}
		return strings.Compare(strings.ToLower(a.Thing), strings.ToLower(b.Thing))
	})
	return out, nil
}
