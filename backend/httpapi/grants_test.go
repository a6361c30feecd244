package httpapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/mail"
	"gatehouse/backend/testkit"
)

func auditCount(t *testing.T, env *testkit.Env, token, action string) int {
	t.Helper()
	r := env.Do("GET", "/api/audit?limit=200&action="+action, token, nil)
	if r.Status != 200 {
		t.Fatalf("audit: %d %s", r.Status, r.Body)
	}
	return len(r.JSON()["items"].([]any))
}

// An extra grant of one permission enters every decision (check, lists, who-can-see,
// explain) as its own path; nobody gives more than their own role; revoking ends it.
func TestGrantsGiveRefuseDecideRevoke(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	project := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Launch"}), 201)["id"].(string)
	bea := env.CreateUser(owner, "Bea Staff", "bea@acme.test", "staff", "first-Password-1")
	beaTok := env.SignInFresh("bea@acme.test", "first-Password-1", "second-Password-2")
	helper := newRole(t, env, owner, "Helper", "internal", [2]string{"users.view", "all"}, [2]string{"users.edit", "all"}, [2]string{"projects.view", "assigned"})
	env.CreateUser(owner, "Hal Helper", "hal@acme.test", helper, "first-Password-1")
	hal := env.SignInFresh("hal@acme.test", "first-Password-1", "second-Password-2")

	if r := env.Do("GET", "/api/projects/"+project, beaTok, nil); r.Status != 404 {
		t.Fatalf("before: Bea sees the project: %d", r.Status)
	}
	give := map[string]any{"kind": "permission", "permission": "projects.view", "scope": "all", "until": env.Clock.Now().Add(7 * 24 * time.Hour)}
	before := env.Snapshot()
	if r := env.Do("POST", "/api/users/"+bea+"/grants", hal, give); r.Status != 403 || r.ErrCode() != "escalation" {
		t.Fatalf("a helper without projects.view for all gave it: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "permission", "permission": "projects.view", "scope": "assigned"}); r.Status != 422 || r.ErrField() != "permission" {
		t.Fatalf("a grant the role already holds: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "role", "roleId": "admin"}); r.Status != 422 || r.ErrField() != "until" {
		t.Fatalf("a role for a while without an end: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("refused grants changed something")
	}

	g := mustStatus(t, "give", env.Do("POST", "/api/users/"+bea+"/grants", owner, give), 201)
	if g["givenByName"] != testkit.Owner.Name || g["until"] == nil || g["canRevoke"] != true {
		t.Fatalf("grant: %v", g)
	}
	if r := env.Do("GET", "/api/projects/"+project, beaTok, nil); r.Status != 200 {
		t.Fatalf("with the grant Bea does not see the project: %d", r.Status)
	}
	if !strings.Contains(string(env.Do("GET", "/api/me", beaTok, nil).Body), `{"key":"projects.view","scope":"all"}`) {
		t.Fatal("Bea's /api/me does not say she holds projects.view for all projects")
	}
	if items := env.Do("GET", "/api/projects", beaTok, nil).JSON()["items"].([]any); len(items) != 1 {
		t.Fatalf("Bea's project list: %v", items)
	}
	ex := mustStatus(t, "explain", env.Do("GET", "/api/access/explain?userId="+bea+"&action=view&resourceType=project&resourceId="+project, owner, nil), 200)
	paths := ex["paths"].([]any)
	if ex["allowed"] != true || len(paths) != 1 || paths[0].(map[string]any)["kind"] != "grant" || paths[0].(map[string]any)["name"] != testkit.Owner.Name ||
		paths[0].(map[string]any)["until"] == nil {
		t.Fatalf("explain: %v", ex)
	}
	found := false
	for _, it := range mustStatus(t, "access", env.Do("GET", "/api/projects/"+project+"/access", owner, nil), 200)["items"].([]any) {
		e := it.(map[string]any)
		if e["userId"] == bea {
			found = e["paths"].([]any)[0].(map[string]any)["kind"] == "grant"
		}
	}
	if !found {
		t.Fatal("who can see the project does not list Bea through her grant")
	}
	if n := len(mustStatus(t, "list", env.Do("GET", "/api/users/"+bea+"/grants", owner, nil), 200)["items"].([]any)); n != 1 {
		t.Fatalf("Bea's grants: %d", n)
	}
	if n := len(mustStatus(t, "all", env.Do("GET", "/api/grants", owner, nil), 200)["items"].([]any)); n != 1 {
		t.Fatalf("all grants: %d", n)
	}
	if r := env.Do("DELETE", "/api/grants/"+g["id"].(string), hal, nil); r.Status != 403 {
		t.Fatalf("the helper revoked a grant of a permission they do not hold… %d %s", r.Status, r.Body)
	}

	if r := env.Do("DELETE", "/api/grants/"+g["id"].(string), owner, nil); r.Status != 200 || r.JSON()["endedHow"] != "revoked" {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+project, beaTok, nil); r.Status != 404 {
		t.Fatalf("after the revocation Bea sees the project: %d", r.Status)
	}
	if r := env.Do("DELETE", "/api/grants/"+g["id"].(string), owner, nil); r.Status != 409 {
		t.Fatalf("revoked twice: %d %s", r.Status, r.Body)
	}
	if auditCount(t, env, owner, "grant.create") != 1 || auditCount(t, env, owner, "grant.revoke") != 1 {
		t.Fatal("the grant and its revocation are not audited once each")
	}

	// A project membership for a while: Bea is on the project, then not.
	pg := mustStatus(t, "project grant", env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "project", "targetId": project}), 201)
	if pg["targetName"] != "Launch" || env.Do("GET", "/api/projects/"+project, beaTok, nil).Status != 200 {
		t.Fatalf("project grant: %v", pg)
	}
	mustStatus(t, "revoke project grant", env.Do("DELETE", "/api/grants/"+pg["id"].(string), owner, nil), 200)
	if r := env.Do("GET", "/api/projects/"+project, beaTok, nil); r.Status != 404 {
		t.Fatalf("after the project grant Bea is still on the project: %d", r.Status)
	}
}

// Grants end on their date exactly once, even when Gatehouse was closed then: a restart
// after the date ends them (one audit entry each, the role back once), another restart
// changes nothing; the reminder goes once, to the person and the giver.
func TestGrantsEndOnceAcrossRestarts(t *testing.T) {
	srv := startSMTP(t)
	dir := t.TempDir()
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	open := func(at time.Time) *testkit.Env {
		return testkit.StartIn(t, dir, testkit.Options{Now: at, Mail: mail.Options{RootCAs: srv.Roots}})
	}
	env := open(start)
	owner := env.Setup()
	if r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": srv.Host, "port": srv.Port, "security": "starttls",
		"username": smtpUser, "password": smtpPassword, "fromAddress": "gatehouse@acme.test"}); r.Status != 200 {
		t.Fatalf("email: %d %s", r.Status, r.Body)
	}
	project := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Launch"}), 201)["id"].(string)
	bea := env.CreateUser(owner, "Bea Staff", "bea@acme.test", "staff", "first-Password-1")
	env.SignInFresh("bea@acme.test", "first-Password-1", "second-Password-2")
	until := start.Add(5 * 24 * time.Hour)
	mustStatus(t, "permission", env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "permission", "permission": "users.view", "scope": "all", "until": until}), 201)
	mustStatus(t, "role", env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "role", "roleId": "admin", "until": until}), 201)
	if u := env.Do("GET", "/api/users/"+bea, owner, nil).JSON(); u["roleId"] != "admin" {
		t.Fatalf("the role for a while is not held: %v", u)
	}
	reminders := func(env *testkit.Env, tok string) int {
		n := 0
		for _, m := range outbox(env, tok, "") {
			if m["kind"] == "grantEnding" {
				n++
			}
		}
		return n
	}
	env.Clock.Advance(2*24*time.Hour + time.Hour) // within three days of the end
	for range 2 {
		if err := env.Core.Grants.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if n := reminders(env, owner); n != 4 { // each grant's, to Bea and to the owner who gave it
		t.Fatalf("%d reminder mails after two ticks, want 4", n)
	}
	env.Stop()

	for i, at := range []time.Time{until.Add(24 * time.Hour), until.Add(48 * time.Hour)} {
		env = open(at)
		owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
		if u := env.Do("GET", "/api/users/"+bea, owner, nil).JSON(); u["roleId"] != "staff" {
			t.Fatalf("start %d: the role did not return: %v", i, u)
		}
		if n := len(mustStatus(t, "list", env.Do("GET", "/api/grants", owner, nil), 200)["items"].([]any)); n != 0 {
			t.Fatalf("start %d: %d grants still in force", i, n)
		}
		if n := auditCount(t, env, owner, "grant.expire"); n != 2 {
			t.Fatalf("start %d: %d expiries audited, want 2", i, n)
		}
		if n := auditCount(t, env, owner, "user.role_change"); n != 0 {
			t.Fatalf("start %d: the role's return is the grant's expiry, not a role change: %d", i, n)
		}
		if n := reminders(env, owner); n != 4 {
			t.Fatalf("start %d: %d reminders", i, n)
		}
		beaTok := env.SignIn("bea@acme.test", "second-Password-2")
		if r := env.Do("GET", "/api/projects/"+project, beaTok, nil); r.Status != 404 {
			t.Fatalf("start %d: Bea still sees the project after her Admin role ended: %d", i, r.Status)
		}
		env.Stop()
	}
}

