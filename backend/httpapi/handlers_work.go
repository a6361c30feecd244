package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/boards"
	"gatehouse/backend/identity"
	"gatehouse/backend/projects"
	"gatehouse/backend/store"
	"gatehouse/backend/tasks"
	"gatehouse/backend/teams"
	"gatehouse/backend/visibility"
)

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type projectJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Status      string    `json:"status"`
	Members     []string  `json:"members"`
	Teams       []string  `json:"teams"`
	Clients     []string  `json:"clients"`
	TaskCount   int       `json:"taskCount"`
	CreatedAt   time.Time `json:"createdAt"`
	Actions     []string  `json:"actions"`
}

// projectJSON shows a project as the actor may see it (see projects.Service.ForViewer).
func (a *API) projectJSON(actor authz.Actor, p *store.Project) projectJSON {
	p = a.cfg.Projects.ForViewer(actor, p)
	return projectJSON{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status, Members: orEmpty(p.Members),
		Teams: orEmpty(p.Teams), Clients: orEmpty(p.Clients), TaskCount: p.TaskCount, CreatedAt: p.CreatedAt.UTC(),
		Actions: a.cfg.Projects.Actions(actor, p.ID)}
}

func (a *API) writePeople(w http.ResponseWriter, r *http.Request, people []visibility.Person, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]map[string]any, len(people))
	for i, p := range people {
		items[i] = map[string]any{"id": p.ID, "name": p.Name, "kind": p.Kind, "active": p.Active}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) projectPeople(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	people, err := a.cfg.Visibility.ProjectPeople(r.Context(), p.Actor, r.PathValue("id"))
	a.writePeople(w, r, people, err)
}

func (a *API) listPeople(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	people, err := a.cfg.Visibility.People(r.Context(), p.Actor)
	a.writePeople(w, r, people, err)
}

type projectBody struct {
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	Status      *string   `json:"status"`
	Members     *[]string `json:"members"`
	Teams       *[]string `json:"teams"`
	Clients     *[]string `json:"clients"`
}

func (b projectBody) request() projects.Request {
	return projects.Request{Name: b.Name, Description: b.Description, Status: b.Status, Members: b.Members, Teams: b.Teams, Clients: b.Clients}
}

func (a *API) listProjects(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ps, next, total, err := a.cfg.Projects.List(r.Context(), p.Actor, projects.ListRequest{Query: q.Get("q"), Status: q.Get("status"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]projectJSON, len(ps))
	for i, pr := range ps {
		items[i] = a.projectJSON(p.Actor, pr)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nullable(next), "total": total})
}

func (a *API) createProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b projectBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	if b.Status != nil {
		a.fail(w, r, &apperr.Error{Kind: apperr.Malformed, Code: "unknown_field", Field: "status", Message: "A new project is active; archive it later."})
		return
	}
	pr, err := a.cfg.Projects.Create(r.Context(), p.Actor, b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.projectJSON(p.Actor, pr))
}

func (a *API) getProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	pr, err := a.cfg.Projects.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.projectJSON(p.Actor, pr))
}

func (a *API) updateProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b projectBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	pr, err := a.cfg.Projects.Update(r.Context(), p.Actor, r.PathValue("id"), b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.projectJSON(p.Actor, pr))
}

func (a *API) deleteProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Projects.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type teamJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Members     []string `json:"members"`
	Leaders     []string `json:"leaders"`
	Actions     []string `json:"actions"`
	Candidates  []string `json:"candidates,omitempty"`
}

func (a *API) teamJSON(actor authz.Actor, t *store.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, Description: t.Description, Members: orEmpty(t.Members), Leaders: orEmpty(t.Leaders),
		Actions: a.cfg.Teams.Actions(actor, t.ID), Candidates: a.cfg.Teams.Candidates(actor, t.ID)}
}

type teamBody struct {
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	Members     *[]string `json:"members"`
	Leaders     *[]string `json:"leaders"`
}

func (b teamBody) request() teams.Request {
	return teams.Request{Name: b.Name, Description: b.Description, Members: b.Members, Leaders: b.Leaders}
}

