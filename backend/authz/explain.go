package authz

import (
	"slices"
	"strings"

	"gatehouse/backend/apperr"
)

// Explanations: who can see a thing and by which paths, and why one decision went the way
// it did. Both run the rules of rules.go with a recorder, so they cannot disagree with
// the decisions they explain.

// Path is one way a user reaches a project, board or task.
type Path struct {
	// Kind: role_scope (the role sees all projects), grant (an extra grant of projects.view
	// with scope all: Via is the grant, Name who gave it), member (direct project member), team
	// (through a team on the project or the board invitation), client (attached client),
	// board_open (the board is visible to everyone internal), board_invite (invited
	// directly), follower, assignee (the role sees only tasks assigned to the user).
	Kind  string `json:"kind"`
	Via   string `json:"via,omitempty"`   // the team, board or project the path goes through
	Name  string `json:"name,omitempty"`  // its name, for display
	Level Level  `json:"level,omitempty"` // board invitations
	// Until: a grant path's end (RFC 3339), when it has one.
	Until string `json:"until,omitempty"`
	// Removable: the asking actor may cut this path (and the UI offers to).
	Removable bool `json:"removable"`
}

// Access is one user who can see a resource, with every path.
type Access struct {
	UserID string `json:"userId"`
	Paths  []Path `json:"paths"`
}

func sortPaths(p []Path) {
	slices.SortStableFunc(p, func(a, b Path) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Via, b.Via)
	})
}

// sees returns the visibility rule of resource (t, id) as a predicate over views, with the
// resource resolved once (nil when it does not exist).
func (rd *Reader) sees(t Type, id string) func(v *view, y *why) bool {
	switch t {
	case Project:
		if p, ph := rd.x.project(id); p != nil {
			return func(v *view, y *why) bool { return rd.seesProject(v, ph, y) }
		}
	case Board:
		if b, bh := rd.x.board(id); b != nil {
			return func(v *view, y *why) bool { return rd.seesBoard(v, bh, y) }
		}
	case Task:
		if tk, _ := rd.x.task(id); tk != nil {
			return func(v *view, y *why) bool { return rd.seesTask(v, tk, y) }
		}
	case File:
		if f, _ := rd.x.file(id); f != nil {
			return func(v *view, y *why) bool { return rd.seesFile(v, f, y) }
		}
	case Thread:
		if th, _ := rd.x.thread(id); th != nil {
			return func(v *view, y *why) bool { return rd.seesThread(v, th, y) }
		}
	}
	return nil
}

// explainable are the types who-can-see and explain answer for.
func explainable(t Type) bool {
	return t == Project || t == Board || t == Task || t == File || t == Thread
}

// WhoCanSee lists every active user who can see a project, board or task, with every
// path. The asking actor must see the resource and hold users.view; the list is limited to
// the accounts their users.view scope covers. Paths the actor may cut are marked
// removable; paths through things the actor cannot see are named only as such.
func (a *Authorizer) WhoCanSee(actor Actor, t Type, id string) ([]Access, error) {
	var out []Access
	err := a.Read(func(rd *Reader) error {
		var err error
		out, err = rd.WhoCanSee(actor, t, id)
		return err
	})
	return out, err
}

