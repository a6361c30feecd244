// Package teams manages teams, their members and leaders. A team can be a project member
// or be invited to a board; everyone in it gains that access, and leaving the team
// removes it at once.
package teams

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

// Service is the teams service.
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

// Team is a team as the service returns it.
type Team = store.Team

// Request creates or changes a team; nil fields stay.
type Request struct {
	Name        *string
	Description *string
	Members     *[]string
	Leaders     *[]string
	// ExpectVersion is the index version of the what-if preview the change was shown
	// with; the write is refused (stale_preview) when access moved since. "": no check.
	ExpectVersion string
}

// Patch applies r to t.
func (r Request) Patch(t *store.Team) {
	if r.Name != nil {
		t.Name = strings.TrimSpace(*r.Name)
	}
	if r.Description != nil {
		t.Description = strings.TrimSpace(*r.Description)
	}
	if r.Members != nil {
		t.Members = slices.Compact(slices.Sorted(slices.Values(*r.Members)))
	}
	if r.Leaders != nil {
		t.Leaders = slices.Compact(slices.Sorted(slices.Values(*r.Leaders)))
	}
}

// validate checks a team; only added members are checked to be internal users.
func validate(ctx context.Context, tx *store.Store, t *store.Team, oldMembers []string) error {
	if t.Name == "" {
		return apperr.Field("name", "Enter a team name.")
	}
	if len(t.Name) > 200 {
		return apperr.Field("name", "The team name is too long: at most 200 characters.")
	}
	if err := text.Line("name", apperr.Textf("team name"), t.Name); err != nil {
		return err
	}
	if err := text.Lines("description", apperr.Textf("description"), t.Description); err != nil {
		return err
	}
	for _, id := range t.Members {
		if slices.Contains(oldMembers, id) {
			continue
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return apperr.Field("members", "No user %q.", id)
		}
		if u.RoleKind != "internal" {
			return apperr.Field("members", "%s is a client (portal) user; teams are for internal users.", u.Name)
		}
	}
	for _, id := range t.Leaders {
		if !slices.Contains(t.Members, id) {
			return apperr.Field("leaders", "Leaders must be members of the team.")
		}
	}
	return nil
}

// List returns every team (internal users see teams; portal users do not).
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*Team, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Team}); err != nil {
		return nil, err
	}
	return s.store.Teams(ctx)
}

// Get returns one team.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Team, error) {
	if err := s.authz.Check(actor, authz.View, authz.TeamRef(id)); err != nil {
		return nil, err
	}
	return s.store.Team(ctx, id)
}

// Actions lists what the actor may do on a team: "edit" (its members), "delete".
func (s *Service) Actions(actor authz.Actor, id string) []string {
	out := []string{}
	if s.authz.Check(actor, authz.TeamsManage, authz.TeamRef(id)) == nil {
		out = append(out, "edit")
	}
	if s.authz.Check(actor, authz.TeamsManage, authz.TeamRef(id), authz.Change{Delete: true}) == nil {
		out = append(out, "delete")
	}
	return out
}

// Candidates lists whom the actor may add to a team (nil when they may not edit it).
func (s *Service) Candidates(actor authz.Actor, id string) []string {
	return s.authz.TeamCandidates(actor, id)
}

func nameTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.Conflict, "name_taken", "A team with this name already exists.").OnField("name")
	}
	return err
}

// Create makes a team (teams.manage at scope all).
func (s *Service) Create(ctx context.Context, actor authz.Actor, req Request) (*Team, error) {
	t := &Team{ID: uuid.NewString(), CreatedAt: s.now(), Members: []string{}, Leaders: []string{}}
	req.Patch(t)
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Team, write.Effect, error) {
		if err := w.Check(actor, authz.TeamsManage, authz.Ref{Type: authz.Team}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validate(ctx, tx, t, nil); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateTeam(ctx, t); err != nil {
			return nil, write.Effect{}, nameTaken(err)
		}
		return t, write.Entry(audit.Entry{Action: "team.create", TargetType: "team", TargetID: t.ID, TargetName: t.Name,
			Details: map[string]any{"members": t.Members, "leaders": t.Leaders}}, func(w *authz.Writer) { w.PutTeam(t) }), nil
	})
}

// Update changes a team: its leaders (teams.manage at scope team) or anyone with
// teams.manage at scope all. Leaders cannot change who leads, and add only people they
// may manage.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req Request) (*Team, error) {
	return s.update(ctx, actor, id, func(*store.Team) (Request, error) { return req, nil })
}

// RemoveMember takes one person off a team, as editing its members by hand does (an
// access review's revocation): the same checks, audit entry and index change. Someone
// who is not on it any more is an error that says so, and nothing changes.
func (s *Service) RemoveMember(ctx context.Context, actor authz.Actor, id, userID string) (*Team, error) {
	return s.update(ctx, actor, id, func(t *store.Team) (Request, error) {
		if !slices.Contains(t.Members, userID) {
			return Request{}, apperr.New(apperr.Conflict, "not_member", "They are no longer on the team “%s”.", t.Name)
		}
		members := slices.DeleteFunc(slices.Clone(t.Members), func(m string) bool { return m == userID })
		return Request{Members: &members}, nil
	})
}

// update changes a team by the request edit makes of it as it stands (under the lock).
func (s *Service) update(ctx context.Context, actor authz.Actor, id string, edit func(t *store.Team) (Request, error)) (*Team, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Team, write.Effect, error) {
		if err := w.Check(actor, authz.TeamsManage, authz.TeamRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		t, err := tx.Team(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		req, err := edit(t)
		if err != nil {
			return nil, write.Effect{}, err
		}
		oldMembers, oldLeaders := t.Members, t.Leaders
		req.Patch(t)
		// Leaders who leave the team stop leading it; decided as the what-if decides it.
		var chg authz.Change
		t.Members, t.Leaders, chg = authz.TeamEdit(oldMembers, oldLeaders, req.Members, req.Leaders)
		added := chg.Members
		var removed []string
		for _, m := range oldMembers {
			if !slices.Contains(t.Members, m) {
				removed = append(removed, m)
			}
		}
		if err := w.Check(actor, authz.TeamsManage, authz.TeamRef(id), chg); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Expect(s.authz, req.ExpectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validate(ctx, tx, t, oldMembers); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.UpdateTeam(ctx, t); err != nil {
			return nil, write.Effect{}, nameTaken(err)
		}
		details := map[string]any{}
		if len(added) > 0 {
			details["added"] = added
		}
		if len(removed) > 0 {
			details["removed"] = removed
		}
		return t, write.Entry(audit.Entry{Action: "team.update", TargetType: "team", TargetID: t.ID, TargetName: t.Name, Details: details},
			func(w *authz.Writer) { w.PutTeam(t) }), nil
	})
}

// CheckMembers validates an update of a team's members and leaders as Update does (for
// its what-if preview, once the change is allowed).
func (s *Service) CheckMembers(ctx context.Context, id string, req Request) error {
	t, err := s.store.Team(ctx, id)
	if err != nil {
		return err
	}
	oldMembers := t.Members
	req.Patch(t)
	t.Members, t.Leaders, _ = authz.TeamEdit(oldMembers, t.Leaders, req.Members, req.Leaders)
	return validate(ctx, s.store, t, oldMembers)
}

// Delete removes a team: its members lose what the team gave them at once.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.TeamsManage, authz.TeamRef(id), authz.Change{Delete: true}); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		t, err := tx.Team(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteTeam(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "team.delete", TargetType: "team", TargetID: id, TargetName: t.Name},
			func(w *authz.Writer) { w.DeleteTeam(id) }), nil
	})
	return err
}