func (a *API) listTeams(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	ts, err := a.cfg.Teams.List(r.Context(), p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]teamJSON, len(ts))
	for i, t := range ts {
		items[i] = a.teamJSON(p.Actor, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) createTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b teamBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	t, err := a.cfg.Teams.Create(r.Context(), p.Actor, b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.teamJSON(p.Actor, t))
}

func (a *API) getTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	t, err := a.cfg.Teams.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.teamJSON(p.Actor, t))
}

func (a *API) updateTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b teamBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	t, err := a.cfg.Teams.Update(r.Context(), p.Actor, r.PathValue("id"), b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.teamJSON(p.Actor, t))
}

func (a *API) deleteTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Teams.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type stageJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type grantJSON struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Level string `json:"level"`
}

type boardJSON struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Visibility string      `json:"visibility"`
	Stages     []stageJSON `json:"stages"`
	Access     []grantJSON `json:"access"`
	MyLevel    string      `json:"myLevel"`
	Actions    []string    `json:"actions"`
}

func (a *API) boardJSON(actor authz.Actor, b *store.Board) boardJSON {
	out := boardJSON{ID: b.ID, Name: b.Name, Visibility: b.Visibility, Stages: []stageJSON{}, Access: []grantJSON{}, Actions: []string{}}
	for _, st := range b.Stages {
		out.Stages = append(out.Stages, stageJSON{st.ID, st.Name, st.Kind})
	}
	for _, g := range b.Access {
		out.Access = append(out.Access, grantJSON{g.Type, g.ID, g.Level})
	}
	out.MyLevel, out.Actions = a.cfg.Boards.Standing(actor, b.ID)
	return out
}

type boardBody struct {
	Name       *string      `json:"name"`
	Visibility *string      `json:"visibility"`
	Stages     *[]stageJSON `json:"stages"`
	Access     *[]grantJSON `json:"access"`
}

func (b boardBody) request() boards.Request {
	r := boards.Request{Name: b.Name, Visibility: b.Visibility}
	if b.Stages != nil {
		st := make([]store.Stage, len(*b.Stages))
		for i, s := range *b.Stages {
			st[i] = store.Stage{ID: s.ID, Name: s.Name, Kind: s.Kind}
		}
		r.Stages = &st
	}
	if b.Access != nil {
		acc := make([]store.BoardGrant, len(*b.Access))
		for i, g := range *b.Access {
			acc[i] = store.BoardGrant{Type: g.Type, ID: g.ID, Level: g.Level}
		}
		r.Access = &acc
	}
	return r
}

func (a *API) listBoards(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	bs, err := a.cfg.Boards.List(r.Context(), p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]boardJSON, len(bs))
	for i, b := range bs {
		items[i] = a.boardJSON(p.Actor, b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) createBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b boardBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	if b.Name == nil {
		a.fail(w, r, apperr.Field("name", "Enter a board name."))
		return
	}
	if b.Visibility == nil {
		a.fail(w, r, apperr.Field("visibility", "Choose who sees the board: all or invited."))
		return
	}
	bd, err := a.cfg.Boards.Create(r.Context(), p.Actor, b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.boardJSON(p.Actor, bd))
}

func (a *API) getBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	b, err := a.cfg.Boards.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.boardJSON(p.Actor, b))
}

func (a *API) updateBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b boardBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	bd, err := a.cfg.Boards.Update(r.Context(), p.Actor, r.PathValue("id"), b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.boardJSON(p.Actor, bd))
}