// WhoCanSee is Authorizer.WhoCanSee for a lock holder.
func (rd *Reader) WhoCanSee(actor Actor, t Type, id string) ([]Access, error) {
	var me view
	if err := rd.viewOf(actor, &me); err != nil {
		return nil, err
	}
	if !explainable(t) {
		return nil, apperr.Field("resourceType", "The resource type is project, board, task, file or thread.")
	}
	if err := rd.decide(&me, View, Ref{t, id}, &Change{}, nil); err != nil {
		return nil, err
	}
	if !me.has(UsersView) {
		return nil, forbidden(UsersView)
	}
	uv := me.scope(UsersView)
	see := rd.sees(t, id)
	cands := rd.candidates(t, id)
	// Paths of everyone go into one backing array, and what the asker may cut, and may
	// know, is decided once per distinct path: the same for every user.
	arena := make([]Path, 0, len(cands)+len(cands)/4+4)
	type shown struct {
		kind, via string
		removable bool
		path      Path
	}
	var seen []shown
	out := make([]Access, 0, len(cands))
	var y why
	var v view
	for _, uh := range cands {
		u := &rd.x.users[uh]
		if !u.alive || !u.active || u.role < 0 || !covers(uv, userKindScope(rd.x.roles[u.role].kind)) {
			continue
		}
		if rd.viewOf(Actor{UserID: u.id, h: uh + 1}, &v) != nil {
			continue
		}
		start := len(arena)
		y.paths, y.missing = arena[start:start], apperr.Text{}
		if !see(&v, &y) || len(y.paths) == 0 {
			continue
		}
		if cap(y.paths) != cap(arena)-start {
			// The arena was full: continue in the new array the paths grew into.
			arena = y.paths[:0:cap(y.paths)]
			start = 0
		}
		arena = arena[:start+len(y.paths)]
		paths := arena[start:]
		sortPaths(paths)
		for i := range paths {
			k := slices.IndexFunc(seen, func(s shown) bool { return s.kind == paths[i].Kind && s.via == paths[i].Via })
			if k < 0 {
				one := []Path{paths[i]}
				rd.redact(&me, t, id, one)
				seen = append(seen, shown{paths[i].Kind, paths[i].Via, rd.removable(&me, paths[i]), one[0]})
				k = len(seen) - 1
			}
			level := paths[i].Level
			paths[i] = seen[k].path
			paths[i].Level, paths[i].Removable = level, seen[k].removable
		}
		out = append(out, Access{UserID: u.id, Paths: paths})
	}
	slices.SortFunc(out, func(a, b Access) int { return strings.Compare(a.UserID, b.UserID) })
	return out, nil
}

