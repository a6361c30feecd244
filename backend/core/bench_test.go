package core_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/core"
	"gatehouse/backend/identity"
	"gatehouse/backend/store"
	"gatehouse/backend/users"
)

// The benchmark organisation: 10,000 users (5 admins, 8,000 staff, the rest clients),
// 100 teams of 20, 1,000 projects (10 members, 2 teams, 2 clients each), 20 boards (half
// invite-only), 100,000 tasks (100 a project; 30% client-visible, 40% on boards, 10%
// assigned, 1% followed). Built once per run in a temp folder with direct inserts (no
// password hashing: the hash is computed once).
type benchWorld struct {
	c        *core.Core
	db       *sql.DB
	staff    []string // staff user ids
	busy     string   // a staff member on many projects
	projects []string
	tasks    []string
	dir      string
}

var (
	worldOnce sync.Once
	world     *benchWorld
)

// TestMain removes the benchmark organisation's folder once every benchmark has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if world != nil {
		world.c.Store.Close()
		os.RemoveAll(world.dir)
	}
	os.Exit(code)
}

func getWorld(b *testing.B) *benchWorld {
	worldOnce.Do(func() { world = buildBenchWorld(b) })
	if world == nil {
		b.Fatal("building the benchmark world failed")
	}
	return world
}

