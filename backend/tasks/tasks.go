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
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Service is the tasks service.
type Service struct {
	afterDelete func()
	store       *store.Store
	authz       *authz.Authorizer
	write       *write.Path
	now         func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// Task is a task as the service returns it.
type Task = store.Task

// Comment is a comment on a task.
type Comment = store.Comment

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
	// ExpectVersion is the index version of the what-if preview the change was shown
	// with; the write is refused (stale_preview) when access moved since. "": no check.
	ExpectVersion string
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
		c.AssigneeID = *r.AssigneeID
	}
	if r.ClientVisible != nil {
		c.ClientVisible = *r.ClientVisible
	}
	return c
}

// Change is the change r makes to a task, as Update decides it (for its what-if preview).
func (r Request) Change() authz.TaskChange {
	r.normalize()
	return r.change()
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

func validate(ctx context.Context, tx *store.Store, t *store.Task) error {
	if t.Title == "" {
		return apperr.Field("title", "Enter a title.")
	}
	if len(t.Title) > 300 {
		return apperr.Field("title", "The title is too long: at most 300 characters.")
	}
	if len(t.Description) > 20000 {
		return apperr.Field("description", "The description is too long: at most 20000 characters.")
	}
	if err := text.Line("title", apperr.Textf("title"), t.Title); err != nil {
		return err
	}
	if err := text.Lines("description", apperr.Textf("description"), t.Description); err != nil {
		return err
	}
	if t.DueDate != "" {
		if _, err := time.Parse("2006-01-02", t.DueDate); err != nil {
			return apperr.Field("dueDate", "The due date is a date like 2026-12-31.")
		}
	}
	if t.TypeID != "" {
		types, err := tx.TaskTypes(ctx)
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
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Task, error) {
	if err := s.authz.Check(actor, authz.View, authz.TaskRef(id)); err != nil {
		return nil, err
	}
	return s.store.Task(ctx, id)
}

// ForViewer shapes a task for the actor: people they may not learn of (a portal user
// learns of no other client) are left out as followers and as assignee, and so are the
// project of a task they only follow and the board of a task on a board they cannot see
// (following shows the task, never its project; the portal shows no boards). A portal
// user keeps the task's stage, an opaque id, since their review moves the task between
// stages; a follower learns nothing of the board.
func (s *Service) ForViewer(actor authz.Actor, t *Task) *Task {
	out := *t
	out.Followers = s.authz.Nameable(actor, t.Followers)
	if t.AssigneeID != "" && len(s.authz.Nameable(actor, []string{t.AssigneeID})) == 0 {
		out.AssigneeID = ""
	}
	if s.authz.Check(actor, authz.View, authz.ProjectRef(t.ProjectID)) != nil {
		out.ProjectID = ""
	}
	if t.BoardID != "" && s.authz.Check(actor, authz.View, authz.BoardRef(t.BoardID)) != nil {
		out.BoardID = ""
		if me, err := s.authz.Permissions(actor); err != nil || me.Kind != authz.KindClient {
			out.StageID = ""
		}
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

// Actions lists what the actor may do on a task: edit, delete, status, assign, review,
// comment.
func (s *Service) Actions(actor authz.Actor, id string) []string {
	names := map[string]string{"tasks.edit": "edit", "tasks.delete": "delete", "tasks.status": "status", "tasks.assign": "assign",
		"tasks.review": "review", "chat.task_comments": "comment"}
	out := []string{}
	for _, a := range s.authz.Allowed(actor, authz.TaskRef(id), authz.TasksEdit, authz.TasksDelete, authz.TasksStatus, authz.TasksAssign,
		authz.TasksReview, authz.ChatTaskComments) {
		out = append(out, names[a])
	}
	return out
}

// ListRequest filters a task list.
type ListRequest struct {
	ProjectID, BoardID, StageID, AssigneeID string
	Limit                                   int
	Cursor                                  string
}

// List returns a page of the tasks the actor sees, newest first, with the total: ids from
// the index, rows in one query.
func (s *Service) List(ctx context.Context, actor authz.Actor, req ListRequest) ([]*Task, string, int, error) {
	// Listing the tasks of a project or board one cannot see is a 404, like the thing itself.
	if req.ProjectID != "" {
		if err := s.authz.Check(actor, authz.View, authz.ProjectRef(req.ProjectID)); err != nil {
			return nil, "", 0, err
		}
	}
	if req.BoardID != "" {
		if err := s.authz.Check(actor, authz.View, authz.BoardRef(req.BoardID)); err != nil {
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

// SetNotifier makes the service send notification mails (task assigned, client review).
func (s *Service) SetNotifier(n write.Notifier) { s.write.Notifier = n }

// Create opens a task in a project.
func (s *Service) Create(ctx context.Context, actor authz.Actor, projectID string, r Request) (*Task, error) {
	if r.Title == nil {
		return nil, apperr.Field("title", "Enter a title.")
	}
	r.normalize()
	now := s.now()
	t := &Task{ID: uuid.NewString(), ProjectID: projectID, CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now, Followers: []string{}}
	r.Patch(t)
	c := r.change()
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Task, write.Effect, error) {
		if err := w.Check(actor, authz.TasksCreate, authz.ProjectRef(projectID), authz.Change{Task: &c}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := validate(ctx, tx, t); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.CreateTask(ctx, t); err != nil {
			return nil, write.Effect{}, err
		}
		stage, err := stageName(ctx, tx, t.BoardID, t.StageID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		details := map[string]any{"project": t.ProjectID, "clientVisible": t.ClientVisible}
		for k, v := range map[string]string{"board": t.BoardID, "stage": stage, "assignee": t.AssigneeID, "type": t.TypeID, "dueDate": t.DueDate} {
			if v != "" {
				details[k] = v
			}
		}
		eff := write.Entry(audit.Entry{Action: "task.create", TargetType: "task", TargetID: t.ID, TargetName: t.Title, Details: details,
			People: nonEmpty(t.AssigneeID)}, func(w *authz.Writer) { w.PutTask(t) })
		err = s.write.Notify(ctx, tx, actor, &eff, "taskAssigned", map[string]string{"taskId": t.ID}, t.AssigneeID)
		return t, eff, err
	})
}

// Update changes a task; each part is decided as the action it is: fields, visibility
// and type (tasks.edit), stage or board (tasks.status, and an invitation on invite-only
// boards; editors of both to move between boards), assignee (tasks.assign, board, type
// and who-may-open-for-whom rules).
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*Task, error) {
	r.normalize()
	c := r.change()
	if r.BoardID != nil && r.StageID == nil && *r.BoardID != "" {
		return nil, apperr.Field("stageId", "Choose a stage of the new board.")
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Task, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.TaskRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		for _, a := range authz.TaskActions(c) {
			if err := w.Check(actor, a, authz.TaskRef(id), authz.Change{Task: &c}); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if err := w.Expect(s.authz, r.ExpectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		t, err := tx.Task(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		before := *t
		r.Patch(t)
		if err := validate(ctx, tx, t); err != nil {
			return nil, write.Effect{}, err
		}
		if t.StageID != before.StageID {
			t.ReviewState = "" // a new stage starts a new review
		}
		t.UpdatedAt = s.now()
		if err := tx.UpdateTask(ctx, t); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Effect{Index: func(w *authz.Writer) { w.PutTask(t) }}
		if eff.Audit, err = changeEntries(ctx, tx, &before, t); err != nil {
			return nil, write.Effect{}, err
		}
		if t.AssigneeID != before.AssigneeID {
			err = s.write.Notify(ctx, tx, actor, &eff, "taskAssigned", map[string]string{"taskId": t.ID}, t.AssigneeID)
		}
		return t, eff, err
	})
}

// changeEntries are the activity-log entries of a change from before to t: what was
// edited (title, description, due date, assignee, type, each from → to), a move (stage
// and board from → to), and a change of client visibility, each its own entry.
func changeEntries(ctx context.Context, tx *store.Store, before, t *store.Task) ([]audit.Entry, error) {
	var out []audit.Entry
	entry := func(action string, details map[string]any, people ...string) {
		out = append(out, audit.Entry{Action: action, TargetType: "task", TargetID: t.ID, TargetName: t.Title, Details: details, People: people})
	}
	edited := audit.Changes(
		audit.Change{Field: "title", From: before.Title, To: t.Title},
		audit.Change{Field: "dueDate", From: before.DueDate, To: t.DueDate},
		audit.Change{Field: "assignee", From: before.AssigneeID, To: t.AssigneeID},
		audit.Change{Field: "type", From: before.TypeID, To: t.TypeID},
	)
	if before.Description != t.Description {
		// Whether, not what: a description can be long, and the task holds it.
		edited["descriptionEdited"] = true
	}
	if len(edited) > 0 {
		entry("task.update", edited, nonEmpty(before.AssigneeID, t.AssigneeID)...)
	}
	if before.StageID != t.StageID || before.BoardID != t.BoardID {
		from, err := stageName(ctx, tx, before.BoardID, before.StageID)
		if err != nil {
			return nil, err
		}
		to, err := stageName(ctx, tx, t.BoardID, t.StageID)
		if err != nil {
			return nil, err
		}
		moved := audit.Changes(audit.Change{Field: "board", From: before.BoardID, To: t.BoardID})
		if from != to || len(moved) == 0 {
			moved["stage"] = map[string]string{"from": from, "to": to}
		}
		entry("task.move", moved)
	}
	if before.ClientVisible != t.ClientVisible {
		entry("task.visibility", map[string]any{"clientVisible": t.ClientVisible})
	}
	return out, nil
}

// stageName is the name of stage stageID of board boardID ("" for none).
func stageName(ctx context.Context, tx *store.Store, boardID, stageID string) (string, error) {
	if boardID == "" || stageID == "" {
		return "", nil
	}
	b, err := tx.Board(ctx, boardID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	name, _ := stageOf(b, stageID)
	return name, nil
}

func stageOf(b *store.Board, stageID string) (string, bool) {
	for _, st := range b.Stages {
		if st.ID == stageID {
			return st.Name, true
		}
	}
	return "", false
}

// nonEmpty is ids without "".
func nonEmpty(ids ...string) []string {
	return slices.DeleteFunc(ids, func(id string) bool { return id == "" })
}

// Delete removes a task.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.TasksDelete, authz.TaskRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		t, err := tx.Task(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteTask(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		details := map[string]any{"project": t.ProjectID}
		if t.BoardID != "" {
			details["board"] = t.BoardID
		}
		return struct{}{}, write.Entry(audit.Entry{Action: "task.delete", TargetType: "task", TargetID: id, TargetName: t.Title,
			Details: details}, func(w *authz.Writer) { w.DeleteTask(id) }), nil
	})
	if err == nil && s.afterDelete != nil {
		s.afterDelete() // its files' contents go (the rows went with the task)
	}
	return err
}

// AfterDelete sets what runs after a task is deleted (the files service's sweep).
func (s *Service) AfterDelete(fn func()) { s.afterDelete = fn }

// Review records a client's approval or change request on a task in a review stage, and
// moves it on: to the board's first done stage, or back to its first open stage.
func (s *Service) Review(ctx context.Context, actor authz.Actor, id, decision, comment string) (*Task, error) {
	if decision != "approve" && decision != "request_changes" {
		return nil, apperr.Field("decision", "The decision is approve or request_changes.")
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Task, write.Effect, error) {
		if err := w.Check(actor, authz.TasksReview, authz.TaskRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		t, err := tx.Task(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		b, err := tx.Board(ctx, t.BoardID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		want, state := "done", "approved"
		if decision == "request_changes" {
			want, state = "open", "changes_requested"
		}
		from, _ := stageOf(b, t.StageID)
		for _, st := range b.Stages {
			if st.Kind == want {
				t.StageID = st.ID
				break
			}
		}
		t.ReviewState, t.UpdatedAt = state, s.now()
		if err := tx.UpdateTask(ctx, t); err != nil {
			return nil, write.Effect{}, err
		}
		if strings.TrimSpace(comment) != "" {
			if _, err := s.addCommentRow(ctx, tx, actor, id, strings.TrimSpace(comment)); err != nil {
				return nil, write.Effect{}, err
			}
		}
		details := map[string]any{"decision": decision}
		if to, _ := stageOf(b, t.StageID); to != from {
			details["stage"] = map[string]string{"from": from, "to": to}
		}
		eff := write.Entry(audit.Entry{Action: "task.review", TargetType: "task", TargetID: id, TargetName: t.Title,
			Details: details}, func(w *authz.Writer) { w.PutTask(t) })
		err = s.write.Notify(ctx, tx, actor, &eff, "taskReviewed", map[string]string{"taskId": t.ID, "decision": state}, t.AssigneeID)
		return t, eff, err
	})
}

// Follow makes userID a follower of task id: whoever may edit the task may. A follower
// sees that one task and nothing else of its project or board.
// expectVersion is the what-if preview's version (see Request.ExpectVersion).
func (s *Service) Follow(ctx context.Context, actor authz.Actor, id, userID, expectVersion string) (*Task, error) {
	return s.setFollower(ctx, actor, id, userID, true, expectVersion)
}

// Unfollow stops userID following task id.
func (s *Service) Unfollow(ctx context.Context, actor authz.Actor, id, userID string) (*Task, error) {
	return s.setFollower(ctx, actor, id, userID, false, "")
}

func (s *Service) setFollower(ctx context.Context, actor authz.Actor, id, userID string, follow bool, expectVersion string) (*Task, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Task, write.Effect, error) {
		chg := authz.Change{}
		if follow {
			chg.Follower = userID
		}
		if err := w.Check(actor, authz.TasksEdit, authz.TaskRef(id), chg); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Expect(s.authz, expectVersion); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, write.Effect{}, apperr.Field("userId", "No such user.")
		}
		if err != nil {
			return nil, write.Effect{}, err
		}
		t, err := tx.Task(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if follow == slices.Contains(t.Followers, userID) {
			return t, write.Effect{}, nil
		}
		action := "task.follower_add"
		if follow {
			t.Followers = append(t.Followers, userID)
		} else {
			action = "task.follower_remove"
			t.Followers = slices.DeleteFunc(t.Followers, func(f string) bool { return f == userID })
		}
		if err := tx.SetTaskFollowers(ctx, id, t.Followers); err != nil {
			return nil, write.Effect{}, err
		}
		return t, write.Entry(audit.Entry{Action: action, TargetType: "task", TargetID: id, TargetName: t.Title,
			Details: map[string]any{"follower": u.ID}, People: []string{u.ID}}, func(w *authz.Writer) { w.PutTask(t) }), nil
	})
}

// Comments returns a task's comments (whoever sees the task). Comments by people the
// actor may not learn of (another client, for a portal user) say only "Another client".
func (s *Service) Comments(ctx context.Context, actor authz.Actor, id string) ([]*Comment, error) {
	if err := s.authz.Check(actor, authz.View, authz.TaskRef(id)); err != nil {
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
func (s *Service) AddComment(ctx context.Context, actor authz.Actor, id, body string) (*Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, apperr.Field("body", "Write something first.")
	}
	if len(body) > 10000 {
		return nil, apperr.Field("body", "The comment is too long: at most 10000 characters.")
	}
	if err := text.Lines("body", apperr.Textf("comment"), body); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Comment, write.Effect, error) {
		if err := w.Check(actor, authz.ChatTaskComments, authz.TaskRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		c, err := s.addCommentRow(ctx, tx, actor, id, body)
		return c, write.Effect{}, err
	})
}

func (s *Service) addCommentRow(ctx context.Context, tx *store.Store, actor authz.Actor, id, body string) (*Comment, error) {
	u, err := tx.User(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	c := &Comment{ID: uuid.NewString(), TaskID: id, AuthorID: u.ID, Author: u.Name, Body: body, CreatedAt: s.now()}
	return c, tx.AddComment(ctx, c)
}