// candidates are the users who might reach a resource: role-scope holders, members,
// teams' members, clients, invitees, followers. An open board is seen by every internal
// user.
func (rd *Reader) candidates(t Type, id string) []handle {
	x := rd.x
	out := make([]handle, 0, 64)
	scopeAll := func() {
		for _, r := range x.roles {
			if r.alive && r.kind == KindInternal && r.holds(ProjectsView) && r.scope[ProjectsView] == ScopeAll {
				r.holders.each(func(uh handle) { out = append(out, uh) })
			}
		}
		// and whoever sees them all through an extra grant
		for uh := range x.users {
			if u := &x.users[uh]; u.eff != nil && u.eff.kind == KindInternal && u.eff.holds(ProjectsView) && u.eff.scope[ProjectsView] == ScopeAll {
				out = append(out, handle(uh))
			}
		}
	}
	project := func(p *projectRec) {
		scopeAll()
		out = append(out, p.members...)
		out = append(out, p.clients...)
		for _, th := range p.teams {
			out = append(out, x.teams[th].members...)
		}
	}
	switch t {
	case Project:
		p, _ := x.project(id)
		project(p)
	case Board:
		b, _ := x.board(id)
		if !b.invited {
			for uh := range x.users {
				out = append(out, handle(uh))
			}
			break
		}
		scopeAll()
		for uh := range b.users {
			out = append(out, uh)
		}
		for th := range b.teams {
			out = append(out, x.teams[th].members...)
		}
	case Task:
		tk, _ := x.task(id)
		project(x.projects[tk.project])
		out = append(out, tk.followers...)
	case File:
		f, _ := x.file(id)
		project(x.projects[f.project])
		if f.task >= 0 {
			out = append(out, x.tasks[f.task].followers...)
		}
	case Thread:
		th, _ := x.thread(id)
		project(x.projects[th.project])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// removable: whether me may cut this path: project membership and client attachment with
// projects.members, a team membership with the right to edit the team, a board invitation
// as the board's editor, a follower with tasks.edit on the task.
func (rd *Reader) removable(me *view, p Path) bool {
	switch p.Kind {
	case "member", "client":
		return rd.decideProject(me, ProjectsMembers, p.Via, &Change{}, nil) == nil
	case "team":
		return rd.decideTeam(me, TeamsManage, p.Via, &Change{}) == nil
	case "board_invite":
		b, bh := rd.x.board(p.Via)
		return b != nil && rd.seesBoard(me, bh, nil) && rd.isBoardEditor(me, bh)
	case "follower":
		return rd.decideTask(me, TasksEdit, p.Via, &Change{}, nil) == nil
	}
	return false
}

// redact hides, in the paths to resource (t, id) shown to me, every project, board or team
// that me cannot see: such a path is still listed (it is why the person has access) but
// says only "a project you cannot see", never its name or id.
func (rd *Reader) redact(me *view, t Type, id string, paths []Path) {
	hiddenProject := false
	if t == Task {
		if tk, _ := rd.x.task(id); tk != nil {
			hiddenProject = !rd.seesProject(me, tk.project, nil)
		}
	}
	if t == File {
		if f, _ := rd.x.file(id); f != nil {
			hiddenProject = !rd.seesProject(me, f.project, nil)
		}
	}
	if t == Thread {
		if th, _ := rd.x.thread(id); th != nil {
			hiddenProject = !rd.seesProject(me, th.project, nil)
		}
	}
	for i := range paths {
		p := &paths[i]
		switch p.Kind {
		case "member", "client":
			if pr, ph := rd.x.project(p.Via); pr == nil || !rd.seesProject(me, ph, nil) {
				p.Via, p.Name = "", "a project you cannot see"
			}
		case "board_open", "board_invite":
			if b, bh := rd.x.board(p.Via); b == nil || !rd.seesBoard(me, bh, nil) {
				p.Via, p.Name = "", "a board you cannot see"
			}
		case "team":
			// A team on a project the asker cannot see would tell which teams work on it.
			if me.client || (hiddenProject && p.Level == LevelNone) {
				p.Via, p.Name = "", "a team"
			}
		case "role_scope":
			// Roles are named to whoever may list them (users.view holds that).
		}
	}
}

// Explanation answers whether a user may do an action on a resource, and why.
type Explanation struct {
	Allowed bool        `json:"allowed"`
	Paths   []Path      `json:"paths"`
	Missing apperr.Text `json:"-"` // why not, when not (httpapi says it in the reader's language)
}

// explainActions are the actions Explain answers for each resource type; anything else is
// refused rather than guessed at.
var explainActions = map[Type][]Action{
	Project: {View, ProjectsView, ProjectsEdit, ProjectsDelete, ProjectsMembers, ProjectsSettings, TasksCreate},
	Board:   {View, TasksColumns, TasksStatus},
	Task:    {View, TasksView, TasksStatus, TasksAssign, TasksEdit, TasksDelete, TasksReview, ChatTaskComments},
	File:    {View, FilesView, FilesUpload, FilesDelete, FilesShareClients},
	Thread:  {View, ChatDiscussions},
}

// ExplainAction reads the action an explanation is asked about: a catalog key, "view", or
// for boards the words "edit" (tasks.columns) and "work" (tasks.status); "" is View.
func ExplainAction(t Type, key string) (Action, error) {
	a, ok := View, true
	switch {
	case key == "":
	case t == Board && key == "edit":
		a = TasksColumns
	case t == Board && key == "work":
		a = TasksStatus
	default:
		a, ok = ActionOf(key)
	}
	if !explainable(t) {
		return 0, apperr.Field("resourceType", "The resource type is project, board, task, file or thread.")
	}
	if !ok || !slices.Contains(explainActions[t], a) {
		var names []string
		for _, x := range explainActions[t] {
			names = append(names, x.String())
		}
		return 0, apperr.Field("action", "Gatehouse cannot explain %q for a %s; ask about one of: %s.", key, t, strings.Join(names, ", "))
	}
	return a, nil
}

// Explain tells why userID may or may not do action on a resource. The asking actor needs
// users.view covering that user and must see the resource themselves; what they are told
// names nothing they cannot see.
func (a *Authorizer) Explain(actor Actor, userID string, action Action, t Type, id string) (*Explanation, error) {
	var out *Explanation
	err := a.Read(func(rd *Reader) error {
		var err error
		out, err = rd.Explain(actor, userID, action, t, id)
		return err
	})
	return out, err
}

// Explain is Authorizer.Explain for a lock holder.
func (rd *Reader) Explain(actor Actor, userID string, action Action, t Type, id string) (*Explanation, error) {
	var me view
	if err := rd.viewOf(actor, &me); err != nil {
		return nil, err
	}
	if err := rd.decideUser(&me, UsersView, userID, &Change{}); err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return nil, apperr.Field("userId", "No such user.")
		}
		return nil, err
	}
	if !explainable(t) {
		return nil, apperr.Field("resourceType", "The resource type is project, board, task, file or thread.")
	}
	if !slices.Contains(explainActions[t], action) {
		return nil, apperr.Field("action", "Gatehouse cannot explain %s for a %s.", action, t)
	}
	// The asker must see the resource; the paths are then the subject's.
	if err := rd.decide(&me, View, Ref{t, id}, &Change{}, nil); err != nil {
		return nil, err
	}
	ex := &Explanation{Paths: []Path{}}
	var v view
	if rd.viewOf(Actor{UserID: userID}, &v) != nil {
		ex.Missing = apperr.Textf("The account is deactivated: it can see nothing.")
		return ex, nil
	}
	var y why
	var c Change
	if t == Task && action == TasksAssign {
		// May they take it on: assign it to themselves.
		c.Task = &TaskChange{Assign: true, AssigneeID: userID}
	}
	decision := rd.decide(&v, action, Ref{t, id}, &c, &y)
	ex.Allowed = decision == nil
	// The paths are how the subject sees the thing (recorded by its visibility rule).
	if len(y.paths) > 0 {
		paths := slices.Clone(y.paths)
		sortPaths(paths)
		rd.redact(&me, t, id, paths)
		ex.Paths = paths
	}
	if decision != nil {
		switch {
		case t == Task && rd.onlyFollows(&v, id):
			ex.Missing = apperr.Textf("This person only follows the task: %s", errorText(decision))
		case !y.missing.IsZero() && apperr.IsKind(decision, apperr.NotFound):
			ex.Missing = y.missing
			if t == Task && y.missing.String() == taskProjectHidden {
				if tk, _ := rd.x.task(id); tk != nil && rd.seesProject(&me, tk.project, nil) {
					ex.Missing = apperr.Textf("This person cannot see the task's project (%s).", rd.x.projects[tk.project].name)
				}
			}
		default:
			ex.Missing = errorText(decision)
		}
	}
	return ex, nil
}