func buildBenchWorld(b *testing.B) *benchWorld {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gatehouse-bench")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		b.Fatal(err)
	}
	hash, _ := identity.HashPassword("benchmark passphrase")
	rng := rand.New(rand.NewPCG(3, 4))
	w := &benchWorld{db: st.DB(), dir: dir}
	var clients []string
	now := time.Now()
	err = st.RunInTx(ctx, func(tx *store.Store) error {
		for i := 0; i < 10_000; i++ {
			role := "staff"
			switch {
			case i < 5:
				role = "admin"
			case i >= 8_005:
				role = "client"
			}
			id := fmt.Sprintf("user-%05d", i)
			if err := tx.CreateUser(ctx, &store.User{ID: id, Name: fmt.Sprintf("User %05d", i), Email: fmt.Sprintf("u%05d@example.com", i),
				PasswordHash: hash, RoleID: role, Status: store.StatusActive, CreatedAt: now}); err != nil {
				return err
			}
			switch role {
			case "staff":
				w.staff = append(w.staff, id)
			case "client":
				clients = append(clients, id)
			}
		}
		var teams []string
		for i := 0; i < 100; i++ {
			t := &store.Team{ID: fmt.Sprintf("team-%03d", i), Name: fmt.Sprintf("Team %03d", i), CreatedAt: now}
			for j := 0; j < 20; j++ {
				t.Members = append(t.Members, w.staff[(i*20+j)%len(w.staff)])
			}
			if err := tx.CreateTeam(ctx, t); err != nil {
				return err
			}
			teams = append(teams, t.ID)
		}
		var boards []*store.Board
		for i := 0; i < 20; i++ {
			bd := &store.Board{ID: fmt.Sprintf("board-%02d", i), Name: fmt.Sprintf("Board %02d", i), Visibility: "all", CreatedAt: now,
				Stages: []store.Stage{{ID: fmt.Sprintf("stage-%02d-a", i), Name: "To do", Kind: "open"}, {ID: fmt.Sprintf("stage-%02d-b", i), Name: "Done", Kind: "done"}}}
			if i%2 == 1 {
				bd.Visibility = "invited"
				for j := 0; j < 50; j++ {
					bd.Access = append(bd.Access, store.BoardGrant{Type: "user", ID: w.staff[rng.IntN(len(w.staff))], Level: "member"})
				}
				bd.Access = dedupeGrants(bd.Access)
				for j := 0; j < 3; j++ {
					bd.Access = append(bd.Access, store.BoardGrant{Type: "team", ID: teams[(i*3+j)%len(teams)], Level: "editor"})
				}
			}
			if err := tx.CreateBoard(ctx, bd); err != nil {
				return err
			}
			boards = append(boards, bd)
		}
		w.busy = w.staff[0]
		for i := 0; i < 1_000; i++ {
			p := &store.Project{ID: fmt.Sprintf("project-%04d", i), Name: fmt.Sprintf("Project %04d", i), Status: "active", CreatedAt: now}
			seen := map[string]bool{}
			for j := 0; j < 10; j++ {
				u := w.staff[rng.IntN(len(w.staff))]
				if i%10 == 0 && j == 0 {
					u = w.busy // on 100 projects
				}
				if !seen[u] {
					seen[u] = true
					p.Members = append(p.Members, u)
				}
			}
			p.Teams = []string{teams[i%100], teams[(i*7+3)%100]}
			if p.Teams[0] == p.Teams[1] {
				p.Teams = p.Teams[:1]
			}
			p.Clients = []string{clients[(2*i)%len(clients)], clients[(2*i+1)%len(clients)]}
			if err := tx.CreateProject(ctx, p); err != nil {
				return err
			}
			w.projects = append(w.projects, p.ID)
			for j := 0; j < 100; j++ {
				t := &store.Task{ID: fmt.Sprintf("task-%04d-%03d", i, j), ProjectID: p.ID, Title: "Task", ClientVisible: rng.IntN(10) < 3, CreatedAt: now}
				if rng.IntN(10) < 4 {
					bd := boards[rng.IntN(len(boards))]
					t.BoardID, t.StageID = bd.ID, bd.Stages[0].ID
				}
				if rng.IntN(10) == 0 {
					t.AssigneeID = p.Members[0]
				}
				if err := tx.CreateTask(ctx, t); err != nil {
					return err
				}
				if rng.IntN(100) == 0 {
					if err := tx.SetTaskFollowers(ctx, t.ID, []string{w.staff[rng.IntN(len(w.staff))]}); err != nil {
						return err
					}
				}
				w.tasks = append(w.tasks, t.ID)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if w.c, err = core.Assemble(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now); err != nil {
		b.Fatal(err)
	}
	return w
}

func dedupeGrants(gs []store.BoardGrant) []store.BoardGrant {
	seen := map[string]bool{}
	var out []store.BoardGrant
	for _, g := range gs {
		if !seen[g.Type+g.ID] {
			seen[g.Type+g.ID] = true
			out = append(out, g)
		}
	}
	return out
}

// sqlTaskVisible is the baseline: the same rule for a staff member (Staff role: assigned
// projects, all tasks in them, internal tasks too) as one SQL query per check.
const sqlTaskVisible = `SELECT EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?1
  AND (t.project_id IN (SELECT project_id FROM project_members WHERE user_id = ?2)
    OR t.project_id IN (SELECT pt.project_id FROM project_teams pt JOIN team_members tm ON tm.team_id = pt.team_id WHERE tm.user_id = ?2))
  AND (t.board_id IS NULL OR t.board_id IN (SELECT id FROM boards WHERE visibility = 'all')
    OR t.board_id IN (SELECT board_id FROM board_access WHERE principal_type = 'user' AND principal_id = ?2)
    OR t.board_id IN (SELECT ba.board_id FROM board_access ba JOIN team_members tm ON ba.principal_type = 'team' AND ba.principal_id = tm.team_id WHERE tm.user_id = ?2)))
  OR EXISTS (SELECT 1 FROM task_followers WHERE task_id = ?1 AND user_id = ?2)`

const sqlVisibleWhere = `FROM tasks t WHERE
  (t.project_id IN (SELECT project_id FROM project_members WHERE user_id = ?1)
    OR t.project_id IN (SELECT pt.project_id FROM project_teams pt JOIN team_members tm ON tm.team_id = pt.team_id WHERE tm.user_id = ?1))
  AND (t.board_id IS NULL OR t.board_id IN (SELECT id FROM boards WHERE visibility = 'all')
    OR t.board_id IN (SELECT board_id FROM board_access WHERE principal_type = 'user' AND principal_id = ?1)
    OR t.board_id IN (SELECT ba.board_id FROM board_access ba JOIN team_members tm ON ba.principal_type = 'team' AND ba.principal_id = tm.team_id WHERE tm.user_id = ?1))`

const sqlWhoCanSee = `SELECT u.id, 'role_scope' FROM users u WHERE u.role_id = 'admin' AND u.status = 'active'
  UNION ALL SELECT pm.user_id, 'member' FROM project_members pm JOIN users u ON u.id = pm.user_id AND u.status = 'active' WHERE pm.project_id = ?1
  UNION ALL SELECT tm.user_id, 'team' FROM project_teams pt JOIN team_members tm ON tm.team_id = pt.team_id JOIN users u ON u.id = tm.user_id AND u.status = 'active' WHERE pt.project_id = ?1
  UNION ALL SELECT pc.user_id, 'client' FROM project_clients pc JOIN users u ON u.id = pc.user_id AND u.status = 'active' WHERE pc.project_id = ?1`

// measure runs fn n times and returns the mean time per call.
func measure(n int, fn func(i int)) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		fn(i)
	}
	return time.Since(start) / time.Duration(n)
}

func report(b *testing.B, index, baseline time.Duration) {
	b.ReportMetric(float64(baseline.Nanoseconds()), "sql-ns/op")
	b.ReportMetric(float64(baseline)/float64(index), "x-faster-than-sql")
}

// A single check: may this staff member see this task? "scattered" asks about all 100,000
// tasks in a scattered order, so the task's index entries are read from memory each time
// (two cache misses: its slot in the id table and its record); "recent" asks about the
// same 64 tasks over and over, as a page of tasks is checked, with everything in cache.
func BenchmarkCheck(b *testing.B) {
	w := getWorld(b)
	az := w.c.Authz
	// The actor as a request holds it: resolved once, when the session is read. The ids'
	// bytes are laid out in the order they are asked, as a request's id is in cache when
	// it is checked.
	actor := az.Actor(w.busy)
	var buf []byte
	offs := []int{0}
	for i := range w.tasks {
		buf = append(buf, w.tasks[(i*7919)%len(w.tasks)]...)
		offs = append(offs, len(buf))
	}
	ids := string(buf)
	b.Run("scattered", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i % len(w.tasks)
			az.Check(actor, authz.View, authz.TaskRef(ids[offs[k]:offs[k+1]]))
		}
		index := b.Elapsed() / time.Duration(b.N)
		b.StopTimer()
		stmt, _ := w.db.Prepare(sqlTaskVisible)
		defer stmt.Close()
		baseline := measure(2000, func(i int) {
			var ok bool
			stmt.QueryRow(w.tasks[(i*7919)%len(w.tasks)], w.busy).Scan(&ok)
		})
		report(b, index, baseline)
	})
	b.Run("recent", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i & 63
			az.Check(actor, authz.View, authz.TaskRef(ids[offs[k]:offs[k+1]]))
		}
	})
}

