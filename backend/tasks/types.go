package tasks

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/authzdefs"
	"gatehouse/backend/store"
)

// TypeActions lists what the actor may do with tasks of a type: "create", "assign".
func (s *Service) TypeActions(actor authz.Actor, id string) []string {
	r := s.authz.TypeRights(actor, id)
	out := []string{}
	if r.Create {
		out = append(out, "create")
	}
	if r.Assign {
		out = append(out, "assign")
	}
	return out
}

// Types returns every task type (internal users).
func (s *Service) Types(ctx context.Context, actor authz.Actor) ([]*store.TaskType, error) {
	if err := s.authz.CanListInternal(actor); err != nil {
		return nil, err
	}
	return s.store.TaskTypes(ctx)
}

func (s *Service) validateType(ctx context.Context, t *store.TaskType) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len(t.Name) > 100 {
		return apperr.Field("name", "Enter a type name of at most 100 characters.")
	}
	seen := map[string]bool{}
	for _, g := range t.Access {
		switch g.Type {
		case "user":
			if _, err := s.store.User(ctx, g.ID); err != nil {
				return apperr.Field("access", "No user %q.", g.ID)
			}
		case "team":
			if _, err := s.store.Team(ctx, g.ID); err != nil {
				return apperr.Field("access", "No team %q.", g.ID)
			}
		default:
			return apperr.Field("access", "An authorisation names a user or a team.")
		}
		if seen[g.Type+g.ID] {
			return apperr.Field("access", "%s %q is listed twice.", g.Type, g.ID)
		}
		seen[g.Type+g.ID] = true
		if !g.Create && !g.Assign {
			return apperr.Field("access", "Each authorisation allows creating, assigning, or both.")
		}
	}
	return nil
}

// SaveType creates (id "") or replaces a task type (tasks.types).
func (s *Service) SaveType(ctx context.Context, actor authz.Actor, id string, name *string, access *[]store.TypeGrant) (*store.TaskType, error) {
	if err := s.authz.Can(actor, "tasks.types", authz.Resource{}); err != nil {
		return nil, err
	}
	t := &store.TaskType{ID: id, Access: []store.TypeGrant{}}
	create := id == ""
	if create {
		t.ID = uuid.NewString()
	} else {
		types, err := s.store.TaskTypes(ctx)
		if err != nil {
			return nil, err
		}
		found := false
		for _, ty := range types {
			if ty.ID == id {
				t, found = ty, true
			}
		}
		if !found {
			return nil, apperr.NotFoundf("No such task type.")
		}
	}
	if name != nil {
		t.Name = *name
	}
	if access != nil {
		t.Access = append([]store.TypeGrant{}, (*access)...)
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "tasks.types", authz.Resource{}); err != nil {
			return err
		}
		// Validated under the lock, so the users and teams it names cannot go meanwhile.
		if err := s.validateType(ctx, t); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SaveTaskType(ctx, t, create); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return &apperr.Error{Kind: apperr.Conflict, Code: "name_taken", Field: "name", Message: "A task type with this name already exists."}
				}
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "task_type.save", TargetType: "task_type", TargetID: t.ID,
				TargetName: t.Name, Details: map[string]any{"authorisations": len(t.Access)}})
		})
		if err != nil {
			return err
		}
		w.SetTaskType(authzdefs.Type(t))
		return nil
	})
	return t, err
}

// DeleteType removes a task type; its tasks keep no type.
func (s *Service) DeleteType(ctx context.Context, actor authz.Actor, id string) error {
	if err := s.authz.Can(actor, "tasks.types", authz.Resource{}); err != nil {
		return err
	}
	return s.authz.Update(func(w *authz.Writer) error {
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.DeleteTaskType(ctx, id); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return apperr.NotFoundf("No such task type.")
				}
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "task_type.delete", TargetType: "task_type", TargetID: id})
		})
		if err != nil {
			return err
		}
		w.DeleteTaskType(id)
		return nil
	})
}

// Rules returns who may open tasks for whom, for one user (whoever may see that user).
func (s *Service) Rules(ctx context.Context, actor authz.Actor, userID string) (store.TaskRules, error) {
	if err := s.authz.Can(actor, "users.view", authz.UserRes(userID)); err != nil {
		return store.TaskRules{}, err
	}
	return s.store.UserTaskRules(ctx, userID)
}

// SetRules changes them (users.edit on that user).
func (s *Service) SetRules(ctx context.Context, actor authz.Actor, userID string, r store.TaskRules) (store.TaskRules, error) {
	if err := s.authz.Can(actor, "users.edit", authz.UserRes(userID)); err != nil {
		return r, err
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.Can(actor, "users.edit", authz.UserRes(userID)); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SetUserTaskRules(ctx, userID, r); err != nil {
				return err
			}
			u, _ := tx.User(ctx, userID)
			name := ""
			if u != nil {
				name = u.Name
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "user.task_rules", TargetType: "user", TargetID: userID, TargetName: name,
				Details: map[string]any{"receiveFromOthers": r.ReceiveFromOthers, "openForOthers": r.OpenForOthers}})
		})
		if err != nil {
			return err
		}
		w.SetTaskRules(userID, r.ReceiveFromOthers, r.OpenForOthers)
		return nil
	})
	return r, err
}
