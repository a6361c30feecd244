package tasks

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// TaskType is a task type with who may create or assign its tasks; TypeGrant is one of
// those authorisations; Rules is who may open tasks for whom, for one user.
type (
	TaskType  = store.TaskType
	TypeGrant = store.TypeGrant
	Rules     = store.TaskRules
)

// TypeRequest creates or changes a task type; nil fields stay as they are.
type TypeRequest struct {
	Name   *string
	Access *[]store.TypeGrant
}

// Patch applies r to t.
func (r TypeRequest) Patch(t *TaskType) {
	if r.Name != nil {
		t.Name = strings.TrimSpace(*r.Name)
	}
	if r.Access != nil {
		t.Access = append([]store.TypeGrant{}, (*r.Access)...)
	}
}

// TypeActions lists what the actor may do with tasks of a type: "create", "assign".
func (s *Service) TypeActions(actor authz.Actor, id string) []string {
	out := []string{}
	for _, a := range s.authz.Allowed(actor, authz.TaskTypeRef(id), authz.TasksCreate, authz.TasksAssign) {
		out = append(out, map[string]string{"tasks.create": "create", "tasks.assign": "assign"}[a])
	}
	return out
}

// Types returns every task type (internal users).
func (s *Service) Types(ctx context.Context, actor authz.Actor) ([]*TaskType, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.TaskType}); err != nil {
		return nil, err
	}
	return s.store.TaskTypes(ctx)
}

func validateType(ctx context.Context, tx *store.Store, t *TaskType) error {
	if t.Name == "" || len(t.Name) > 100 {
		return apperr.Field("name", "Enter a type name of at most 100 characters.")
	}
	if err := text.Line("name", apperr.Textf("type name"), t.Name); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, g := range t.Access {
		switch g.Type {
		case "user":
			if _, err := tx.User(ctx, g.ID); err != nil {
				return apperr.Field("access", "No user %q.", g.ID)
			}
		case "team":
			if _, err := tx.Team(ctx, g.ID); err != nil {
				return apperr.Field("access", "No team %q.", g.ID)
			}
		default:
			return apperr.Field("access", "An authorisation names a user or a team.")
		}
		if seen[g.Type+g.ID] {
			if g.Type == "team" {
				return apperr.Field("access", "team %q is listed twice.", g.ID)
			}
			return apperr.Field("access", "user %q is listed twice.", g.ID)
		}
		seen[g.Type+g.ID] = true
		if !g.Create && !g.Assign {
			return apperr.Field("access", "Each authorisation allows creating, assigning, or both.")
		}
	}
	return nil
}

func typeNameTaken(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.Conflict, "name_taken", "A task type with this name already exists.").OnField("name")
	}
	return err
}

func typeEffect(t *TaskType) write.Effect {
	return write.Entry(audit.Entry{Action: "task_type.save", TargetType: "task_type", TargetID: t.ID, TargetName: t.Name,
		Details: map[string]any{"authorisations": len(t.Access)}}, func(w *authz.Writer) { w.PutTaskType(t) })
}

// CreateType makes a task type (tasks.types).
func (s *Service) CreateType(ctx context.Context, actor authz.Actor, r TypeRequest) (*TaskType, error) {
	if r.Name == nil {
		return nil, apperr.Field("name", "Enter a type name.")
	}
	t := &TaskType{ID: uuid.NewString(), Access: []store.TypeGrant{}, CreatedAt: s.now()}
	r.Patch(t)
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*TaskType, write.Effect, error) {
		if err := w.Check(actor, authz.TasksTypes, authz.Ref{Type: authz.TaskType}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validateType(ctx, tx, t); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateTaskType(ctx, t); err != nil {
			return nil, write.Effect{}, typeNameTaken(err)
		}
		return t, typeEffect(t), nil
	})
}

// UpdateType changes a task type (tasks.types): the type as it is under the lock is
// patched, so concurrent changes of different parts both stay.
func (s *Service) UpdateType(ctx context.Context, actor authz.Actor, id string, r TypeRequest) (*TaskType, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*TaskType, write.Effect, error) {
		if err := w.Check(actor, authz.TasksTypes, authz.TaskTypeRef(id)); err != nil {
			if apperr.IsKind(err, apperr.NotFound) {
				return nil, write.Effect{}, apperr.NotFoundf("No such task type.")
			}
			return nil, write.Effect{}, err
		}
		t, err := tx.TaskType(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		r.Patch(t)
		if err := validateType(ctx, tx, t); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.UpdateTaskType(ctx, t); err != nil {
			return nil, write.Effect{}, typeNameTaken(err)
		}
		return t, typeEffect(t), nil
	})
}

// DeleteType removes a task type; its tasks keep no type.
func (s *Service) DeleteType(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.TasksTypes, authz.TaskTypeRef(id)); err != nil {
			if apperr.IsKind(err, apperr.NotFound) {
				return struct{}{}, write.Effect{}, apperr.NotFoundf("No such task type.")
			}
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteTaskType(ctx, id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return struct{}{}, write.Effect{}, apperr.NotFoundf("No such task type.")
			}
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "task_type.delete", TargetType: "task_type", TargetID: id},
			func(w *authz.Writer) { w.DeleteTaskType(id) }), nil
	})
	return err
}

// Rules returns who may open tasks for whom, for one user (whoever may see that user).
func (s *Service) Rules(ctx context.Context, actor authz.Actor, userID string) (store.TaskRules, error) {
	if err := s.authz.Check(actor, authz.View, authz.UserRef(userID)); err != nil {
		return store.TaskRules{}, err
	}
	return s.store.UserTaskRules(ctx, userID)
}

// SetRules changes them (users.edit on that user).
func (s *Service) SetRules(ctx context.Context, actor authz.Actor, userID string, r store.TaskRules) (store.TaskRules, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (store.TaskRules, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(userID)); err != nil {
			return r, write.Effect{}, err
		}
		u, err := tx.User(ctx, userID)
		if err != nil {
			return r, write.Effect{}, err
		}
		if err := tx.SetUserTaskRules(ctx, userID, r); err != nil {
			return r, write.Effect{}, err
		}
		return r, write.Entry(audit.Entry{Action: "user.task_rules", TargetType: "user", TargetID: userID, TargetName: u.Name, TargetKind: u.RoleKind,
			Details: map[string]any{"receiveFromOthers": r.ReceiveFromOthers, "openForOthers": r.OpenForOthers}},
			func(w *authz.Writer) { w.PutTaskRules(userID, r) }), nil
	})
}
