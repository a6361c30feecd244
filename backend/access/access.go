// Package access answers "who can see this, and why": the access lists of projects, boards
// and tasks, the explanation of one decision, the people one may name, and "view as"
// another user. The decisions themselves are backend/authz's; this package adds names,
// the session's view-as grant and the audit trail.
package access

import (
	"context"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Service is the access service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}}
}

// Entry is one user who can see a resource, with names for display.
type Entry struct {
	authz.Access
	Name     string
	RoleName string
}

func resourceType(name string) (authz.Type, error) {
	t, ok := authz.TypeOf(name)
	if !ok {
		return 0, apperr.Field("resourceType", "The resource type is project, board, task, file or thread.")
	}
	return t, nil
}

// Access lists everyone who can see a resource ("project", "board" or "task") and every
// path by which they can.
func (s *Service) Access(ctx context.Context, actor authz.Actor, typeName, id string) ([]Entry, error) {
	t, err := resourceType(typeName)
	if err != nil {
		return nil, err
	}
	list, err := s.authz.WhoCanSee(actor, t, id)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.UserID
	}
	users, err := s.store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(list))
	for _, a := range list {
		if u := users[a.UserID]; u != nil { // deleted since: left out
			out = append(out, Entry{Access: a, Name: u.Name, RoleName: u.RoleName})
		}
	}
	return out, nil
}

// Explain tells whether userID may do action (a catalog key, or "view"; for boards also
// "edit" and "work") on a resource, and why.
func (s *Service) Explain(actor authz.Actor, userID, action, typeName, id string) (*authz.Explanation, error) {
	if userID == "" {
		return nil, apperr.Field("userId", "Choose a user.")
	}
	if id == "" {
		return nil, apperr.Field("resourceId", "Choose a resource.")
	}
	t, err := resourceType(typeName)
	if err != nil {
		return nil, err
	}
	a, err := authz.ExplainAction(t, action)
	if err != nil {
		return nil, err
	}
	return s.authz.Explain(actor, userID, a, t, id)
}

// StartViewAs records that actor starts viewing the app as userID from session: the
// session may then read as that person (read-only, and never more than the actor could
// see themselves) until it ends or views as someone else.
func (s *Service) StartViewAs(ctx context.Context, actor authz.Actor, sessionID, userID string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.ActivityTeam, authz.UserRef(userID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		u, err := tx.User(ctx, userID)
		if err != nil {
			return struct{}{}, write.Effect{}, apperr.Field("userId", "No such user.")
		}
		if err := tx.SetSessionViewAs(ctx, sessionID, userID); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "view_as.start", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind}}}, nil
	})
	return err
}

// ViewAs returns the actor a view-as request reads as: the viewed person, with the viewer
// set so every decision holds for both. The session must have started viewing as them.
func (s *Service) ViewAs(viewer authz.Actor, granted, userID string) (authz.Actor, error) {
	if granted != userID {
		return authz.Actor{}, apperr.New(apperr.Forbidden, "view_as_not_started", "Start viewing as this person first (POST /api/view-as).")
	}
	if err := s.authz.Check(viewer, authz.ActivityTeam, authz.UserRef(userID)); err != nil {
		return authz.Actor{}, err
	}
	as := s.authz.Actor(userID)
	as.Viewer = viewer.UserID
	return as, nil
}

// Person is an id and a display name.
type Person = store.Person

// Names returns the people with these ids (deleted ones are left out), for display where
// the caller has already been allowed to see the ids: one query.
func (s *Service) Names(ctx context.Context, ids []string) ([]Person, error) {
	return s.store.People(ctx, ids)
}

// ProjectPeople lists who is on a project, with names (for assignee pickers and display).
func (s *Service) ProjectPeople(ctx context.Context, actor authz.Actor, id string) ([]Person, error) {
	internal, clients, err := s.authz.ProjectPeople(actor, id)
	if err != nil {
		return nil, err
	}
	return s.Names(ctx, append(internal, clients...))
}

// Audience lists, with names, the people who see a resource ("thread", …) the actor sees:
// whom they may mention there.
func (s *Service) Audience(ctx context.Context, actor authz.Actor, typeName, id string) ([]Person, error) {
	t, err := resourceType(typeName)
	if err != nil {
		return nil, err
	}
	ids, err := s.authz.Audience(actor, t, id)
	if err != nil {
		return nil, err
	}
	return s.Names(ctx, ids)
}

// People lists every active internal user with their name (no email): the directory
// internal users need to assign tasks and invite people, whatever their users.view.
func (s *Service) People(ctx context.Context, actor authz.Actor, withDeactivated bool) ([]Person, error) {
	ids, err := s.authz.InternalPeople(actor, withDeactivated)
	if err != nil {
		return nil, err
	}
	return s.Names(ctx, ids)
}
