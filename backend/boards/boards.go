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
	"gatehouse/backend/authzdefs"
	"gatehouse/backend/store"
)

// Service is the boards service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// Request creates or changes a board; nil fields stay.
type Request struct {
	Name       *string
	Visibility *string
	Stages     *[]store.Stage
	Access     *[]store.BoardGrant
}

// DefaultStages are a new board's columns when none are given.
func DefaultStages() []store.Stage {
	return []store.Stage{{Name: "To do", Kind: "open"}, {Name: "In progress", Kind: "open"},
		{Name: "Client review", Kind: "review"}, {Name: "Done", Kind: "done"}}
}

// validate checks a board; invitations already on it (old) are not re-checked, so a user
// whose role changed kind does not block unrelated edits.
func (s *Service) validate(ctx context.Context, b *store.Board, old []store.BoardGrant) error {
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" {
		return apperr.Field("name", "Enter a board name.")
	}
	if len(b.Name) > 200 {
		return apperr.Field("name", "The board name is too long: at most 200 characters.")
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
			u, err := s.store.User(ctx, g.ID)
			if err != nil {
				return apperr.Field("access", "No user %q.", g.ID)
			}
			if u.RoleKind != "internal" {
				return apperr.Field("access", "%s is a client (portal) user; boards are for internal users.", u.Name)
			}
		case g.Type == "team":
			if _, err := s.store.Team(ctx, g.ID); err != nil {
				return apperr.Field("access", "No team %q.", g.ID)
			}
		default:
			return apperr.Field("access", "An invitation names a user or a team.")
		}
		key := store.BoardGrant{Type: g.Type, ID: g.ID}
		if seen[key] {
			return apperr.Field("access", "The same %s is invited twice; keep one invitation.", g.Type)
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
// UI): "edit" (settings, invitations, delete) and "work" (create, move, assign tasks).
func (s *Service) Standing(actor authz.Actor, id string) (level string, actions []string) {
	_, l, edit, work := s.authz.BoardStanding(actor, id)
	actions = []string{}
	if edit {
		actions = append(actions, "edit")
	}
	if work {
		actions = append(actions, "work")
	}
	return string(l), actions
}

// List returns the boards the actor sees.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*store.Board, error) {
	if err := s.authz.CanListInternal(actor); err != nil {
		return nil, err
	}
	all, err := s.store.Boards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*store.Board{}
	for _, b := range all {
		if sees, _, _, _ := s.authz.BoardStanding(actor, b.ID); sees {
			out = append(out, b)
		}
	}
	return out, nil
}

// Get returns one board.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*store.Board, error) {
	if err := s.authz.CanBoard(actor, "view", id); err != nil {
		return nil, err
	}
	return s.store.Board(ctx, id)
}

// Create makes a board (tasks.columns). On an invite-only board the creator is invited as
// an editor.
func (s *Service) Create(ctx context.Context, actor authz.Actor, r Request) (*store.Board, error) {
	if err := s.authz.CanCreateBoard(actor); err != nil {
		return nil, err
	}
	b := &store.Board{ID: uuid.NewString(), CreatedAt: s.now(), Visibility: "all"}
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
	return b, s.save(ctx, actor, "", func(*authz.Writer) (*store.Board, error) {
		// Validated under the lock, so the people and teams it invites cannot go meanwhile.
		return b, s.validate(ctx, b, nil)
	})
}

// Update changes a board (its editors).
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*store.Board, error) {
	if err := s.authz.CanBoard(actor, "edit", id); err != nil {
		return nil, err
	}
	var b *store.Board
	// Read, patch and write under the index's write lock (see tasks.Service.Update).
	err := s.save(ctx, actor, id, func(w *authz.Writer) (*store.Board, error) {
		var err error
		if b, err = s.store.Board(ctx, id); err != nil {
			return nil, err
		}
		old, oldStages, oldVisibility := b.Access, b.Stages, b.Visibility
		if err := r.Apply(b); err != nil {
			return nil, err
		}
		if err := s.validate(ctx, b, old); err != nil {
			return nil, err
		}
		var removed []string
		for _, st := range oldStages {
			if !slices.ContainsFunc(b.Stages, func(n store.Stage) bool { return n.ID == st.ID }) {
				removed = append(removed, st.ID)
			}
		}
		return b, w.CanReshapeBoard(actor, id, removed, b.Visibility != oldVisibility)
	})
	return b, err
}

// save writes a board under the index's write lock; build runs under the lock and
// returns the board to store; id is "" for a new board.
func (s *Service) save(ctx context.Context, actor authz.Actor, id string, build func(w *authz.Writer) (*store.Board, error)) error {
	create := id == ""
	return s.authz.Update(func(w *authz.Writer) error {
		if create {
			if err := w.Can(actor, "tasks.columns", authz.Resource{}); err != nil {
				return err
			}
		} else if err := w.CanBoard(actor, "edit", id); err != nil {
			return err
		}
		b, err := build(w)
		if err != nil {
			return err
		}
		action := "board.update"
		if create {
			action = "board.create"
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SaveBoard(ctx, b, create); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: action, TargetType: "board", TargetID: b.ID, TargetName: b.Name,
				Details: map[string]any{"visibility": b.Visibility, "invitations": len(b.Access)}})
		})
		if err != nil {
			return err
		}
		w.SetBoard(authzdefs.Board(b))
		return nil
	})
}

// Delete removes a board (its editors); its tasks stay in their projects.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	if err := s.authz.CanBoard(actor, "edit", id); err != nil {
		return err
	}
	return s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanBoard(actor, "edit", id); err != nil {
			return err
		}
		if err := w.CanReshapeBoard(actor, id, nil, true); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			b, err := tx.Board(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.DeleteBoard(ctx, id); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "board.delete", TargetType: "board", TargetID: id, TargetName: b.Name})
		})
		if err != nil {
			return err
		}
		w.DeleteBoard(id)
		return nil
	})
}