// A role given for a while whose end would leave no active Admin is held, not dropped: the
// person keeps Admin, the grant stays in force (shown as held), the activity log says so
// once however many rounds try, the lint warns, ending it by hand is refused the same way;
// once someone else is an Admin, the next round ends it. A role for a while keeps the
// kind of the person's role.
func TestGrantsRoleHeldWhileLastAdmin(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	bea := env.CreateUser(owner, "Bea Staff", "bea@acme.test", "staff", "first-Password-1")
	before := env.Snapshot()
	if r := env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "role", "roleId": "client", "until": env.Clock.Now().Add(time.Hour)}); r.Status != 422 || r.ErrField() != "roleId" {
		t.Fatalf("a client role for a while to a team member: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "role", "roleId": "admin", "until": env.Clock.Now().Add(-time.Minute)}); r.Status != 422 || r.ErrField() != "until" {
		t.Fatalf("an end in the past: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("refused grants changed something")
	}
	g := mustStatus(t, "role", env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "role", "roleId": "admin", "until": env.Clock.Now().Add(24 * time.Hour)}), 201)
	beaTok := env.SignInFresh("bea@acme.test", "first-Password-1", "second-Password-2")
	mustStatus(t, "Bea deactivates the owner", env.Do("POST", "/api/users/"+ownerID+"/deactivate", beaTok, nil), 200)

	env.Clock.Advance(25 * time.Hour)
	for range 3 {
		if err := env.Core.Grants.Tick(t.Context()); err != nil {
			t.Fatalf("a held expiry is not an error of the round: %v", err)
		}
	}
	beaTok = env.SignIn("bea@acme.test", "second-Password-2")
	if u := env.Do("GET", "/api/users/"+bea, beaTok, nil).JSON(); u["roleId"] != "admin" {
		t.Fatalf("the last active Admin lost Admin: %v", u)
	}
	items := mustStatus(t, "list", env.Do("GET", "/api/grants", beaTok, nil), 200)["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["held"] != true || items[0].(map[string]any)["canRevoke"] != false {
		t.Fatalf("the held grant: %v", items)
	}
	if n := auditCount(t, env, beaTok, "grant.expire_held"); n != 1 {
		t.Fatalf("%d held entries after three rounds, want 1", n)
	}
	if n := auditCount(t, env, beaTok, "grant.expire"); n != 0 {
		t.Fatalf("%d expiries while held", n)
	}
	if k := lintKinds(t, env, beaTok); !slices.Contains(k, "grant_held") || slices.Contains(k, "grants_expiring") {
		t.Fatalf("lint while held: %v", k)
	}
	held := env.Snapshot()
	if r := env.Do("DELETE", "/api/grants/"+g["id"].(string), beaTok, nil); r.Status != 409 || r.ErrCode() != "last_admin" {
		t.Fatalf("ending the held grant by hand: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != held {
		t.Fatal("the refused end changed something")
	}

	mustStatus(t, "reactivate the owner", env.Do("POST", "/api/users/"+ownerID+"/reactivate", beaTok, nil), 200)
	if err := env.Core.Grants.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if u := env.Do("GET", "/api/users/"+bea, owner, nil).JSON(); u["roleId"] != "staff" {
		t.Fatalf("with another Admin the role did not return: %v", u)
	}
	if n := auditCount(t, env, owner, "grant.expire"); n != 1 {
		t.Fatalf("%d expiries, want 1", n)
	}
	if slices.Contains(lintKinds(t, env, owner), "grant_held") {
		t.Fatal("the lint still warns of the grant after it ended")
	}
}

