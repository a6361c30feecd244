package authz

import (
	"fmt"
	"slices"
	"testing"

	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// fuzzRoles are the roles a fuzzed organisation uses: the built-ins and every template.
func fuzzRoles() []RoleDef {
	out := []RoleDef{
		{ID: RoleAdmin, Name: "Admin", Kind: KindInternal, BuiltIn: true},
		{ID: RoleStaff, Name: "Staff", Kind: KindInternal, BuiltIn: true},
		{ID: RoleClient, Name: "Client", Kind: KindClient, BuiltIn: true},
	}
	for _, tp := range Templates {
		out = append(out, RoleDef{ID: tp.Key, Name: tp.Name, Kind: tp.Kind, Grants: tp.Grants})
	}
	return out
}

// fuzzActions are every catalog action, View, and values no constant names.
var fuzzActions = func() []Action {
	out := []Action{View, numActions, numActions + 7}
	for _, p := range Catalog {
		out = append(out, p.Action)
	}
	return out
}()

// fuzzWorld is an index and the naive model of random_test.go, changed together.
type fuzzWorld struct {
	a     *Authorizer
	m     *model
	roles map[string]mrole
	seq   int64
}

var (
	fuzzUsers    = []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "nobody"}
	fuzzProjects = []string{"p0", "p1", "p2", "nope"}
	fuzzTeams    = []string{"t0", "t1", "nope"}
	fuzzBoards   = []string{"b0", "b1", "nope"}
)

func newFuzzWorld() *fuzzWorld {
	roles := fuzzRoles()
	f := &fuzzWorld{roles: map[string]mrole{}}
	for i := range roles {
		if g, ok := BuiltIn[roles[i].ID]; ok {
			roles[i].Grants = g
		}
		f.roles[roles[i].ID] = modelRole(roles[i].Grants, roles[i].Kind)
	}
	f.m = &model{role: map[string]string{}, active: map[string]bool{}, members: map[string]map[string]bool{}, pteams: map[string]map[string]bool{},
		clients: map[string]map[string]bool{}, tmembers: map[string]map[string]bool{}, invited: map[string]bool{},
		access: map[string]map[principal]Level{}, tasks: map[string]*mtask{}}
	var users []UserDef
	for i, u := range fuzzUsers[:len(fuzzUsers)-1] {
		f.m.role[u], f.m.active[u] = roles[i%len(roles)].ID, true
		users = append(users, UserDef{ID: u, RoleID: f.m.role[u], Active: true})
	}
	f.a = newWith(roles, users)
	for _, p := range fuzzProjects[:3] {
		f.m.members[p], f.m.pteams[p], f.m.clients[p] = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	for _, t := range fuzzTeams[:2] {
		f.m.tmembers[t] = map[string]bool{}
	}
	for _, b := range fuzzBoards[:2] {
		f.m.access[b] = map[principal]Level{}
	}
	f.a.Update(func(w *Writer) error {
		for _, t := range fuzzTeams[:2] {
			f.syncTeam(w, t)
		}
		for _, p := range fuzzProjects[:3] {
			f.syncProject(w, p)
		}
		for _, b := range fuzzBoards[:2] {
			f.syncBoard(w, b)
		}
		return nil
	})
	return f
}

func (f *fuzzWorld) syncProject(w *Writer, p string) {
	w.PutProject(&store.Project{ID: p, Name: p, Status: "active", Members: keys(f.m.members[p]), Teams: keys(f.m.pteams[p]), Clients: keys(f.m.clients[p])})
}
func (f *fuzzWorld) syncTeam(w *Writer, t string) {
	members := keys(f.m.tmembers[t])
	w.PutTeam(&store.Team{ID: t, Name: t, Members: members, Leaders: members[:min(1, len(members))]})
}
func (f *fuzzWorld) syncBoard(w *Writer, b string) {
	w.PutBoard(boardRow(b, f.m.invited[b], f.m.access[b], map[string]string{"s-" + b: "open", "r-" + b: "review"}))
}
func (f *fuzzWorld) syncTask(w *Writer, t *mtask) {
	stage := ""
	if t.board != "" {
		stage = "s-" + t.board
	}
	w.PutTask(&store.Task{ID: t.id, Seq: t.seq, ProjectID: t.project, BoardID: t.board, StageID: stage, AssigneeID: t.assignee,
		ClientVisible: t.cv, Followers: keys(t.followers)})
}

func (f *fuzzWorld) taskIDs() []string {
	ids := keys(map[string]bool{})
	for id := range f.m.tasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return append(ids, "no-such-task")
}

// bytes reads the fuzz input a byte at a time (zero once it runs out).
type fuzzBytes struct {
	b []byte
	i int
}

func (r *fuzzBytes) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}
func (r *fuzzBytes) done() bool                      { return r.i >= len(r.b) }
func (r *fuzzBytes) pick(s []string) string          { return s[r.next()%len(s)] }
func (r *fuzzBytes) pickRole(roles []RoleDef) string { return roles[r.next()%len(roles)].ID }