// errorText is err as its Error method says it (a field first, when it names one), in
// words a message can hold.
func errorText(err error) apperr.Text {
	if e, ok := apperr.As(err); ok && e.Field != "" {
		return apperr.Textf("%s: %s", e.Field, e.Text())
	}
	return apperr.TextOf(err)
}

func (rd *Reader) onlyFollows(v *view, id string) bool {
	tk, _ := rd.x.task(id)
	return tk != nil && hasSorted(tk.followers, v.uh) && v.followerMay(tk) && !rd.seesTaskNormally(v, tk, nil)
}

// Audience lists the active users who see resource (t, id), for an actor who sees it
// themselves (the people one may mention in a discussion). A client learns only of
// internal people and themselves, as Nameable decides everywhere else.
func (a *Authorizer) Audience(actor Actor, t Type, id string) ([]string, error) {
	var out []string
	err := a.Read(func(rd *Reader) error {
		var me view
		if err := rd.viewOf(actor, &me); err != nil {
			return err
		}
		if !explainable(t) {
			return apperr.Field("resourceType", "The resource type is project, board, task, file or thread.")
		}
		if err := rd.decide(&me, View, Ref{t, id}, &Change{}, nil); err != nil {
			return err
		}
		see := rd.sees(t, id)
		var v view
		for _, uh := range rd.candidates(t, id) {
			u := &rd.x.users[uh]
			if !u.alive || !u.active || u.role < 0 || rd.viewOf(Actor{UserID: u.id, h: uh + 1}, &v) != nil || !see(&v, nil) {
				continue
			}
			if me.client && uh != me.uh && rd.x.roles[u.role].kind != KindInternal {
				continue
			}
			out = append(out, u.id)
		}
		return nil
	})
	return out, err
}
