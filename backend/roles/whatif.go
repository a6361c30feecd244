package roles

import (
	"context"

	"gatehouse/backend/authz"
)

// WhatIfLimit is how many changes a preview lists; the counts cover them all.
const WhatIfLimit = 1000

// Proposal is one change to preview: a role's new grants (and kind, and roles to give),
// a person's new role, or one of the other changes to who sees what (a project's people,
// a team's members, a board's invitations, a task's visibility; see authz.Proposal).
type Proposal struct {
	RoleID     string
	Kind       *authz.Kind
	Grants     []authz.Grant
	Assignable []string // nil: as they are
	UserID     string
	ToRole     string
	Project    *authz.ProjectPeople
	Team       *authz.TeamPeople
	Board      *authz.BoardAccess
	Task       *authz.TaskSight
	// Validate is the write's own check of its input (people of the right kind, teams that
	// exist), asked once the change is allowed, so a preview is refused as the save would be.
	Validate func(ctx context.Context) error
}

// Change is one thing one person would gain or lose, named.
type Change struct {
	authz.Delta
	UserName string
}

// Preview is a proposal's effect: what the reader sees of it, listed (up to WhatIfLimit)
// and counted, and the index version it was computed on.
type Preview struct {
	Version              string
	Changes              []Change
	Gained, Lost, People int
	Truncated            bool
}

// WhatIf previews p for actor with the decisions the index makes (authz.WhatIf): the
// actor must be allowed to make the change, and sees only people and things they see.
func (s *Service) WhatIf(ctx context.Context, actor authz.Actor, p Proposal) (*Preview, error) {
	prop := authz.Proposal{Project: p.Project, Team: p.Team, Board: p.Board, Task: p.Task}
	switch {
	case p.RoleID != "":
		def := &authz.RoleDef{ID: p.RoleID, Grants: p.Grants, Assignable: p.Assignable}
		name, kind, ok := s.authzRole(p.RoleID)
		def.Name, def.Kind = name, kind
		if p.Kind != nil && ok {
			def.Kind = *p.Kind
		}
		prop.Role = def
	case p.UserID != "":
		prop.UserID, prop.UserRole = p.UserID, p.ToRole
	}
	pv, err := s.authz.WhatIf(actor, prop)
	if err != nil {
		return nil, err
	}
	if p.Validate != nil {
		if err := p.Validate(ctx); err != nil {
			return nil, err
		}
	}
	out := &Preview{Version: pv.Version, Gained: pv.Gained, Lost: pv.Lost, People: pv.People, Changes: []Change{}}
	ds := pv.Deltas
	if len(ds) > WhatIfLimit {
		ds, out.Truncated = ds[:WhatIfLimit], true
	}
	var userIDs, taskIDs []string
	seenU, seenT := map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		if !seenU[d.UserID] {
			seenU[d.UserID] = true
			userIDs = append(userIDs, d.UserID)
		}
		if d.Type == authz.Task && !seenT[d.ID] {
			seenT[d.ID] = true
			taskIDs = append(taskIDs, d.ID)
		}
	}
	people, err := s.store.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for start := 0; start < len(taskIDs); start += 500 {
		ts, err := s.store.TasksByIDs(ctx, taskIDs[start:min(start+500, len(taskIDs))])
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			titles[t.ID] = t.Title
		}
	}
	for _, d := range ds {
		c := Change{Delta: d}
		if u := people[d.UserID]; u != nil {
			c.UserName = u.Name
		}
		if d.Type == authz.Task {
			c.Name = titles[d.ID]
		}
		out.Changes = append(out.Changes, c)
	}
	return out, nil
}

func (s *Service) authzRole(id string) (string, authz.Kind, bool) {
	var name string
	var kind authz.Kind
	var ok bool
	s.authz.Read(func(r *authz.Reader) error {
		name, kind, ok = r.RoleName(id)
		return nil
	})
	return name, kind, ok
}
