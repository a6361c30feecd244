// Package boards manages Kanban boards: their stages, visibility (all or invited), and
// invitations of users and teams as editors or members.
package boards

import (
	"context"
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

// Service is the boards service.
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

// Board is a board as the service returns it, with its stages and invitations.
type (
	Board = store.Board
	Stage = store.Stage
	Grant = store.BoardGrant
)

// Request creates or changes a board; nil fields stay.
type Request struct {
	Name       *string
	Visibility *string
	Stages     *[]store.Stage
	Access     *[]store.BoardGrant
	// ExpectVersion is the index version of the what-if preview the change was shown
	// with; the write is refused (stale_preview) when access moved since. "": no check.
	ExpectVersion string
}

// DefaultStages are a new board's columns when none are given.
func DefaultStages() []store.Stage {
	return []store.Stage{{Name: "To do", Kind: "open"}, {Name: "In progress", Kind: "open"},
		{Name: "Client review", Kind: "review"}, {Name: "Done", Kind: "done"}}
}

// validate checks a board; invitations already on it (old) are not re-checked, so a user
// whose role changed kind does not block unrelated edits.
func validate(ctx context.Context, tx *store.Store, b *store.Board, old []store.BoardGrant) error {
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" {
		return apperr.Field("name", "Enter a board name.")
	}
	if len(b.Name) > 200 {
		return apperr.Field("name", "The board name is too long: at most 200 characters.")
	}
	if err := text.Line("name", apperr.Textf("board name"), b.Name); err != nil {
		return err
	}
	if b.Visibility != "all" && b.Visibility != "invited" {
		return apperr.Field("visibility", "Visibility is all (every team member) or invited (invited users and teams only).")
	}
	if len(b.Stages) == 0 {
		return apperr.Field("stages", "A board needs at least one stage.")
	}
	if len(b.Stages) > 50 {
		return apperr.Field("stages", "A board has at most 50 stages.")
	}
	for i := range b.Stages {
		st := &b.Stages[i]
		st.Name = strings.TrimSpace(st.Name)
		if st.Name == "" || len(st.Name) > 100 {
			return apperr.Field("stages", "Every stage needs a name of at most 100 characters.")
		}
		if err := text.Line("stages", apperr.Textf("stage name"), st.Name); err != nil {
			return err
		}
		if st.Kind != "open" && st.Kind != "review" && st.Kind != "done" {
			return apperr.Field("stages", "A stage's kind is open, review or done.")
		}
	}
	seen := map[store.BoardGrant]bool{}
	editors := 0
	for _, g := range b.Access {
		if g.Level != "editor" && g.Level != "member" {
			return apperr.Field("access", "An invitation's level is editor or member.")
		}
		kept := slices.ContainsFunc(old, func(o store.BoardGrant) bool { return o.Type == g.Type && o.ID == g.ID })
		switch {
		case kept:
		case g.Type == "user":
			u, err := tx.User(ctx, g.ID)
			if err != nil {
				return apperr.Field("access", "No user %q.", g.ID)
			}
			if u.RoleKind != "internal" {
				return apperr.Field("access", "%s is a client (portal) user; boards are for internal users.", u.Name)
			}
		case g.Type == "team":
			if _, err := tx.Team(ctx, g.ID); err != nil {
				return apperr.Field("access", "No team %q.", g.ID)
			}
		default:
			return apperr.Field("access", "An invitation names a user or a team.")
		}
		key := store.BoardGrant{Type: g.Type, ID: g.ID}
		if seen[key] {
			if g.Type == "team" {
				return apperr.Field("access", "The same team is invited twice; keep one invitation.")
			}
			return apperr.Field("access", "The same user is invited twice; keep one invitation.")
		}
		seen[key] = true
		if g.Level == "editor" {
			editors++
		}
	}
	if b.Visibility == "invited" && editors == 0 {
		return apperr.Field("access", "An invite-only board needs at least one editor, or nobody could change it.")
	}
	return nil
}

// Apply patches b with r, giving new stages ids and keeping existing ids only for this
// board's stages.
func (r Request) Apply(b *store.Board) error {
	if r.Name != nil {
		b.Name = *r.Name
	}
	if r.Visibility != nil {
		b.Visibility = *r.Visibility
	}
	if r.Stages != nil {
		own := map[string]bool{}
		for _, st := range b.Stages {
			own[st.ID] = true
		}
		stages := make([]store.Stage, len(*r.Stages))
		for i, st := range *r.Stages {
			if st.ID == "" {
				st.ID = uuid.NewString()
			} else if !own[st.ID] {
				return apperr.Field("stages", "Stage %q is not on this board.", st.ID)
			}
			stages[i] = st
		}
		b.Stages = stages
	}
	if r.Access != nil {
		b.Access = append([]store.BoardGrant{}, (*r.Access)...)
	}
	return nil
}

// Standing is the actor's invitation level on a board and what they may do there (for the
// UI): "edit" (settings, invitations, delete), "work" (create, move, assign tasks) and
// "invite" (change who sees it: an editor who also sees every task on it).
func (s *Service) Standing(actor authz.Actor, id string) (level string, actions []string) {
	actions = []string{}
	for _, a := range s.authz.Allowed(actor, authz.BoardRef(id), authz.TasksColumns, authz.TasksStatus) {
		actions = append(actions, map[string]string{"tasks.columns": "edit", "tasks.status": "work"}[a])
	}
	if slices.Contains(actions, "edit") && s.authz.Check(actor, authz.TasksColumns, authz.BoardRef(id), authz.Change{Visibility: true}) == nil {
		actions = append(actions, "invite")
	}
	return string(s.authz.Level(actor, id)), actions
}