// A page of 50 visible tasks with the total, for a staff member on ~100 projects, and
// for an admin (every task).
func BenchmarkTaskPage(b *testing.B) {
	w := getWorld(b)
	for _, who := range []struct{ name, id string }{{"staff", w.busy}, {"admin", "user-00000"}} {
		b.Run(who.name, func(b *testing.B) {
			actor := w.c.Authz.Actor(who.id)
			var total int
			for b.Loop() {
				p, err := w.c.Authz.VisibleTasks(actor, authz.TaskFilter{Limit: 50})
				if err != nil || len(p.IDs) != 50 {
					b.Fatalf("page: %v %v", err, p)
				}
				total = p.Total
			}
			index := b.Elapsed() / time.Duration(b.N)
			b.StopTimer()
			if who.name != "staff" {
				b.ReportMetric(float64(total), "total")
				return
			}
			var sqlTotal int
			baseline := measure(20, func(int) {
				rows, _ := w.db.Query(`SELECT t.id `+sqlVisibleWhere+` ORDER BY t.seq DESC LIMIT 50`, w.busy)
				for rows.Next() {
				}
				rows.Close()
				w.db.QueryRow(`SELECT COUNT(*) `+sqlVisibleWhere, w.busy).Scan(&sqlTotal)
			})
			if sqlTotal != total {
				b.Fatalf("the index counts %d visible tasks, SQL %d", total, sqlTotal)
			}
			b.ReportMetric(float64(total), "total")
			report(b, index, baseline)
		})
	}
}

// Everyone who can see a project, with their paths.
func BenchmarkWhoCanSee(b *testing.B) {
	w := getWorld(b)
	admin := w.c.Authz.Actor("user-00000")
	for i := 0; b.Loop(); i++ {
		if _, err := w.c.Authz.WhoCanSee(admin, authz.Project, w.projects[i%len(w.projects)]); err != nil {
			b.Fatal(err)
		}
	}
	index := b.Elapsed() / time.Duration(b.N)
	b.StopTimer()
	stmt, _ := w.db.Prepare(sqlWhoCanSee)
	defer stmt.Close()
	baseline := measure(500, func(i int) {
		rows, _ := stmt.Query(w.projects[i%len(w.projects)])
		for rows.Next() {
		}
		rows.Close()
	})
	report(b, index, baseline)
}

// A role change committed through the index is what the very next check sees: never a
// stale answer. Each iteration downgrades or upgrades a user and checks at once.
func BenchmarkRoleChangeThenCheck(b *testing.B) {
	w := getWorld(b)
	az := w.c.Authz
	u := w.staff[1]
	actor := az.Actor(u)
	for i := 0; b.Loop(); i++ {
		role := []string{authz.RoleAdmin, authz.RoleStaff}[i%2]
		az.Update(func(wr *authz.Writer) error {
			wr.PutUser(u, role, true)
			return nil
		})
		err := az.Check(actor, authz.SettingsGeneral, authz.Ref{})
		if (err == nil) != (role == authz.RoleAdmin) {
			b.Fatalf("stale answer after changing the role to %s: %v", role, err)
		}
	}
	az.Update(func(wr *authz.Writer) error {
		wr.PutUser(u, authz.RoleStaff, true)
		return nil
	})
}

// A role change through the users service (decided under the lock, written with its audit
// entry, in force for the next check) against a bare commit of the same row with the same
// FULL synchronous setting, measured alternately in the same run.
func BenchmarkRoleChange(b *testing.B) {
	w := getWorld(b)
	ctx := context.Background()
	owner := w.c.Authz.Actor("user-00000")
	u := w.staff[2]
	roles := []string{authz.RoleAdmin, authz.RoleStaff}
	var service, bare time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := w.c.Users.Update(ctx, owner, u, users.UpdateRequest{RoleID: &roles[i%2]}); err != nil {
			b.Fatal(err)
		}
		service += time.Since(start)
		start = time.Now()
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?`, roles[i%2], "x", w.staff[3]); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(start)
	}
	w.c.Users.Update(ctx, owner, u, users.UpdateRequest{RoleID: &roles[1]})
	b.ReportMetric(float64(service.Nanoseconds())/float64(b.N), "service-ns/op")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "bare-commit-ns/op")
	b.ReportMetric(float64(service)/float64(bare), "x-bare-commit")
}

// Building the index from the database of the benchmark organisation.
func BenchmarkIndexBuild(b *testing.B) {
	w := getWorld(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := core.LoadAuthz(ctx, w.c.Store); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
}
