package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Permission lint: each kind found where it is planted and nowhere else, named only to
// who sees the people, each fix taken by its own endpoint and refused without its right.

type lintFinding struct {
	Kind, Severity, Message string
	Users, Roles            []struct{ ID, Name string }
	Fix                     *struct {
		Action, UserID, RoleID, GrantID string
		Allowed                         bool
	}
}

func lintOf(t *testing.T, env *testkit.Env, token string) []lintFinding {
	t.Helper()
	var out struct{ Items []lintFinding }
	r := env.Do("GET", "/api/lint", token, nil)
	if r.Status != 200 {
		t.Fatalf("lint: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Items
}

// kinds says each finding as kind:names, sorted, for comparing with what was planted.
func kinds(fs []lintFinding) []string {
	var out []string
	for _, f := range fs {
		var names []string
		for _, u := range f.Users {
			names = append(names, u.Name)
		}
		for _, r := range f.Roles {
			names = append(names, r.Name)
		}
		slices.Sort(names)
		out = append(out, f.Kind+":"+strings.Join(names, ","))
	}
	slices.Sort(out)
	return out
}

func find(fs []lintFinding, kind, name string) *lintFinding {
	for i, f := range fs {
		if f.Kind != kind {
			continue
		}
		for _, n := range append(f.Users, f.Roles...) {
			if n.Name == name {
				return &fs[i]
			}
		}
	}
	return nil
}

func TestLintCleanOrganisation(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	if fs := lintOf(t, env, owner); len(fs) != 0 {
		t.Fatalf("a new organisation has nothing to warn about, got %v", kinds(fs))
	}
	env.Clock.Advance(200 * 24 * time.Hour)
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if fs := lintOf(t, env, owner); len(fs) != 0 {
		t.Fatalf("an owner who signs in has nothing to warn about, got %v", kinds(fs))
	}
}

type lintWorld struct {
	env                           *testkit.Env
	owner, keeper, sam            string // tokens
	samID, pennyID, deeID, carlID string
	a2, a3, a4                    string
	role1, twin, portal           string // role ids
}

func role(t *testing.T, env *testkit.Env, owner, name, kind string, perms ...[2]string) string {
	t.Helper()
	gs := []map[string]string{}
	for _, p := range perms {
		gs = append(gs, map[string]string{"key": p[0], "scope": p[1]})
	}
	return mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": name, "kind": kind, "permissions": gs}))
}

func newLintWorld(t *testing.T) *lintWorld {
	t.Helper()
	env := testkit.Start(t)
	w := &lintWorld{env: env, owner: env.Setup()}
	// Roles: a keeper who manages roles and sees client accounts only; an unused "Role 1";
	// a twin of Staff; a portal role above Client, made Google's default.
	keeperRole := role(t, env, w.owner, "Role Keeper", "internal", [2]string{"roles.manage", ""}, [2]string{"users.view", "clients"},
		[2]string{"users.deactivate", "clients"})
	w.role1 = role(t, env, w.owner, "Role 1", "internal", [2]string{"projects.view", "all"})
	w.twin = role(t, env, w.owner, "Designer", "internal",
		[2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"}, [2]string{"tasks.view_internal", ""}, [2]string{"tasks.create", ""},
		[2]string{"tasks.edit", ""}, [2]string{"tasks.assign", ""}, [2]string{"tasks.status", ""}, [2]string{"tasks.columns", ""},
		[2]string{"files.view", ""}, [2]string{"files.upload", ""}, [2]string{"files.delete", ""}, [2]string{"files.folders", ""},
		[2]string{"chat.discussions", ""}, [2]string{"chat.task_comments", ""}, [2]string{"chat.team", ""}, [2]string{"chat.direct", ""})
	w.portal = role(t, env, w.owner, "Portal Plus", "client", [2]string{"projects.view", "assigned"}, [2]string{"invoices.view", "all"})
	if r := env.Do("PUT", "/api/settings/sign-in", w.owner, map[string]any{"defaultRoleId": w.portal}); r.Status != 200 {
		t.Fatalf("default role: %d %s", r.Status, r.Body)
	}
	env.CreateUser(w.owner, "Kim Keeper", "kim@acme.test", keeperRole, initialPW)
	w.keeper = env.SignInFresh("kim@acme.test", initialPW, ownPW)
	// Four admins; staff on no project (Sam), on a project (Penny), and a leaver with an
	// open task (Dee); a client on six projects (Carl), a client on one (Cleo).
	w.a2 = env.CreateUser(w.owner, "Ada Admin", "ada@acme.test", "admin", initialPW)
	w.a3 = env.CreateUser(w.owner, "Abe Admin", "abe@acme.test", "admin", initialPW)
	w.a4 = env.CreateUser(w.owner, "Ana Admin", "ana@acme.test", "admin", initialPW)
	w.samID = env.CreateUser(w.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	w.sam = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	w.pennyID = env.CreateUser(w.owner, "Penny Staff", "penny@acme.test", "staff", initialPW)
	w.deeID = env.CreateUser(w.owner, "Dee Leaver", "dee@acme.test", "staff", initialPW)
	w.carlID = env.CreateUser(w.owner, "Carl Client", "carl@customer.test", "client", initialPW)
	cleo := env.CreateUser(w.owner, "Cleo Client", "cleo@customer.test", "client", initialPW)
	for i := range 6 {
		clients := []string{w.carlID}
		if i == 0 {
			clients = append(clients, cleo)
		}
		p := mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": fmt.Sprintf("Project %d", i),
			"members": []string{w.pennyID, w.deeID}, "clients": clients}))
		if i == 0 {
			mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", w.owner, map[string]any{"title": "Logo", "assigneeId": w.deeID}))
		}
	}
	// Extra access: Penny's ends in three days (told of), Sam's in three weeks (not yet).
	for _, g := range []struct {
		id   string
		days int
	}{{w.pennyID, 3}, {w.samID, 21}} {
		if r := env.Do("POST", "/api/users/"+g.id+"/grants", w.owner, map[string]any{"kind": "permission", "permission": "users.view", "scope": "staff",
			"until": env.Clock.Now().Add(time.Duration(g.days) * 24 * time.Hour)}); r.Status != 201 {
			t.Fatalf("grant: %d %s", r.Status, r.Body)
		}
	}
	if r := env.Do("POST", "/api/users/"+w.deeID+"/deactivate", w.owner, nil); r.Status != 200 {
		t.Fatalf("deactivate Dee: %d %s", r.Status, r.Body)
	}
	return w
}

func TestLintFindsEachPlantedCase(t *testing.T) {
	w := newLintWorld(t)
	env := w.env
	want := []string{
		"client_many_projects:Carl Client",
		"deactivated_open_tasks:Dee Leaver",
		"google_default_role:Portal Plus",
		"grants_expiring:Penny Staff",
		"role_duplicate:Designer,Staff",
		"role_generic_name:Role 1",
		"role_unused:Designer",
		"role_unused:Role 1",
		"staff_no_project:Sam Staff",
		"too_many_admins:Abe Admin,Ada Admin,Ana Admin,Olivia Owner",
	}
	got := kinds(lintOf(t, env, w.owner))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("today:\n got %q\nwant %q", got, want)
	}
	// Its fix ends the grant: refused to Sam, done for the owner.
	f := find(lintOf(t, env, w.owner), "grants_expiring", "Penny Staff")
	if f == nil || f.Fix == nil || f.Fix.Action != "end_grant" || !f.Fix.Allowed || f.Fix.GrantID == "" || !strings.Contains(f.Message, "3 days") {
		t.Fatalf("grant expiring: %+v", f)
	}
	if r := env.Do("DELETE", "/api/grants/"+f.Fix.GrantID, w.sam, nil); r.Status != 404 && r.Status != 403 {
		t.Fatalf("Sam ended Penny's grant: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/grants/"+f.Fix.GrantID, w.owner, nil); r.Status != 200 {
		t.Fatalf("end grant: %d %s", r.Status, r.Body)
	}
	if find(lintOf(t, env, w.owner), "grants_expiring", "Penny Staff") != nil {
		t.Fatal("an ended grant is still told of")
	}

	// 31 days on: the admins who never signed in are idle; the owner signs in again.
	env.Clock.Advance(31 * 24 * time.Hour)
	w.owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	fs := lintOf(t, env, w.owner)
	for _, a := range []string{"Ada Admin", "Abe Admin", "Ana Admin"} {
		f := find(fs, "admin_inactive", a)
		if f == nil || f.Fix == nil || f.Fix.Action != "deactivate_user" || !f.Fix.Allowed || !strings.Contains(f.Message, "31 days") {
			t.Fatalf("%s idle 31 days: %+v", a, f)
		}
	}
	if f := find(fs, "admin_inactive", "Olivia Owner"); f != nil {
		t.Fatalf("the owner signed in today: %+v", f)
	}
	if f := find(fs, "account_inactive", "Sam Staff"); f != nil {
		t.Fatalf("31 days is not 90: %+v", f)
	}

	// 91 days on: accounts that have not signed in for 90 days (Sam signed in once, at the
	// start; Penny and the clients never did).
	env.Clock.Advance(60 * 24 * time.Hour)
	w.owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	fs = lintOf(t, env, w.owner)
	for _, n := range []string{"Sam Staff", "Penny Staff", "Carl Client", "Cleo Client"} {
		if f := find(fs, "account_inactive", n); f == nil || f.Fix == nil || !f.Fix.Allowed {
			t.Fatalf("%s idle 91 days: %+v", n, f)
		}
	}
	if f := find(fs, "account_inactive", "Dee Leaver"); f != nil {
		t.Fatalf("a deactivated account is not idle: %+v", f)
	}
	if f := find(fs, "account_inactive", "Ada Admin"); f != nil {
		t.Fatalf("an idle admin is told of once, as an admin: %+v", f)
	}
}

func TestLintNamesOnlyWhomTheReaderSees(t *testing.T) {
	w := newLintWorld(t)
	env := w.env
	env.Clock.Advance(91 * 24 * time.Hour)
	w.keeper = env.SignIn("kim@acme.test", ownPW)
	fs := lintOf(t, env, w.keeper)
	for _, f := range fs {
		for _, u := range f.Users {
			if !strings.Contains(u.Name, "Client") {
				t.Errorf("Kim sees client accounts only, yet %s names %s", f.Kind, u.Name)
			}
		}
		for _, n := range []string{"Sam", "Penny", "Dee", "Ada", "Abe", "Ana", "Olivia"} {
			if strings.Contains(f.Message, n) {
				t.Errorf("Kim reads of %s, whom she does not see: %s", n, f.Message)
			}
		}
	}
	// Too many admins: the count (as on the Roles page), naming nobody Kim does not see.
	if f := find(fs, "too_many_admins", "Ada Admin"); f != nil {
		t.Fatalf("Kim sees no admin: %+v", f)
	}
	// Carl, a client, she sees, but may not deactivate: his role holds what hers does not
	// (no escalation), and the fix says so as the endpoint does.
	if f := find(fs, "account_inactive", "Carl Client"); f == nil || f.Fix.Allowed {
		t.Fatalf("Kim sees Carl and may not deactivate him: %+v", f)
	}
	if r := env.Do("POST", "/api/users/"+w.carlID+"/deactivate", w.keeper, nil); r.Status != 403 {
		t.Fatalf("Kim deactivates Carl: %d %s", r.Status, r.Body)
	}
	// Nor change the sign-in settings.
	if f := find(fs, "google_default_role", "Portal Plus"); f == nil || f.Fix.Allowed {
		t.Fatalf("Kim may not change the sign-in settings: %+v", f)
	}
	// Sam, without roles.manage, reads nothing.
	w.sam = env.SignIn("sam@acme.test", ownPW)
	if r := env.Do("GET", "/api/lint", w.sam, nil); r.Status != 403 {
		t.Fatalf("staff reads the lint: %d %s", r.Status, r.Body)
	}
	// The menu says the same.
	navHas := func(tok string) bool {
		var m struct{ Nav []struct{ Key string } }
		env.Do("GET", "/api/me", tok, nil).Decode(t, &m)
		return slices.ContainsFunc(m.Nav, func(n struct{ Key string }) bool { return n.Key == "lint" })
	}
	if !navHas(w.keeper) || navHas(w.sam) {
		t.Fatal("the lint is in the menu of who may read it, and only theirs")
	}
}

func TestLintFixes(t *testing.T) {
	w := newLintWorld(t)
	env := w.env
	env.Clock.Advance(31 * 24 * time.Hour)
	w.owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	w.keeper = env.SignIn("kim@acme.test", ownPW)
	w.sam = env.SignIn("sam@acme.test", ownPW)

	// Deactivate an idle admin: refused to Kim (users.deactivate of clients only) and to
	// Sam, done for the owner, audited as by hand.
	before := env.Snapshot()
	for _, tok := range []string{w.keeper, w.sam} {
		if r := env.Do("POST", "/api/users/"+w.a2+"/deactivate", tok, nil); r.Status != 403 && r.Status != 404 {
			t.Fatalf("deactivate refused: %d %s", r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused fix changed something")
	}
	if r := env.Do("POST", "/api/users/"+w.a2+"/deactivate", w.owner, nil); r.Status != 200 {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	if f := find(lintOf(t, env, w.owner), "admin_inactive", "Ada Admin"); f != nil {
		t.Fatalf("Ada is deactivated: %+v", f)
	}
	if es := entries(t, env, w.owner, "user.deactivate"); len(es) < 2 {
		t.Fatalf("the deactivation is in the log: %v", es)
	}

	// Delete the unused role: refused to Sam, done for the owner.
	fs := lintOf(t, env, w.owner)
	if f := find(fs, "role_unused", "Role 1"); f == nil || f.Fix.Action != "delete_role" || f.Fix.RoleID != w.role1 || !f.Fix.Allowed {
		t.Fatalf("role 1 unused: %+v", f)
	}
	if r := env.Do("DELETE", "/api/roles/"+w.role1, w.sam, nil); r.Status != 403 {
		t.Fatalf("staff deletes a role: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/roles/"+w.role1, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete role: %d %s", r.Status, r.Body)
	}
	fs = lintOf(t, env, w.owner)
	if find(fs, "role_unused", "Role 1") != nil || find(fs, "role_generic_name", "Role 1") != nil {
		t.Fatalf("Role 1 is gone: %v", kinds(fs))
	}

	// The Google default role back to Client: refused to Kim, done for the owner.
	if f := find(fs, "google_default_role", "Portal Plus"); f == nil || f.Fix.Action != "default_role_client" || !f.Fix.Allowed {
		t.Fatalf("default role: %+v", f)
	}
	if r := env.Do("PUT", "/api/settings/sign-in", w.keeper, map[string]any{"defaultRoleId": "client"}); r.Status != 403 {
		t.Fatalf("Kim sets the default role: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/settings/sign-in", w.owner, map[string]any{"defaultRoleId": "client"}); r.Status != 200 {
		t.Fatalf("default role: %d %s", r.Status, r.Body)
	}
	if f := find(lintOf(t, env, w.owner), "google_default_role", "Portal Plus"); f != nil {
		t.Fatalf("the default is Client now: %+v", f)
	}

	// The generic name's fix is the role editor, for whoever may edit the role.
	env.Do("POST", "/api/roles", w.owner, map[string]any{"name": "Custom", "kind": "internal", "permissions": []map[string]string{{"key": "chat.team", "scope": ""}}})
	if f := find(lintOf(t, env, w.owner), "role_generic_name", "Custom"); f == nil || f.Fix.Action != "edit_role" || !f.Fix.Allowed {
		t.Fatalf("generic: %+v", f)
	}
}
