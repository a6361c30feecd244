package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// The reference model extended to aggregates: random changes made through the API (roles
// with reports.dashboard at scope team and all, teams and their leaders, projects and
// their members, teams and clients, boards and their invitations, tasks with assignees,
// stages, due dates, completion and visibility, followers, the clock and the time zone),
// and after them every person's GET /api/reports/tasks — and some view-as pairs' — is
// compared with a report computed from scratch from a deliberately naive model: plain
// maps, no index, every figure counted again. A report never counts what its reader may
// not see, and at scope team only the people of the teams they lead.
//
// The seed is printed on failure; GATEHOUSE_SEED=N runs that seed again.

// rmRole is what a role holds that the reports depend on.
type rmRole struct {
	projectsView, projectsAll, tasksView, tasksAll, internal bool
	reports                                                  string // "", "team" or "all"
	name                                                     string
}

func modelRole(name string, grants []map[string]string) *rmRole {
	r := &rmRole{name: name}
	for _, g := range grants {
		switch g["key"] {
		case "projects.view":
			r.projectsView, r.projectsAll = true, g["scope"] == "all"
		case "tasks.view":
			r.tasksView, r.tasksAll = true, g["scope"] == "all"
		case "tasks.view_internal":
			r.internal = true
		case "reports.dashboard":
			r.reports = g["scope"]
		}
	}
	return r
}

type rmUser struct {
	id, name, email, password, role, token string
	active, client                         bool
}

type rmProject struct {
	id, name                string
	members, teams, clients map[string]bool
}

type rmTeam struct {
	id, name         string
	members, leaders map[string]bool
}

type rmStage struct{ id, name, kind string }

type rmBoard struct {
	id           string
	invited      bool
	users, teams map[string]string // invitations: id → level
	stages       []rmStage
}

type rmTask struct {
	id, project, board, stage, assignee, due string
	cv                                       bool
	completed                                time.Time // zero: not completed
	followers                                map[string]bool
}

type reportModel struct {
	roles    map[string]*rmRole
	users    map[string]*rmUser
	projects map[string]*rmProject
	teams    map[string]*rmTeam
	boards   map[string]*rmBoard
	tasks    map[string]*rmTask
	loc      *time.Location
}

func (m *reportModel) stage(t *rmTask) rmStage {
	if b := m.boards[t.board]; b != nil {
		for _, s := range b.stages {
			if s.id == t.stage {
				return s
			}
		}
	}
	return rmStage{kind: "open"} // no board: an open task without a stage
}

// touched is what the store does to a task at each write: completed when it reaches a
// done stage, kept while it stays in one, cleared when it leaves.
func (m *reportModel) touched(t *rmTask, now time.Time) {
	if m.stage(t).kind != "done" {
		t.completed = time.Time{}
	} else if t.completed.IsZero() {
		t.completed = now
	}
}

func (m *reportModel) seesProject(u *rmUser, p string) bool {
	r := m.roles[u.role]
	if !r.projectsView {
		return false
	}
	if r.projectsAll || m.projects[p].members[u.id] {
		return true
	}
	for tm := range m.projects[p].teams {
		if m.teams[tm].members[u.id] {
			return true
		}
	}
	return false
}

func (m *reportModel) invitedTo(u *rmUser, b *rmBoard) bool {
	if b.users[u.id] != "" {
		return true
	}
	for tm := range b.teams {
		if m.teams[tm].members[u.id] {
			return true
		}
	}
	return false
}

// seesTask, for internal people (the only ones who may hold reports.dashboard): as a
// follower, or through the role, the project and the board.
func (m *reportModel) seesTask(u *rmUser, t *rmTask) bool {
	if !u.active {
		return false
	}
	if t.followers[u.id] {
		return true
	}
	r := m.roles[u.role]
	b := m.boards[t.board]
	boardOK := b == nil || !b.invited || r.projectsAll || m.invitedTo(u, b)
	return r.tasksView && (t.cv || r.internal) && (r.tasksAll || t.assignee == u.id) && m.seesProject(u, t.project) && boardOK
}

// seenBy: reader sees t; viewed as someone, both see it — and when that person sees it
// through its project (not as its follower), the reader sees the project too: the server
// decides a project for both people, so a reader who sees a task only as its follower
// does not see it viewed as someone else (stricter than "both see it"; never more).
func (m *reportModel) seenBy(reader, viewed *rmUser, t *rmTask) bool {
	if viewed == nil {
		return m.seesTask(reader, t)
	}
	return m.seesTask(reader, t) && m.seesTask(viewed, t) && (t.followers[viewed.id] || m.seesProject(reader, t.project))
}

// rmScope is what of the reports someone reads: all, or the teams they lead and the
// people of those teams (themselves included).
type rmScope struct {
	all           bool
	teams, people map[string]bool
}

func (m *reportModel) scope(u *rmUser) (rmScope, bool) {
	switch m.roles[u.role].reports {
	case "all":
		return rmScope{all: true}, true
	case "team":
		s := rmScope{teams: map[string]bool{}, people: map[string]bool{u.id: true}}
		for id, tm := range m.teams {
			if tm.leaders[u.id] {
				s.teams[id] = true
				for p := range tm.members {
					s.people[p] = true
				}
			}
		}
		return s, true
	}
	return rmScope{}, false
}