// mutate applies one change to the index and the model.
func (f *fuzzWorld) mutate(r *fuzzBytes) {
	m := f.m
	f.a.Update(func(w *Writer) error {
		switch r.next() % 9 {
		case 0:
			u := r.pick(fuzzUsers[:len(fuzzUsers)-1])
			m.role[u] = r.pickRole(fuzzRoles())
			w.PutUser(u, m.role[u], m.active[u])
		case 1:
			u := r.pick(fuzzUsers[:len(fuzzUsers)-1])
			m.active[u] = !m.active[u]
			w.PutUser(u, m.role[u], m.active[u])
		case 2:
			p, u := r.pick(fuzzProjects[:3]), r.pick(fuzzUsers[:len(fuzzUsers)-1])
			if r.next()%2 == 0 {
				m.members[p][u] = !m.members[p][u]
			} else {
				m.clients[p][u] = !m.clients[p][u]
			}
			f.syncProject(w, p)
		case 3:
			p, t := r.pick(fuzzProjects[:3]), r.pick(fuzzTeams[:2])
			m.pteams[p][t] = !m.pteams[p][t]
			f.syncProject(w, p)
		case 4:
			t, u := r.pick(fuzzTeams[:2]), r.pick(fuzzUsers[:len(fuzzUsers)-1])
			m.tmembers[t][u] = !m.tmembers[t][u]
			f.syncTeam(w, t)
		case 5:
			b := r.pick(fuzzBoards[:2])
			if r.next()%2 == 0 {
				m.invited[b] = !m.invited[b]
			} else {
				p := principal{"user", r.pick(fuzzUsers[:len(fuzzUsers)-1])}
				if r.next()%2 == 0 {
					p = principal{"team", r.pick(fuzzTeams[:2])}
				}
				m.access[b][p] = []Level{LevelNone, LevelMember, LevelEditor}[r.next()%3]
				if m.access[b][p] == LevelNone {
					delete(m.access[b], p)
				}
			}
			f.syncBoard(w, b)
		case 6:
			f.seq++
			t := &mtask{id: fmt.Sprintf("k%03d", f.seq), seq: f.seq, project: r.pick(fuzzProjects[:3]), cv: r.next()%2 == 0, followers: map[string]bool{}}
			if r.next()%2 == 0 {
				t.board = r.pick(fuzzBoards[:2])
			}
			if r.next()%2 == 0 {
				t.assignee = r.pick(fuzzUsers[:len(fuzzUsers)-1])
			}
			m.tasks[t.id] = t
			f.syncTask(w, t)
		case 7:
			if ids := f.taskIDs(); len(ids) > 1 {
				t := m.tasks[ids[r.next()%(len(ids)-1)]]
				switch r.next() % 4 {
				case 0:
					t.cv = !t.cv
				case 1:
					t.board = []string{"", "b0", "b1"}[r.next()%3]
				case 2:
					t.assignee = r.pick(append(slices.Clone(fuzzUsers[:len(fuzzUsers)-1]), ""))
				case 3:
					u := r.pick(fuzzUsers[:len(fuzzUsers)-1])
					t.followers[u] = !t.followers[u]
				}
				f.syncTask(w, t)
			}
		case 8:
			if ids := f.taskIDs(); len(ids) > 1 {
				id := ids[r.next()%(len(ids)-1)]
				delete(m.tasks, id)
				w.DeleteTask(id)
			}
		}
		return nil
	})
}

