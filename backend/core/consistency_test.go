package core_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/boards"
	"gatehouse/backend/core"
	"gatehouse/backend/identity"
	"gatehouse/backend/projects"
	"gatehouse/backend/roles"
	"gatehouse/backend/store"
	"gatehouse/backend/tasks"
	"gatehouse/backend/teams"
	"gatehouse/backend/testkit/testdb"
	"gatehouse/backend/users"
)

func ptr[T any](v T) *T { return &v }

// Random changes made through the real services on a real SQLite file keep the
// incremental index identical, answer for answer, to an index rebuilt from the database:
// no write forgets to tell the index, and none tells it something the database did not
// commit.
func TestIndexMatchesTheDatabaseAfterRandomChanges(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, t.TempDir())
	defer st.Close()
	c, err := core.Assemble(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := c.Identity.Setup(ctx, identity.OwnerRequest{Name: "Owner", Email: "owner@example.com", Password: "correct horse battery"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	admin := authz.Actor{UserID: owner.ID}
	rng := rand.New(rand.NewPCG(7, 9))
	var staff, clients, projs, tms, bds, tks []string
	stages := map[string][]string{}
	for i := 0; i < 8; i++ {
		role := "staff"
		if i%3 == 0 {
			role = "client"
		}
		created, err := c.Users.Create(ctx, admin, users.CreateRequest{Name: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("u%d@example.com", i), RoleID: role, Generate: true})
		if err != nil {
			t.Fatal(err)
		}
		u := created.User
		if role == "client" {
			clients = append(clients, u.ID)
		} else {
			staff = append(staff, u.ID)
		}
	}
	pick := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[rng.IntN(len(s))]
	}
	some := func(s []string) []string {
		var out []string
		for _, x := range s {
			if rng.IntN(3) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	const steps = 400
	applied := 0
	for step := 0; step < steps; step++ {
		var err error
		switch rng.IntN(14) {
		case 0:
			var p *store.Project
			if p, err = c.Projects.Create(ctx, admin, projects.Request{Name: ptr(fmt.Sprintf("P%d", step)), Members: ptr(some(staff)), Clients: ptr(some(clients))}); err == nil {
				projs = append(projs, p.ID)
			}
		case 1:
			if p := pick(projs); p != "" {
				_, err = c.Projects.Update(ctx, admin, p, projects.Request{Members: ptr(some(staff)), Teams: ptr(some(tms)), Clients: ptr(some(clients))})
			}
		case 2:
			var tm *store.Team
			if tm, err = c.Teams.Create(ctx, admin, teams.Request{Name: ptr(fmt.Sprintf("T%d", step)), Members: ptr(some(staff))}); err == nil {
				tms = append(tms, tm.ID)
			}
		case 3:
			if tm := pick(tms); tm != "" {
				_, err = c.Teams.Update(ctx, admin, tm, teams.Request{Members: ptr(some(staff))})
			}
		case 4:
			vis := []string{"all", "invited"}[rng.IntN(2)]
			acc := []store.BoardGrant{}
			for _, u := range some(staff) {
				acc = append(acc, store.BoardGrant{Type: "user", ID: u, Level: []string{"member", "editor"}[rng.IntN(2)]})
			}
			var b *store.Board
			if b, err = c.Boards.Create(ctx, admin, boards.Request{Name: ptr(fmt.Sprintf("B%d", step)), Visibility: &vis, Access: &acc}); err == nil {
				bds = append(bds, b.ID)
				for _, s := range b.Stages {
					stages[b.ID] = append(stages[b.ID], s.ID)
				}
			}
		case 5:
			if b := pick(bds); b != "" {
				acc := []store.BoardGrant{{Type: "user", ID: owner.ID, Level: "editor"}}
				for _, tm := range some(tms) {
					acc = append(acc, store.BoardGrant{Type: "team", ID: tm, Level: "member"})
				}
				_, err = c.Boards.Update(ctx, admin, b, boards.Request{Access: &acc})
			}
		case 6, 7:
			if p := pick(projs); p != "" {
				req := tasks.Request{Title: ptr(fmt.Sprintf("Task %d", step)), ClientVisible: ptr(rng.IntN(2) == 0)}
				if b := pick(bds); b != "" && rng.IntN(2) == 0 {
					req.BoardID, req.StageID = ptr(b), ptr(pick(stages[b]))
				}
				var tk *store.Task
				if tk, err = c.Tasks.Create(ctx, admin, p, req); err == nil {
					tks = append(tks, tk.ID)
				}
			}
		case 8:
			if tk := pick(tks); tk != "" {
				_, err = c.Tasks.Update(ctx, admin, tk, tasks.Request{ClientVisible: ptr(rng.IntN(2) == 0), AssigneeID: ptr(pick(append(staff, "")))})
			}
		case 9:
			if tk := pick(tks); tk != "" {
				u := pick(append(staff, clients...))
				if rng.IntN(2) == 0 {
					_, err = c.Tasks.Follow(ctx, admin, tk, u, "")
				} else {
					_, err = c.Tasks.Unfollow(ctx, admin, tk, u)
				}
			}
		case 10:
			_, err = c.Users.Update(ctx, admin, pick(staff), users.UpdateRequest{RoleID: ptr([]string{"staff", "admin"}[rng.IntN(2)])})
		case 11:
			if rng.IntN(2) == 0 {
				_, err = c.Users.Deactivate(ctx, admin, pick(staff), users.Plan{})
			} else {
				_, err = c.Users.Reactivate(ctx, admin, pick(staff))
			}
		case 12:
			if tk := pick(tks); tk != "" && rng.IntN(3) == 0 {
				err = c.Tasks.Delete(ctx, admin, tk)
			}
		case 13:
			switch rng.IntN(3) {
			case 0:
				if tm := pick(tms); tm != "" {
					err = c.Teams.Delete(ctx, admin, tm)
				}
			case 1:
				if b := pick(bds); b != "" && rng.IntN(3) == 0 {
					err = c.Boards.Delete(ctx, admin, b)
				}
			case 2:
				if p := pick(projs); p != "" && rng.IntN(4) == 0 {
					err = c.Projects.Delete(ctx, admin, p)
				}
			}
		}
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("step %d: %v", step, err)
			}
			continue // refused by a rule (e.g. a deleted thing picked again)
		}
		applied++
	}
	fresh, err := core.LoadAuthz(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	everyone := append(append([]string{owner.ID}, staff...), clients...)
	checks := 0
	for _, u := range everyone {
		a := authz.Actor{UserID: u}
		same := func(what string, x, y error) {
			checks++
			if (x == nil) != (y == nil) {
				t.Errorf("%s for %s: incremental %v, rebuilt %v", what, u, x, y)
			}
		}
		for _, p := range projs {
			same("project "+p, c.Authz.Check(a, authz.View, authz.ProjectRef(p)), fresh.Check(a, authz.View, authz.ProjectRef(p)))
			same("edit project "+p, c.Authz.Check(a, authz.ProjectsEdit, authz.ProjectRef(p)), fresh.Check(a, authz.ProjectsEdit, authz.ProjectRef(p)))
		}
		for _, b := range bds {
			same("board "+b, c.Authz.Check(a, authz.View, authz.BoardRef(b)), fresh.Check(a, authz.View, authz.BoardRef(b)))
			same("edit board "+b, c.Authz.Check(a, authz.TasksColumns, authz.BoardRef(b)), fresh.Check(a, authz.TasksColumns, authz.BoardRef(b)))
		}
		for _, tk := range tks {
			same("task "+tk, c.Authz.Check(a, authz.View, authz.TaskRef(tk)), fresh.Check(a, authz.View, authz.TaskRef(tk)))
			same("move task "+tk, c.Authz.Check(a, authz.TasksStatus, authz.TaskRef(tk)), fresh.Check(a, authz.TasksStatus, authz.TaskRef(tk)))
		}
		p1, err1 := c.Authz.VisibleTasks(a, authz.TaskFilter{Limit: 200})
		p2, err2 := fresh.VisibleTasks(a, authz.TaskFilter{Limit: 200})
		if (err1 == nil) != (err2 == nil) || (err1 == nil && (fmt.Sprint(p1.IDs) != fmt.Sprint(p2.IDs) || p1.Total != p2.Total)) {
			t.Errorf("task list for %s differs: %v / %v", u, p1, p2)
		}
	}
	if applied < steps/2 {
		t.Fatalf("only %d of %d changes were applied", applied, steps)
	}
	t.Logf("%d changes applied through the services, %d answers compared", applied, checks)
}

// Roles made, changed and deleted with lists of roles to give (through the roles service,
// in random order, lists naming each other and roles made later) leave the index giving
// exactly what an index rebuilt from the database gives: the lists are written, loaded
// and cascaded alike.
func TestRoleListsMatchTheDatabaseAfterRandomChanges(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, t.TempDir())
	defer st.Close()
	c, err := core.Assemble(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := c.Identity.Setup(ctx, identity.OwnerRequest{Name: "Owner", Email: "owner@example.com", Password: "correct horse battery"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	admin := authz.Actor{UserID: owner.ID}
	rng := rand.New(rand.NewPCG(3, 14))
	ids := []string{authz.RoleAdmin, authz.RoleStaff, authz.RoleClient}
	var holders []string
	grants := []authz.Grant{{Key: "users.create", Scope: authz.ScopeAll}, {Key: "users.edit", Scope: authz.ScopeAll}, {Key: "users.view", Scope: authz.ScopeAll}}
	some := func() []string {
		var out []string
		for _, id := range ids {
			if rng.IntN(3) == 0 {
				out = append(out, id)
			}
		}
		return out
	}
	applied := 0
	for step := 0; step < 120; step++ {
		var err error
		switch rng.IntN(4) {
		case 0, 1:
			var r *roles.Role
			r, err = c.Roles.Create(ctx, admin, roles.CreateRequest{Name: fmt.Sprintf("R%d", step), Kind: authz.KindInternal,
				Grants: grants[:1+rng.IntN(3)], Assignable: some()})
			if err == nil {
				ids = append(ids, r.ID)
				u, uerr := c.Users.Create(ctx, admin, users.CreateRequest{Name: fmt.Sprintf("Holder %d", step), Email: fmt.Sprintf("h%d@example.com", step), RoleID: r.ID, Generate: true})
				if uerr != nil {
					t.Fatal(uerr)
				}
				holders = append(holders, u.User.ID)
			}
		case 2:
			if len(ids) > 3 {
				id := ids[3+rng.IntN(len(ids)-3)]
				list := some()
				_, err = c.Roles.Update(ctx, admin, id, roles.UpdateRequest{Assignable: &list})
			}
		case 3:
			if len(ids) > 4 {
				k := 3 + rng.IntN(len(ids)-3)
				if err = c.Roles.Delete(ctx, admin, ids[k], authz.RoleStaff); err == nil {
					ids = append(ids[:k], ids[k+1:]...)
				}
			}
		}
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("step %d: %v", step, err)
			}
			continue
		}
		applied++
	}
	fresh, err := core.LoadAuthz(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, u := range append([]string{owner.ID}, holders...) {
		a := authz.Actor{UserID: u}
		got, want := c.Authz.Givings(a, ids), fresh.Givings(a, ids)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("givings for %s: incremental %v, rebuilt %v", u, got, want)
		}
		compared += len(ids)
	}
	if applied < 60 {
		t.Fatalf("only %d changes applied", applied)
	}
	t.Logf("%d changes applied, %d answers compared", applied, compared)
}
