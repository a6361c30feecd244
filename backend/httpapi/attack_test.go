package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/testdb"
)

// Attacks from outside on issue 14's and 16's surfaces: each test is one way a reader
// reached more than their role gives, refused now.

// A second role manager (roles.manage, but who sees only team members and the projects
// they are on) read a review the owner started: its lines, CSV and the list named client
// accounts and a project they cannot see.
func TestAttackReviewReadBeyondSight(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	keeper := newRole(t, env, owner, "Role Keeper", "internal", [2]string{"roles.manage", ""},
		[2]string{"users.view", "staff"}, [2]string{"projects.view", "assigned"})
	mia := env.CreateUser(owner, "Mia Keeper", "mia@example.com", keeper, "mia password 123456")
	sam := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", "sam password 123456")
	carl := env.CreateUser(owner, "Carl Client", "carl@example.com", "client", "carl password 12345")
	secret := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Hidden Merger",
		"members": []string{sam}, "clients": []string{carl}}), 201)["id"].(string)
	miaTok := env.SignInFresh("mia@example.com", "mia password 123456", "mia new password 1234")
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)

	all := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "all", "reviewers": []string{ownerID}}), 201, "start all")
	lineOf(t, all, "Carl Client", "role")
	lineOf(t, all, "Sam Staff", "project")
	proj := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "project", "scopeId": secret, "reviewers": []string{ownerID}}), 201, "start project")

	leaks := func(what, body string) {
		t.Helper()
		for _, s := range []string{"Carl Client", "carl@example.com", "Hidden Merger", carl, secret} {
			if strings.Contains(body, s) {
				t.Errorf("%s names %q to Mia: %s", what, s, body)
			}
		}
	}
	r := env.Do("GET", "/api/reviews/"+all.ID, miaTok, nil)
	if r.Status != 200 {
		t.Fatalf("Mia reads the review: %d %s", r.Status, r.Body)
	}
	d := reviewOf(t, r, 200, "Mia reads")
	lineOf(t, d, "Sam Staff", "role") // what she sees stays readable
	leaks("the review", string(r.Body))
	csv := env.Do("GET", "/api/reviews/"+all.ID+"/report.csv", miaTok, nil)
	if csv.Status != 200 {
		t.Fatalf("Mia's CSV: %d %s", csv.Status, csv.Body)
	}
	leaks("the CSV", string(csv.Body))
	leaks("the list", string(env.Do("GET", "/api/reviews", miaTok, nil).Body))
	if r := env.Do("GET", "/api/reviews/"+proj.ID, miaTok, nil); r.Status != 404 {
		t.Errorf("Mia reads the review of a project she cannot see: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/reviews/"+proj.ID+"/report.pdf", miaTok, nil); r.Status != 404 {
		t.Errorf("Mia's PDF of a project she cannot see: %d", r.Status)
	}
	_ = mia
}

// roleGrants reads a role's permissions as [key, scope] pairs, to build a role around it.
func roleGrants(t *testing.T, env *testkit.Env, token, id string) [][2]string {
	t.Helper()
	var role struct{ Permissions []struct{ Key, Scope string } }
	r := env.Do("GET", "/api/roles/"+id, token, nil)
	if r.Status != 200 {
		t.Fatalf("role %s: %d %s", id, r.Status, r.Body)
	}
	r.Decode(t, &role)
	var out [][2]string
	for _, p := range role.Permissions {
		out = append(out, [2]string{p.Key, p.Scope})
	}
	return out
}

