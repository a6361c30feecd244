// Package tasks manages tasks (in a project, on a board stage), their followers,
// comments and client review, task types and who may open tasks for whom. Every change is
// decided by backend/authz.CanTask and friends.
package tasks

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/authzdefs"
	"gatehouse/backend/store"
)

// Service is the tasks service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// Request creates or changes a task; nil fields stay.
type Request struct {
	Title         *string
	Description   *string
	ClientVisible *bool
	AssigneeID    *string
	BoardID       *string
	StageID       *string
	TypeID        *string
	DueDate       *string
}

// normalize trims the ids once, so what authz decides on is what is stored.
func (r *Request) normalize() {
	for _, p := range []*string{r.AssigneeID, r.BoardID, r.StageID, r.TypeID} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
}

func (r Request) change() authz.TaskChange {
	c := authz.TaskChange{Fields: r.Title != nil || r.Description != nil || r.DueDate != nil, Visibility: r.ClientVisible != nil,
		Board: r.BoardID != nil, Stage: r.StageID != nil, Type: r.TypeID != nil, Assign: r.AssigneeID != nil}
	if r.BoardID != nil {
		c.BoardID = *r.BoardID
	}
	if r.StageID != nil {
		c.StageID = *r.StageID
	}
	if r.TypeID != nil {
		c.TypeID = *r.TypeID
	}
	if r.AssigneeID != nil {
		c.Assignee = *r.AssigneeID
	}
	if r.ClientVisible != nil {
		c.ClientVisible = *r.ClientVisible
	}
	return c
}

// Patch applies r to t.
func (r Request) Patch(t *store.Task) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&t.Title, r.Title)
	set(&t.Description, r.Description)
	set(&t.AssigneeID, r.AssigneeID)
	set(&t.TypeID, r.TypeID)
	set(&t.DueDate, r.DueDate)
	if r.ClientVisible != nil {
		t.ClientVisible = *r.ClientVisible
	}
	if r.BoardID != nil {
		t.BoardID = *r.BoardID
		if t.BoardID == "" {
			t.StageID = ""
		}
	}
	set(&t.StageID, r.StageID)
}

func (s *Service) validate(ctx context.Context, t *store.Task) error {
	if t.Title == "" {
		return apperr.Field("title", "Enter a title.")
	}
	if len(t.Title) > 300 {
		return apperr.Field("title", "The title is too long: at most 300 characters.")
	}
	if len(t.Description) > 20000 {
		return apperr.Field("description", "The description is too long: at most 20000 characters.")
	}
	if t.DueDate != "" {
		if _, err := time.Parse("2006-01-02", t.DueDate); err != nil {
			return apperr.Field("dueDate", "The due date is a date like 2026-12-31.")
		}
	}
	if t.TypeID != "" {
		types, err := s.store.TaskTypes(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(types, func(ty *store.TaskType) bool { return ty.ID == t.TypeID }) {
			return apperr.Field("typeId", "No such task type.")
		}
	}
	return nil
}

// Get returns a task the actor sees (followers included).
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*store.Task, error) {
	if err := s.authz.CanViewTask(actor, id); err != nil {
		return nil, err
	}
	return s.store.Task(ctx, id)
}

// ForViewer shapes a task for the actor: followers they may not learn of (a portal user
// learns of no other client) are left out, and so is the project of a task they only
// follow (following shows the task, never its project).
func (s *Service) ForViewer(actor authz.Actor, t *store.Task) *store.Task {
	out := *t
	out.Followers = s.authz.Nameable(actor, t.Followers)
	if s.authz.CanProject(actor, "projects.view", t.ProjectID) != nil {
		out.ProjectID = ""
	}
	return &out
}

// Followers returns the followers of a task the actor sees, those they may learn of.
func (s *Service) Followers(ctx context.Context, actor authz.Actor, id string) ([]string, error) {
	t, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.ForViewer(actor, t).Followers, nil
}

// Actions lists what the actor may do on a task.
func (s *Service) Actions(actor authz.Actor, id string) []string {
	return s.authz.TaskActions(actor, id)
}

// ListRequest filters a task list.
type ListRequest struct {
	ProjectID, BoardID, StageID, AssigneeID string
	Limit                                   int
	Cursor                                  string
}

