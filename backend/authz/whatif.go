package authz

import (
	"maps"
	"slices"
	"strconv"

	"gatehouse/backend/apperr"
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
	var people []handle
	switch {
	case p.Role != nil:
		id := p.Role.ID
		if err := before.Check(actor, RolesManage, RoleRef(id)); err != nil {
			return nil, err
		}
		if p.Role.Assignable == nil { // as an update that leaves the list alone: decided with it
			def := *p.Role
			def.Assignable = before.assignable(id)
			p.Role = &def
		}
		if err := before.Check(actor, RolesManage, RoleRef(id), Change{Def: p.Role}); err != nil {
			return nil, err
		}
		r := a.x.role(id)
		if r == nil {
			return nil, apperr.New(apperr.NotFound, "not_found", "No such role.")
		}
		r.holders.each(func(h handle) { people = append(people, h) })
	case p.UserID != "":
		if err := before.Check(actor, UsersEdit, UserRef(p.UserID)); err != nil {
			return nil, err
		}
		cur, _, ok := before.UserRole(p.UserID)
		if !ok {
			return nil, apperr.New(apperr.NotFound, "not_found", "No such person.")
		}
		if cur != p.UserRole {
			if err := before.Check(actor, UsersEdit, UserRef(p.UserID), Change{Role: p.UserRole}); err != nil {
				return nil, err
			}
		}
		h, _ := a.x.userIDs.lookup(p.UserID)
		people = []handle{h}
	default:
		return nil, apperr.Field("change", "Say which change to preview.")
	}
	after := &Writer{Reader{x: a.x.clone()}}
	apply(after, p)
	out := diff(before, &after.Reader, actor, people)
	out.Version = versionText(a.version)
	return out, nil
}

// apply makes p on w's index with the setters the write path uses.
func apply(w *Writer, p Proposal) {
	switch {
	case p.Role != nil:
		cur := w.x.role(p.Role.ID)
		w.putRole(p.Role.ID, cur.name, p.Role.Kind, cur.builtIn, p.Role.Grants, p.Role.Assignable)
	case p.UserID != "":
		_, active, _ := w.UserRole(p.UserID)
		w.PutUser(p.UserID, p.UserRole, active)
	}
}

// diff compares, for each of people, every decision of whatIfActions on every live
// project, board and task, and each permission their role holds, in before
// and after, naming what the reader sees in before. Only people are compared: a role's
// grants and a person's role enter only their holders' decisions on these things.
func diff(before, after *Reader, reader Actor, people []handle) *Preview {
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