func (s rmScope) hasTeam(id string) bool   { return s.all || s.teams[id] }
func (s rmScope) hasPerson(id string) bool { return s.all || s.people[id] }

type rCounts struct {
	Open    int `json:"open"`
	Review  int `json:"review"`
	Done    int `json:"done"`
	Overdue int `json:"overdue"`
}

type rGroup struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Open    int    `json:"open"`
	Review  int    `json:"review"`
	Done    int    `json:"done"`
	Overdue int    `json:"overdue"`
}

type rStage struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

type rWeek struct {
	Start string `json:"start"`
	Count int    `json:"count"`
}

type rReport struct {
	Today    string   `json:"today"`
	Scope    string   `json:"scope"`
	Total    rCounts  `json:"total"`
	Stages   []rStage `json:"stages"`
	People   []rGroup `json:"people"`
	Projects []rGroup `json:"projects"`
	Teams    []rGroup `json:"teams"`
	Weeks    []rWeek  `json:"weeks"`
}

func (g *rGroup) add(kind string, overdue bool) {
	switch kind {
	case "done":
		g.Done++
	case "review":
		g.Review++
	default:
		g.Open++
	}
	if overdue {
		g.Overdue++
	}
}

// civil is the calendar day of t in loc, as midnight UTC (days then differ by 24 hours).
func civil(t time.Time, loc *time.Location) time.Time {
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// expect is the report reader reads (as viewed, when viewed is not nil): 403 without
// reports.dashboard. Viewed as someone, both must hold it, and it counts what both see
// within what both may read.
func (m *reportModel) expect(reader, viewed *rmUser, now time.Time) (int, rReport) {
	people := []*rmUser{reader}
	if viewed != nil {
		people = append(people, viewed)
	}
	var scopes []rmScope
	for _, u := range people {
		s, ok := m.scope(u)
		if !ok {
			return 403, rReport{}
		}
		scopes = append(scopes, s)
	}
	inScope := func(ok func(rmScope) bool) bool {
		for _, s := range scopes {
			if !ok(s) {
				return false
			}
		}
		return true
	}
	all := inScope(func(s rmScope) bool { return s.all })

	today := civil(now, m.loc)
	rep := rReport{Today: today.Format(time.DateOnly), Scope: "team", Stages: []rStage{}, People: []rGroup{}, Projects: []rGroup{}, Teams: []rGroup{}}
	if all {
		rep.Scope = "all"
	}
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	first := monday.AddDate(0, 0, -7*11)
	for i := range 12 {
		rep.Weeks = append(rep.Weeks, rWeek{Start: first.AddDate(0, 0, 7*i).Format(time.DateOnly)})
	}
	var teamIDs []string
	for id := range m.teams {
		if inScope(func(s rmScope) bool { return s.hasTeam(id) }) {
			teamIDs = append(teamIDs, id)
		}
	}
	slices.SortFunc(teamIDs, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(m.teams[a].name), strings.ToLower(m.teams[b].name)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	teams := map[string]*rGroup{}
	for _, id := range teamIDs {
		teams[id] = &rGroup{ID: id, Name: m.teams[id].name}
	}
	var total rGroup
	stages := map[[2]string]int{}
	byPerson, byProject := map[string]*rGroup{}, map[string]*rGroup{}
	for _, t := range m.tasks {
		if !m.seenBy(reader, viewed, t) || !inScope(func(s rmScope) bool { return s.hasPerson(t.assignee) }) {
			continue
		}
		st := m.stage(t)
		overdue := st.kind != "done" && t.due != "" && t.due < rep.Today
		total.add(st.kind, overdue)
		stages[[2]string{st.name, st.kind}]++
		if byPerson[t.assignee] == nil {
			name := ""
			if u := m.users[t.assignee]; u != nil {
				name = u.name
			}
			byPerson[t.assignee] = &rGroup{ID: t.assignee, Name: name}
		}
		byPerson[t.assignee].add(st.kind, overdue)
		if byProject[t.project] == nil {
			byProject[t.project] = &rGroup{ID: t.project, Name: m.projects[t.project].name}
		}
		byProject[t.project].add(st.kind, overdue)
		for id, g := range teams {
			if m.teams[id].members[t.assignee] {
				g.add(st.kind, overdue)
			}
		}
		if st.kind == "done" && !t.completed.IsZero() {
			day := civil(t.completed, m.loc)
			if !day.Before(first) && !day.After(today) {
				rep.Weeks[int(day.Sub(first).Hours()/24)/7].Count++
			}
		}
	}
	rep.Total = rCounts{total.Open, total.Review, total.Done, total.Overdue}
	kindRank := map[string]int{"open": 0, "review": 1, "done": 2}
	for k, n := range stages {
		rep.Stages = append(rep.Stages, rStage{Name: k[0], Kind: k[1], Count: n})
	}
	slices.SortFunc(rep.Stages, func(a, b rStage) int {
		if kindRank[a.Kind] != kindRank[b.Kind] {
			return kindRank[a.Kind] - kindRank[b.Kind]
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, id := range teamIDs {
		rep.Teams = append(rep.Teams, *teams[id])
	}
	// Most not-done tasks first, then by name.
	ordered := func(m map[string]*rGroup) []rGroup {
		out := []rGroup{}
		for _, g := range m {
			out = append(out, *g)
		}
		slices.SortFunc(out, func(a, b rGroup) int {
			if d := (b.Open + b.Review) - (a.Open + a.Review); d != 0 {
				return d
			}
			return strings.Compare(a.Name, b.Name)
		})
		return out
	}
	rep.People, rep.Projects = ordered(byPerson), ordered(byProject)
	return 200, rep
}

func reportSeed(t *testing.T) uint64 {
	if s := os.Getenv("GATEHOUSE_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("GATEHOUSE_SEED=%q: %v", s, err)
		}
		return n
	}
	return uint64(time.Now().UnixNano())
}

func TestReportsAgreeWithAReferenceModel(t *testing.T) {
	seed := reportSeed(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d (run it again with GATEHOUSE_SEED=%d)", seed, seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(n int) int { return rng.IntN(n) }

	env := testkit.Start(t)
	ownerTok := env.Setup()
	m := &reportModel{roles: map[string]*rmRole{}, users: map[string]*rmUser{}, projects: map[string]*rmProject{},
		teams: map[string]*rmTeam{}, boards: map[string]*rmBoard{}, tasks: map[string]*rmTask{}, loc: time.UTC}
	owner := &rmUser{name: testkit.Owner.Name, email: testkit.Owner.Email, password: testkit.Owner.Password, role: "admin", token: ownerTok, active: true}
	owner.id = env.Do("GET", "/api/me", ownerTok, nil).JSON()["user"].(map[string]any)["id"].(string)
	m.users[owner.id] = owner

	// Calls as someone; a session the clock ended (past its 90-day lifetime) is started again.
	call := func(u *rmUser, method, path string, body any, headers map[string]string) *testkit.Resp {
		t.Helper()
		for range 2 {
			var r *testkit.Resp
			if headers != nil {
				r = env.DoWithHeaders(method, path, u.token, body, headers)
			} else {
				r = env.Do(method, path, u.token, body)
			}
			if r.Status != 401 || r.ErrCode() != "session_expired" || !u.active {
				return r
			}
			u.token = env.SignIn(u.email, u.password)
		}
		t.Fatalf("%s %s: the session ended again at once", method, path)
		return nil
	}
	admin := func(method, path string, body any) (*testkit.Resp, bool) {
		t.Helper()
		r := call(owner, method, path, body, nil)
		if r.Status >= 500 {
			t.Fatalf("%s %s %v: %d %s", method, path, body, r.Status, r.Body)
		}
		return r, r.Status < 300
	}
	mustAdmin := func(method, path string, body any) map[string]any {
		t.Helper()
		r, ok := admin(method, path, body)
		if !ok {
			t.Fatalf("%s %s %v: %d %s", method, path, body, r.Status, r.Body)
		}
		return r.JSON()
	}

	// Long sessions: every clock change is followed by everyone's next request, so that
	// only the absolute lifetime (90 days) ends them.
	mustAdmin("PUT", "/api/settings/security", map[string]any{"sessionLifetimeHours": 90 * 24, "idleTimeoutMinutes": 7 * 24 * 60})

	// Roles: the built-in ones as the server has them, and custom ones with reports at
	// scope all and team, seeing all projects or their own, all tasks or their own,
	// internal ones or not; the model reads what each holds from its grants.
	type grant = map[string]string
	for _, id := range []string{"admin", "staff", "client"} {
		r := mustAdmin("GET", "/api/roles/"+id, nil)
		var grants []grant
		for _, p := range r["permissions"].([]any) {
			p := p.(map[string]any)
			scope, _ := p["scope"].(string)
			grants = append(grants, grant{"key": p["key"].(string), "scope": scope})
		}
		m.roles[id] = modelRole(r["name"].(string), grants)
	}
	custom := []struct {
		name   string
		grants []grant
	}{
		{"Director", []grant{{"key": "projects.view", "scope": "all"}, {"key": "tasks.view", "scope": "all"}, {"key": "tasks.view_internal"},
			{"key": "reports.dashboard", "scope": "all"}, {"key": "activity.team", "scope": "all"}}},
		{"Analyst on assigned projects", []grant{{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "all"},
			{"key": "tasks.view_internal"}, {"key": "reports.dashboard", "scope": "all"}}},
		{"Analyst of client work", []grant{{"key": "projects.view", "scope": "all"}, {"key": "tasks.view", "scope": "all"},
			{"key": "reports.dashboard", "scope": "all"}}},
		{"Numbers only", []grant{{"key": "reports.dashboard", "scope": "all"}}},
		{"Leader", []grant{{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "all"}, {"key": "tasks.view_internal"},
			{"key": "reports.dashboard", "scope": "team"}, {"key": "activity.team", "scope": "team"}, {"key": "users.view", "scope": "staff"}}},
		{"Leader of own tasks", []grant{{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "assigned"},
			{"key": "tasks.view_internal"}, {"key": "reports.dashboard", "scope": "team"}, {"key": "activity.team", "scope": "team"},
			{"key": "users.view", "scope": "staff"}}},
		{"Leader seeing all projects", []grant{{"key": "projects.view", "scope": "all"}, {"key": "tasks.view", "scope": "all"},
			{"key": "reports.dashboard", "scope": "team"}}},
	}
	internalRoles, leaderRoles := []string{"staff"}, []string{}
	for _, c := range custom {
		id := mustAdmin("POST", "/api/roles", map[string]any{"name": c.name, "kind": "internal", "permissions": c.grants})["id"].(string)
		m.roles[id] = modelRole(c.name, c.grants)
		internalRoles = append(internalRoles, id)
		if m.roles[id].reports == "team" {
			leaderRoles = append(leaderRoles, id)
		}
	}

	// People: nine internal, two clients.
	var internal, clients []*rmUser
	for i := range 11 {
		u := &rmUser{name: fmt.Sprintf("Person %02d", i), email: fmt.Sprintf("p%02d@example.com", i), password: fmt.Sprintf("own passphrase %02d", i), active: true}
		if i >= 9 {
			u.client, u.role = true, "client"
		} else {
			u.role = internalRoles[i%len(internalRoles)] // every role held from the start
		}
		u.id = env.CreateUser(ownerTok, u.name, u.email, u.role, "first passphrase "+strconv.Itoa(i))
		u.token = env.SignInFresh(u.email, "first passphrase "+strconv.Itoa(i), u.password)
		m.users[u.id] = u
		if u.client {
			clients = append(clients, u)
		} else {
			internal = append(internal, u)
		}
	}
	everyone := append([]*rmUser{owner}, append(slices.Clone(internal), clients...)...)
	staffAndOwner := append([]*rmUser{owner}, internal...)

	teamNames := []string{"Alpha", "bravo", "Charlie", "delta", "Echo", "Foxtrot", "golf"}
	// Tasks and teams in the order they were made: what a seed picks does not depend on
	// the ids the server gave them.
	var taskOrder, teamOrder []string
	taskIDs := func() []string { return taskOrder }
	teamIDs := func() []string { return teamOrder }
	newTeam := func() {
		name := ""
		for _, n := range teamNames {
			if !slices.ContainsFunc(mapValues(m.teams), func(tm *rmTeam) bool { return tm.name == n }) {
				name = n
				break
			}
		}
		if name == "" {
			return
		}
		id := mustAdmin("POST", "/api/teams", map[string]any{"name": name})["id"].(string)
		m.teams[id] = &rmTeam{id: id, name: name, members: map[string]bool{}, leaders: map[string]bool{}}
		teamOrder = append(teamOrder, id)
	}
	for range 3 {
		newTeam()
	}
	var projectIDs []string
	for i := range 5 {
		name := fmt.Sprintf("Project %d", i)
		id := mustAdmin("POST", "/api/projects", map[string]any{"name": name})["id"].(string)
		m.projects[id] = &rmProject{id: id, name: name, members: map[string]bool{}, teams: map[string]bool{}, clients: map[string]bool{}}
		projectIDs = append(projectIDs, id)
	}
	// Boards: the default stages; stages of the same name and kind on two boards are one
	// line of the report ("In progress"), another of the same name and a different kind
	// is another.
	var boardIDs []string
	for i, stages := range [][]map[string]string{nil,
		{{"name": "Backlog", "kind": "open"}, {"name": "In progress", "kind": "open"}, {"name": "QA", "kind": "review"},
			{"name": "Shipped", "kind": "done"}, {"name": "Done", "kind": "done"}},
		{{"name": "In progress", "kind": "review"}, {"name": "Done", "kind": "done"}}} {
		body := map[string]any{"name": fmt.Sprintf("Board %d", i), "visibility": "all",
			"access": []map[string]string{{"type": "user", "id": owner.id, "level": "editor"}}}
		if stages != nil {
			body["stages"] = stages
		}
		b := mustAdmin("POST", "/api/boards", body)
		rb := &rmBoard{id: b["id"].(string), users: map[string]string{owner.id: "editor"}, teams: map[string]string{}}
		for _, s := range b["stages"].([]any) {
			s := s.(map[string]any)
			rb.stages = append(rb.stages, rmStage{id: s["id"].(string), name: s["name"].(string), kind: s["kind"].(string)})
		}
		m.boards[rb.id] = rb
		boardIDs = append(boardIDs, rb.id)
	}

	sortedIDs := func(set map[string]bool) []string {
		out := []string{}
		for id, on := range set {
			if on {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	// putProject adds id to one of a project's lists, or takes it off (sets hold only
	// those in them).
	putProject := func(p *rmProject, field string, set map[string]bool, id string) bool {
		next := clone(set)
		if next[id] {
			delete(next, id)
		} else {
			next[id] = true
		}
		_, ok := admin("PATCH", "/api/projects/"+p.id, map[string]any{field: sortedIDs(next)})
		if ok {
			clear(set)
			maps.Copy(set, next)
		}
		return ok
	}
	putTeam := func(tm *rmTeam, members, leaders map[string]bool) bool {
		_, ok := admin("PATCH", "/api/teams/"+tm.id, map[string]any{"members": sortedIDs(members), "leaders": sortedIDs(leaders)})
		if ok {
			tm.members, tm.leaders = members, leaders
		}
		return ok
	}
	putBoard := func(b *rmBoard, body map[string]any) bool {
		_, ok := admin("PATCH", "/api/boards/"+b.id, body)
		return ok
	}
	access := func(users, teams map[string]string) []map[string]string {
		out := []map[string]string{}
		for _, kind := range []string{"user", "team"} {
			set := users
			if kind == "team" {
				set = teams
			}
			ids := []string{}
			for id := range set {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				out = append(out, map[string]string{"type": kind, "id": id, "level": set[id]})
			}
		}
		return out
	}
	todayPlus := func(days int) string {
		return civil(env.Clock.Now(), m.loc).AddDate(0, 0, days).Format(time.DateOnly)
	}
	// An assignee: mostly someone on the project (others are refused: they cannot see it).
	assignee := func(p string) string {
		switch pick(6) {
		case 0:
			return ""
		case 1:
			return everyone[pick(len(everyone))].id
		}
		var on []string
		for _, u := range staffAndOwner {
			if u.active && m.seesProject(u, p) {
				on = append(on, u.id)
			}
		}
		if len(on) == 0 {
			return ""
		}
		return on[pick(len(on))]
	}
	zones := []string{"UTC", "America/Sao_Paulo", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/New_York", "Europe/Lisbon"}
	start := env.Clock.Now()
	var taskSeq, tasksMade, applied, refused int

	// newTask opens a task in a random project: on a board's stage or on none, assigned
	// or not, due or not, client-visible or internal.
	newTask := func(now time.Time) bool {
		p := projectIDs[pick(len(projectIDs))]
		taskSeq++
		tk := &rmTask{project: p, cv: pick(2) == 0, followers: map[string]bool{}, assignee: assignee(p)}
		body := map[string]any{"title": fmt.Sprintf("Task %d", taskSeq), "clientVisible": tk.cv, "assigneeId": tk.assignee}
		if pick(4) > 0 {
			b := m.boards[boardIDs[pick(len(boardIDs))]]
			tk.board, tk.stage = b.id, b.stages[pick(len(b.stages))].id
			body["boardId"], body["stageId"] = tk.board, tk.stage
		}
		if pick(3) > 0 {
			tk.due = todayPlus(pick(30) - 15)
			body["dueDate"] = tk.due
		}
		r, ok := admin("POST", "/api/projects/"+p+"/tasks", body)
		if ok {
			tk.id = r.JSON()["id"].(string)
			m.touched(tk, now)
			m.tasks[tk.id] = tk
			taskOrder = append(taskOrder, tk.id)
			tasksMade++
		}
		return ok
	}

	op := func() string {
		ok := false
		defer func() {
			if ok {
				applied++
			} else {
				refused++
			}
		}()
		now := env.Clock.Now()
		if len(taskOrder) < 15 && pick(3) == 0 { // a few tasks first
			ok = newTask(now)
			return "new task"
		}
		switch n := pick(100); {
		case n < 6: // a new role for someone internal
			u := internal[pick(len(internal))]
			role := internalRoles[pick(len(internalRoles))]
			if pick(2) == 0 { // more often a leader's: theirs are the narrowest reports
				role = leaderRoles[pick(len(leaderRoles))]
			}
			if _, ok = admin("PATCH", "/api/users/"+u.id, map[string]any{"roleId": role}); ok {
				u.role = role
			}
			return "role " + u.name + " → " + m.roles[role].name
		case n < 8: // deactivated or back
			u := everyone[1+pick(len(everyone)-1)]
			if u.active {
				old := u.token
				if _, ok = admin("POST", "/api/users/"+u.id+"/deactivate", nil); ok {
					u.active, u.token = false, ""
					if r := env.Do("GET", "/api/reports/tasks", old, nil); r.Status != 401 {
						t.Errorf("a deactivated person's session still reads the reports: %d", r.Status)
					}
				}
				return "deactivate " + u.name
			}
			if _, ok = admin("POST", "/api/users/"+u.id+"/reactivate", nil); ok {
				u.active = true
				u.token = env.SignIn(u.email, u.password)
			}
			return "reactivate " + u.name
		case n < 16: // a project member
			p, u := m.projects[projectIDs[pick(len(projectIDs))]], internal[pick(len(internal))]
			ok = putProject(p, "members", p.members, u.id)
			return "member " + u.name + " of " + p.name
		case n < 20: // a team on a project
			if len(m.teams) == 0 {
				return "no team"
			}
			p, tm := m.projects[projectIDs[pick(len(projectIDs))]], teamIDs()[pick(len(m.teams))]
			ok = putProject(p, "teams", p.teams, tm)
			return "team " + m.teams[tm].name + " on " + p.name
		case n < 22: // a client on a project
			p, u := m.projects[projectIDs[pick(len(projectIDs))]], clients[pick(len(clients))]
			ok = putProject(p, "clients", p.clients, u.id)
			return "client " + u.name + " of " + p.name
		case n < 29: // a team member (leaving, one stops leading)
			if len(m.teams) == 0 {
				return "no team"
			}
			tm := m.teams[teamIDs()[pick(len(m.teams))]]
			u := internal[pick(len(internal))]
			members, leaders := clone(tm.members), clone(tm.leaders)
			if members[u.id] {
				delete(members, u.id)
				delete(leaders, u.id)
			} else {
				members[u.id] = true
			}
			ok = putTeam(tm, members, leaders)
			return "team member " + u.name + " of " + tm.name
		case n < 35: // a team leader (joining the team to lead it)
			if len(m.teams) == 0 {
				return "no team"
			}
			tm := m.teams[teamIDs()[pick(len(m.teams))]]
			u := staffAndOwner[pick(len(staffAndOwner))]
			var scoped []*rmUser // more often someone whose reports are their teams'
			for _, o := range internal {
				if m.roles[o.role].reports == "team" {
					scoped = append(scoped, o)
				}
			}
			if len(scoped) > 0 && pick(2) == 0 {
				u = scoped[pick(len(scoped))]
			}
			members, leaders := clone(tm.members), clone(tm.leaders)
			if leaders[u.id] {
				delete(leaders, u.id)
			} else {
				members[u.id], leaders[u.id] = true, true
			}
			ok = putTeam(tm, members, leaders)
			return "team leader " + u.name + " of " + tm.name
		case n < 36: // a new team, or one gone
			if len(m.teams) < 5 && (pick(2) == 0 || len(m.teams) < 2) {
				newTeam()
				ok = true
				return "new team"
			}
			id := teamIDs()[pick(len(m.teams))]
			if _, ok = admin("DELETE", "/api/teams/"+id, nil); ok {
				delete(m.teams, id)
				teamOrder = slices.DeleteFunc(teamOrder, func(o string) bool { return o == id })
				for _, p := range m.projects {
					delete(p.teams, id)
				}
				for _, b := range m.boards {
					delete(b.teams, id)
				}
			}
			return "delete team"
		case n < 37: // a team renamed
			if len(m.teams) == 0 {
				return "no team"
			}
			tm := m.teams[teamIDs()[pick(len(m.teams))]]
			name := teamNames[pick(len(teamNames))]
			if slices.ContainsFunc(mapValues(m.teams), func(o *rmTeam) bool { return o.name == name }) {
				return "name taken"
			}
			if _, ok = admin("PATCH", "/api/teams/"+tm.id, map[string]any{"name": name}); ok {
				tm.name = name
			}
			return "rename team " + name
		case n < 40: // a board open or invite-only
			b := m.boards[boardIDs[pick(len(boardIDs))]]
			vis := map[bool]string{true: "all", false: "invited"}[b.invited]
			if ok = putBoard(b, map[string]any{"visibility": vis}); ok {
				b.invited = !b.invited
			}
			return "board " + vis
		case n < 44: // an invitation to a board (the owner stays its editor)
			b := m.boards[boardIDs[pick(len(boardIDs))]]
			users, teams := cloneS(b.users), cloneS(b.teams)
			level := []string{"", "member", "editor"}[pick(3)]
			set, id := users, internal[pick(len(internal))].id
			if pick(2) == 0 && len(m.teams) > 0 {
				set, id = teams, teamIDs()[pick(len(m.teams))]
			}
			if level == "" {
				delete(set, id)
			} else {
				set[id] = level
			}
			if ok = putBoard(b, map[string]any{"access": access(users, teams)}); ok {
				b.users, b.teams = users, teams
			}
			return "board invitation"
		case n < 45: // a stage renamed, or of another kind (its tasks stay in it: those
			// completed stay so until their next change, but count as done only in a done stage)
			b := m.boards[boardIDs[pick(len(boardIDs))]]
			stages := slices.Clone(b.stages)
			i := pick(len(stages))
			if pick(3) == 0 {
				stages[i].kind = []string{"open", "review", "done"}[pick(3)]
			} else {
				stages[i].name = []string{"To do", "In progress", "Review", "Done", "Shipped", "Doing"}[pick(6)]
			}
			var body []map[string]string
			for _, s := range stages {
				body = append(body, map[string]string{"id": s.id, "name": s.name, "kind": s.kind})
			}
			if ok = putBoard(b, map[string]any{"stages": body}); ok {
				b.stages = stages
			}
			return "stage changed"
		case n < 52: // time passes: minutes to days
			d := []time.Duration{17 * time.Minute, 3 * time.Hour, 11 * time.Hour, 23 * time.Hour, 50 * time.Hour}[pick(5)]
			env.Clock.Advance(d)
			ok = true
			return "clock +" + d.String()
		case n < 54: // days pass (the sessions, in use, live on; completed tasks leave the 12 weeks)
			if env.Clock.Now().Sub(start) > 150*24*time.Hour {
				return "clock far enough"
			}
			d := time.Duration(96+pick(70)) * time.Hour
			env.Clock.Advance(d)
			ok = true
			return "clock +" + d.String()
		case n < 56: // the organisation's time zone
			zone := zones[pick(len(zones))]
			if _, ok = admin("PUT", "/api/settings/general", map[string]any{"timezone": zone}); ok {
				m.loc, _ = time.LoadLocation(zone)
			}
			return "time zone " + zone
		case n < 70:
			ok = newTask(now)
			return "new task"
		}
		ids := taskIDs()
		if len(ids) == 0 {
			return "no task"
		}
		tk := m.tasks[ids[pick(len(ids))]]
		next := *tk
		body := map[string]any{}
		var what string
		switch n := pick(100); {
		case n < 30: // to another stage of its board
			b := m.boards[tk.board]
			if b == nil {
				return "no board"
			}
			next.stage = b.stages[pick(len(b.stages))].id
			body["stageId"], what = next.stage, "stage"
		case n < 45:
			next.assignee = assignee(tk.project)
			body["assigneeId"], what = next.assignee, "assignee"
		case n < 55:
			next.due = ""
			if pick(4) > 0 {
				next.due = todayPlus(pick(20) - 10)
			}
			body["dueDate"], what = next.due, "due date"
		case n < 65:
			next.cv = !tk.cv
			body["clientVisible"], what = next.cv, "client-visible"
		case n < 72: // to another board, or off the boards
			next.board, next.stage = "", ""
			if pick(4) > 0 {
				b := m.boards[boardIDs[pick(len(boardIDs))]]
				next.board, next.stage = b.id, b.stages[pick(len(b.stages))].id
				body["stageId"] = next.stage
			}
			body["boardId"], what = next.board, "board"
		case n < 85: // a follower
			u := everyone[pick(len(everyone))]
			if tk.followers[u.id] {
				if _, ok = admin("DELETE", "/api/tasks/"+tk.id+"/followers/"+u.id, nil); ok {
					delete(tk.followers, u.id)
				}
			} else if _, ok = admin("POST", "/api/tasks/"+tk.id+"/followers", map[string]any{"userId": u.id}); ok {
				tk.followers[u.id] = true
			}
			return "follower " + u.name
		case n < 90:
			if _, ok = admin("DELETE", "/api/tasks/"+tk.id, nil); ok {
				delete(m.tasks, tk.id)
				taskOrder = slices.DeleteFunc(taskOrder, func(o string) bool { return o == tk.id })
			}
			return "delete task"
		case n < 92: // a project renamed
			p := m.projects[tk.project]
			name := fmt.Sprintf("Project %d", 5+pick(20))
			if slices.ContainsFunc(mapValues(m.projects), func(o *rmProject) bool { return o.name == name }) {
				return "name taken"
			}
			if _, ok = admin("PATCH", "/api/projects/"+p.id, map[string]any{"name": name}); ok {
				p.name = name
			}
			return "rename project"
		default: // someone renamed (the rest of the second hundred)
			u := internal[pick(len(internal))]
			name := fmt.Sprintf("Someone %02d", pick(40))
			if slices.ContainsFunc(everyone, func(o *rmUser) bool { return o.name == name }) {
				return "name taken"
			}
			if _, ok = admin("PATCH", "/api/users/"+u.id, map[string]any{"name": name}); ok {
				u.name = name
			}
			return "rename person"
		}
		if _, ok = admin("PATCH", "/api/tasks/"+tk.id, body); ok {
			next.followers = tk.followers
			*tk = next
			m.touched(tk, now)
		}
		return "task " + what
	}

	mustAdminRaw := func(method, path string) string {
		r, _ := admin(method, path, nil)
		return string(r.Body)
	}
	// explain names the tasks the server and the model disagree on seeing (one GET each),
	// to tell a wrong count from a wrong decision.
	explain := func(reader, viewed *rmUser) string {
		var b strings.Builder
		var headers map[string]string
		people := []*rmUser{reader}
		if viewed != nil {
			headers = map[string]string{"X-View-As": viewed.id}
			people = append(people, viewed)
		}
		for _, id := range taskIDs() {
			tk := m.tasks[id]
			want := m.seenBy(reader, viewed, tk)
			if got := call(reader, "GET", "/api/tasks/"+id, nil, headers).Status == 200; got != want {
				fmt.Fprintf(&b, "\n  task %s %+v: the server shows it %v, the model %v", id, *tk, got, want)
				pr := m.projects[tk.project]
				fmt.Fprintf(&b, "\n    project members %v teams %v; server %s", sortedIDs(pr.members), sortedIDs(pr.teams), mustAdminRaw("GET", "/api/projects/"+pr.id))
				for tm := range pr.teams {
					fmt.Fprintf(&b, "\n    team %s members %v", tm, sortedIDs(m.teams[tm].members))
				}
			}
		}
		for _, u := range people {
			fmt.Fprintf(&b, "\n  %s %+v role %+v", u.name, *u, *m.roles[u.role])
		}
		return b.String()
	}
	disagreements := 0
	checks, viewAs, viewAsByLeader, teamScoped, withWeeks := 0, 0, 0, 0, 0
	compare := func(step int, what string, reader, viewed *rmUser) {
		t.Helper()
		var headers map[string]string
		if viewed != nil {
			headers = map[string]string{"X-View-As": viewed.id}
		}
		r := call(reader, "GET", "/api/reports/tasks", nil, headers)
		checks++
		status, want := m.expect(reader, viewed, env.Clock.Now())
		who := reader.name + " (" + m.roles[reader.role].name + ")"
		if viewed != nil {
			who += " as " + viewed.name + " (" + m.roles[viewed.role].name + ")"
		}
		if r.Status != status {
			disagreements++
			if disagreements <= 5 {
				t.Errorf("step %d after %s: %s reads the reports: %d %s, model %d", step, what, who, r.Status, r.Body, status)
			}
			return
		}
		if status != 200 {
			return
		}
		var got rReport
		r.Decode(t, &got)
		if got.Scope == "team" {
			teamScoped++
		}
		if slices.ContainsFunc(got.Weeks, func(w rWeek) bool { return w.Count > 0 }) {
			withWeeks++
		}
		if diff := reportDiff(got, want); diff != "" {
			disagreements++
			if disagreements <= 5 {
				t.Errorf("step %d after %s: %s's report disagrees with the model:%s%s", step, what, who, diff, explain(reader, viewed))
			}
		}
	}
	// Every reader, and view-as pairs: each internal session tries to view as someone.
	checkAll := func(step int, what string) {
		for _, u := range everyone {
			if u.active {
				compare(step, what, u, nil)
			}
		}
		for _, u := range everyone {
			if !u.active || u.client {
				continue
			}
			// Someone at random, and at team scope everyone of the teams they lead.
			others := []*rmUser{staffAndOwner[pick(len(staffAndOwner))]}
			if m.roles[u.role].reports == "team" {
				for _, o := range staffAndOwner {
					if o != others[0] && slices.ContainsFunc(mapValues(m.teams), func(tm *rmTeam) bool { return tm.leaders[u.id] && tm.members[o.id] }) {
						others = append(others, o)
					}
				}
			}
			for _, other := range others {
				if other == u || !other.active {
					continue
				}
				if r := call(u, "POST", "/api/view-as", map[string]any{"userId": other.id}, nil); r.Status == 204 {
					viewAs++
					if m.roles[u.role].reports == "team" {
						viewAsByLeader++
					}
					compare(step, what, u, other)
				}
			}
		}
	}

	const steps = 300
	// To start from: everyone internal on a project or two, and each leader leading a
	// team of three (the random changes take it on from there).
	for i, u := range internal {
		for _, p := range []string{projectIDs[i%len(projectIDs)], projectIDs[(i+2)%len(projectIDs)]} {
			if !putProject(m.projects[p], "members", m.projects[p].members, u.id) {
				t.Fatalf("%s on %s refused", u.name, m.projects[p].name)
			}
		}
	}
	for i, u := range internal {
		if m.roles[u.role].reports == "team" {
			tm := m.teams[teamOrder[i%len(teamOrder)]]
			members := map[string]bool{u.id: true, internal[(i+1)%len(internal)].id: true, internal[(i+2)%len(internal)].id: true}
			if !putTeam(tm, members, map[string]bool{u.id: true}) {
				t.Fatalf("team %s led by %s refused", tm.name, u.name)
			}
		}
	}
	checkAll(-1, "the start")
	for step := range steps {
		what := op()
		// The very next request of a random reader, then everyone now and then (and
		// always after the clock or the time zone moved).
		if u := staffAndOwner[pick(len(staffAndOwner))]; u.active {
			compare(step, what, u, nil)
		}
		if step%25 == 24 || strings.HasPrefix(what, "clock") || strings.HasPrefix(what, "time zone") {
			checkAll(step, what)
		}
		if disagreements > 5 {
			break
		}
	}
	if disagreements > 0 {
		t.Fatalf("%d disagreements between the reports and the model", disagreements)
	}
	// The run did what it is for.
	if applied < steps/2 || tasksMade < 25 || teamScoped < 20 || viewAs < 10 || viewAsByLeader == 0 || withWeeks == 0 {
		t.Fatalf("too little happened: %d changes applied (%d refused), %d tasks made, %d team-scoped reports, %d viewed as someone (%d by a leader), %d with tasks completed in the 12 weeks",
			applied, refused, tasksMade, teamScoped, viewAs, viewAsByLeader, withWeeks)
	}
	t.Logf("seed %d: %d changes applied (%d refused), %d tasks made (%d at the end), %d reports compared (%d team-scoped, %d viewed as someone, %d of them by a leader, %d with tasks completed in the 12 weeks), clock +%s",
		seed, applied, refused, tasksMade, len(m.tasks), checks, teamScoped, viewAs, viewAsByLeader, withWeeks, env.Clock.Now().Sub(start).Round(time.Hour))
}

func clone(s map[string]bool) map[string]bool {
	out := make(map[string]bool, len(s))
	for k, v := range s {
		if v {
			out[k] = true
		}
	}
	return out
}

func cloneS(s map[string]string) map[string]string {
	out := make(map[string]string, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func mapValues[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// reportDiff names the parts of two reports that differ, each as the server and the
// model have it.
func reportDiff(got, want rReport) string {
	var b strings.Builder
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if !reflect.DeepEqual(g, w) {
			gj, _ := json.Marshal(g)
			wj, _ := json.Marshal(w)
			fmt.Fprintf(&b, "\n  %s:\n    server %s\n    model  %s", gv.Type().Field(i).Name, gj, wj)
		}
	}
	return b.String()
}
