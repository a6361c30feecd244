package authz

import (
	"fmt"
	"maps"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// accessOf is everything every live user may do to every live project, board and task
// (the what-if actions), and every permission they hold with its scope.
func accessOf(rd *Reader) map[string]bool {
	out := map[string]bool{}
	for i := range rd.x.users {
		u := &rd.x.users[i]
		if !u.alive {
			continue
		}
		var v view
		if rd.viewOf(Actor{UserID: u.id}, &v) != nil {
			continue
		}
		for a := Action(0); a < numActions; a++ {
			if v.has(a) {
				out[fmt.Sprintf("%s|permission|%s|hold", u.id, Catalog[a].Key)] = true
				out[fmt.Sprintf("%s|permission|%s|scope.%s", u.id, Catalog[a].Key, v.scope(a))] = true
			}
		}
		try := func(t Type, id string) {
			for _, a := range whatIfActions[t] {
				if rd.decide(&v, a, Ref{t, id}, &Change{}, nil) == nil {
					out[fmt.Sprintf("%s|%s|%s|%s", u.id, t, id, a)] = true
				}
			}
		}
		for _, p := range rd.x.projects {
			if p.alive {
				try(Project, p.id)
			}
		}
		for _, b := range rd.x.boards {
			if b.alive {
				try(Board, b.id)
			}
		}
		for _, th := range rd.x.allTasks {
			try(Task, rd.x.more(&rd.x.tasks[th]).id)
		}
	}
	return out
}

// difference is what changed from before to after, as the preview says it: +key or -key;
// a permission's scope only when it is held both before and after.
func difference(before, after map[string]bool) []string {
	var out []string
	held := func(m map[string]bool, k string) bool { // k: user|permission|key|scope.x
		i := len(k) - 1
		for k[i] != '|' {
			i--
		}
		return m[k[:i]+"|hold"]
	}
	for k := range before {
		if !after[k] && (!isScope(k) || held(after, k)) {
			out = append(out, "-"+k)
		}
	}
	for k := range after {
		if !before[k] && (!isScope(k) || held(before, k)) {
			out = append(out, "+"+k)
		}
	}
	slices.Sort(out)
	return out
}

func isScope(k string) bool {
	return strings.Contains(k, "|permission|") && strings.Contains(k, "|scope.")
}

func previewKeys(p *Preview) []string {
	var out []string
	for _, d := range p.Deltas {
		t := d.Type.String()
		if d.Type == System {
			t = "permission"
		}
		sign := "-"
		if d.Gained {
			sign = "+"
		}
		out = append(out, fmt.Sprintf("%s%s|%s|%s|%s", sign, d.UserID, t, d.ID, d.Action))
	}
	slices.Sort(out)
	return out
}

// whatIfKinds are the kinds of proposal the property test makes.
var whatIfKinds = []string{"role", "user", "project", "team", "board", "task", "follower"}

// subset is a random subset of ids.
func subset(rng *rand.Rand, ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if rng.Intn(2) == 0 {
			out = append(out, id)
		}
	}
	return out
}

