// Package visibility answers "who can see this, and why": the access lists of projects,
// boards and tasks, the explanation of one decision, and "view as" another user. The
// decisions themselves are backend/authz's; this package adds names and the audit trail.
package visibility

import (
	"context"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Service is the visibility service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// Entry is one user who can see a resource, with names for display.
type Entry struct {
	authz.Access
	Name     string
	RoleName string
}

// Access lists everyone who can see a resource ("project", "board" or "task") and every
// path by which they can.
func (s *Service) Access(ctx context.Context, actor authz.Actor, resType, id string) ([]Entry, error) {
	list, err := s.authz.WhoCanSee(actor, resType, id)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(list))
	for _, a := range list {
		u, err := s.store.User(ctx, a.UserID)
		if err != nil {
			continue // deleted since
		}
		out = append(out, Entry{Access: a, Name: u.Name, RoleName: u.RoleName})
	}
	return out, nil
}

// Explain tells whether userID may do action on a resource, and why.
func (s *Service) Explain(actor authz.Actor, userID, action, resType, id string) (*authz.Explanation, error) {
	if userID == "" {
		return nil, apperr.Field("userId", "Choose a user.")
	}
	if id == "" {
		return nil, apperr.Field("resourceId", "Choose a resource.")
	}
	return s.authz.Explain(actor, userID, action, resType, id)
}

// StartViewAs records that actor starts viewing the app as userID.
func (s *Service) StartViewAs(ctx context.Context, actor authz.Actor, userID string) error {
	if err := s.authz.CanViewAs(actor, userID); err != nil {
		return err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return apperr.Field("userId", "No such user.")
	}
	return s.store.RunInTx(ctx, func(tx *store.Store) error {
		return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "view_as.start", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind})
	})
}

// Person is an id and a display name.
type Person struct {
	ID     string
	Name   string
	Kind   string
	Active bool
}

// Names returns the people with these ids (deleted ones are left out), for display where
// the caller has already been allowed to see the ids.
func (s *Service) Names(ctx context.Context, ids []string) ([]Person, error) {
	out := make([]Person, 0, len(ids))
	for _, id := range ids {
		u, err := s.store.User(ctx, id)
		if err != nil {
			continue // deleted since
		}
		out = append(out, Person{ID: u.ID, Name: u.Name, Kind: u.RoleKind, Active: u.Status == store.StatusActive})
	}
	return out, nil
}

// ProjectPeople lists who is on a project, with names (for assignee pickers and display).
func (s *Service) ProjectPeople(ctx context.Context, actor authz.Actor, id string) ([]Person, error) {
	internal, clients, err := s.authz.ProjectPeople(actor, id)
	if err != nil {
		return nil, err
	}
	return s.Names(ctx, append(internal, clients...))
}

// People lists every active internal user with their name (no email): the directory
// internal users need to assign tasks and invite people, whatever their users.view.
func (s *Service) People(ctx context.Context, actor authz.Actor) ([]Person, error) {
	ids, err := s.authz.InternalPeople(actor)
	if err != nil {
		return nil, err
	}
	return s.Names(ctx, ids)
}