func lintKinds(t *testing.T, env *testkit.Env, tok string) []string {
	t.Helper()
	out := []string{}
	for _, f := range mustStatus(t, "lint", env.Do("GET", "/api/lint", tok, nil), 200)["items"].([]any) {
		out = append(out, f.(map[string]any)["kind"].(string))
	}
	return out
}

// The reminder goes to the owner too (the earliest active Admin), not only to the person
// and whoever gave the grant: the owner keeps the organisation's access in mind.
func TestGrantReminderReachesTheOwner(t *testing.T) {
	srv := startSMTP(t)
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	env := testkit.Start(t, testkit.Options{Now: start, Mail: mail.Options{RootCAs: srv.Roots}})
	owner := env.Setup()
	if r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": srv.Host, "port": srv.Port, "security": "starttls",
		"username": smtpUser, "password": smtpPassword, "fromAddress": "gatehouse@acme.test"}); r.Status != 200 {
		t.Fatalf("email: %d %s", r.Status, r.Body)
	}
	env.Clock.Advance(time.Minute) // the owner's account is the earliest Admin
	env.CreateUser(owner, "Hal Admin", "hal@acme.test", "admin", "first-Password-1")
	hal := env.SignInFresh("hal@acme.test", "first-Password-1", "second-Password-2")
	bea := env.CreateUser(owner, "Bea Staff", "bea@acme.test", "staff", "first-Password-1")
	mustStatus(t, "grant", env.Do("POST", "/api/users/"+bea+"/grants", hal, map[string]any{"kind": "permission", "permission": "users.view", "scope": "all",
		"until": start.Add(5 * 24 * time.Hour)}), 201)
	env.Clock.Advance(2*24*time.Hour + time.Hour)
	if err := env.Core.Grants.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	var to []string
	for _, m := range outbox(env, owner, "") {
		if m["kind"] == "grantEnding" {
			to = append(to, m["to"].(string))
		}
	}
	slices.Sort(to)
	if strings.Join(to, " ") != "bea@acme.test hal@acme.test "+testkit.Owner.Email {
		t.Fatalf("the reminder went to %v", to)
	}
}