// List returns the boards the actor sees.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*Board, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Board}); err != nil {
		return nil, err
	}
	all, err := s.store.Boards(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(all))
	for i, b := range all {
		ids[i] = b.ID
	}
	visible, err := s.authz.Visible(actor, authz.Board, ids)
	if err != nil {
		return nil, err
	}
	out := []*Board{}
	for _, b := range all {
		if slices.Contains(visible, b.ID) {
			out = append(out, b)
		}
	}
	return out, nil
}

// Get returns one board.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Board, error) {
	if err := s.authz.Check(actor, authz.View, authz.BoardRef(id)); err != nil {
		return nil, err
	}
	return s.store.Board(ctx, id)
}

// Create makes a board (tasks.columns). On an invite-only board the creator is invited as
// an editor.
func (s *Service) Create(ctx context.Context, actor authz.Actor, r Request) (*Board, error) {
	if r.Name == nil {
		return nil, apperr.Field("name", "Enter a board name.")
	}
	if r.Visibility == nil {
		return nil, apperr.Field("visibility", "Choose who sees the board: all or invited.")
	}
	b := &Board{ID: uuid.NewString(), CreatedAt: s.now(), Visibility: "all"}
	if r.Stages == nil {
		st := DefaultStages()
		r.Stages = &st
	}
	if err := r.Apply(b); err != nil {
		return nil, err
	}
	if b.Visibility == "invited" {
		found := false
		for i, g := range b.Access {
			if g.Type == "user" && g.ID == actor.UserID {
				b.Access[i].Level, found = "editor", true
			}
		}
		if !found {
			b.Access = append(b.Access, store.BoardGrant{Type: "user", ID: actor.UserID, Level: "editor"})
		}
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Board, write.Effect, error) {
		if err := w.Check(actor, authz.TasksColumns, authz.Ref{Type: authz.Board}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validate(ctx, tx, b, nil); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateBoard(ctx, b); err != nil {
			return nil, write.Effect{}, err
		}
		return b, s.effect("board.create", b), nil
	})
}

func (s *Service) effect(action string, b *Board) write.Effect {
	return write.Entry(audit.Entry{Action: action, TargetType: "board", TargetID: b.ID, TargetName: b.Name,
		Details: map[string]any{"visibility": b.Visibility, "invitations": len(b.Access)}}, func(w *authz.Writer) { w.PutBoard(b) })
}

// Update changes a board (its editors). Changes that touch its tasks — removing stages or
// changing their kind, changing who sees the board or whom it invites — need sight of
// every task they touch.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*Board, error) {
	return s.update(ctx, actor, id, r.Apply, r.ExpectVersion)
}

// RemoveInvitation takes one person's own invitation off a board, as editing its
// invitations by hand does (an access review's revocation): the same checks, audit entry
// and index change. An invitation that is gone already is an error that says so.
func (s *Service) RemoveInvitation(ctx context.Context, actor authz.Actor, id, userID string) (*Board, error) {
	return s.update(ctx, actor, id, func(b *store.Board) error {
		i := slices.IndexFunc(b.Access, func(g store.BoardGrant) bool { return g.Type == "user" && g.ID == userID })
		if i < 0 {
			return apperr.New(apperr.Conflict, "not_invited", "They are no longer invited to the board “%s”.", b.Name)
		}
		b.Access = slices.Delete(slices.Clone(b.Access), i, i+1)
		return nil
	}, "")
}

// update changes a board by apply; expectVersion, when set, is the what-if preview's index
// version the change was shown with.
func (s *Service) update(ctx context.Context, actor authz.Actor, id string, apply func(b *store.Board) error, expectVersion string) (*Board, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Board, write.Effect, error) {
		if err := w.Check(actor, authz.TasksColumns, authz.BoardRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		b, err := tx.Board(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		old, oldStages, oldVisibility := b.Access, b.Stages, b.Visibility
		if err := apply(b); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validate(ctx, tx, b, old); err != nil {
			return nil, write.Effect{}, err
		}
		var touched []string
		for _, st := range oldStages {
			i := slices.IndexFunc(b.Stages, func(n store.Stage) bool { return n.ID == st.ID })
			if i < 0 || b.Stages[i].Kind != st.Kind {
				touched = append(touched, st.ID)
			}
		}
		chg := authz.Change{RemovedStages: touched, Visibility: b.Visibility != oldVisibility || !authz.SameInvitations(old, b.Access)}
		if err := w.Check(actor, authz.TasksColumns, authz.BoardRef(id), chg); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Expect(s.authz, expectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.UpdateBoard(ctx, b); err != nil {
			return nil, write.Effect{}, err
		}
		return b, s.effect("board.update", b), nil
	})
}

// CheckAccess validates an update of a board's visibility and invitations as Update does
// (for its what-if preview, once the change is allowed).
func (s *Service) CheckAccess(ctx context.Context, id string, r Request) error {
	b, err := s.store.Board(ctx, id)
	if err != nil {
		return err
	}
	old := b.Access
	if err := r.Apply(b); err != nil {
		return err
	}
	return validate(ctx, s.store, b, old)
}

// Delete removes a board (its editors, who see every task on it); its tasks stay in their
// projects.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.TasksColumns, authz.BoardRef(id), authz.Change{Delete: true}); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		b, err := tx.Board(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteBoard(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "board.delete", TargetType: "board", TargetID: id, TargetName: b.Name},
			func(w *authz.Writer) { w.DeleteBoard(id) }), nil
	})
	return err
}
