package authz

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"gatehouse/backend/apperr"
)

// Path is one way a user reaches a project, board or task.
type Path struct {
	// Kind: role_scope (the role sees all projects), member (direct project member), team
	// (through a team on the project or the board invitation), client (attached client),
	// board_open (the board is visible to everyone internal), board_invite (invited
	// directly), follower, assignee (the role sees only tasks assigned to the user).
	Kind  string `json:"kind"`
	Via   string `json:"via,omitempty"`   // the team, board or project the path goes through
	Name  string `json:"name,omitempty"`  // its name, for display
	Level Level  `json:"level,omitempty"` // board invitations
	// Removable: the asking actor may cut this path (and the UI offers to).
	Removable bool `json:"removable"`
}

// Access is one user who can see a resource, with every path.
type Access struct {
	UserID string `json:"userId"`
	Paths  []Path `json:"paths"`
}

// paths of one user to a project (nil: none).
func (a *Authorizer) projectPaths(v *view, p *project) []Path {
	if !v.projectsView {
		return nil
	}
	var out []Path
	if v.client {
		if p.clients[v.uid] {
			out = append(out, Path{Kind: "client", Via: p.id, Name: p.name})
		}
		return out
	}
	if v.projectsAll {
		out = append(out, Path{Kind: "role_scope", Name: v.r.Name})
	}
	if p.members[v.uid] {
		out = append(out, Path{Kind: "member", Via: p.id, Name: p.name})
	}
	for t := range v.w.teams {
		if p.teams[t] {
			out = append(out, Path{Kind: "team", Via: t, Name: a.teams[t].name})
		}
	}
	sortPaths(out)
	return out
}

func (a *Authorizer) boardPaths(v *view, b *board) []Path {
	if v.client {
		return nil
	}
	if !b.invited {
		return []Path{{Kind: "board_open", Via: b.id, Name: b.name}}
	}
	var out []Path
	if v.projectsAll {
		out = append(out, Path{Kind: "role_scope", Name: v.r.Name})
	}
	if l := b.access[Principal{"user", v.uid}]; l != LevelNone {
		out = append(out, Path{Kind: "board_invite", Via: b.id, Name: b.name, Level: l})
	}
	for t := range v.w.teams {
		if l := b.access[Principal{"team", t}]; l != LevelNone {
			out = append(out, Path{Kind: "team", Via: t, Name: a.teams[t].name, Level: l})
		}
	}
	sortPaths(out)
	return out
}

func (a *Authorizer) taskPaths(v *view, t *task) []Path {
	var out []Path
	if v.seesTaskNormally(t) {
		out = append(out, a.projectPaths(v, t.project)...)
		if b := a.boards[t.board]; b != nil && b.invited {
			out = append(out, a.boardPaths(v, b)...)
		}
		if !v.tasksAll {
			out = append(out, Path{Kind: "assignee", Via: t.id})
		}
	}
	if t.followers[v.uid] && v.followerMay(t) {
		out = append(out, Path{Kind: "follower", Via: t.id})
	}
	return out
}

// redact hides, in paths shown to me, every project, board or team that me cannot see:
// such a path is still listed (it is why the person has access) but says only "a project
// you cannot see", never its name or id.
func (a *Authorizer) redact(me *view, paths []Path) {
	for i := range paths {
		p := &paths[i]
		switch p.Kind {
		case "member", "client":
			if pr := a.projects[p.Via]; pr == nil || !me.seesProject(pr) {
				p.Via, p.Name = "", "a project you cannot see"
			}
		case "board_open", "board_invite":
			if b := a.boards[p.Via]; b == nil || !me.seesBoard(b) {
				p.Via, p.Name = "", "a board you cannot see"
			}
		case "team":
			if me.client {
				p.Via, p.Name = "", "a team"
			}
		case "follower", "assignee":
			if t := a.tasks[p.Via]; t == nil || !me.seesTask(t) {
				p.Via = ""
			}
		}
	}
}

func sortPaths(p []Path) {
	sort.SliceStable(p, func(i, j int) bool {
		if p[i].Kind != p[j].Kind {
			return p[i].Kind < p[j].Kind
		}
		return p[i].Via < p[j].Via
	})
}

