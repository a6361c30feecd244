package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gatehouse/backend/authz"
	"gatehouse/backend/testkit"
)

const pw, pw2 = "initial passphrase 1", "my own passphrase 22"

// grantSet is a role's permissions as the test sees them.
type grantSet map[string]authz.Scope

func (g grantSet) covers(key string, scope authz.Scope) bool {
	s, ok := g[key]
	return ok && (s == scope || s == authz.ScopeAll)
}

func (g grantSet) includes(other grantSet) bool {
	for k, s := range other {
		if p, _ := authz.Lookup(k); !p.SelfOnly && !g.covers(k, s) {
			return false
		}
	}
	return true
}

func has(g grantSet, key string) bool {
	_, ok := g[key]
	return ok
}

func toSet(items []any) grantSet {
	g := grantSet{}
	for _, it := range items {
		m := it.(map[string]any)
		g[m["key"].(string)] = authz.Scope(m["scope"].(string))
	}
	return g
}

func kindScope(kind string) authz.Scope {
	if kind == "client" {
		return authz.ScopeClients
	}
	return authz.ScopeStaff
}

type subject struct {
	name   string
	roleID string
	grants grantSet
	// gives are the roles the subject's role lists as roles its holders may give.
	gives map[string]bool
	token string
}

// The role × action matrix: Admin, Staff, Client, every template role (the People
// Manager with the Staff and Client roles it may give), a deactivated
// user and no session, against every catalog action that has an HTTP route (the users.*,
// roles.manage and activity.team areas; the others are walked by authz's own matrix test
// until their routes exist). Expected answers follow from each role's permissions, which
// backend/authz's article test pins to the articles; every denied call must leave the
// database exactly as it was.
// matrixSubjects starts a backend and signs in one person for each built-in and template
// role, plus a deactivated user (their token no longer works) and no session.
func matrixSubjects(t *testing.T) (*testkit.Env, string, map[string]grantSet, []*subject) {
	env := testkit.Start(t)
	owner := env.Setup()
	roleGrants := map[string]grantSet{}
	var rolesResp struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/roles", owner, nil).Decode(t, &rolesResp)
	for _, r := range rolesResp.Items {
		roleGrants[r["id"].(string)] = toSet(r["permissions"].([]any))
	}
	subjects := []*subject{{name: "Admin", roleID: "admin"}, {name: "Staff", roleID: "staff"}, {name: "Client", roleID: "client"}}
	var templates struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/role-templates", owner, nil).Decode(t, &templates)
	if len(templates.Items) != len(authz.Templates) {
		t.Fatalf("%d templates served", len(templates.Items))
	}
	for _, tp := range templates.Items {
		r := env.Do("POST", "/api/roles", owner, map[string]any{"name": tp["name"], "kind": tp["kind"], "permissions": tp["permissions"],
			"assignableRoleIds": tp["assignableRoleIds"]})
		if r.Status != 201 {
			t.Fatalf("create %s from its template: %d %s", tp["name"], r.Status, r.Body)
		}
		id := r.JSON()["id"].(string)
		roleGrants[id] = toSet(r.JSON()["permissions"].([]any))
		gives := map[string]bool{}
		for _, g := range r.JSON()["assignableRoleIds"].([]any) {
			gives[g.(string)] = true
		}
		subjects = append(subjects, &subject{name: tp["name"].(string), roleID: id, gives: gives})
	}
	if !slices.ContainsFunc(subjects, func(s *subject) bool { return s.gives[authz.RoleStaff] && s.gives[authz.RoleClient] }) {
		t.Fatal("no template role gives Staff and Client: the matrix would not cover roles given through a list")
	}
	for i, s := range subjects {
		email := fmt.Sprintf("subject%d@example.com", i)
		env.CreateUser(owner, s.name+" Person", email, s.roleID, pw)
		s.token = env.SignInFresh(email, pw, pw2)
		s.grants = roleGrants[s.roleID]
	}
	// A deactivated user keeps a token that must no longer work; no session has none.
	goneID := env.CreateUser(owner, "Gone Person", "gone@example.com", "admin", pw)
	gone := &subject{name: "deactivated", token: env.SignInFresh("gone@example.com", pw, pw2)}
	if r := env.Do("POST", "/api/users/"+goneID+"/deactivate", owner, nil); r.Status != 200 {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	subjects = append(subjects, gone, &subject{name: "no session"})

	return env, owner, roleGrants, subjects
}

func TestRoleActionMatrixOverHTTP(t *testing.T) {
	env, owner, roleGrants, subjects := matrixSubjects(t)
	n := 0
	check := func(t *testing.T, s *subject, what string, want int, do func() *testkit.Resp) {
		t.Helper()
		before := env.Snapshot()
		r := do()
		n++
		ok := r.Status == want || (want == 200 && r.Status >= 200 && r.Status < 300)
		if !ok {
			t.Errorf("%s: %s → %d %s, want %d", s.name, what, r.Status, r.Body, want)
		}
		if r.Status >= 400 {
			if after := env.Snapshot(); after != before {
				t.Errorf("%s: denied %s changed the database", s.name, what)
			}
		}
	}
	for i, s := range subjects {
		t.Run(s.name, func(t *testing.T) {
			signedIn := s.grants != nil
			want := func(allowed bool, denied int) int {
				if !signedIn {
					return http.StatusUnauthorized
				}
				if allowed {
					return 200
				}
				return denied
			}
			g := s.grants
			check(t, s, "GET /api/me", want(true, 0), func() *testkit.Resp { return env.Do("GET", "/api/me", s.token, nil) })
			check(t, s, "GET /api/permissions", want(true, 0), func() *testkit.Resp { return env.Do("GET", "/api/permissions", s.token, nil) })
			check(t, s, "GET /api/roles", want(g.covers("roles.manage", "") || g["users.view"] != "" || g["users.create"] != "", 403),
				func() *testkit.Resp { return env.Do("GET", "/api/roles", s.token, nil) })
			check(t, s, "GET /api/role-templates", want(g.covers("roles.manage", ""), 403),
				func() *testkit.Resp { return env.Do("GET", "/api/role-templates", s.token, nil) })
			check(t, s, "GET /api/audit", want(g["activity.team"] != "", 403),
				func() *testkit.Resp { return env.Do("GET", "/api/audit", s.token, nil) })

			// roles.manage: create, clone, edit and delete custom roles; built-ins are fixed.
			manage := g.covers("roles.manage", "")
			check(t, s, "POST /api/roles", want(manage, 403), func() *testkit.Resp {
				return env.Do("POST", "/api/roles", s.token, map[string]any{"name": fmt.Sprintf("Made by %d", i), "kind": "internal", "permissions": []any{}})
			})
			check(t, s, "POST /api/roles/staff/clone", want(manage && g.includes(roleGrants["staff"]), 403), func() *testkit.Resp {
				return env.Do("POST", "/api/roles/staff/clone", s.token, map[string]any{"name": fmt.Sprintf("Staff copy %d", i)})
			})
			check(t, s, "PATCH /api/roles/staff (built-in)", want(false, 403), func() *testkit.Resp {
				return env.Do("PATCH", "/api/roles/staff", s.token, map[string]any{"description": "changed"})
			})
			check(t, s, "DELETE /api/roles/client (built-in)", want(false, 403), func() *testkit.Resp {
				return env.Do("DELETE", "/api/roles/client", s.token, nil)
			})
			fixture := env.Do("POST", "/api/roles", owner, map[string]any{"name": fmt.Sprintf("Fixture %d", i), "kind": "internal",
				"permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}}).JSON()["id"].(string)
			fixtureGrants := grantSet{"projects.view": authz.ScopeAssigned}
			check(t, s, "PATCH /api/roles/{custom}", want(manage && g.includes(fixtureGrants), 403), func() *testkit.Resp {
				return env.Do("PATCH", "/api/roles/"+fixture, s.token, map[string]any{"description": "edited"})
			})
			check(t, s, "DELETE /api/roles/{custom}", want(manage && g.includes(fixtureGrants), 403), func() *testkit.Resp {
				return env.Do("DELETE", "/api/roles/"+fixture, s.token, nil)
			})

			// What the role list tells the pickers: the same rules as the calls below.
			if signedIn && (g["users.view"] != "" || g["users.create"] != "" || g.covers("roles.manage", "")) {
				var rl struct {
					Items []struct {
						ID      string   `json:"id"`
						MayGive bool     `json:"mayGive"`
						Actions []string `json:"actions"`
					} `json:"items"`
				}
				env.Do("GET", "/api/roles", s.token, nil).Decode(t, &rl)
				for _, r := range rl.Items {
					if r.ID != authz.RoleAdmin && r.ID != authz.RoleStaff && r.ID != authz.RoleClient {
						continue
					}
					gives := g.includes(roleGrants[r.ID]) || s.gives[r.ID]
					scope := kindScope(map[bool]string{true: "client"}[r.ID == authz.RoleClient])
					if r.MayGive != gives || slices.Contains(r.Actions, "users.create") != (gives && g.covers("users.create", scope)) ||
						slices.Contains(r.Actions, "users.edit") != (gives && g.covers("users.edit", scope)) {
						t.Errorf("%s: GET /api/roles says of %s: mayGive %v, actions %v", s.name, r.ID, r.MayGive, r.Actions)
					}
				}
			}

			// users.*: against a fresh internal and a fresh client account.
			for _, target := range []struct{ roleID, kind string }{{"staff", "internal"}, {"client", "client"}} {
				scope := kindScope(target.kind)
				email := fmt.Sprintf("target-%d-%s@example.com", i, target.kind)
				// Giving the role: it holds nothing beyond the subject's, or their role lists it.
				gives := g.includes(roleGrants[target.roleID]) || s.gives[target.roleID]
				check(t, s, "POST /api/users ("+target.roleID+")", want(g.covers("users.create", scope) && gives, 403),
					func() *testkit.Resp {
						return env.Do("POST", "/api/users", s.token, map[string]any{"name": "Made", "email": "made-" + email, "roleId": target.roleID, "generate": true})
					})
				id := env.CreateUser(owner, "Target "+target.kind, email, target.roleID, pw)
				visible := g.covers("users.view", scope)
				// Managing the account takes a role one may give; taking it over (its
				// password, its email) or deleting it, a role within one's own.
				answer := func(key string, allowed bool) int {
					if !signedIn {
						return 401
					}
					if !visible {
						return 404
					}
					if !g.covers(key, scope) || !allowed {
						return 403
					}
					return 200
				}
				manageable := func(key string) int { return answer(key, gives) }
				takeOver := func(key string) int { return answer(key, g.includes(roleGrants[target.roleID])) }
				check(t, s, "GET /api/users/{"+target.kind+"}", want(visible, 404), func() *testkit.Resp { return env.Do("GET", "/api/users/"+id, s.token, nil) })
				list := env.Do("GET", "/api/users?q="+email, s.token, nil)
				switch {
				case !signedIn && list.Status != 401, signedIn && g["users.view"] == "" && list.Status != 403:
					t.Errorf("%s: list users → %d", s.name, list.Status)
				case list.Status == 200 && strings.Contains(string(list.Body), id) != visible:
					t.Errorf("%s: list shows the %s account: %v, want %v", s.name, target.kind, !visible, visible)
				}
				check(t, s, "PATCH /api/users/{"+target.kind+"}", manageable("users.edit"), func() *testkit.Resp {
					return env.Do("PATCH", "/api/users/"+id, s.token, map[string]any{"name": "Renamed"})
				})
				// Moving the account to the other built-in role: both roles given, both kinds managed.
				other := map[string]string{"staff": "client", "client": "staff"}[target.roleID]
				otherKind := kindScope(map[string]string{"staff": "client", "client": "internal"}[target.roleID])
				move := manageable("users.edit")
				if move == 200 && (!g.covers("users.edit", otherKind) || !(g.includes(roleGrants[other]) || s.gives[other])) {
					move = 403
				}
				check(t, s, "PATCH /api/users/{"+target.kind+"} roleId "+other, move, func() *testkit.Resp {
					return env.Do("PATCH", "/api/users/"+id, s.token, map[string]any{"roleId": other})
				})
				if move == 200 { // back as it was, for the calls below
					if r := env.Do("PATCH", "/api/users/"+id, owner, map[string]any{"roleId": target.roleID}); r.Status != 200 {
						t.Fatalf("move back: %d %s", r.Status, r.Body)
					}
				}
				check(t, s, "POST /api/users/{"+target.kind+"}/password", takeOver("users.edit"), func() *testkit.Resp {
					return env.Do("POST", "/api/users/"+id+"/password", s.token, map[string]any{"generate": true})
				})
				check(t, s, "PATCH /api/users/{"+target.kind+"} email", takeOver("users.edit"), func() *testkit.Resp {
					return env.Do("PATCH", "/api/users/"+id, s.token, map[string]any{"email": "moved-" + email})
				})
				check(t, s, "POST /api/users/{"+target.kind+"}/deactivate", manageable("users.deactivate"), func() *testkit.Resp {
					return env.Do("POST", "/api/users/"+id+"/deactivate", s.token, nil)
				})
				check(t, s, "POST /api/users/{"+target.kind+"}/reactivate", manageable("users.deactivate"), func() *testkit.Resp {
					return env.Do("POST", "/api/users/"+id+"/reactivate", s.token, nil)
				})
				check(t, s, "DELETE /api/users/{"+target.kind+"}", takeOver("users.delete"), func() *testkit.Resp {
					return env.Do("DELETE", "/api/users/"+id, s.token, nil)
				})
			}
		})
	}
	t.Logf("%d calls checked", n)
}

// A role downgrade made in one session is in force for the other session's very next call.
func TestRoleDowngradeDeniesTheOtherSessionsNextCall(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	id := env.CreateUser(owner, "Second Admin", "second@example.com", "admin", "initial passphrase 1")
	second := env.SignInFresh("second@example.com", "initial passphrase 1", "my own passphrase 22")
	if r := env.Do("GET", "/api/users", second, nil); r.Status != 200 {
		t.Fatalf("before: %d", r.Status)
	}
	if r := env.Do("PATCH", "/api/users/"+id, owner, map[string]any{"roleId": "staff"}); r.Status != 200 {
		t.Fatalf("downgrade: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/users", second, nil); r.Status != 403 {
		t.Fatalf("the downgraded session's next call: %d, want 403", r.Status)
	}
	me := env.Do("GET", "/api/me", second, nil).JSON()
	if me["role"].(map[string]any)["name"] != "Staff" {
		t.Fatalf("me after downgrade: %v", me["role"])
	}
	// Editing the role itself is just as immediate.
	role := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Viewer", "kind": "internal",
		"permissions": []map[string]string{{"key": "users.view", "scope": "all"}}}).JSON()["id"].(string)
	env.Do("PATCH", "/api/users/"+id, owner, map[string]any{"roleId": role})
	if r := env.Do("GET", "/api/users", second, nil); r.Status != 200 {
		t.Fatalf("with users.view: %d", r.Status)
	}
	env.Do("PATCH", "/api/roles/"+role, owner, map[string]any{"permissions": []any{}})
	if r := env.Do("GET", "/api/users", second, nil); r.Status != 403 {
		t.Fatalf("after the role lost users.view: %d", r.Status)
	}
}

// The same matrix over the routes of projects, tasks, boards, task types and teams: each
// subject is on one project (as member, or attached client) and works on a task assigned
// to them there; another project they are not on must stay hidden unless their role sees
// every project. Denied calls leave the database unchanged.
func TestWorkActionMatrixOverHTTP(t *testing.T) {
	env, owner, _, subjects := matrixSubjects(t)
	mustDo := func(method, path string, body any, status int) map[string]any {
		t.Helper()
		r := env.Do(method, path, owner, body)
		if r.Status != status {
			t.Fatalf("setup %s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r.JSON()
	}
	board := mustDo("POST", "/api/boards", map[string]any{"name": "Open board", "visibility": "all"}, 201)
	stages := stageIDs(board)
	other := mustDo("POST", "/api/projects", map[string]any{"name": "Not theirs"}, 201)["id"].(string)
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	n := 0
	for i, s := range subjects {
		t.Run(s.name, func(t *testing.T) {
			signedIn := s.grants != nil
			g := s.grants
			var me map[string]any
			if signedIn {
				me = env.Do("GET", "/api/me", s.token, nil).JSON()
			}
			client := signedIn && me["role"].(map[string]any)["kind"] == "client"
			body := map[string]any{"name": fmt.Sprintf("Theirs %d", i)}
			if signedIn {
				uid := me["user"].(map[string]any)["id"].(string)
				if client {
					body["clients"] = []string{uid}
				} else {
					body["members"] = []string{uid}
				}
			}
			project := mustDo("POST", "/api/projects", body, 201)["id"].(string)
			task := map[string]any{"title": "Theirs", "clientVisible": true, "boardId": board["id"], "stageId": stages[0]}
			if signedIn && g["projects.view"] != "" { // only people who see the project can be assigned
				task["assigneeId"] = me["user"].(map[string]any)["id"]
			}
			tid := mustDo("POST", "/api/projects/"+project+"/tasks", task, 201)["id"].(string)
			review := mustDo("POST", "/api/projects/"+project+"/tasks", map[string]any{"title": "For review", "clientVisible": true,
				"boardId": board["id"], "stageId": stages[2]}, 201)["id"].(string)
			up := env.DoRaw("POST", "/api/projects/"+project+"/files?name=internal.txt", owner, "application/octet-stream", []byte("internal"))
			if up.Status != 201 {
				t.Fatalf("setup upload: %d %s", up.Status, up.Body)
			}
			teamFile := up.JSON()["id"].(string)
			teamThread := mustDo("POST", "/api/projects/"+project+"/threads", map[string]any{"title": "Internal", "body": "Team only"}, 201)["id"].(string)

			want := func(allowed bool, denied int) int {
				switch {
				case !signedIn:
					return 401
				case allowed:
					return 200
				}
				return denied
			}
			check := func(what string, want int, method, path string, body any) {
				t.Helper()
				before := env.Snapshot()
				r := env.Do(method, path, s.token, body)
				n++
				if !(r.Status == want || (want == 200 && r.Status >= 200 && r.Status < 300)) {
					t.Errorf("%s: %s → %d %s, want %d", s.name, what, r.Status, r.Body, want)
				}
				if r.Status >= 400 && env.Snapshot() != before {
					t.Errorf("%s: denied %s changed the database", s.name, what)
				}
			}
			seesAll := g["projects.view"] == authz.ScopeAll && !client
			seesTasks := g["tasks.view"] != "" // all tasks in view, or this one (assigned to them)
			covers := func(key string) bool { return g.covers(key, authz.ScopeAssigned) }
			check("GET own project", want(g["projects.view"] != "", 404), "GET", "/api/projects/"+project, nil)
			check("GET other project", want(seesAll, 404), "GET", "/api/projects/"+other, nil)
			check("POST /api/projects", want(g.covers("projects.create", ""), 403), "POST", "/api/projects", map[string]any{"name": "New"})
			if g["projects.view"] == "" {
				return // every project route answers 404: already shown
			}
			check("PATCH project name", want(covers("projects.edit") && !client, 403), "PATCH", "/api/projects/"+project, map[string]any{"description": "changed"})
			check("PATCH project members", want(covers("projects.members") && !client, 403), "PATCH", "/api/projects/"+project, map[string]any{"teams": []string{}})
			// Files and discussions of their project: what they make, and what the team made
			// internally (which a client never sees).
			check("GET files", want(has(g, "files.view"), 403), "GET", "/api/projects/"+project+"/files", nil)
			before := env.Snapshot()
			up = env.DoRaw("POST", "/api/projects/"+project+"/files?name=mine.txt", s.token, "application/octet-stream", []byte("mine"))
			n++
			if w := want(has(g, "files.upload"), 403); !(up.Status == w || (w == 200 && up.Status == 201)) {
				t.Errorf("%s: upload → %d %s, want %d", s.name, up.Status, up.Body, w)
			}
			if up.Status >= 400 && env.Snapshot() != before {
				t.Errorf("%s: denied upload changed the database", s.name)
			}
			check("POST folder", want(has(g, "files.folders") && !client, 403), "POST", "/api/projects/"+project+"/folders", map[string]any{"name": "Mine"})
			check("GET internal file", want(has(g, "files.view") && !client, 404), "GET", "/api/files/"+teamFile, nil)
			check("GET internal file content", want(has(g, "files.view") && !client, 404), "GET", "/api/files/"+teamFile+"/content", nil)
			check("PATCH share file", want(has(g, "files.share_clients") && has(g, "files.view") && !client, map[bool]int{true: 403, false: 404}[has(g, "files.view") && !client]),
				"PATCH", "/api/files/"+teamFile, map[string]any{"shared": true})
			check("POST thread", want(has(g, "chat.discussions"), 403), "POST", "/api/projects/"+project+"/threads", map[string]any{"title": "Hello", "body": "Hi"})
			check("GET internal thread", want(has(g, "chat.discussions") && !client, 404), "GET", "/api/threads/"+teamThread, nil)
			check("POST in internal thread", want(has(g, "chat.discussions") && !client, 404), "POST", "/api/threads/"+teamThread+"/messages", map[string]any{"body": "Hi"})
			check("DELETE internal file", want(has(g, "files.delete") && has(g, "files.view") && !client, map[bool]int{true: 403, false: 404}[has(g, "files.view") && !client]),
				"DELETE", "/api/files/"+teamFile, nil)
			// Company costs of their project: costs.view to read, costs.edit to change; the
			// figures are in the project's answer only for those who may read them.
			check("GET costs", want(has(g, "costs.view") && !client, 403), "GET", "/api/projects/"+project+"/costs", nil)
			check("PUT budget", want(has(g, "costs.edit") && !client, 403), "PUT", "/api/projects/"+project+"/budget", map[string]any{"budget": 100})
			if r := env.Do("GET", "/api/projects/"+project, s.token, nil).JSON(); (r["budget"] != nil || r["spent"] != nil) != (has(g, "costs.view") && !client) {
				t.Errorf("%s: the project's answer carries costs: %v", s.name, r["spent"])
			}
			check("GET task", want(seesTasks, 404), "GET", "/api/tasks/"+tid, nil)
			check("POST task", want(g.covers("tasks.create", ""), 403), "POST", "/api/projects/"+project+"/tasks", map[string]any{"title": "Mine"})
			if !seesTasks {
				return
			}
			check("PATCH task title", want(g.covers("tasks.edit", ""), 403), "PATCH", "/api/tasks/"+tid, map[string]any{"title": "Renamed"})
			check("PATCH task stage", want(g.covers("tasks.status", "") && !client, 403), "PATCH", "/api/tasks/"+tid, map[string]any{"stageId": stages[1]})
			check("PATCH task assignee", want(g.covers("tasks.assign", "") && !client, 403), "PATCH", "/api/tasks/"+tid, map[string]any{"assigneeId": ""})
			check("POST comment", want(g.covers("chat.task_comments", ""), 403), "POST", "/api/tasks/"+tid+"/comments", map[string]any{"body": "Hello"})
			if g["tasks.view"] == authz.ScopeAll {
				check("POST review", want(g.covers("tasks.review", ""), 403), "POST", "/api/tasks/"+review+"/review", map[string]any{"decision": "approve"})
			}
			check("DELETE task", want(g.covers("tasks.delete", ""), 403), "DELETE", "/api/tasks/"+tid, nil)
			check("DELETE project", want(covers("projects.delete") && !client, 403), "DELETE", "/api/projects/"+project, nil)
		})
		t.Run(s.name+"/global", func(t *testing.T) {
			g := s.grants
			want := func(allowed bool) int {
				if g == nil {
					return 401
				}
				if allowed {
					return 200
				}
				return 403
			}
			client := g != nil && g["invoices.pay"] != "" // only portal roles hold it
			meID := "nobody"
			if g != nil {
				meID = env.Do("GET", "/api/me", s.token, nil).JSON()["user"].(map[string]any)["id"].(string)
			}
			chatWant := want(has(g, "chat.team") || has(g, "chat.direct"))
			if chatWant == 200 && client {
				chatWant = 403
			}
			if r := env.Do("GET", "/api/chat", s.token, nil); r.Status != chatWant {
				t.Errorf("%s: GET /api/chat → %d %s, want %d", s.name, r.Status, r.Body, chatWant)
			}
			// Client companies: listed by whoever lists client accounts or sees company costs,
			// and by a client (their own); made with users.create covering clients.
			if r := env.Do("GET", "/api/invoices", s.token, nil); r.Status != want(has(g, "invoices.view")) {
				t.Errorf("%s: GET /api/invoices → %d, want %d", s.name, r.Status, want(has(g, "invoices.view")))
			}
			if r := env.Do("POST", "/api/invoices", s.token, map[string]any{}); r.Status != map[bool]int{true: 422, false: want(false)}[g != nil && has(g, "invoices.create") && !client] {
				t.Errorf("%s: POST /api/invoices → %d %s", s.name, r.Status, r.Body)
			}
			companiesWant := want(client || g.covers("users.view", authz.ScopeClients) || has(g, "costs.view"))
			if r := env.Do("GET", "/api/companies", s.token, nil); r.Status != companiesWant {
				t.Errorf("%s: GET /api/companies → %d %s, want %d", s.name, r.Status, r.Body, companiesWant)
			}
			for _, c := range []struct {
				what, path string
				allowed    bool
				body       map[string]any
			}{
				{"POST /api/boards", "/api/boards", g.covers("tasks.columns", "") && !client, map[string]any{"name": "B", "visibility": "all"}},
				{"POST /api/task-types", "/api/task-types", g.covers("tasks.types", ""), map[string]any{"name": fmt.Sprintf("Type %d", i)}},
				{"POST /api/teams", "/api/teams", g.covers("teams.manage", authz.ScopeAll), map[string]any{"name": fmt.Sprintf("Team %d", i)}},
				// Chat: everyone's channel with chat.team, a 1:1 conversation with the owner
				// with chat.direct; never for clients (404: no such conversation for them).
				{"POST everyone", "/api/chat/channels/everyone/messages", has(g, "chat.team") && !client, map[string]any{"body": "Hi all"}},
				{"POST 1:1", "/api/chat/channels/" + authz.DirectChannel(ownerID, meID) + "/messages", has(g, "chat.direct") && !client, map[string]any{"body": "Hi"}},
				{"POST /api/companies", "/api/companies", g.covers("users.create", authz.ScopeClients) && !client, map[string]any{"name": fmt.Sprintf("Company %d", i)}},
			} {
				before := env.Snapshot()
				r := env.Do("POST", c.path, s.token, c.body)
				n++
				w := want(c.allowed)
				if w == 403 && strings.HasPrefix(c.path, "/api/chat/") {
					w = 404
				}
				if !(r.Status == w || (w == 200 && r.Status == 201)) {
					t.Errorf("%s: %s → %d %s, want %d", s.name, c.what, r.Status, r.Body, w)
				}
				if r.Status >= 400 && env.Snapshot() != before {
					t.Errorf("%s: denied %s changed the database", s.name, c.what)
				}
			}
		})
	}
	t.Logf("%d calls checked", n)
}