// query asks one random question of the decision API and checks what can be checked: no
// panic, only classified errors, visibility as the model says, lists agreeing with checks,
// and Explain agreeing with the decision it explains.
func (f *fuzzWorld) query(t *testing.T, r *fuzzBytes) {
	a := f.a
	uid := r.pick(fuzzUsers)
	actor := Actor{UserID: uid}
	if r.next()%4 == 0 {
		actor.Viewer = r.pick(fuzzUsers)
	}
	action := fuzzActions[r.next()%len(fuzzActions)]
	tasks := f.taskIDs()
	task := r.pick(tasks)
	project, board, team, other := r.pick(fuzzProjects), r.pick(fuzzBoards), r.pick(fuzzTeams), r.pick(fuzzUsers)
	classified := func(what string, err error) {
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("%s: unclassified error %v", what, err)
			}
		}
	}
	refs := []Ref{{}, UserRef(other), RoleRef(r.pickRole(fuzzRoles())), ProjectRef(project), TeamRef(team), BoardRef(board), TaskRef(task),
		TaskTypeRef("t?"), {Type: User}, {Type: Project}, {Type: Team}, {Type: Board}, {Type: Role}, {Type: TaskType}, {Type: Type(200), ID: "x"}}
	res := refs[r.next()%len(refs)]
	chg := Change{Role: r.pickRole(fuzzRoles()), Follower: other, Members: []string{other}, Leaders: r.next()%2 == 0, Delete: r.next()%5 == 0,
		Password: r.next()%5 == 0, Deactivate: r.next()%3 == 0, RemovedStages: []string{"s-" + board}, Visibility: r.next()%4 == 0,
		Def: &RoleDef{Kind: Kind(r.pick([]string{"internal", "client", "bogus"})), Grants: []Grant{{Key: r.pick([]string{"tasks.view", "bogus", "settings.general"}), Scope: ScopeAll}}}}
	if r.next()%2 == 0 {
		chg.Task = &TaskChange{Stage: r.next()%2 == 0, StageID: "s-" + board, Assign: r.next()%2 == 0, AssigneeID: other,
			Type: r.next()%2 == 0, TypeID: r.pick([]string{"", "t?"}), Visibility: r.next()%2 == 0, ClientVisible: r.next()%2 == 0,
			Board: r.next()%2 == 0, BoardID: board}
	}
	classified(fmt.Sprintf("Check(%s, %s, %v)", uid, action, res), a.Check(actor, action, res, chg))
	classified("Check without a change", a.Check(actor, action, res))
	if res.Type == System && action < numActions && uid != "nobody" && actor.Viewer == "" && f.m.active[uid] {
		want := slices.ContainsFunc(fuzzRoleGrants(f.m.role[uid]), func(g Grant) bool { return g.Key == action.String() })
		if got := a.Check(actor, action, res) == nil; got != want {
			t.Fatalf("Check(%s (%s), %s) = %v, the role holds it: %v", uid, f.m.role[uid], action, got, want)
		}
	}
	if _, err := a.WhoCanSee(actor, Type(r.next()%9), r.pick([]string{project, board, task})); err != nil {
		classified("WhoCanSee", err)
	}
	if _, err := a.VisibleTasks(actor, TaskFilter{ProjectID: r.pick([]string{"", project}), BoardID: r.pick([]string{"", board}), Limit: 1 + r.next()%5}); err != nil {
		classified("VisibleTasks", err)
	}
	// Visibility agrees with the model (for a plain actor: the model knows no view-as).
	if actor.Viewer == "" && uid != "nobody" {
		mr := f.roles[f.m.role[uid]]
		if mt := f.m.tasks[task]; mt != nil {
			if got, want := a.Check(actor, View, TaskRef(task)) == nil, f.m.seesTask(mr, uid, mt); got != want {
				t.Fatalf("%s (%s) sees task %+v: index %v, model %v", uid, f.m.role[uid], *mt, got, want)
			}
		}
		if f.m.members[project] != nil {
			if got, want := a.Check(actor, View, ProjectRef(project)) == nil, f.m.seesProject(mr, uid, project); got != want {
				t.Fatalf("%s (%s) sees project %s: index %v, model %v", uid, f.m.role[uid], project, got, want)
			}
		}
	}
	// Explain agrees with the decision it explains, or refuses the question.
	asker := Actor{UserID: "u0"} // holds Admin while its role is not changed
	t2 := Type(1 + r.next()%8)
	id := map[Type]string{Project: project, Board: board, Task: task}[t2]
	ex, err := a.Explain(asker, other, action, t2, id)
	if err != nil {
		classified("Explain", err)
		return
	}
	if got := a.Check(Actor{UserID: other}, action, Ref{t2, id}) == nil; ex.Allowed != got && action != TasksAssign {
		t.Fatalf("Explain(%s, %s, %s %s) allowed=%v, Check %v", other, action, t2, id, ex.Allowed, got)
	}
}

func fuzzRoleGrants(id string) []Grant {
	for _, r := range fuzzRoles() {
		if r.ID == id {
			if g, ok := BuiltIn[id]; ok {
				return g
			}
			return r.Grants
		}
	}
	return nil
}

// FuzzDecisions runs random changes and random questions (actors, view-as pairs, actions
// known and unknown, resources present and absent) through the decision functions and the
// reference model.
func FuzzDecisions(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{6, 0, 1, 0, 1, 2, 0, 3, 2, 1, 7, 5, 9, 3, 4, 250, 2, 1, 0, 11, 12})
	f.Add([]byte{2, 1, 3, 0, 6, 1, 0, 1, 1, 3, 4, 0, 5, 5, 1, 2, 1, 6, 2, 0, 0, 1, 7, 0, 1, 200, 100, 50, 25, 3, 9})
	f.Add([]byte("view as someone, then explain an unknown action on a deleted task"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w := newFuzzWorld()
		r := &fuzzBytes{b: data}
		for steps := 0; !r.done() && steps < 200; steps++ {
			if r.next()%3 == 0 {
				w.query(t, r)
			} else {
				w.mutate(r)
			}
		}
	})
}