// What one holds only for a while, one gives for no longer: a permission Hal holds through
// a grant that ends on a date he may pass on, but only until that date.
func TestAGrantForAWhileIsPassedOnForNoLonger(t *testing.T) {
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	env := testkit.Start(t, testkit.Options{Now: start})
	owner := env.Setup()
	hal := env.CreateUser(owner, "Hal Helper", "hal@acme.test", "staff", "first-Password-1")
	bea := env.CreateUser(owner, "Bea Staff", "bea@acme.test", "staff", "first-Password-1")
	end := start.Add(7 * 24 * time.Hour)
	for _, k := range [][2]string{{"users.view", "staff"}, {"users.edit", "staff"}, {"projects.view", "all"}} {
		mustStatus(t, k[0], env.Do("POST", "/api/users/"+hal+"/grants", owner, map[string]any{"kind": "permission", "permission": k[0], "scope": k[1], "until": end}), 201)
	}
	halTok := env.SignInFresh("hal@acme.test", "first-Password-1", "second-Password-2")
	before := env.Snapshot()
	for _, until := range []any{nil, end.Add(time.Hour)} {
		r := env.Do("POST", "/api/users/"+bea+"/grants", halTok, map[string]any{"kind": "permission", "permission": "projects.view", "scope": "all", "until": until})
		if r.Status != 422 || r.ErrField() != "until" || !strings.Contains(string(r.Body), "only until") {
			t.Fatalf("passing on for longer (until %v): %d %s", until, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused grant changed something")
	}
	mustStatus(t, "within the end", env.Do("POST", "/api/users/"+bea+"/grants", halTok, map[string]any{"kind": "permission", "permission": "projects.view", "scope": "all", "until": end}), 201)
}
