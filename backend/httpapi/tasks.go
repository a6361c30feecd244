package httpapi

import (
	"context"
	"net/http"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/tasks"
)

// Tasks, their followers, comments and client review.

type taskJSON struct {
	ID            string    `json:"id"`
	ProjectID     string    `json:"projectId"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	ClientVisible bool      `json:"clientVisible"`
	AssigneeID    string    `json:"assigneeId"`
	AssigneeName  string    `json:"assigneeName"`
	BoardID       string    `json:"boardId"`
	StageID       string    `json:"stageId"`
	Stage         string    `json:"stage"` // the same as stageId, for clients written before it
	TypeID        string    `json:"typeId"`
	DueDate       string    `json:"dueDate"`
	ReviewState   string    `json:"reviewState"`
	Followers     []string  `json:"followers"`
	CreatedAt     time.Time `json:"createdAt"`
	Actions       []string  `json:"actions"`
}

// taskJSONs shapes tasks for the actor, naming their assignees in one query.
func (a *API) taskJSONs(ctx context.Context, actor authz.Actor, ts []*tasks.Task) ([]taskJSON, error) {
	shaped := each(ts, func(t *tasks.Task) *tasks.Task { return a.cfg.Tasks.ForViewer(actor, t) })
	var ids []string
	for _, t := range shaped {
		if t.AssigneeID != "" {
			ids = append(ids, t.AssigneeID)
		}
	}
	names, err := a.names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]taskJSON, len(shaped))
	for i, t := range shaped {
		name := names[t.AssigneeID]
		if t.AssigneeID == "" && ts[i].AssigneeID != "" {
			// Assigned to someone the asker may not learn of (another client): say so,
			// rather than "unassigned".
			name = "Another client"
		}
		out[i] = taskJSON{ID: t.ID, ProjectID: t.ProjectID, Title: t.Title, Description: t.Description, ClientVisible: t.ClientVisible,
			AssigneeID: t.AssigneeID, AssigneeName: name, BoardID: t.BoardID, StageID: t.StageID, Stage: t.StageID,
			TypeID: t.TypeID, DueDate: t.DueDate, ReviewState: t.ReviewState, Followers: orEmpty(t.Followers), CreatedAt: t.CreatedAt.UTC(),
			Actions: a.cfg.Tasks.Actions(actor, t.ID)}
	}
	return out, nil
}

func (a *API) writeTask(w http.ResponseWriter, r *http.Request, actor authz.Actor, status int, t *tasks.Task) error {
	out, err := a.taskJSONs(r.Context(), actor, []*tasks.Task{t})
	if err != nil {
		return err
	}
	return writeJSON(w, status, out[0])
}

type taskRequest struct {
	Title         *string `json:"title"`
	Description   *string `json:"description"`
	ClientVisible *bool   `json:"clientVisible"`
	AssigneeID    *string `json:"assigneeId"`
	BoardID       *string `json:"boardId"`
	StageID       *string `json:"stageId"`
	TypeID        *string `json:"typeId"`
	DueDate       *string `json:"dueDate"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) listTasksOf(w http.ResponseWriter, r *http.Request, p *identity.Principal, req tasks.ListRequest) error {
	q := r.URL.Query()
	var err error
	if req.Limit, err = queryInt(q.Get("limit"), "limit"); err != nil {
		return err
	}
	if req.BoardID == "" {
		req.BoardID = q.Get("boardId")
	}
	req.StageID, req.AssigneeID, req.Cursor = q.Get("stageId"), q.Get("assigneeId"), q.Get("cursor")
	ts, next, total, err := a.cfg.Tasks.List(r.Context(), p.Actor, req)
	if err != nil {
		return err
	}
	items, err := a.taskJSONs(r.Context(), p.Actor, ts)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[taskJSON]{Items: items, Next: cursorOf(next), Total: total})
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	return a.listTasksOf(w, r, p, tasks.ListRequest{ProjectID: r.URL.Query().Get("projectId")})
}

func (a *API) listProjectTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	return a.listTasksOf(w, r, p, tasks.ListRequest{ProjectID: r.PathValue("id")})
}

func (a *API) listBoardTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	return a.listTasksOf(w, r, p, tasks.ListRequest{BoardID: r.PathValue("id")})
}

func (a *API) createTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req taskRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.Create(r.Context(), p.Actor, r.PathValue("id"), tasks.Request(req))
	if err != nil {
		return err
	}
	return a.writeTask(w, r, p.Actor, http.StatusCreated, t)
}

func (a *API) getTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	t, err := a.cfg.Tasks.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeTask(w, r, p.Actor, http.StatusOK, t)
}

func (a *API) updateTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req taskRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.Update(r.Context(), p.Actor, r.PathValue("id"), tasks.Request(req))
	if err != nil {
		return err
	}
	return a.writeTask(w, r, p.Actor, http.StatusOK, t)
}

func (a *API) deleteTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Tasks.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

type reviewRequest struct {
	Decision string `json:"decision"`
	Comment  string `json:"comment"`
}

func (a *API) reviewTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req reviewRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.Review(r.Context(), p.Actor, r.PathValue("id"), req.Decision, req.Comment)
	if err != nil {
		return err
	}
	return a.writeTask(w, r, p.Actor, http.StatusOK, t)
}

type followerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (a *API) listFollowers(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ids, err := a.cfg.Tasks.Followers(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	people, err := a.cfg.Access.Names(r.Context(), ids)
	if err != nil {
		return err
	}
	items := make([]followerJSON, len(people))
	for i, u := range people {
		items[i] = followerJSON{ID: u.ID, Name: u.Name}
	}
	return writeJSON(w, http.StatusOK, list[followerJSON]{Items: items})
}

type followRequest struct {
	UserID string `json:"userId"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) addFollower(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req followRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.Follow(r.Context(), p.Actor, r.PathValue("id"), req.UserID, req.ExpectVersion)
	if err != nil {
		return err
	}
	return a.writeTask(w, r, p.Actor, http.StatusOK, t)
}

func (a *API) removeFollower(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	t, err := a.cfg.Tasks.Unfollow(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("userId"))
	if err != nil {
		return err
	}
	// The actor may have unfollowed a task they saw only as a follower: ask again.
	if t, err = a.cfg.Tasks.Get(r.Context(), p.Actor, t.ID); err != nil {
		return apperr.NotFoundf("You no longer see this task.")
	}
	return a.writeTask(w, r, p.Actor, http.StatusOK, t)
}

type commentJSON struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"authorId"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

func toCommentJSON(c *tasks.Comment) commentJSON {
	return commentJSON{c.ID, c.AuthorID, c.Author, c.Body, c.CreatedAt.UTC()}
}

func (a *API) listComments(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	cs, err := a.cfg.Tasks.Comments(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[commentJSON]{Items: each(cs, toCommentJSON)})
}

type commentRequest struct {
	Body string `json:"body"`
}

func (a *API) addComment(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req commentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Tasks.AddComment(r.Context(), p.Actor, r.PathValue("id"), req.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toCommentJSON(c))
}
