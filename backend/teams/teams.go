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
	"gatehouse/backend/authzdefs"
	"gatehouse/backend/store"
)

// Service is the teams service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// Request creates or changes a team; nil fields stay.
type Request struct {
	Name        *string
	Description *string
	Members     *[]string
	Leaders     *[]string
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
func (s *Service) validate(ctx context.Context, t *store.Team, oldMembers []string) error {
	if t.Name == "" {
		return apperr.Field("name", "Enter a team name.")
	}
	if len(t.Name) > 200 {
		return apperr.Field("name", "The team name is too long: at most 200 characters.")
	}
	for _, id := range t.Members {
		if slices.Contains(oldMembers, id) {
			continue
		}
		u, err := s.store.User(ctx, id)
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

func nameTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &apperr.Error{Kind: apperr.Conflict, Code: "name_taken", Field: "name", Message: "A team with this name already exists."}
	}
	return err
}

// List returns every team (internal users see teams; portal users do not).
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*store.Team, error) {
	if err := s.authz.CanListInternal(actor); err != nil {
		return nil, err
	}
	return s.store.Teams(ctx)
}

// Get returns one team.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*store.Team, error) {
	if err := s.authz.CanTeam(actor, "view", id); err != nil {
		return nil, err
	}
	return s.store.Team(ctx, id)
}

// Actions lists what the actor may do on a team.
func (s *Service) Actions(actor authz.Actor, id string) []string {
	out := []string{}
	for _, a := range []string{"edit", "delete"} {
		if s.authz.CanTeam(actor, a, id) == nil {
			out = append(out, a)
		}
	}
	return out
}

// Candidates lists whom the actor may add to a team (nil when they may not edit it).
func (s *Service) Candidates(actor authz.Actor, id string) []string {
	return s.authz.TeamCandidates(actor, id)
}

// Create makes a team (teams.manage at scope all).
func (s *Service) Create(ctx context.Context, actor authz.Actor, req Request) (*store.Team, error) {
	if err := s.authz.CanTeam(actor, "create", ""); err != nil {
		return nil, err
	}
	t := &store.Team{ID: uuid.NewString(), CreatedAt: s.now(), Members: []string{}, Leaders: []string{}}
	req.Patch(t)
	return t, s.save(ctx, actor, "", "team.create", func(*authz.Writer) (*store.Team, map[string]any, error) {
		// Validated under the lock, so the members it names cannot go meanwhile.
		if err := s.validate(ctx, t, nil); err != nil {
			return nil, nil, err
		}
		return t, map[string]any{"members": t.Members, "leaders": t.Leaders}, nil
	})
}

// Update changes a team: its leaders (teams.manage at scope team) or anyone with
// teams.manage at scope all. Leaders cannot change who leads.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, req Request) (*store.Team, error) {
	if err := s.authz.CanTeam(actor, "edit", id); err != nil {
		return nil, err
	}
	var t *store.Team
	// Read, patch and write under the index's write lock (see tasks.Service.Update).
	err := s.save(ctx, actor, id, "team.update", func(w *authz.Writer) (*store.Team, map[string]any, error) {
		var err error
		if t, err = s.store.Team(ctx, id); err != nil {
			return nil, nil, err
		}
		oldMembers, oldLeaders := t.Members, t.Leaders
		req.Patch(t)
		if req.Leaders == nil && req.Members != nil {
			// Leaders who leave the team stop leading it.
			t.Leaders = slices.DeleteFunc(slices.Clone(oldLeaders), func(l string) bool { return !slices.Contains(t.Members, l) })
		}
		if !slices.Equal(oldLeaders, t.Leaders) {
			if err := w.CanTeam(actor, "leaders", id); err != nil {
				return nil, nil, apperr.New(apperr.Forbidden, "forbidden", "Only those who manage all teams can change a team's leaders.")
			}
		}
		if err := s.validate(ctx, t, oldMembers); err != nil {
			return nil, nil, err
		}
		details := map[string]any{}
		for _, m := range t.Members {
			if !slices.Contains(oldMembers, m) {
				details["added"] = append(asList(details["added"]), m)
			}
		}
		if err := w.CanAddToTeam(actor, id, asList(details["added"])); err != nil {
			return nil, nil, err
		}
		for _, m := range oldMembers {
			if !slices.Contains(t.Members, m) {
				details["removed"] = append(asList(details["removed"]), m)
			}
		}
		return t, details, nil
	})
	return t, err
}

func asList(v any) []string {
	l, _ := v.([]string)
	return l
}

// save writes a team under the index's write lock: build (run under the lock) returns the
// team to store and the audit details; id is "" for a new team.
func (s *Service) save(ctx context.Context, actor authz.Actor, id, action string,
	build func(w *authz.Writer) (*store.Team, map[string]any, error)) error {
	return s.authz.Update(func(w *authz.Writer) error {
		op := "edit"
		if id == "" {
			op = "create"
		}
		if err := w.CanTeam(actor, op, id); err != nil {
			return err
		}
		t, details, err := build(w)
		if err != nil {
			return err
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SaveTeam(ctx, t, id == ""); err != nil {
				return nameTaken(err)
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: action, TargetType: "team", TargetID: t.ID, TargetName: t.Name, Details: details})
		})
		if err != nil {
			return err
		}
		w.SetTeam(authzdefs.Team(t))
		return nil
	})
}

// Delete removes a team: its members lose what the team gave them at once.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	if err := s.authz.CanTeam(actor, "delete", id); err != nil {
		return err
	}
	return s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanTeam(actor, "delete", id); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			t, err := tx.Team(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.DeleteTeam(ctx, id); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "team.delete", TargetType: "team", TargetID: id, TargetName: t.Name})
		})
		if err != nil {
			return err
		}
		w.DeleteTeam(id)
		return nil
	})
}
