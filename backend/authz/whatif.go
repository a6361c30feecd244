package authz

import (
	"maps"
	"slices"
	"strconv"

	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// What-if: before a change to who may do what is saved, the people who would gain or lose
// access to what. The proposed change is applied, through the Writer's own setters, to a
// deep copy of the index, and the same decisions are asked of both; nothing else is
// involved, so the preview is exactly what saving would do to the index — as long as the
// index is still the one the preview was computed on, which its version says.

// Proposal is one proposed change. Exactly one part is set.
type Proposal struct {
	// Role is a role's new definition (its grants and kind; its name is not read). Its
	// roles to give stay as they are when Assignable is nil.
	Role *RoleDef
	// UserID's role becomes UserRole.
	UserID, UserRole string
	// Project's members, teams or clients change (the project members editor).
	Project *ProjectPeople
	// Team's members or leaders change (the team members editor).
	Team *TeamPeople
	// Board's visibility or invitations change (the board's settings).
	Board *BoardAccess
	// Task's visibility, assignee or board change, or a follower comes or goes.
	Task *TaskSight
}

// ProjectPeople is a project's new people: each list given replaces the project's (nil:
// stays), as a project update with those lists does.
type ProjectPeople struct {
	ID                      string
	Members, Teams, Clients *[]string
}

// TeamPeople is a team's new members and leaders (nil: stays), as a team update.
type TeamPeople struct {
	ID               string
	Members, Leaders *[]string
}

// BoardAccess is a board's new visibility ("all" or "invited") and invitations (nil:
// stays), as a board update.
type BoardAccess struct {
	ID         string
	Visibility *string
	Access     *[]store.BoardGrant
}

// TaskSight is a change to who sees or works on a task: the task editor's change (as a
// task update, decided by the same actions), or — when Follower is set instead — a
// follower added (Follow) or removed.
type TaskSight struct {
	ID       string
	Change   TaskChange
	Follower string
	Follow   bool
}

// Delta is one thing one person would gain or lose.
type Delta struct {
	UserID string
	// Type is the thing's type; System for a permission of the role itself (ID is then
	// the permission's key).
	Type   Type
	ID     string
	Name   string
	Action string
	Gained bool
}

// Preview is what a proposal would change, for the people and things the reader sees.
type Preview struct {
	// Version is the index state the preview was computed on (see Authorizer.Version).
	Version string
	Deltas  []Delta
	// Gained and Lost count the deltas; People how many people are concerned.
	Gained, Lost, People int
}

// Version names the index state now; it changes with every committed write.
func (a *Authorizer) Version() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return versionText(a.version)
}

func versionText(v uint64) string { return "v" + strconv.FormatUint(v, 10) }

var errStale = apperr.New(apperr.Conflict, "stale_preview",
	"Access changed since this preview was made; look at the refreshed preview before saving.")

// Expect refuses, with stale_preview, when the index is no longer at version; an empty
// version expects nothing. It is for writes made after a preview, inside Update (the
// Writer holds the lock, so nothing can move between this and the write).
func (w *Writer) Expect(a *Authorizer, version string) error {
	if version == "" || version == versionText(a.version) {
		return nil
	}
	return errStale
}

// whatIfActions are the decisions compared for each type of thing.
var whatIfActions = map[Type][]Action{
	Project: {View, ProjectsEdit, ProjectsMembers, ProjectsSettings, ProjectsDelete, TasksCreate},
	Board:   {View, TasksStatus, TasksColumns},
	Task:    {View, TasksEdit, TasksStatus, TasksAssign, TasksDelete},
}

// WhatIf previews p for actor. The actor must be allowed to make the change itself (the
// same Check as the write, whose refusal it answers); the preview names only people and
// things the actor sees now.
func (a *Authorizer) WhatIf(actor Actor, p Proposal) (*Preview, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.loadErr != nil {
		return nil, errUnavailable
	}
	before := &Reader{x: a.x}
	pl, err := before.plan(actor, p)
	if err != nil {
		return nil, err
	}
	after := &Writer{Reader{x: a.x.clone()}}
	pl.apply(after)
	out := diff(before, &after.Reader, actor, pl)
	out.Version = versionText(a.version)
	return out, nil
}