func (a *API) deleteBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Boards.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type taskJSON struct {
	ID            string    `json:"id"`
	ProjectID     string    `json:"projectId"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	ClientVisible bool      `json:"clientVisible"`
	AssigneeID    string    `json:"assigneeId"`
	BoardID       string    `json:"boardId"`
	Stage         string    `json:"stage"`
	TypeID        string    `json:"typeId"`
	DueDate       string    `json:"dueDate"`
	ReviewState   string    `json:"reviewState"`
	Followers     []string  `json:"followers"`
	CreatedAt     time.Time `json:"createdAt"`
	Actions       []string  `json:"actions"`
}

func (a *API) taskJSON(actor authz.Actor, t *store.Task) taskJSON {
	t = a.cfg.Tasks.ForViewer(actor, t)
	return taskJSON{ID: t.ID, ProjectID: t.ProjectID, Title: t.Title, Description: t.Description, ClientVisible: t.ClientVisible,
		AssigneeID: t.AssigneeID, BoardID: t.BoardID, Stage: t.StageID, TypeID: t.TypeID, DueDate: t.DueDate, ReviewState: t.ReviewState,
		Followers: orEmpty(t.Followers), CreatedAt: t.CreatedAt.UTC(), Actions: a.cfg.Tasks.Actions(actor, t.ID)}
}

type taskBody struct {
	Title         *string `json:"title"`
	Description   *string `json:"description"`
	ClientVisible *bool   `json:"clientVisible"`
	AssigneeID    *string `json:"assigneeId"`
	BoardID       *string `json:"boardId"`
	StageID       *string `json:"stageId"`
	TypeID        *string `json:"typeId"`
	DueDate       *string `json:"dueDate"`
}

func (b taskBody) request() tasks.Request {
	return tasks.Request{Title: b.Title, Description: b.Description, ClientVisible: b.ClientVisible, AssigneeID: b.AssigneeID,
		BoardID: b.BoardID, StageID: b.StageID, TypeID: b.TypeID, DueDate: b.DueDate}
}

func (a *API) writeTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal, req tasks.ListRequest) {
	q := r.URL.Query()
	var err error
	if req.Limit, err = queryInt(q.Get("limit"), "limit"); err != nil {
		a.fail(w, r, err)
		return
	}
	req.BoardID = firstNonEmpty(req.BoardID, q.Get("boardId"))
	req.StageID, req.AssigneeID, req.Cursor = q.Get("stageId"), q.Get("assigneeId"), q.Get("cursor")
	ts, next, total, err := a.cfg.Tasks.List(r.Context(), p.Actor, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]taskJSON, len(ts))
	for i, t := range ts {
		items[i] = a.taskJSON(p.Actor, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nullable(next), "total": total})
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	a.writeTasks(w, r, p, tasks.ListRequest{ProjectID: r.URL.Query().Get("projectId")})
}

func (a *API) listProjectTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	a.writeTasks(w, r, p, tasks.ListRequest{ProjectID: r.PathValue("id")})
}

func (a *API) listBoardTasks(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	a.writeTasks(w, r, p, tasks.ListRequest{BoardID: r.PathValue("id")})
}

func (a *API) createTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b taskBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	if b.Title == nil {
		a.fail(w, r, apperr.Field("title", "Enter a title."))
		return
	}
	t, err := a.cfg.Tasks.Create(r.Context(), p.Actor, r.PathValue("id"), b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.taskJSON(p.Actor, t))
}

func (a *API) getTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	t, err := a.cfg.Tasks.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.taskJSON(p.Actor, t))
}

func (a *API) updateTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b taskBody
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	t, err := a.cfg.Tasks.Update(r.Context(), p.Actor, r.PathValue("id"), b.request())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.taskJSON(p.Actor, t))
}

func (a *API) deleteTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Tasks.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) reviewTask(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	t, err := a.cfg.Tasks.Review(r.Context(), p.Actor, r.PathValue("id"), b.Decision, b.Comment)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.taskJSON(p.Actor, t))
}

func (a *API) listFollowers(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	ids, err := a.cfg.Tasks.Followers(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	people, err := a.cfg.Visibility.Names(r.Context(), ids)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]map[string]string, len(people))
	for i, u := range people {
		items[i] = map[string]string{"id": u.ID, "name": u.Name}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) addFollower(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		UserID string `json:"userId"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	t, err := a.cfg.Tasks.SetFollower(r.Context(), p.Actor, r.PathValue("id"), b.UserID, true)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.taskJSON(p.Actor, t))
}