// List returns a page of the tasks the actor sees, newest first, with the total: ids from
// the index, rows in one query.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) ([]*store.Task, string, int, error) {
	// Listing the tasks of a project or board one cannot see is a 404, like the thing itself.
	if req.ProjectID != "" {
		if err := s.authz.CanProject(actor, "projects.view", req.ProjectID); err != nil {
			return nil, "", 0, err
		}
	}
	if req.BoardID != "" {
		if err := s.authz.CanBoard(actor, "view", req.BoardID); err != nil {
			return nil, "", 0, err
		}
	}
	f := authz.TaskFilter{ProjectID: req.ProjectID, BoardID: req.BoardID, StageID: req.StageID, AssigneeID: req.AssigneeID, Limit: req.Limit}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		return nil, "", 0, apperr.Field("limit", "The limit is between 1 and 200.")
	}
	if req.Cursor != "" {
		n, err := strconv.ParseInt(req.Cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, "", 0, apperr.Field("cursor", "The cursor is not valid; start again from the first page.")
		}
		f.Before = n
	}
	page, err := s.authz.VisibleTasks(actor, f)
	if err != nil {
		return nil, "", 0, err
	}
	ts, err := s.store.TasksByIDs(ctx, page.IDs)
	if err != nil {
		return nil, "", 0, err
	}
	next := ""
	if page.Next > 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	return ts, next, page.Total, nil
}

// Create opens a task in a project.
func (s *Service) Create(ctx context.Context, actor authz.Actor, projectID string, r Request) (*store.Task, error) {
	r.normalize()
	t := &store.Task{ID: uuid.NewString(), ProjectID: projectID, CreatedBy: actor.UserID, CreatedAt: s.now(), Followers: []string{}}
	r.Patch(t)
	c := r.change()
	c.ProjectID = projectID
	if err := s.authz.CanTask(actor, "", c); err != nil {
		return nil, err
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanTask(actor, "", c); err != nil {
			return err
		}
		// Validated under the lock, so what it refers to (its type) cannot go meanwhile.
		if err := s.validate(ctx, t); err != nil {
			return err
		}
		err := s.store.RunInTx(ctx, func(tx *store.Store) error { return tx.CreateTask(ctx, t) })
		if err != nil {
			return err
		}
		w.SetTask(authzdefs.Task(t))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.Task(ctx, t.ID)
}

// Update changes a task; each part is checked: fields and visibility (tasks.edit), stage
// (tasks.status, and an invitation on invite-only boards), board (editors of both boards),
// assignee (tasks.assign, board, type and who-may-open-for-whom rules).
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*store.Task, error) {
	r.normalize()
	c := r.change()
	if r.BoardID != nil && r.StageID == nil && *r.BoardID != "" {
		return nil, apperr.Field("stageId", "Choose a stage of the new board.")
	}
	if err := s.authz.CanTask(actor, id, c); err != nil {
		return nil, err
	}
	// Read, patch and write under the index's write lock, which every writer holds: a
	// concurrent change cannot slip between the read and the write and be undone.
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanTask(actor, id, c); err != nil {
			return err
		}
		t, err := s.store.Task(ctx, id)
		if err != nil {
			return err
		}
		before := *t
		r.Patch(t)
		if err := s.validate(ctx, t); err != nil {
			return err
		}
		if t.StageID != before.StageID {
			t.ReviewState = "" // a new stage starts a new review
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateTask(ctx, t); err != nil {
				return err
			}
			if before.ClientVisible != t.ClientVisible {
				return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "task.visibility", TargetType: "task", TargetID: id,
					TargetName: t.Title, Details: map[string]any{"clientVisible": t.ClientVisible}})
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.SetTask(authzdefs.Task(t))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.Task(ctx, id)
}

// Delete removes a task.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	if err := s.authz.CanTaskAction(actor, "tasks.delete", id); err != nil {
		return err
	}
	return s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanTaskAction(actor, "tasks.delete", id); err != nil {
			return err
		}
		if err := s.store.RunInTx(ctx, func(tx *store.Store) error { return tx.DeleteTask(ctx, id) }); err != nil {
			return err
		}
		w.DeleteTask(id)
		return nil
	})
}