// plan is a decided proposal: the change, made with the write path's setters, and whose
// decisions on what it can change (the rest cannot differ).
type plan struct {
	apply func(w *Writer)
	// people whose access is compared; everyone: every live user.
	people   []handle
	everyone bool
	// things compared (nil: every live project, board and task).
	things *thingSet
}

type thingSet struct{ projects, boards, tasks []handle }

var (
	errNoRole    = apperr.New(apperr.NotFound, "not_found", "No such role.")
	errNoPerson  = apperr.New(apperr.NotFound, "not_found", "No such person.")
	errNoChange  = apperr.Field("change", "Say which change to preview.")
	errNoStage   = apperr.Field("stageId", "Choose a stage of the new board.")
	errBadVision = apperr.Field("visibility", "Visibility is all (every team member) or invited (invited users and teams only).")
)

// plan decides p for actor as its write decides it, and says how to make it.
func (rd *Reader) plan(actor Actor, p Proposal) (*plan, error) {
	x := rd.x
	switch {
	case p.Role != nil:
		id := p.Role.ID
		if err := rd.Check(actor, RolesManage, RoleRef(id)); err != nil {
			return nil, err
		}
		def := *p.Role
		if def.Assignable == nil { // as an update that leaves the list alone: decided with it
			def.Assignable = rd.assignable(id)
		}
		if err := rd.Check(actor, RolesManage, RoleRef(id), Change{Def: &def}); err != nil {
			return nil, err
		}
		r := x.role(id)
		if r == nil {
			return nil, errNoRole
		}
		pl := &plan{apply: func(w *Writer) {
			cur := w.x.role(id)
			w.putRole(id, cur.name, def.Kind, cur.builtIn, def.Grants, def.Assignable)
		}}
		r.holders.each(func(h handle) { pl.people = append(pl.people, h) })
		return pl, nil
	case p.UserID != "":
		if err := rd.Check(actor, UsersEdit, UserRef(p.UserID)); err != nil {
			return nil, err
		}
		cur, active, ok := rd.UserRole(p.UserID)
		if !ok {
			return nil, errNoPerson
		}
		if cur != p.UserRole {
			if err := rd.Check(actor, UsersEdit, UserRef(p.UserID), Change{Role: p.UserRole}); err != nil {
				return nil, err
			}
		}
		h, _ := x.userIDs.lookup(p.UserID)
		return &plan{people: []handle{h}, apply: func(w *Writer) { w.PutUser(p.UserID, p.UserRole, active) }}, nil
	case p.Project != nil:
		return rd.planProject(actor, *p.Project)
	case p.Team != nil:
		return rd.planTeam(actor, *p.Team)
	case p.Board != nil:
		return rd.planBoard(actor, *p.Board)
	case p.Task != nil:
		return rd.planTask(actor, *p.Task)
	}
	return nil, errNoChange
}

// ids are the ids of handles hs in interner order of recs.
func userIDsOf(x *index, hs []handle) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = x.users[h].id
	}
	return out
}

func teamIDsOf(x *index, hs []handle) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = x.teams[h].id
	}
	return out
}

// people collects the handles of users named by ids that the index knows (once each).
type people map[handle]bool

func (ps people) add(x *index, ids ...string) {
	for _, id := range ids {
		if h, ok := x.userIDs.lookup(id); ok {
			ps[h] = true
		}
	}
}

func (ps people) addTeams(x *index, ids ...string) {
	for _, id := range ids {
		if t, _ := x.team(id); t != nil {
			for _, u := range t.members {
				ps[u] = true
			}
		}
	}
}