// A team lead whose role holds everything Staff holds (and manages staff accounts) took
// over a Staff member who had been given more than Staff by an extra grant — reset her
// password and signed in as her — and so held, through her, what the owner had given her
// alone (invoices for everyone). Taking an account over compares the account's role as
// its holder has it now, extra grants included.
func TestAttackTakeOverGrantHolder(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	perms := append(roleGrants(t, env, owner, "staff"), [2]string{"users.view", "staff"}, [2]string{"users.edit", "staff"},
		[2]string{"users.delete", "staff"})
	lead := newRole(t, env, owner, "Lead", "internal", perms...)
	env.CreateUser(owner, "Lea Lead", "lea@example.com", lead, "lea password 123456")
	bea := env.CreateUser(owner, "Bea Staff", "bea@example.com", "staff", "bea password 123456")
	leaTok := env.SignInFresh("lea@example.com", "lea password 123456", "lea new password 1234")

	// Without a grant Lea may reset Bea's password: Staff is within Lead.
	mustStatus(t, "reset before the grant", env.Do("POST", "/api/users/"+bea+"/password", leaTok, map[string]any{"password": "bea reset password 1234"}), 200)

	mustStatus(t, "grant", env.Do("POST", "/api/users/"+bea+"/grants", owner, map[string]any{"kind": "permission", "permission": "invoices.view", "scope": "all"}), 201)
	before := env.Snapshot()
	for _, try := range []struct {
		what, method, path string
		body               any
	}{
		{"password", "POST", "/api/users/" + bea + "/password", map[string]any{"password": "lea owns bea now 1234"}},
		{"email", "PATCH", "/api/users/" + bea, map[string]any{"email": "lea+bea@example.com"}},
		{"delete", "DELETE", "/api/users/" + bea, nil},
	} {
		if r := env.Do(try.method, try.path, leaTok, try.body); r.Status != 403 || r.ErrCode() != "escalation" {
			t.Errorf("Lea takes over Bea's %s, who holds invoices for everyone by a grant: %d %s", try.what, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("a refused takeover changed something")
	}
	// The owner, whose role holds it all, still may.
	mustStatus(t, "owner resets", env.Do("POST", "/api/users/"+bea+"/password", owner, map[string]any{"password": "bea owner password 1234"}), 200)
}

// The backup folder had to be outside the data folder, but a symbolic link outside it
// that leads into it (or into its files) passed, and a folder named through such a link
// was even created inside the data folder before anything was refused.
func TestAttackBackupFolderThroughLink(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file")
	env := testkit.Start(t)
	owner := env.Setup()
	data := filepath.Dir(env.DBPath)
	out := t.TempDir()
	if err := os.Symlink(data, filepath.Join(out, "to-data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(data, "files"), filepath.Join(out, "to-files")); err != nil {
		t.Fatal(err)
	}
	before := env.Snapshot()
	for _, folder := range []string{
		filepath.Join(out, "to-data"),
		filepath.Join(out, "to-data", "backups"),
		filepath.Join(out, "to-files"),
	} {
		r := env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": folder, "automatic": true})
		if r.Status != 422 || r.ErrField() != "folder" || !strings.Contains(string(r.Body), "outside the data folder") {
			t.Errorf("%s: %d %s", folder, r.Status, r.Body)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "backups")); !os.IsNotExist(err) {
		t.Errorf("a refused folder was created in the data folder: %v", err)
	}
	if env.Snapshot() != before {
		t.Error("a refused folder changed something")
	}
	// A link to a folder truly outside is fine, kept as where it leads.
	real := t.TempDir()
	if err := os.Symlink(real, filepath.Join(out, "to-real")); err != nil {
		t.Fatal(err)
	}
	got := mustStatus(t, "a linked folder outside", env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": filepath.Join(out, "to-real"), "automatic": false}), 200)
	if want, _ := filepath.EvalSymlinks(real); got["folder"] != want {
		t.Errorf("folder kept as %v, want %s", got["folder"], want)
	}
}

// A role for a while returns the person to the role they had — unless that role was
// deleted meanwhile, when they kept the role given for a while for good. The holder of a
// role for a while that manages roles (or anyone who does) deleted the person's previous
// role, which nobody held any more, and the time-boxed role became permanent. Now a role
// someone will return to counts as held: deleting it asks where they go instead, and they
// return there.
func TestAttackRoleForAWhileOutlivesDeletedRole(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	intern := newRole(t, env, owner, "Intern", "internal", [2]string{"projects.view", "assigned"})
	trainee := newRole(t, env, owner, "Trainee", "internal", [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "assigned"})
	ian := env.CreateUser(owner, "Ian Intern", "ian@example.com", intern, "ian password 123456")
	mustStatus(t, "role for a while", env.Do("POST", "/api/users/"+ian+"/grants", owner, map[string]any{"kind": "role", "roleId": "staff",
		"until": env.Clock.Now().Add(48 * time.Hour)}), 201)

	before := env.Snapshot()
	if r := env.Do("DELETE", "/api/roles/"+intern, owner, nil); r.Status != 409 || r.ErrCode() != "role_in_use" {
		t.Fatalf("deleting the role Ian returns to, without saying where he goes: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused delete changed something")
	}
	if r := env.Do("DELETE", "/api/roles/"+intern+"?reassignTo="+trainee, owner, nil); r.Status != 204 {
		t.Fatalf("delete with a role to return to: %d %s", r.Status, r.Body)
	}
	if got := env.Do("GET", "/api/users/"+ian, owner, nil).JSON()["roleId"]; got != "staff" {
		t.Fatalf("Ian's role for a while ended early: %v", got)
	}
	env.Clock.Advance(49 * time.Hour)
	if err := env.Core.Grants.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if r := env.Do("GET", "/api/users/"+ian, owner, nil); r.JSON()["roleId"] != trainee {
		t.Fatalf("after the role for a while, Ian is %d %s, want Trainee (%s)", r.Status, r.Body, trainee)
	}
}