// Review records a client's approval or change request on a task in a review stage, and
// moves it on: to the board's first done stage, or back to its first open stage.
func (s *Service) Review(ctx context.Context, actor authz.Actor, id, decision, comment string) (*store.Task, error) {
	if decision != "approve" && decision != "request_changes" {
		return nil, apperr.Field("decision", "The decision is approve or request_changes.")
	}
	if err := s.authz.CanTaskAction(actor, "tasks.review", id); err != nil {
		return nil, err
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := w.CanTaskAction(actor, "tasks.review", id); err != nil {
			return err
		}
		t, err := s.store.Task(ctx, id)
		if err != nil {
			return err
		}
		b, err := s.store.Board(ctx, t.BoardID)
		if err != nil {
			return err
		}
		want, state := "done", "approved"
		if decision == "request_changes" {
			want, state = "open", "changes_requested"
		}
		for _, st := range b.Stages {
			if st.Kind == want {
				t.StageID = st.ID
				break
			}
		}
		t.ReviewState = state
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateTask(ctx, t); err != nil {
				return err
			}
			if strings.TrimSpace(comment) != "" {
				if err := s.addComment(ctx, tx, actor, id, comment); err != nil {
					return err
				}
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: "task.review", TargetType: "task", TargetID: id,
				TargetName: t.Title, Details: map[string]any{"decision": decision}})
		})
		if err != nil {
			return err
		}
		w.SetTask(authzdefs.Task(t))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.Task(ctx, id)
}

// SetFollower adds (or removes) a follower: whoever may edit the task. A follower sees
// that one task and nothing else of its project or board.
func (s *Service) SetFollower(ctx context.Context, actor authz.Actor, id, userID string, follow bool) (*store.Task, error) {
	check := func(c interface {
		CanFollow(authz.Actor, string, string) error
		CanTaskAction(authz.Actor, string, string) error
	}) error {
		if follow {
			return c.CanFollow(actor, id, userID)
		}
		return c.CanTaskAction(actor, "tasks.edit", id)
	}
	if err := check(s.authz); err != nil {
		return nil, err
	}
	err := s.authz.Update(func(w *authz.Writer) error {
		if err := check(w); err != nil {
			return err
		}
		u, err := s.store.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Field("userId", "No such user.")
		}
		if err != nil {
			return err
		}
		t, err := s.store.Task(ctx, id)
		if err != nil {
			return err
		}
		if follow == slices.Contains(t.Followers, userID) {
			return nil
		}
		action := "task.follower_add"
		if follow {
			t.Followers = append(t.Followers, userID)
		} else {
			action = "task.follower_remove"
			t.Followers = slices.DeleteFunc(t.Followers, func(f string) bool { return f == userID })
		}
		err = s.store.RunInTx(ctx, func(tx *store.Store) error {
			if err := tx.SetTaskFollowers(ctx, id, t.Followers); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, s.now(), audit.Entry{Action: action, TargetType: "task", TargetID: id, TargetName: t.Title,
				Details: map[string]any{"user": u.Name, "userId": u.ID}, People: []string{u.ID}})
		})
		if err != nil {
			return err
		}
		w.SetTask(authzdefs.Task(t))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.store.Task(ctx, id)
}

// Comments returns a task's comments (whoever sees the task). Comments by people the
// actor may not learn of (another client, for a portal user) say only "Another client".
func (s *Service) Comments(ctx context.Context, actor authz.Actor, id string) ([]*store.Comment, error) {
	if err := s.authz.CanViewTask(actor, id); err != nil {
		return nil, err
	}
	cs, err := s.store.Comments(ctx, id)
	if err != nil {
		return nil, err
	}
	authors := make([]string, len(cs))
	for i, c := range cs {
		authors[i] = c.AuthorID
	}
	known := s.authz.Nameable(actor, authors)
	for _, c := range cs {
		if !slices.Contains(known, c.AuthorID) {
			c.AuthorID, c.Author = "", "Another client"
		}
	}
	return cs, nil
}

// AddComment comments on a task (chat.task_comments; followers too).
func (s *Service) AddComment(ctx context.Context, actor authz.Actor, id, body string) (*store.Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, apperr.Field("body", "Write something first.")
	}
	if len(body) > 10000 {
		return nil, apperr.Field("body", "The comment is too long: at most 10000 characters.")
	}
	if err := s.authz.CanTaskAction(actor, "chat.task_comments", id); err != nil {
		return nil, err
	}
	var c *store.Comment
	err := s.store.RunInTx(ctx, func(tx *store.Store) error {
		var err error
		c, err = s.addCommentRow(ctx, tx, actor, id, body)
		return err
	})
	return c, err
}

func (s *Service) addComment(ctx context.Context, tx *store.Store, actor authz.Actor, id, body string) error {
	_, err := s.addCommentRow(ctx, tx, actor, id, strings.TrimSpace(body))
	return err
}

func (s *Service) addCommentRow(ctx context.Context, tx *store.Store, actor authz.Actor, id, body string) (*store.Comment, error) {
	u, err := tx.User(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	c := &store.Comment{ID: uuid.NewString(), TaskID: id, AuthorID: u.ID, Author: u.Name, Body: body, CreatedAt: s.now()}
	return c, tx.AddComment(ctx, c)
}