// randomProposal makes a random proposal of kind in f, and the actual change: the write
// path's setters fed as the fuzz world feeds them (its model's rows), not the plan's.
func randomProposal(rng *rand.Rand, f *fuzzWorld, kind string) (Proposal, func(w *Writer)) {
	roles := fuzzRoles()
	people := fuzzUsers[:len(fuzzUsers)-1]
	var p Proposal
	switch kind {
	case "role":
		custom := roles[3+rng.Intn(len(roles)-3)]
		other := roles[3+rng.Intn(len(roles)-3)]
		// a mix of the role's grants and another template's
		var grants []Grant
		seen := map[string]bool{}
		for _, g := range append(slices.Clone(custom.Grants), other.Grants...) {
			if !seen[g.Key] && rng.Intn(3) > 0 {
				seen[g.Key] = true
				grants = append(grants, g)
			}
		}
		def := &RoleDef{ID: custom.ID, Name: custom.Name, Kind: custom.Kind, Grants: grants}
		if rng.Intn(3) == 0 {
			def.Assignable = subset(rng, []string{RoleStaff, RoleClient, roles[3].ID})
		}
		p.Role = def
		return p, func(w *Writer) {
			gives := def.Assignable
			if gives == nil {
				gives = w.assignable(def.ID)
			}
			w.putRole(def.ID, custom.Name, def.Kind, false, def.Grants, gives)
		}
	case "user":
		p.UserID, p.UserRole = people[rng.Intn(len(people))], roles[rng.Intn(len(roles))].ID
		return p, func(w *Writer) {
			f.m.role[p.UserID] = p.UserRole
			w.PutUser(p.UserID, p.UserRole, f.m.active[p.UserID])
		}
	case "project":
		id := fuzzProjects[rng.Intn(3)]
		pp := &ProjectPeople{ID: id}
		if rng.Intn(3) > 0 {
			l := subset(rng, people)
			pp.Members = &l
		}
		if rng.Intn(3) > 0 {
			l := subset(rng, fuzzTeams[:2])
			pp.Teams = &l
		}
		if rng.Intn(3) == 0 {
			l := subset(rng, people)
			pp.Clients = &l
		}
		p.Project = pp
		return p, func(w *Writer) {
			set := func(m map[string]bool, l *[]string) {
				if l == nil {
					return
				}
				clear(m)
				for _, id := range *l {
					m[id] = true
				}
			}
			set(f.m.members[id], pp.Members)
			set(f.m.pteams[id], pp.Teams)
			set(f.m.clients[id], pp.Clients)
			f.syncProject(w, id)
		}
	case "team":
		id := fuzzTeams[rng.Intn(2)]
		tp := &TeamPeople{ID: id}
		members := subset(rng, people)
		if rng.Intn(4) > 0 {
			tp.Members = &members
		}
		if rng.Intn(2) == 0 {
			pool := members
			if tp.Members == nil {
				pool = keys(f.m.tmembers[id])
			}
			l := subset(rng, pool)
			tp.Leaders = &l
		}
		p.Team = tp
		return p, func(w *Writer) {
			old := keys(f.m.tmembers[id])
			m, l, _ := TeamEdit(old, old[:min(1, len(old))], tp.Members, tp.Leaders)
			w.PutTeam(&store.Team{ID: id, Name: id, Members: m, Leaders: l})
		}
	case "board":
		id := fuzzBoards[rng.Intn(2)]
		ba := &BoardAccess{ID: id}
		invited := f.m.invited[id]
		if rng.Intn(2) == 0 {
			invited = rng.Intn(2) == 0
			vis := map[bool]string{true: "invited", false: "all"}[invited]
			ba.Visibility = &vis
		}
		access := map[principal]Level{}
		if rng.Intn(4) > 0 {
			grants := []store.BoardGrant{}
			for _, u := range subset(rng, people) {
				l := []Level{LevelMember, LevelEditor}[rng.Intn(2)]
				access[principal{"user", u}] = l
				grants = append(grants, store.BoardGrant{Type: "user", ID: u, Level: string(l)})
			}
			for _, t := range subset(rng, fuzzTeams[:2]) {
				l := []Level{LevelMember, LevelEditor}[rng.Intn(2)]
				access[principal{"team", t}] = l
				grants = append(grants, store.BoardGrant{Type: "team", ID: t, Level: string(l)})
			}
			ba.Access = &grants
		} else {
			access = f.m.access[id]
		}
		p.Board = ba
		return p, func(w *Writer) {
			f.m.invited[id], f.m.access[id] = invited, access
			f.syncBoard(w, id)
		}
	case "task", "follower":
		ids := f.taskIDs()
		if len(ids) < 2 {
			return p, nil
		}
		t := f.m.tasks[ids[rng.Intn(len(ids)-1)]]
		next := *t
		next.followers = maps.Clone(t.followers)
		ts := &TaskSight{ID: t.id}
		if kind == "follower" {
			ts.Follower = people[rng.Intn(len(people))]
			ts.Follow = !t.followers[ts.Follower]
			if rng.Intn(5) == 0 {
				ts.Follow = !ts.Follow // following again, or stopping what one never did
			}
			next.followers[ts.Follower] = ts.Follow
		} else {
			c := &ts.Change
			if rng.Intn(2) == 0 {
				c.Visibility, c.ClientVisible = true, rng.Intn(2) == 0
				next.cv = c.ClientVisible
			}
			if rng.Intn(2) == 0 {
				c.Assign, c.AssigneeID = true, append(slices.Clone(people), "")[rng.Intn(len(people)+1)]
				next.assignee = c.AssigneeID
			}
			if rng.Intn(3) == 0 {
				c.Board, c.BoardID = true, []string{"", "b0", "b1"}[rng.Intn(3)]
				next.board = c.BoardID
				if c.BoardID != "" {
					c.Stage, c.StageID = true, "s-"+c.BoardID
				}
			}
			if !c.Visibility && !c.Assign && !c.Board {
				c.Visibility, c.ClientVisible = true, !t.cv
				next.cv = c.ClientVisible
			}
		}
		p.Task = ts
		return p, func(w *Writer) { *t = next; f.syncTask(w, t) }
	}
	panic(kind)
}