func (a *API) removeFollower(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	t, err := a.cfg.Tasks.SetFollower(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("userId"), false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The actor may have unfollowed a task they saw only as a follower: ask again.
	if t, err = a.cfg.Tasks.Get(r.Context(), p.Actor, t.ID); err != nil {
		writeError(w, http.StatusNotFound, "not_found", "You no longer see this task.", "")
		return
	}
	writeJSON(w, http.StatusOK, a.taskJSON(p.Actor, t))
}

type commentJSON struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"authorId"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

func toCommentJSON(c *store.Comment) commentJSON {
	return commentJSON{c.ID, c.AuthorID, c.Author, c.Body, c.CreatedAt.UTC()}
}

func (a *API) listComments(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	cs, err := a.cfg.Tasks.Comments(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]commentJSON, len(cs))
	for i, c := range cs {
		items[i] = toCommentJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) addComment(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		Body string `json:"body"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	c, err := a.cfg.Tasks.AddComment(r.Context(), p.Actor, r.PathValue("id"), b.Body)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toCommentJSON(c))
}

type typeGrantJSON struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Create bool   `json:"create"`
	Assign bool   `json:"assign"`
}

func (a *API) toTypeJSON(actor authz.Actor, t *store.TaskType) map[string]any {
	acc := []typeGrantJSON{}
	for _, g := range t.Access {
		acc = append(acc, typeGrantJSON{g.Type, g.ID, g.Create, g.Assign})
	}
	return map[string]any{"id": t.ID, "name": t.Name, "access": acc, "actions": a.cfg.Tasks.TypeActions(actor, t.ID)}
}

func (a *API) listTaskTypes(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	ts, err := a.cfg.Tasks.Types(r.Context(), p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]map[string]any, len(ts))
	for i, t := range ts {
		items[i] = a.toTypeJSON(p.Actor, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) saveTaskType(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		Name   *string          `json:"name"`
		Access *[]typeGrantJSON `json:"access"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	id := r.PathValue("id")
	if id == "" && b.Name == nil {
		a.fail(w, r, apperr.Field("name", "Enter a type name."))
		return
	}
	var acc *[]store.TypeGrant
	if b.Access != nil {
		l := make([]store.TypeGrant, len(*b.Access))
		for i, g := range *b.Access {
			l[i] = store.TypeGrant{Type: g.Type, ID: g.ID, Create: g.Create, Assign: g.Assign}
		}
		acc = &l
	}
	t, err := a.cfg.Tasks.SaveType(r.Context(), p.Actor, id, b.Name, acc)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if id == "" {
		status = http.StatusCreated
	}
	writeJSON(w, status, a.toTypeJSON(p.Actor, t))
}

func (a *API) deleteTaskType(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Tasks.DeleteType(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) getTaskRules(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	rules, err := a.cfg.Tasks.Rules(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"receiveFromOthers": rules.ReceiveFromOthers, "openForOthers": rules.OpenForOthers})
}

func (a *API) setTaskRules(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		ReceiveFromOthers *bool `json:"receiveFromOthers"`
		OpenForOthers     *bool `json:"openForOthers"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	if b.ReceiveFromOthers == nil || b.OpenForOthers == nil {
		a.fail(w, r, apperr.Field("receiveFromOthers", "Send both receiveFromOthers and openForOthers."))
		return
	}
	rules, err := a.cfg.Tasks.SetRules(r.Context(), p.Actor, r.PathValue("id"), store.TaskRules{ReceiveFromOthers: *b.ReceiveFromOthers, OpenForOthers: *b.OpenForOthers})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"receiveFromOthers": rules.ReceiveFromOthers, "openForOthers": rules.OpenForOthers})
}

func (a *API) access(resType string) func(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	return func(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
		list, err := a.cfg.Visibility.Access(r.Context(), p.Actor, resType, r.PathValue("id"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		items := make([]map[string]any, len(list))
		for i, e := range list {
			items[i] = map[string]any{"userId": e.UserID, "name": e.Name, "roleName": e.RoleName, "paths": e.Paths}
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
	}
}

func (a *API) explainAccess(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	q := r.URL.Query()
	ex, err := a.cfg.Visibility.Explain(p.Actor, q.Get("userId"), q.Get("action"), q.Get("resourceType"), q.Get("resourceId"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ex)
}

func (a *API) startViewAs(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var b struct {
		UserID string `json:"userId"`
	}
	if !a.decodeOrFail(w, r, &b) {
		return
	}
	if err := a.cfg.Visibility.StartViewAs(r.Context(), p.Actor, b.UserID); err != nil {
		a.fail(w, r, err)
		return
	}
	a.viewAs.Store(p.SessionID+"\x1f"+b.UserID, struct{}{})
	w.WriteHeader(http.StatusNoContent)
}