// WhoCanSee lists every active user who can see a project, board or task, with every
// path. The asking actor must see the resource and hold users.view; the list is limited
// to the accounts their users.view scope covers. Paths the actor may cut are marked
// removable.
func (a *Authorizer) WhoCanSee(actor Actor, resType, id string) ([]Access, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	me, err := a.viewOf(actor)
	if err != nil {
		return nil, err
	}
	pathsOf, err := a.resourcePaths(me, resType, id)
	if err != nil {
		return nil, err
	}
	if !me.has("users.view") {
		return nil, forbidden("users.view")
	}
	uv := me.r.scopes[ixUsersView]
	removable := map[Path]bool{} // per kind and via: the same for every user
	var out []Access
	for _, uid := range a.candidates(resType, id) {
		u := a.users[uid]
		if u == nil || !u.active {
			continue
		}
		r := a.roles[u.roleID]
		if r == nil || !covers(uv, userKindScope(r.Kind)) {
			continue
		}
		var v view
		if a.fillView(&v, Actor{UserID: uid}) != nil {
			continue
		}
		paths := pathsOf(&v)
		if len(paths) == 0 {
			continue
		}
		for i := range paths {
			key := Path{Kind: paths[i].Kind, Via: paths[i].Via}
			ok, seen := removable[key]
			if !seen {
				ok = a.removable(me, resType, id, uid, paths[i])
				removable[key] = ok
			}
			paths[i].Removable = ok
		}
		a.redact(me, paths)
		out = append(out, Access{UserID: uid, Paths: paths})
	}
	return out, nil // candidates are sorted by user id already
}

// resourcePaths checks that me sees the resource and returns the path function for it.
func (a *Authorizer) resourcePaths(me *view, resType, id string) (func(*view) []Path, error) {
	switch resType {
	case "project":
		p := a.projects[id]
		if p == nil || !me.seesProject(p) {
			return nil, hiddenProject
		}
		return func(v *view) []Path { return a.projectPaths(v, p) }, nil
	case "board":
		b := a.boards[id]
		if b == nil || !me.seesBoard(b) {
			return nil, hiddenBoard
		}
		return func(v *view) []Path { return a.boardPaths(v, b) }, nil
	case "task":
		t := a.tasks[id]
		if t == nil || !me.seesTask(t) {
			return nil, hiddenTask
		}
		return func(v *view) []Path { return a.taskPaths(v, t) }, nil
	}
	return nil, apperr.Field("resourceType", "The resource type is project, board or task.")
}