// TestWhatIfEqualsTheChange: over random organisations, the preview of a random change of
// every kind — a role's grants, a person's role, a project's people, a team's members and
// leaders, a board's visibility and invitations, a task's visibility, assignee and board,
// a follower — asked by an administrator (who sees everyone and everything), is exactly the
// difference in everyone's access once the change is made with the write path's own
// setters; and the version moves with the write.
func TestWhatIfEqualsTheChange(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	previews := map[string]int{}
	const rounds = 3500
	for round := 0; round < rounds; round++ {
		f := newFuzzWorld()
		data := make([]byte, 120)
		rng.Read(data)
		r := &fuzzBytes{b: data}
		for !r.done() {
			f.mutate(r)
		}
		f.a.Update(func(w *Writer) error { w.PutUser("boss", RoleAdmin, true); return nil })
		boss := Actor{UserID: "boss"}
		kind := whatIfKinds[round%len(whatIfKinds)]
		p, actual := randomProposal(rng, f, kind)
		if actual == nil {
			continue // no task to change
		}
		var before0 map[string]bool
		f.a.Read(func(rd *Reader) error { before0 = accessOf(rd); return nil })
		pv, err := f.a.WhatIf(boss, p)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("round %d (%s): unclassified refusal %v", round, kind, err)
			}
			continue // refused as the change itself would be
		}
		previews[kind]++
		var before map[string]bool
		f.a.Read(func(rd *Reader) error { before = accessOf(rd); return nil })
		if f.a.Version() != pv.Version {
			t.Fatalf("round %d: version %s, preview %s", round, f.a.Version(), pv.Version)
		}
		f.a.Update(func(w *Writer) error { actual(w); return nil })
		if f.a.Version() == pv.Version {
			t.Fatalf("round %d: the version did not move with a write", round)
		}
		var after map[string]bool
		f.a.Read(func(rd *Reader) error { after = accessOf(rd); return nil })
		if d := difference(before0, before); len(d) > 0 {
			t.Fatalf("round %d: the preview changed the index: %v", round, d)
		}
		want, got := difference(before, after), previewKeys(pv)
		if !slices.Equal(want, got) {
			t.Fatalf("round %d (%s %s): the change made\n%v\nthe preview said\n%v", round, kind, describe(p), want, got)
		}
		if g, l := pv.Gained, pv.Lost; g+l != len(got) {
			t.Fatalf("round %d: counts %d+%d for %d changes", round, g, l, len(got))
		}
	}
	t.Logf("previewed, by kind: %v", previews)
	total := 0
	for _, kind := range whatIfKinds {
		total += previews[kind]
		if previews[kind] < rounds/len(whatIfKinds)/4 {
			t.Errorf("only %d proposals of kind %s were previewed", previews[kind], kind)
		}
	}
	if total < 2000 {
		t.Fatalf("only %d of %d proposals were previewed: %v", total, rounds, previews)
	}
}

func describe(p Proposal) string {
	switch {
	case p.Project != nil:
		return fmt.Sprintf("%+v", *p.Project)
	case p.Team != nil:
		return fmt.Sprintf("%+v", *p.Team)
	case p.Board != nil:
		return fmt.Sprintf("%+v", *p.Board)
	case p.Task != nil:
		return fmt.Sprintf("%+v", *p.Task)
	}
	return fmt.Sprintf("%+v", p)
}