func (ps people) list() []handle {
	out := make([]handle, 0, len(ps))
	for h := range ps {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

// projectRow is project ph as the index has it (what the write path's row holds of it).
func projectRow(x *index, ph handle) *store.Project {
	rec := x.projects[ph]
	status := "archived"
	if rec.active {
		status = "active"
	}
	return &store.Project{ID: rec.id, Name: rec.name, Status: status, Members: userIDsOf(x, rec.members),
		Teams: teamIDsOf(x, rec.teams), Clients: userIDsOf(x, rec.clients)}
}

// planProject: decided as a project update of its people (View, then projects.members);
// compared for everyone who is or would be on it, directly, through a team, or as a client.
func (rd *Reader) planProject(actor Actor, pp ProjectPeople) (*plan, error) {
	x := rd.x
	if err := rd.Check(actor, View, ProjectRef(pp.ID)); err != nil {
		return nil, err
	}
	if err := rd.Check(actor, ProjectsMembers, ProjectRef(pp.ID)); err != nil {
		return nil, err
	}
	_, ph := x.project(pp.ID)
	if ph == none {
		return nil, apperr.NotFoundf("No such project.")
	}
	row := projectRow(x, ph)
	ps := people{}
	ps.add(x, row.Members...)
	ps.add(x, row.Clients...)
	ps.addTeams(x, row.Teams...)
	for _, l := range []struct{ dst, src *[]string }{{&row.Members, pp.Members}, {&row.Teams, pp.Teams}, {&row.Clients, pp.Clients}} {
		if l.src != nil {
			*l.dst = slices.Compact(slices.Sorted(slices.Values(*l.src)))
		}
	}
	ps.add(x, row.Members...)
	ps.add(x, row.Clients...)
	ps.addTeams(x, row.Teams...)
	return &plan{people: ps.list(), apply: func(w *Writer) { w.PutProject(row) }}, nil
}

// TeamEdit is a team update's new members and leaders (nil: stay) from the team's old
// ones, and the change it is decided with: members sorted once each; leaders who leave the
// team stop leading it unless the leaders are given too; the members added, and whether
// the leaders change.
func TeamEdit(oldMembers, oldLeaders []string, members, leaders *[]string) (newMembers, newLeaders []string, chg Change) {
	newMembers, newLeaders = oldMembers, oldLeaders
	if members != nil {
		newMembers = slices.Compact(slices.Sorted(slices.Values(*members)))
	}
	if leaders != nil {
		newLeaders = slices.Compact(slices.Sorted(slices.Values(*leaders)))
	} else if members != nil {
		newLeaders = slices.DeleteFunc(slices.Clone(oldLeaders), func(l string) bool { return !slices.Contains(newMembers, l) })
	}
	for _, m := range newMembers {
		if !slices.Contains(oldMembers, m) {
			chg.Members = append(chg.Members, m)
		}
	}
	chg.Leaders = !slices.Equal(oldLeaders, newLeaders)
	return newMembers, newLeaders, chg
}

// planTeam: decided as a team update (teams.manage, then with the members added and
// whether the leaders change); compared for its members and leaders, before and after.
func (rd *Reader) planTeam(actor Actor, tp TeamPeople) (*plan, error) {
	x := rd.x
	if err := rd.Check(actor, TeamsManage, TeamRef(tp.ID)); err != nil {
		return nil, err
	}
	rec, _ := x.team(tp.ID)
	if rec == nil {
		return nil, apperr.NotFoundf("No such team.")
	}
	oldMembers, oldLeaders := userIDsOf(x, rec.members), userIDsOf(x, rec.leaders)
	slices.Sort(oldMembers)
	slices.Sort(oldLeaders)
	members, leaders, chg := TeamEdit(oldMembers, oldLeaders, tp.Members, tp.Leaders)
	if err := rd.Check(actor, TeamsManage, TeamRef(tp.ID), chg); err != nil {
		return nil, err
	}
	ps := people{}
	ps.add(x, oldMembers...)
	ps.add(x, oldLeaders...)
	ps.add(x, members...)
	ps.add(x, leaders...)
	row := &store.Team{ID: tp.ID, Name: rec.name, Members: members, Leaders: leaders}
	return &plan{people: ps.list(), apply: func(w *Writer) { w.PutTeam(row) }}, nil
}

// SameInvitations reports whether two invitation lists invite the same people and teams
// at the same levels.
func SameInvitations(a, b []store.BoardGrant) bool {
	if len(a) != len(b) {
		return false
	}
	for _, g := range a {
		if !slices.Contains(b, g) {
			return false
		}
	}
	return true
}

// indexBoardRow is board bh as the index has it: visibility, invitations and stages.
func indexBoardRow(x *index, bh handle) *store.Board {
	rec := x.boards[bh]
	b := &store.Board{ID: rec.id, Name: rec.name, Visibility: "all", Access: []store.BoardGrant{}}
	if rec.invited {
		b.Visibility = "invited"
	}
	for u, l := range rec.users {
		b.Access = append(b.Access, store.BoardGrant{Type: "user", ID: x.users[u].id, Level: string(l)})
	}
	for t, l := range rec.teams {
		b.Access = append(b.Access, store.BoardGrant{Type: "team", ID: x.teams[t].id, Level: string(l)})
	}
	for _, id := range rec.order {
		b.Stages = append(b.Stages, store.Stage{ID: id, Kind: rec.stages[id]})
	}
	return b
}

// planBoard: decided as a board update (tasks.columns, then as a change of who sees it);
// compared, on the board and its tasks, for everyone invited before or after (directly or
// through a team) — for everyone when the board opens to all or closes to the invited.
func (rd *Reader) planBoard(actor Actor, ba BoardAccess) (*plan, error) {
	x := rd.x
	if err := rd.Check(actor, TasksColumns, BoardRef(ba.ID)); err != nil {
		return nil, err
	}
	_, bh := x.board(ba.ID)
	if bh == none {
		return nil, apperr.NotFoundf("No such board.")
	}
	row := indexBoardRow(x, bh)
	old, oldVisibility := row.Access, row.Visibility
	if ba.Visibility != nil {
		if *ba.Visibility != "all" && *ba.Visibility != "invited" {
			return nil, errBadVision
		}
		row.Visibility = *ba.Visibility
	}
	if ba.Access != nil {
		row.Access = slices.Clone(*ba.Access)
	}
	if err := rd.Check(actor, TasksColumns, BoardRef(ba.ID), Change{Visibility: row.Visibility != oldVisibility || !SameInvitations(old, row.Access)}); err != nil {
		return nil, err
	}
	pl := &plan{apply: func(w *Writer) { w.PutBoard(row) }, everyone: row.Visibility != oldVisibility,
		things: &thingSet{boards: []handle{bh}}}
	for _, th := range x.allTasks {
		if x.tasks[th].board == bh {
			pl.things.tasks = append(pl.things.tasks, th)
		}
	}
	if !pl.everyone {
		ps := people{}
		for _, g := range append(slices.Clone(old), row.Access...) {
			if g.Type == "team" {
				ps.addTeams(x, g.ID)
			} else {
				ps.add(x, g.ID)
			}
		}
		pl.people = ps.list()
	}
	return pl, nil
}

// TaskActions are what a change of a task asks to do, in the order a task update decides
// them: its fields, visibility and type (tasks.edit), its stage or board (tasks.status),
// its assignee (tasks.assign).
func TaskActions(c TaskChange) []Action {
	var out []Action
	if c.Fields || c.Visibility || c.Type {
		out = append(out, TasksEdit)
	}
	if c.Stage || c.Board {
		out = append(out, TasksStatus)
	}
	if c.Assign {
		out = append(out, TasksAssign)
	}
	return out
}

// taskRow is task th as the index has it.
func taskRow(x *index, th handle) *store.Task {
	t := &x.tasks[th]
	row := &store.Task{ID: x.more(t).id, Seq: t.seq, ProjectID: x.projects[t.project].id, StageID: x.more(t).stage,
		ClientVisible: t.clientVisible, Followers: userIDsOf(x, t.followers)}
	if t.board >= 0 {
		row.BoardID = x.boards[t.board].id
	}
	if t.assignee >= 0 {
		row.AssigneeID = x.users[t.assignee].id
	}
	if t.typ >= 0 {
		row.TypeID = x.types[t.typ].id
	}
	return row
}

// planTask: decided as the task update (View, then each action the change asks) or the
// follow it is; compared for everyone on the task, its project and its boards.
func (rd *Reader) planTask(actor Actor, ts TaskSight) (*plan, error) {
	x := rd.x
	c := ts.Change
	if ts.Follower == "" && c.Board && c.BoardID != "" && !c.Stage {
		return nil, errNoStage
	}
	if ts.Follower != "" {
		chg := Change{}
		if ts.Follow {
			chg.Follower = ts.Follower
		}
		if err := rd.Check(actor, TasksEdit, TaskRef(ts.ID), chg); err != nil {
			return nil, err
		}
	} else {
		if err := rd.Check(actor, View, TaskRef(ts.ID)); err != nil {
			return nil, err
		}
		acts := TaskActions(c)
		if len(acts) == 0 {
			return nil, errNoChange
		}
		for _, a := range acts {
			if err := rd.Check(actor, a, TaskRef(ts.ID), Change{Task: &c}); err != nil {
				return nil, err
			}
		}
	}
	t, th := x.task(ts.ID)
	if t == nil {
		return nil, apperr.NotFoundf("No such task.")
	}
	row := taskRow(x, th)
	set := &thingSet{projects: []handle{t.project}, tasks: []handle{th}}
	if t.board >= 0 {
		set.boards = append(set.boards, t.board)
	}
	if ts.Follower != "" {
		row.Followers = slices.DeleteFunc(row.Followers, func(f string) bool { return f == ts.Follower })
		if ts.Follow {
			row.Followers = append(row.Followers, ts.Follower)
		}
	} else {
		// As tasks.Request.Patch: a task taken off its board keeps no stage.
		if c.Assign {
			row.AssigneeID = c.AssigneeID
		}
		if c.Type {
			row.TypeID = c.TypeID
		}
		if c.Visibility {
			row.ClientVisible = c.ClientVisible
		}
		if c.Board {
			row.BoardID = c.BoardID
			if row.BoardID == "" {
				row.StageID = ""
			}
		}
		if c.Stage {
			row.StageID = c.StageID
		}
		if _, nb := x.board(row.BoardID); nb != none && !slices.Contains(set.boards, nb) {
			set.boards = append(set.boards, nb)
		}
	}
	return &plan{apply: func(w *Writer) { w.PutTask(row) }, everyone: true, things: set}, nil
}

// diff compares, for each of the plan's people, every decision of whatIfActions on the
// plan's things (every live project, board and task unless it names them), and each
// permission their role holds, in before and after, naming what the reader sees in
// before. Only those are compared: the plan names everyone and everything the change can
// reach (the property test holds it to that).
func diff(before, after *Reader, reader Actor, pl *plan) *Preview {
	out := &Preview{Deltas: []Delta{}}
	var rv view
	if before.viewOf(reader, &rv) != nil {
		return out
	}
	seen := map[handle]bool{}
	add := func(uh handle, t Type, id, name string, act string, gained bool) {
		out.Deltas = append(out.Deltas, Delta{UserID: before.x.users[uh].id, Type: t, ID: id, Name: name, Action: act, Gained: gained})
		if gained {
			out.Gained++
		} else {
			out.Lost++
		}
		if !seen[uh] {
			seen[uh] = true
			out.People++
		}
	}
	readerSees := func(t Type, id string) bool { return before.decide(&rv, View, Ref{t, id}, &Change{}, nil) == nil }
	people := pl.people
	if pl.everyone {
		people = make([]handle, len(before.x.users))
		for i := range people {
			people[i] = handle(i)
		}
	}
	for _, uh := range people {
		u := &before.x.users[uh]
		if !u.alive || !readerSees(User, u.id) {
			continue
		}
		actor := Actor{UserID: u.id}
		var vb, va view
		errB, errA := before.viewOf(actor, &vb), after.viewOf(actor, &va)
		if errB == nil && errA == nil {
			for a := Action(0); a < numActions; a++ {
				hb, ha := vb.has(a), va.has(a)
				switch {
				case hb && !ha:
					add(uh, System, Catalog[a].Key, "", "hold", false)
				case ha && !hb:
					add(uh, System, Catalog[a].Key, "", "hold", true)
				case ha && hb && vb.scope(a) != va.scope(a):
					add(uh, System, Catalog[a].Key, "", "scope."+string(vb.scope(a)), false)
					add(uh, System, Catalog[a].Key, "", "scope."+string(va.scope(a)), true)
				}
			}
		}
		decide := func(rd *Reader, v *view, ok bool, a Action, ref Ref) bool {
			return ok && rd.decide(v, a, ref, &Change{}, nil) == nil
		}
		compare := func(t Type, id, name string) {
			if !readerSees(t, id) {
				return
			}
			ref := Ref{t, id}
			for _, a := range whatIfActions[t] {
				b, f := decide(before, &vb, errB == nil, a, ref), decide(after, &va, errA == nil, a, ref)
				if b != f {
					add(uh, t, id, name, a.String(), f)
				}
				if a == View && !b && !f { // seen in neither: nothing else can differ
					break
				}
			}
		}
		if pl.things != nil {
			for _, ph := range pl.things.projects {
				if p := before.x.projects[ph]; p.alive {
					compare(Project, p.id, p.name)
				}
			}
			for _, bh := range pl.things.boards {
				if b := before.x.boards[bh]; b.alive {
					compare(Board, b.id, b.name)
				}
			}
			for _, th := range pl.things.tasks {
				if t := &before.x.tasks[th]; t.alive {
					compare(Task, before.x.more(t).id, "")
				}
			}
			continue
		}
		for _, p := range before.x.projects {
			if p.alive {
				compare(Project, p.id, p.name)
			}
		}
		for _, b := range before.x.boards {
			if b.alive {
				compare(Board, b.id, b.name)
			}
		}
		for _, th := range before.x.allTasks {
			compare(Task, before.x.more(&before.x.tasks[th]).id, "")
		}
	}
	return out
}

// clone is a deep copy of the index: nothing a setter changes is shared with x. Every
// field of index and of its records must be copied here.
func (x *index) clone() *index {
	c := *x
	for _, n := range []*interner{&c.roleIDs, &c.userIDs, &c.projIDs, &c.teamIDs, &c.boardIDs, &c.typeIDs, &c.taskIDs, &c.fileIDs, &c.foldIDs, &c.thrIDs, &c.compIDs, &c.invIDs} {
		n.slots = slices.Clone(n.slots)
	}
	c.roles = make([]*roleRec, len(x.roles))
	for i, r := range x.roles {
		rr := *r
		rr.grants = slices.Clone(r.grants)
		rr.holders = slices.Clone(r.holders)
		rr.gives = slices.Clone(r.gives)
		c.roles[i] = &rr
	}
	c.users = slices.Clone(x.users)
	for i := range c.users {
		u := &c.users[i]
		u.teams, u.leads, u.projects = slices.Clone(u.teams), slices.Clone(u.leads), slices.Clone(u.projects)
		u.clientProjects, u.teamProjects = slices.Clone(u.clientProjects), slices.Clone(u.teamProjects)
		u.boardLevel, u.followed, u.assigned = slices.Clone(u.boardLevel), slices.Clone(u.followed), slices.Clone(u.assigned)
		u.extras = slices.Clone(u.extras)
		if u.eff != nil {
			eff := *u.eff
			eff.grants, eff.holders, eff.gives = slices.Clone(eff.grants), slices.Clone(eff.holders), slices.Clone(eff.gives)
			u.eff = &eff
		}
	}
	c.projects = make([]*projectRec, len(x.projects))
	for i, p := range x.projects {
		pp := *p
		pp.members, pp.teams, pp.clients = slices.Clone(p.members), slices.Clone(p.teams), slices.Clone(p.clients)
		pp.tasks, pp.counts = slices.Clone(p.tasks), slices.Clone(p.counts)
		c.projects[i] = &pp
	}
	c.teams = make([]*teamRec, len(x.teams))
	for i, t := range x.teams {
		tt := *t
		tt.members, tt.leaders, tt.projects = slices.Clone(t.members), slices.Clone(t.leaders), slices.Clone(t.projects)
		c.teams[i] = &tt
	}
	c.boards = make([]*boardRec, len(x.boards))
	for i, b := range x.boards {
		bb := *b
		bb.users, bb.teams, bb.stages, bb.order = maps.Clone(b.users), maps.Clone(b.teams), maps.Clone(b.stages), slices.Clone(b.order)
		c.boards[i] = &bb
	}
	c.types = make([]*typeRec, len(x.types))
	for i, t := range x.types {
		tt := *t
		tt.users, tt.teams = maps.Clone(t.users), maps.Clone(t.teams)
		c.types[i] = &tt
	}
	c.tasks = slices.Clone(x.tasks)
	for i := range c.tasks {
		c.tasks[i].followers = slices.Clone(c.tasks[i].followers)
	}
	c.taskMore, c.allTasks, c.counts = slices.Clone(x.taskMore), slices.Clone(x.allTasks), slices.Clone(x.counts)
	c.files, c.folders, c.threads = slices.Clone(x.files), slices.Clone(x.folders), slices.Clone(x.threads)
	c.comps, c.invoices = slices.Clone(x.comps), slices.Clone(x.invoices)
	return &c
}
