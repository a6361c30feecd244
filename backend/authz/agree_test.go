package authz

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Random changes to a small organisation, and after every few, for every person and every
// task and project, the five ways of asking who sees what must agree with the naive model
// and with one another: Check, the paged list, its total (counts kept by project and
// board), who-can-see, and Explain. They share one predicate per resource type; this test
// holds them to it.
func TestListsCountsChecksAndExplanationsAgree(t *testing.T) {
	w := newFuzzWorld()
	const auditor = "auditor" // an Admin no change touches, who asks who-can-see and explain
	w.a.Update(func(wr *Writer) error { wr.PutUser(auditor, RoleAdmin, true); return nil })
	asker := Actor{UserID: auditor}
	rng := rand.New(rand.NewPCG(11, 13))
	buf := make([]byte, 16)
	people := fuzzUsers[:len(fuzzUsers)-1]
	compared, disagreements := 0, 0
	report := func(format string, args ...any) {
		disagreements++
		if disagreements <= 20 {
			t.Errorf(format, args...)
		}
	}
	for step := 0; step < 30000; step++ {
		for i := range buf {
			buf[i] = byte(rng.IntN(256))
		}
		w.mutate(&fuzzBytes{b: buf})
		if step%500 != 499 {
			continue
		}
		tasks := w.taskIDs()
		tasks = tasks[:len(tasks)-1] // without the id that names no task
		whoSees := map[string][]string{}
		for _, id := range tasks {
			list, err := w.a.WhoCanSee(asker, Task, id)
			if err != nil {
				t.Fatalf("step %d: who can see %s: %v", step, id, err)
			}
			for _, e := range list {
				whoSees[id] = append(whoSees[id], e.UserID)
			}
		}
		for _, u := range people {
			actor := Actor{UserID: u}
			mr := w.roles[w.m.role[u]]
			var want []string
			for _, id := range tasks {
				model := w.m.seesTask(mr, u, w.m.tasks[id])
				check := w.a.Check(actor, View, TaskRef(id)) == nil
				who := slices.Contains(whoSees[id], u)
				ex, err := w.a.Explain(asker, u, View, Task, id)
				if err != nil {
					t.Fatalf("step %d: explain %s %s: %v", step, u, id, err)
				}
				compared++
				if check != model || who != model || ex.Allowed != model || (model && len(ex.Paths) == 0) || (!model && ex.Missing.IsZero()) {
					report("step %d: %s (%s) sees task %+v: model %v, check %v, who-can-see %v, explain %v (%v, %q)",
						step, u, w.m.role[u], *w.m.tasks[id], model, check, who, ex.Allowed, ex.Paths, ex.Missing)
				}
				if model {
					want = append(want, id)
				}
			}
			if !w.m.active[u] {
				continue
			}
			var got []string
			f := TaskFilter{Limit: 3}
			total := -1
			for {
				page, err := w.a.VisibleTasks(actor, f)
				if err != nil {
					t.Fatalf("step %d: %s list: %v", step, u, err)
				}
				if total < 0 {
					total = page.Total
				}
				got = append(got, page.IDs...)
				if page.Next == 0 {
					break
				}
				f.Before = page.Next
			}
			slices.Sort(got)
			if !slices.Equal(got, want) || total != len(want) {
				report("step %d: %s (%s) list %v (total %d), model %v", step, u, w.m.role[u], got, total, want)
			}
			for _, p := range fuzzProjects[:3] {
				model := w.m.seesProject(mr, u, p)
				ex, err := w.a.Explain(asker, u, View, Project, p)
				if err != nil {
					t.Fatalf("step %d: explain project: %v", step, err)
				}
				if got := w.a.Check(actor, View, ProjectRef(p)) == nil; got != model || ex.Allowed != model {
					report("step %d: %s (%s) sees project %s: model %v, check %v, explain %v", step, u, w.m.role[u], p, model, got, ex.Allowed)
				}
			}
		}
	}
	if disagreements > 0 {
		t.Fatalf("%d disagreements", disagreements)
	}
	if compared < 10_000 {
		t.Fatalf("only %d answers compared", compared)
	}
	t.Logf("%d answers compared five ways, zero disagreements", compared)
}