// TestWhatIfShowsOnlyWhatTheReaderSees: a reader who may change someone's role but not
// see the projects they would gain sees the person, not the projects; a reader who may
// not make the change gets its refusal, and nothing of the preview.
func TestWhatIfShowsOnlyWhatTheReaderSees(t *testing.T) {
	f := newFuzzWorld()
	f.a.Update(func(w *Writer) error {
		w.PutUser("boss", RoleAdmin, true)
		w.putRole("people", "People", KindInternal, false, []Grant{{Key: "users.view", Scope: ScopeAll}, {Key: "users.edit", Scope: ScopeAll}}, nil)
		w.PutUser("hr", "people", true)
		w.putRole("narrow", "Narrow", KindInternal, false, []Grant{{Key: "projects.view", Scope: ScopeAssigned}}, nil)
		w.PutUser("new", "narrow", true)
		w.PutUser("loner", "narrow", true)
		return nil
	})
	p := Proposal{UserID: "new", UserRole: "manager"}
	all, err := f.a.WhatIf(Actor{UserID: "boss"}, p)
	if err != nil || all.Gained == 0 {
		t.Fatalf("the admin's preview: %v %+v", err, all)
	}
	var things int
	for _, d := range all.Deltas {
		if d.Type == Project {
			things++
		}
	}
	if things == 0 {
		t.Fatalf("becoming a manager gains no project? %+v", all.Deltas)
	}
	// The same comparison for hr, who sees people but no project: the person, their
	// permissions and the boards (every internal user sees those), no project or task.
	var mine *Preview
	f.a.Read(func(rd *Reader) error {
		pl, err := rd.plan(Actor{UserID: "boss"}, p)
		if err != nil {
			t.Fatal(err)
		}
		after := &Writer{Reader{x: rd.x.clone()}}
		pl.apply(after)
		mine = diff(rd, &after.Reader, Actor{UserID: "hr"}, pl)
		return nil
	})
	if mine.Gained == 0 {
		t.Fatal("hr sees the person: their new permissions are listed")
	}
	for _, d := range mine.Deltas {
		if d.Type == Project || d.Type == Task {
			t.Fatalf("hr sees no project or task, yet the preview names %+v", d)
		}
	}
	// And nothing at all of a person one does not see.
	f.a.Read(func(rd *Reader) error {
		pl, err := rd.plan(Actor{UserID: "boss"}, p)
		if err != nil {
			t.Fatal(err)
		}
		after := &Writer{Reader{x: rd.x.clone()}}
		pl.apply(after)
		mine = diff(rd, &after.Reader, Actor{UserID: "loner"}, pl)
		return nil
	})
	if len(mine.Deltas) != 0 || mine.People != 0 {
		t.Fatalf("someone who sees nobody sees %+v", mine)
	}
	// hr holds users.edit but not a manager's permissions: the change itself is refused.
	if _, err := f.a.WhatIf(Actor{UserID: "hr"}, p); err == nil {
		t.Fatal("hr may not make someone a manager, and may not preview it")
	}
	if err := f.a.Check(Actor{UserID: "hr"}, UsersEdit, UserRef("new"), Change{Role: "manager"}); err == nil {
		t.Fatal("the write's own check allows what the preview refused")
	}
	// Someone who may not even see the person gets the refusal.
	if _, err := f.a.WhatIf(Actor{UserID: "new"}, Proposal{UserID: "hr", UserRole: "narrow"}); err == nil {
		t.Fatal("a narrow role previews a change to someone else")
	}
}

