package authz

import (
	"slices"
	"sort"
)

// The index of projects, teams, boards, task types and tasks. Like roles and users, it is
// built from the store at start and changed only through the Writer, after each commit.

// Level is a board invitation level.
type Level string

// Board invitation levels.
const (
	LevelNone   Level = ""
	LevelMember Level = "member" // view, move tasks between stages, create tasks in stages
	LevelEditor Level = "editor" // also edit the board and its stages, delete it, move tasks between boards
)

// Principal is who an invitation or a task-type authorisation names: a user or a team.
type Principal struct {
	Type string `json:"type"` // "user" or "team"
	ID   string `json:"id"`
}

type project struct {
	id      string
	name    string
	active  bool
	members map[string]bool // direct internal members
	teams   map[string]bool
	clients map[string]bool
	tasks   []*task // by seq, ascending
	// counts of tasks by board ("" for none): [0] internal-only, [1] client-visible
	counts map[string]*[2]int
}

type team struct {
	id       string
	name     string
	members  map[string]bool
	leaders  map[string]bool
	projects map[string]bool
}

type board struct {
	id      string
	name    string
	invited bool
	access  map[Principal]Level
	stages  map[string]string // stage id → kind (open, review, done)
}

type taskType struct {
	id     string
	name   string
	access map[Principal]TypeRight
}

// TypeRight says what a principal may do with tasks of a type.
type TypeRight struct {
	Create bool `json:"create"`
	Assign bool `json:"assign"`
}

type task struct {
	id            string
	seq           int64
	project       *project
	board         string
	stage         string
	assignee      string
	clientVisible bool
	typeID        string
	followers     map[string]bool
}

// the work part of a user's index entry
type userWork struct {
	teams          map[string]bool
	projects       map[string]bool // direct member of
	clientProjects map[string]bool
	followed       map[string]*task
	assigned       map[string]*task
	noReceive      bool // others may not open tasks for them
	noOpen         bool // may not open tasks for others
}

func newUserWork() *userWork {
	return &userWork{teams: map[string]bool{}, projects: map[string]bool{}, clientProjects: map[string]bool{},
		followed: map[string]*task{}, assigned: map[string]*task{}}
}

// work returns a user's entry for writing (Writer only: it may insert).
func (a *Authorizer) work(uid string) *userWork {
	w, ok := a.uwork[uid]
	if !ok {
		w = newUserWork()
		a.uwork[uid] = w
	}
	return w
}

// emptyWork stands in for users with no work entry on the read path, which must not
// insert into the index under the shared lock.
var emptyWork = newUserWork()

// readWork returns a user's entry for reading.
func (a *Authorizer) readWork(uid string) *userWork {
	if w, ok := a.uwork[uid]; ok {
		return w
	}
	return emptyWork
}

