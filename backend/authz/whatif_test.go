package authz

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
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

// TestWhatIfEqualsTheChange: over random organisations, the preview of a random role or
// role-assignment change, asked by an administrator (who sees everyone and everything), is
// exactly the difference in everyone's access once the change is made with the write
// path's own setters; and the version moves with the write.
func TestWhatIfEqualsTheChange(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	roles := fuzzRoles()
	previews := 0
	for round := 0; round < 300; round++ {
		f := newFuzzWorld()
		data := make([]byte, 120)
		rng.Read(data)
		r := &fuzzBytes{b: data}
		for !r.done() {
			f.mutate(r)
		}
		f.a.Update(func(w *Writer) error { w.PutUser("boss", RoleAdmin, true); return nil })
		boss := Actor{UserID: "boss"}
		var p Proposal
		if rng.Intn(2) == 0 {
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
			p.Role = &RoleDef{ID: custom.ID, Name: custom.Name, Kind: custom.Kind, Grants: grants}
		} else {
			p.UserID, p.UserRole = fuzzUsers[rng.Intn(len(fuzzUsers)-1)], roles[rng.Intn(len(roles))].ID
		}
		var before0 map[string]bool
		f.a.Read(func(rd *Reader) error { before0 = accessOf(rd); return nil })
		pv, err := f.a.WhatIf(boss, p)
		if err != nil {
			continue // refused as the change itself would be
		}
		previews++
		var before map[string]bool
		f.a.Read(func(rd *Reader) error { before = accessOf(rd); return nil })
		if f.a.Version() != pv.Version {
			t.Fatalf("round %d: version %s, preview %s", round, f.a.Version(), pv.Version)
		}
		f.a.Update(func(w *Writer) error { apply(w, p); return nil })
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
			t.Fatalf("round %d (%+v): the change made\n%v\nthe preview said\n%v", round, p, want, got)
		}
		if g, l := pv.Gained, pv.Lost; g+l != len(got) {
			t.Fatalf("round %d: counts %d+%d for %d changes", round, g, l, len(got))
		}
	}
	if previews < 100 {
		t.Fatalf("only %d of 300 proposals were previewed", previews)
	}
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
		after := &Writer{Reader{x: rd.x.clone()}}
		apply(after, p)
		h, _ := rd.x.userIDs.lookup("new")
		mine = diff(rd, &after.Reader, Actor{UserID: "hr"}, []handle{h})
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
		after := &Writer{Reader{x: rd.x.clone()}}
		apply(after, p)
		h, _ := rd.x.userIDs.lookup("new")
		mine = diff(rd, &after.Reader, Actor{UserID: "loner"}, []handle{h})
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