// TestCloneSharesNothing: the what-if copy of the index shares no slice, map or record
// with the index, field by field (read by reflection, so a field added to the index or a
// record later and not copied by clone fails here); and changing the copy through every
// setter leaves the index as it was.
func TestCloneSharesNothing(t *testing.T) {
	f := newFuzzWorld()
	data := make([]byte, 400)
	rand.New(rand.NewSource(7)).Read(data)
	r := &fuzzBytes{b: data}
	for !r.done() {
		f.mutate(r)
	}
	f.a.Update(func(w *Writer) error {
		w.PutCompany(&store.Company{ID: "c0", Name: "Acme"})
		w.SetUserCompany("u2", "c0")
		w.SetProjectCompany("p0", "c0")
		w.PutThread(&store.Thread{ID: "th0", ProjectID: "p0", ClientVisible: true})
		w.PutFolder(&store.Folder{ID: "fo0", ProjectID: "p0"})
		w.PutFile(&store.File{ID: "fi0", ProjectID: "p0", FolderID: "fo0", UploadedBy: "u1"})
		w.PutInvoice(&store.Invoice{ID: "in0", CompanyID: "c0", State: "sent"})
		w.PutTaskType(&store.TaskType{ID: "ty0", Name: "Bug", Access: []store.TypeGrant{{Type: "user", ID: "u1", Create: true}}})
		w.PutTaskRules("u3", store.TaskRules{ReceiveFromOthers: true})
		w.PutExtraGrant("u4", ExtraGrant{ID: "g0", Key: "projects.view", Scope: ScopeAll})
		w.PutExtraGrant("u5", ExtraGrant{ID: "g1", Key: "tasks.view", Scope: ScopeAll})
		return nil
	})
	x := f.a.x
	c := x.clone()
	shared(t, reflect.ValueOf(x).Elem(), reflect.ValueOf(c).Elem(), "index")

	// Every setter on the copy; the index must read exactly as before.
	before := dump(reflect.ValueOf(x))
	w := &Writer{Reader{x: c}}
	w.putRole("manager", "Manager", KindInternal, false, []Grant{{Key: "tasks.view", Scope: ScopeAll}}, []string{RoleStaff})
	w.PutUser("u1", RoleClient, false)
	w.PutUser("new", RoleStaff, true)
	w.PutProject(&store.Project{ID: "p0", Name: "p0", Status: "archived", Members: []string{"u4", "new"}, Teams: []string{"t1"}, Clients: []string{"u2"}})
	w.PutTeam(&store.Team{ID: "t0", Name: "t0", Members: []string{"u5", "u6", "new"}, Leaders: []string{"u6"}})
	w.PutBoard(&store.Board{ID: "b0", Name: "b0", Visibility: "invited", Access: []store.BoardGrant{{Type: "user", ID: "u7", Level: "editor"}, {Type: "team", ID: "t1", Level: "member"}}})
	w.PutTaskType(&store.TaskType{ID: "ty0", Name: "Bug", Access: []store.TypeGrant{{Type: "team", ID: "t0", Assign: true}}})
	w.PutTask(&store.Task{ID: "knew", Seq: 999, ProjectID: "p1", BoardID: "b1", StageID: "s-b1", AssigneeID: "u8", Followers: []string{"u9", "u2"}})
	for _, id := range f.taskIDs() {
		w.PutTask(&store.Task{ID: id, Seq: f.m.tasks[id].seqOr(), ProjectID: "p2", AssigneeID: "u3", ClientVisible: true, Followers: []string{"u4"}})
	}
	w.PutTaskRules("u3", store.TaskRules{})
	w.PutExtraGrant("u4", ExtraGrant{ID: "g2", Key: "projects.edit", Scope: ScopeAll})
	w.DeleteExtraGrant("u5", "g1")
	w.PutCompany(&store.Company{ID: "c0", Name: "Renamed"})
	w.SetUserCompany("u2", "")
	w.SetProjectCompany("p1", "c0")
	w.PutThread(&store.Thread{ID: "th0", ProjectID: "p1"})
	w.PutFolder(&store.Folder{ID: "fo0", ProjectID: "p1"})
	w.PutFile(&store.File{ID: "fi0", ProjectID: "p1", Shared: true})
	w.PutInvoice(&store.Invoice{ID: "in0", CompanyID: "c0", State: "void"})
	w.DeleteTask("knew")
	w.DeleteBoard("b1")
	w.DeleteTeam("t1")
	w.DeleteTaskType("ty0")
	w.DeleteUser("u5")
	w.DeleteProject("p2")
	w.DeleteRole("manager")
	if after := dump(reflect.ValueOf(x)); after != before {
		t.Fatal("changing the what-if copy changed the index")
	}
}

func (t *mtask) seqOr() int64 {
	if t == nil {
		return 0
	}
	return t.seq
}

// shared fails the test for every slice, map or pointer reachable in both a and b at the
// same address.
func shared(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: the copy shares the record", path)
			return
		}
		shared(t, a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Cap() > 0 && b.Cap() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: the copy shares the slice", path)
			return
		}
		for i := 0; i < min(a.Len(), b.Len()); i++ {
			shared(t, a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			shared(t, a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if !a.IsNil() && !b.IsNil() && a.Pointer() == b.Pointer() {
			t.Errorf("%s: the copy shares the map", path)
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			shared(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	case reflect.Interface, reflect.Chan, reflect.Func:
		if !a.IsNil() {
			t.Errorf("%s: clone cannot copy a %s", path, a.Kind())
		}
	}
}

// dump is everything reachable from v, in text (map entries in key order).
func dump(v reflect.Value) string {
	var sb strings.Builder
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				sb.WriteString("nil")
				return
			}
			walk(v.Elem())
		case reflect.Slice, reflect.Array:
			sb.WriteString("[")
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
				sb.WriteString(",")
			}
			sb.WriteString("]")
		case reflect.Map:
			ks := v.MapKeys()
			slices.SortFunc(ks, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
			sb.WriteString("{")
			for _, k := range ks {
				fmt.Fprintf(&sb, "%v:", k)
				walk(v.MapIndex(k))
				sb.WriteString(",")
			}
			sb.WriteString("}")
		case reflect.Struct:
			sb.WriteString("{")
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
				sb.WriteString(";")
			}
			sb.WriteString("}")
		default:
			fmt.Fprintf(&sb, "%v", v)
		}
	}
	walk(v)
	return sb.String()
}