// setOf returns ids as a set; nil when empty (a lookup in a nil map is false, and 100,000
// tasks without followers then cost no maps).
func setOf(ids []string) map[string]bool {
	if len(ids) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// ProjectDef is a project as the index needs it.
type ProjectDef struct {
	ID      string
	Name    string
	Active  bool
	Members []string
	Teams   []string
	Clients []string
}

// SetProject adds or replaces a project's membership (its tasks stay).
func (w *Writer) SetProject(d ProjectDef) {
	a := w.a
	p, ok := a.projects[d.ID]
	if ok {
		for u := range p.members {
			delete(a.work(u).projects, d.ID)
		}
		for u := range p.clients {
			delete(a.work(u).clientProjects, d.ID)
		}
		for t := range p.teams {
			if tm := a.teams[t]; tm != nil {
				delete(tm.projects, d.ID)
			}
		}
	} else {
		p = &project{id: d.ID, counts: map[string]*[2]int{}}
		a.projects[d.ID] = p
	}
	p.name, p.active = d.Name, d.Active
	p.members, p.teams, p.clients = setOf(d.Members), setOf(d.Teams), setOf(d.Clients)
	for u := range p.members {
		a.work(u).projects[d.ID] = true
	}
	for u := range p.clients {
		a.work(u).clientProjects[d.ID] = true
	}
	for t := range p.teams {
		if tm := a.teams[t]; tm != nil {
			tm.projects[d.ID] = true
		}
	}
}

// DeleteProject forgets a project and its tasks.
func (w *Writer) DeleteProject(id string) {
	a := w.a
	p, ok := a.projects[id]
	if !ok {
		return
	}
	for _, t := range slices.Clone(p.tasks) {
		w.DeleteTask(t.id)
	}
	w.SetProject(ProjectDef{ID: id})
	delete(a.projects, id)
}

// TeamDef is a team as the index needs it.
type TeamDef struct {
	ID      string
	Name    string
	Members []string
	Leaders []string
}

// SetTeam adds or replaces a team and its members.
func (w *Writer) SetTeam(d TeamDef) {
	a := w.a
	t, ok := a.teams[d.ID]
	if ok {
		for u := range t.members {
			delete(a.work(u).teams, d.ID)
		}
	} else {
		t = &team{id: d.ID, projects: map[string]bool{}}
		for pid, p := range a.projects {
			if p.teams[d.ID] {
				t.projects[pid] = true
			}
		}
		a.teams[d.ID] = t
	}
	t.name = d.Name
	t.members, t.leaders = setOf(d.Members), setOf(d.Leaders)
	for u := range t.members {
		a.work(u).teams[d.ID] = true
	}
}

// DeleteTeam forgets a team, and removes it from projects, boards and task types.
func (w *Writer) DeleteTeam(id string) {
	a := w.a
	t, ok := a.teams[id]
	if !ok {
		return
	}
	for u := range t.members {
		delete(a.work(u).teams, id)
	}
	for pid := range t.projects {
		delete(a.projects[pid].teams, id)
	}
	for _, b := range a.boards {
		delete(b.access, Principal{"team", id})
	}
	// Task-type authorisations keep the deleted team: it matches nobody, so a type whose
	// only authorised team is deleted stays closed instead of opening to everyone.
	delete(a.teams, id)
}

// BoardDef is a board as the index needs it.
type BoardDef struct {
	ID      string
	Name    string
	Invited bool
	Access  map[Principal]Level
	Stages  map[string]string // id → kind
}

// SetBoard adds or replaces a board.
func (w *Writer) SetBoard(d BoardDef) {
	acc := map[Principal]Level{}
	for p, l := range d.Access {
		acc[p] = l
	}
	st := map[string]string{}
	for id, k := range d.Stages {
		st[id] = k
	}
	w.a.boards[d.ID] = &board{id: d.ID, name: d.Name, invited: d.Invited, access: acc, stages: st}
	// Tasks in a removed stage keep no stage (the database's ON DELETE SET NULL).
	for _, t := range w.a.tasks {
		if t.board == d.ID && t.stage != "" && st[t.stage] == "" {
			t.stage = ""
		}
	}
}

// DeleteBoard forgets a board; its tasks stay in their projects without a board (as the
// database's ON DELETE SET NULL does).
func (w *Writer) DeleteBoard(id string) {
	a := w.a
	for _, t := range a.tasks {
		if t.board == id {
			a.countTask(t, -1)
			t.board, t.stage = "", ""
			a.countTask(t, +1)
		}
	}
	delete(a.boards, id)
}

// TypeDef is a task type.
type TypeDef struct {
	ID     string
	Name   string
	Access map[Principal]TypeRight
}

// SetTaskType adds or replaces a task type.
func (w *Writer) SetTaskType(d TypeDef) {
	acc := map[Principal]TypeRight{}
	for p, r := range d.Access {
		acc[p] = r
	}
	w.a.types[d.ID] = &taskType{id: d.ID, name: d.Name, access: acc}
}

// DeleteTaskType forgets a type (tasks keep no type).
func (w *Writer) DeleteTaskType(id string) {
	for _, t := range w.a.tasks {
		if t.typeID == id {
			t.typeID = ""
		}
	}
	delete(w.a.types, id)
}

// TaskDef is a task as the index needs it.
type TaskDef struct {
	ID            string
	Seq           int64
	ProjectID     string
	BoardID       string
	StageID       string
	AssigneeID    string
	ClientVisible bool
	TypeID        string
	Followers     []string
}

func (a *Authorizer) countTask(t *task, delta int) {
	i := 0
	if t.clientVisible {
		i = 1
	}
	for _, m := range []map[string]*[2]int{t.project.counts, a.counts} {
		c := m[t.board]
		if c == nil {
			c = &[2]int{}
			m[t.board] = c
		}
		c[i] += delta
	}
}

// SetTask adds or replaces a task.
func (w *Writer) SetTask(d TaskDef) {
	a := w.a
	p := a.projects[d.ProjectID]
	if p == nil {
		return
	}
	t, ok := a.tasks[d.ID]
	if ok {
		a.countTask(t, -1)
		if t.assignee != "" {
			delete(a.work(t.assignee).assigned, t.id)
		}
		for u := range t.followers {
			delete(a.work(u).followed, t.id)
		}
	} else {
		t = &task{id: d.ID, seq: d.Seq, project: p}
		a.tasks[d.ID] = t
		p.tasks = insertBySeq(p.tasks, t)
		a.allTasks = insertBySeq(a.allTasks, t)
	}
	t.board, t.stage, t.assignee, t.clientVisible, t.typeID = d.BoardID, d.StageID, d.AssigneeID, d.ClientVisible, d.TypeID
	t.followers = setOf(d.Followers)
	a.countTask(t, +1)
	if t.assignee != "" {
		a.work(t.assignee).assigned[t.id] = t
	}
	for u := range t.followers {
		a.work(u).followed[t.id] = t
	}
}

func insertBySeq(s []*task, t *task) []*task {
	if n := len(s); n == 0 || s[n-1].seq < t.seq {
		return append(s, t) // the usual case: a new task is the newest
	}
	i := sort.Search(len(s), func(i int) bool { return s[i].seq >= t.seq })
	return slices.Insert(s, i, t)
}

func removeBySeq(s []*task, t *task) []*task {
	i := sort.Search(len(s), func(i int) bool { return s[i].seq >= t.seq })
	if i < len(s) && s[i] == t {
		return slices.Delete(s, i, i+1)
	}
	return s
}

// DeleteTask forgets a task.
func (w *Writer) DeleteTask(id string) {
	a := w.a
	t, ok := a.tasks[id]
	if !ok {
		return
	}
	a.countTask(t, -1)
	if t.assignee != "" {
		delete(a.work(t.assignee).assigned, id)
	}
	for u := range t.followers {
		delete(a.work(u).followed, id)
	}
	t.project.tasks = removeBySeq(t.project.tasks, t)
	a.allTasks = removeBySeq(a.allTasks, t)
	delete(a.tasks, id)
}

// SetTaskRules records who may open tasks for whom for one user.
func (w *Writer) SetTaskRules(uid string, receiveFromOthers, openForOthers bool) {
	uw := w.a.work(uid)
	uw.noReceive, uw.noOpen = !receiveFromOthers, !openForOthers
}

// forgetUserWork removes a deleted user from everything (the database cascades the same).
func (a *Authorizer) forgetUserWork(uid string) {
	uw, ok := a.uwork[uid]
	if !ok {
		return
	}
	for pid := range uw.projects {
		delete(a.projects[pid].members, uid)
	}
	for pid := range uw.clientProjects {
		delete(a.projects[pid].clients, uid)
	}
	for tid := range uw.teams {
		delete(a.teams[tid].members, uid)
		delete(a.teams[tid].leaders, uid)
	}
	for _, t := range uw.followed {
		delete(t.followers, uid) // delete on a nil map is a no-op
	}
	for _, t := range uw.assigned {
		t.assignee = ""
	}
	for _, b := range a.boards {
		delete(b.access, Principal{"user", uid})
	}
	// Task-type authorisations keep the deleted user (see DeleteTeam).
	delete(a.uwork, uid)
}