// candidates are the users who might reach a resource: role-scope holders, members,
// teams' members, clients, invitees, followers. An open board is seen by every internal
// user.
func (a *Authorizer) candidates(resType, id string) []string {
	// A slice sorted and compacted is cheaper than a set for the few dozen people a
	// project usually has.
	out := make([]string, 0, 64)
	addScopeAll := func() {
		for rid, r := range a.roles {
			if r.Kind == KindInternal && r.has[ixProjectsView] && r.scopes[ixProjectsView] == ScopeAll {
				for uid := range a.usersByRole[rid] {
					out = append(out, uid)
				}
			}
		}
	}
	addProject := func(p *project) {
		addScopeAll()
		for u := range p.members {
			out = append(out, u)
		}
		for u := range p.clients {
			out = append(out, u)
		}
		for t := range p.teams {
			for u := range a.teams[t].members {
				out = append(out, u)
			}
		}
	}
	switch resType {
	case "project":
		addProject(a.projects[id])
	case "board":
		b := a.boards[id]
		if !b.invited {
			for uid := range a.users {
				out = append(out, uid)
			}
			break
		}
		addScopeAll()
		for p := range b.access {
			if p.Type == "user" {
				out = append(out, p.ID)
			} else if t := a.teams[p.ID]; t != nil {
				for u := range t.members {
					out = append(out, u)
				}
			}
		}
	case "task":
		t := a.tasks[id]
		addProject(t.project)
		for u := range t.followers {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// removable: whether me may cut this path: project membership and client attachment
// with projects.members, a team membership with team edit rights, a board invitation as
// the board's editor, a follower with tasks.edit on the task.
func (a *Authorizer) removable(me *view, resType, id, uid string, p Path) bool {
	switch p.Kind {
	case "member", "client":
		return a.projects[p.Via] != nil && me.seesProject(a.projects[p.Via]) && me.projectScopeOK("projects.members", a.projects[p.Via])
	case "team":
		return a.canTeam(Actor{UserID: me.uid}, "edit", p.Via) == nil
	case "board_invite":
		b := a.boards[p.Via]
		return b != nil && me.isBoardEditor(b)
	case "follower":
		return a.canTaskAction(Actor{UserID: me.uid}, "tasks.edit", p.Via) == nil
	}
	return false
}

// Explanation answers whether a user may do an action on a resource, and why.
type Explanation struct {
	Allowed bool   `json:"allowed"`
	Paths   []Path `json:"paths"`
	Missing string `json:"missing,omitempty"`
}

// Explain tells why userID may or may not do action on a resource. The asking actor
// needs users.view covering that user and must see the resource themselves.
func (a *Authorizer) Explain(actor Actor, userID, action, resType, id string) (*Explanation, error) {
	if err := a.Can(actor, "users.view", UserRes(userID)); err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return nil, apperr.Field("userId", "No such user.")
		}
		return nil, err
	}
	subject := Actor{UserID: userID}
	if actions, ok := explainable[resType]; ok && action != "" && !slices.Contains(actions, action) {
		return nil, apperr.Field("action", "Gatehouse cannot explain %q for a %s; ask about one of: %s.", action, resType, strings.Join(actions, ", "))
	}
	var decision error
	switch resType {
	default:
		return nil, apperr.Field("resourceType", "The resource type is project, board or task.")
	case "project":
		if action == "" {
			action = "projects.view"
		}
		decision = a.CanProject(subject, action, id)
	case "board":
		if action == "" {
			action = "view"
		}
		decision = a.CanBoard(subject, action, id)
	case "task":
		switch action {
		case "", "tasks.view":
			action = "tasks.view"
			decision = a.CanViewTask(subject, id)
		case "tasks.status":
			decision = a.CanTask(subject, id, TaskChange{Stage: true})
		case "tasks.assign":
			decision = a.CanTask(subject, id, TaskChange{Assign: true, Assignee: userID})
		default:
			decision = a.CanTaskAction(subject, action, id)
		}
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	me, err := a.viewOf(actor)
	if err != nil {
		return nil, err
	}
	// The asker must see the resource; the paths are then the subject's.
	pathsOf, err := a.resourcePaths(me, resType, id)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Allowed: decision == nil, Paths: []Path{}}
	v, verr := a.viewOf(subject)
	if verr != nil {
		ex.Missing = "The account is deactivated: it can see nothing."
		return ex, nil
	}
	if p := pathsOf(v); p != nil {
		a.redact(me, p)
		ex.Paths = p
	}
	if decision != nil {
		ex.Missing = a.missing(me, v, resType, id, decision)
	}
	return ex, nil
}

// explainable are the actions Explain answers for each resource type; anything else is
// refused rather than guessed at.
var explainable = map[string][]string{
	"project": {"projects.view", "projects.edit", "projects.delete", "projects.members", "projects.settings", "tasks.create"},
	"board":   {"view", "edit"},
	"task":    {"tasks.view", "tasks.status", "tasks.assign", "tasks.edit", "tasks.delete", "tasks.review", "chat.task_comments"},
}

// missing names the link that is absent when access is denied, without naming anything
// the asker (me) cannot see.
func (a *Authorizer) missing(me, v *view, resType, id string, decision error) string {
	msg := decision.Error()
	switch resType {
	case "project":
		p := a.projects[id]
		switch {
		case !v.projectsView:
			return fmt.Sprintf("The role %s does not hold projects.view.", v.r.Name)
		case !v.seesProject(p) && v.client:
			return "The client is not attached to this project."
		case !v.seesProject(p):
			return fmt.Sprintf("Not a member of this project nor of any of its teams, and the role %s sees only assigned projects.", v.r.Name)
		}
	case "board":
		b := a.boards[id]
		switch {
		case v.client:
			return "Client (portal) accounts see no boards."
		case !v.seesBoard(b):
			return "The board is invite-only and this person is not invited, directly or through a team."
		}
	case "task":
		t := a.tasks[id]
		switch {
		case t.followers[v.uid] && v.followerMay(t) && !v.seesTaskNormally(t):
			return "This person only follows the task: " + msg
		case !v.tasksView:
			return fmt.Sprintf("The role %s does not hold tasks.view.", v.r.Name)
		case !t.clientVisible && !v.internal:
			return fmt.Sprintf("The task is internal and the role %s does not hold tasks.view_internal.", v.r.Name)
		case !v.seesProject(t.project) && me.seesProject(t.project):
			return "This person cannot see the task's project (" + t.project.name + ")."
		case !v.seesProject(t.project):
			return "This person cannot see the task's project."
		case !v.boardAllowsTasks(t.board):
			return "The task is on an invite-only board this person is not invited to; project access does not reveal it."
		case !v.tasksAll && t.assignee != v.uid:
			return fmt.Sprintf("The role %s sees only tasks assigned to the person, and this one is not.", v.r.Name)
		}
	}
	return msg
}
