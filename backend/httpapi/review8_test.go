package httpapi_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/store"
	"gatehouse/backend/testkit"
)

// Review 8: client companies, costs and hour rates, attacked from outside.

func r8Role(t *testing.T, env *testkit.Env, owner, name, kind string, perms ...[2]string) string {
	t.Helper()
	ps := []map[string]string{}
	for _, p := range perms {
		g := map[string]string{"key": p[0]}
		if p[1] != "" {
			g["scope"] = p[1]
		}
		ps = append(ps, g)
	}
	return mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": name, "kind": kind, "permissions": ps}))
}

// View-as shows "what both see", decided for the viewer and the viewed person
// (server.go principal, authz view.also). The cost and rate decisions (authz costs())
// look only at the viewed person's role, and view-as is refused only for targets that
// "oversee" the viewer in the users/invoicing/settings/reports areas — "costs" is not one
// of them. So a viewer without costs.view / rates.view (here a lead with users.view staff
// and activity.team all) starts viewing as a colleague who holds them and reads every
// hour rate and project budget. Expected: the figures only when the viewer may see them
// too (costs/rates decided for v.also as well, or view-as refused).
func TestReview8ViewAsLeaksCostsAndRates(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	lead := r8Role(t, env, owner, "Lead", "internal", [2]string{"users.view", "all"}, [2]string{"activity.team", "all"}, [2]string{"projects.view", "all"})
	controller := r8Role(t, env, owner, "Controller", "internal", [2]string{"users.view", "all"}, [2]string{"projects.view", "all"},
		[2]string{"costs.view", ""}, [2]string{"rates.view", ""})
	env.CreateUser(owner, "Lena Lead", "lena@team.test", lead, initialPW)
	ctrlID := env.CreateUser(owner, "Cora Controller", "cora@team.test", controller, initialPW)
	samID := env.CreateUser(owner, "Sam Staff", "sam@team.test", "staff", initialPW)
	lena := env.SignInFresh("lena@team.test", initialPW, ownPW)
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	if r := env.Do("PUT", "/api/projects/"+project+"/budget", owner, map[string]any{"budget": 4_200_000}); r.Status != 200 {
		t.Fatalf("budget: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/users/"+samID+"/hour-rate", owner, map[string]any{"hourRate": 9_100}); r.Status != 200 {
		t.Fatalf("rate: %d %s", r.Status, r.Body)
	}
	acme := mustID(t, env.Do("POST", "/api/companies", owner, map[string]any{"name": "Acme"}))
	if r := env.Do("PUT", "/api/companies/"+acme+"/cost", owner, map[string]any{"costPerMonth": 250_000}); r.Status != 200 {
		t.Fatalf("company cost: %d %s", r.Status, r.Body)
	}
	// Lena herself is sent nothing.
	if r := env.Do("GET", "/api/users/"+samID, lena, nil).JSON(); r["hourRate"] != nil {
		t.Fatalf("setup: Lena sees rates herself: %v", r)
	}
	if r := env.Do("GET", "/api/projects/"+project+"/costs", lena, nil); r.Status != 403 {
		t.Fatalf("setup: Lena reads costs herself: %d", r.Status)
	}
	if r := env.Do("POST", "/api/view-as", lena, map[string]any{"userId": ctrlID}); r.Status != 204 {
		t.Skipf("view-as refused (no leak by this route): %d %s", r.Status, r.Body)
	}
	as := map[string]string{"X-View-As": ctrlID}
	if r := env.DoWithHeaders("GET", "/api/users/"+samID, lena, nil, as); r.Status == 200 && r.JSON()["hourRate"] != nil {
		t.Errorf("a viewer without rates.view reads Sam's hour rate by viewing as a colleague: %s", r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/users", lena, nil, as); strings.Contains(string(r.Body), "9100") {
		t.Errorf("a viewer without rates.view reads hour rates in the users list by view-as: %s", r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/projects/"+project+"/costs", lena, nil, as); r.Status == 200 {
		t.Errorf("a viewer without costs.view reads a project's costs by view-as: %s", r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/projects/"+project, lena, nil, as); r.Status == 200 && r.JSON()["budget"] != nil {
		t.Errorf("a viewer without costs.view is sent the budget by view-as: %s", r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/companies/"+acme, lena, nil, as); r.Status == 200 && r.JSON()["costPerMonth"] != nil {
		t.Errorf("a viewer without costs.view is sent a client's cost per month by view-as: %s", r.Body)
	}
}

// The audit log (GET /api/audit, activity.team at scope all) returns every entry with its
// details as recorded. The new entries carry the figures themselves — project.budget
// {from,to}, project.cost_add {amount}, company.cost {from,to}, user.hour_rate {from,to} —
// and company.create names the company. So a Project Manager (activity.team all, no
// costs.view, no client list) and a Director (costs.view but never rates.view, as
// costs_test.go insists) read budgets, client costs and hour rates there, and the names
// of client companies README says a team member without the client list does not learn.
// Expected: those entries (or at least their figures / names) only for readers who may
// see them.
func TestReview8AuditLogLeaksCostsRatesAndCompanies(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	pm := templateRole(t, env, owner, "project-manager")
	director := templateRole(t, env, owner, "director-read-only")
	env.CreateUser(owner, "Pia PM", "pia@team.test", pm, initialPW)
	env.CreateUser(owner, "Dirk Director", "dirk@team.test", director, initialPW)
	samID := env.CreateUser(owner, "Sam Staff", "sam@team.test", "staff", initialPW)
	pia := env.SignInFresh("pia@team.test", initialPW, ownPW)
	dirk := env.SignInFresh("dirk@team.test", initialPW, ownPW)
	acme := mustID(t, env.Do("POST", "/api/companies", owner, map[string]any{"name": "Secret Acme Holdings"}))
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	for _, c := range []struct {
		method, path string
		body         map[string]any
	}{
		{"PUT", "/api/projects/" + project + "/budget", map[string]any{"budget": 4_200_017}},
		{"POST", "/api/projects/" + project + "/costs", map[string]any{"description": "Stock photos", "amount": 12_917, "date": "2026-11-02"}},
		{"PUT", "/api/companies/" + acme + "/cost", map[string]any{"costPerMonth": 250_017}},
		{"PUT", "/api/users/" + samID + "/hour-rate", map[string]any{"hourRate": 9_117}},
	} {
		if r := env.Do(c.method, c.path, owner, c.body); r.Status >= 300 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	// Neither may see these figures directly.
	if r := env.Do("GET", "/api/projects/"+project+"/costs", pia, nil); r.Status != 403 {
		t.Fatalf("setup: the PM reads costs: %d", r.Status)
	}
	if r := env.Do("GET", "/api/companies", pia, nil); r.Status != 403 {
		t.Fatalf("setup: the PM lists companies: %d", r.Status)
	}
	pmLog := string(env.Do("GET", "/api/audit?limit=200", pia, nil).Body)
	for _, leak := range []string{"4200017", "12917", "250017", "9117", "Secret Acme Holdings"} {
		if strings.Contains(pmLog, leak) {
			t.Errorf("a Project Manager (no costs.view, rates.view or client list) reads %q in the audit log", leak)
		}
	}
	if strings.Contains(string(env.Do("GET", "/api/audit?limit=200", dirk, nil).Body), "9117") {
		t.Errorf("a Director (no rates.view) reads Sam's hour rate in the audit log")
	}
}

// A custom role's kind may change while people hold it (roles.Update: "a change of kind
// moves every holder to the other kind"), and a role may be deleted with its holders
// reassigned to a role of the other kind. Neither path touches company_users: README says
// "every portal (client) account belongs to exactly one client company; team members
// belong to none ... a team member given a client role gets one of their own too, and a
// client given a team role leaves theirs". Here former clients stay in their company as
// team members (the company cannot be deleted: company_has_people), and former team
// members become portal accounts with no company at all (their GET /api/companies is
// empty). Expected: the same placement users.Update does, for every moved holder.
func TestReview8RoleKindChangeLeavesCompaniesWrong(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	portal := r8Role(t, env, owner, "Portal Plus", "client", [2]string{"projects.view", "assigned"})
	helpers := r8Role(t, env, owner, "Helpers", "internal", [2]string{"projects.view", "assigned"})
	cleo := env.CreateUser(owner, "Cleo Client", "cleo@client.test", portal, initialPW)
	hal := env.CreateUser(owner, "Hal Helper", "hal@team.test", helpers, initialPW)
	cleoCompany, _ := env.Do("GET", "/api/users/"+cleo, owner, nil).JSON()["companyId"].(string)
	if cleoCompany == "" {
		t.Fatal("setup: Cleo has no company")
	}
	// Swap the kinds of both roles.
	if r := env.Do("PATCH", "/api/roles/"+portal, owner, map[string]any{"kind": "internal"}); r.Status != 200 {
		t.Fatalf("portal role to internal: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/roles/"+helpers, owner, map[string]any{"kind": "client"}); r.Status != 200 {
		t.Fatalf("helpers role to client: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/users/"+cleo, owner, nil).JSON(); r["roleKind"] == "internal" && r["companyId"] != nil {
		t.Errorf("Cleo is now a team member but still in company %v (%v)", r["companyId"], r["companyName"])
	}
	if r := env.Do("DELETE", "/api/companies/"+cleoCompany, owner, nil); r.Status == 409 {
		t.Errorf("Cleo's old company cannot be deleted though it has no portal account left: %s", r.Body)
	}
	if r := env.Do("GET", "/api/users/"+hal, owner, nil).JSON(); r["roleKind"] == "client" && r["companyId"] == nil {
		t.Errorf("Hal is now a portal account with no client company: %v", r)
	}

	// The same through deleting a client role with its holders reassigned to Staff.
	portal2 := r8Role(t, env, owner, "Portal Two", "client", [2]string{"projects.view", "assigned"})
	dina := env.CreateUser(owner, "Dina Client", "dina@client.test", portal2, initialPW)
	if r := env.Do("DELETE", "/api/roles/"+portal2+"?reassignTo=staff", owner, nil); r.Status != 204 {
		t.Fatalf("delete role with reassignment: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/users/"+dina, owner, nil).JSON(); r["roleKind"] == "internal" && r["companyId"] != nil {
		t.Errorf("Dina, reassigned to Staff, is still in company %v", r["companyName"])
	}
}

// Migration 00014 computes name_key with SQLite's lower(), which folds ASCII only, while
// every later write uses store.RoleNameKey (Go's strings.ToLower, full Unicode). For an
// existing client "Émile Zola" the migrated key is "Émile zola", the Go key "émile zola".
// So after the upgrade (1) a company "émile zola" is accepted beside "Émile Zola"
// (README: unique "whatever the case", 409 name_taken), and (2) then merely changing the
// migrated company's phone number answers 409 name_taken, because UpdateCompany rewrites
// name_key with the Go rule and collides. Expected: the migration keys names exactly as
// RoleNameKey does (e.g. compute them in Go, or re-key after the SQL), so (1) is 409 and
// (2) is 200.
func TestReview8MigrationNameKeyIsNotTheGoKey(t *testing.T) {
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	emile := env.CreateUser(owner, "Émile Zola", "emile@client.test", "client", initialPW)
	env.Stop()
	// Back to the schema before client companies, as a database of the previous version.
	db, err := sql.Open("sqlite3", store.DSN(filepath.Join(dir, "gatehouse.db")))
	if err != nil {
		t.Fatal(err)
	}
	mig, err := store.NewMigrator(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mig.DownTo(context.Background(), 13); err != nil {
		t.Fatalf("down to 13: %v", err)
	}
	db.Close()
	env = testkit.StartIn(t, dir) // the upgrade runs 00014 and 00015
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	company, _ := env.Do("GET", "/api/users/"+emile, owner, nil).JSON()["companyId"].(string)
	if company == "" {
		t.Fatal("setup: the migrated client has no company")
	}
	if r := env.Do("POST", "/api/companies", owner, map[string]any{"name": "émile zola"}); r.Status != 409 {
		t.Errorf("after the upgrade, a company differing from the migrated \"Émile Zola\" only in case is accepted: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/companies/"+company, owner, map[string]any{"phone": "+33 1 23 45 67 89"}); r.Status != 200 {
		t.Errorf("changing only the phone of the migrated company: %d %s", r.Status, r.Body)
	}
}

// Place names a new client's company after them, or "Name (email)" when the name is
// taken, and gives up when that is taken too. The second name is taken whenever the same
// person comes back: a client "Bob Builder" added while a company "Bob Builder" exists
// gets "Bob Builder (bob@client.test)"; their account is deleted (the company stays); the
// same person is invited again (or signs in with Google with registrations on, or is in a
// CSV import) — and the create fails with a bare 409 {"code":"conflict"} naming no field,
// though README promises "a new company named after them (with their email added when that
// name is taken)" and the request named no company. Expected: 201, in a new company with a
// distinct name (or a field error on companyId the form can show).
func TestReview8PlaceGivesUpOnTheSecondName(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	if r := env.Do("POST", "/api/companies", owner, map[string]any{"name": "Bob Builder"}); r.Status != 201 {
		t.Fatalf("company: %d %s", r.Status, r.Body)
	}
	bob := env.CreateUser(owner, "Bob Builder", "bob@client.test", "client", initialPW)
	if r := env.Do("GET", "/api/users/"+bob, owner, nil).JSON(); r["companyName"] != "Bob Builder (bob@client.test)" {
		t.Fatalf("setup: Bob's company: %v", r["companyName"])
	}
	if r := env.Do("DELETE", "/api/users/"+bob, owner, nil); r.Status != 204 {
		t.Fatalf("delete Bob: %d %s", r.Status, r.Body)
	}
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Bob Builder", "email": "bob@client.test", "roleId": "client", "password": initialPW})
	if r.Status != 201 {
		t.Errorf("inviting Bob again (no company chosen): %d %s", r.Status, r.Body)
	}
	// CSV import: the whole import fails for the same reason.
	r = env.Do("POST", "/api/users/import", owner, map[string]any{"csv": "name,email,role,projects,teams\nBob Builder,bob@client.test,Client,,\n", "sendWelcome": false})
	if r.Status == 202 {
		job := r.JSON()["id"].(string)
		for i := 0; i < 100; i++ {
			j := env.Do("GET", "/api/user-imports/"+job, owner, nil).JSON()
			if j["state"] != "running" {
				if j["state"] != "done" {
					t.Errorf("importing Bob again: %v", j)
				}
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// Place builds the fallback name "Name (email)" without the 200-character limit every
// other company name obeys (companies.Request.apply). A client with a long name whose
// name is taken gets a company named past the limit, and from then on any change to that
// company — here only its phone number — is refused with 422 on "name", a field the
// request did not touch. (The migration's "Name (email)" names have the same problem.)
// Expected: a generated name within the limit (or the limit applied only to a changed
// name), so the phone change answers 200.
func TestReview8GeneratedCompanyNameTooLongToEdit(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	name := strings.Repeat("Bartholomew ", 15) + "Longname" // 188 characters
	if r := env.Do("POST", "/api/companies", owner, map[string]any{"name": name}); r.Status != 201 {
		t.Fatalf("company: %d %s", r.Status, r.Body)
	}
	id := env.CreateUser(owner, name, "bartholomew.longname@client.test", "client", initialPW)
	company := env.Do("GET", "/api/users/"+id, owner, nil).JSON()["companyId"].(string)
	c := env.Do("GET", "/api/companies/"+company, owner, nil).JSON()
	if n, _ := c["name"].(string); len([]rune(n)) > 200 {
		t.Errorf("a generated name past the limit: %q", n)
	}
	if r := env.Do("PATCH", "/api/companies/"+company, owner, map[string]any{"phone": "+1 555 0100"}); r.Status != 200 {
		t.Errorf("changing only the phone of a company whose name Gatehouse generated: %d %s", r.Status, r.Body)
	}
}

// README: "whoever creates a project or may edit its details (projects.edit) and sees the
// companies may give it one, or take it away". companyOK lets anyone with projects.edit
// take a project's company away ("" needs nothing), though they cannot see companies at
// all: the company loses the project from its list and the client page, done by someone
// who was never told the project had one. Expected: 422 on companyId (or 403) and no
// change, as giving one is refused to them.
func TestReview8ProjectCompanyTakenAwayBySomeoneWhoCannotSeeIt(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	editor := r8Role(t, env, owner, "Project Editor", "internal", [2]string{"projects.view", "all"}, [2]string{"projects.edit", "all"})
	env.CreateUser(owner, "Eddie Editor", "eddie@team.test", editor, initialPW)
	eddie := env.SignInFresh("eddie@team.test", initialPW, ownPW)
	acme := mustID(t, env.Do("POST", "/api/companies", owner, map[string]any{"name": "Acme"}))
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website", "companyId": acme}))
	if r := env.Do("GET", "/api/companies", eddie, nil); r.Status != 403 {
		t.Fatalf("setup: Eddie lists companies: %d", r.Status)
	}
	if r := env.Do("GET", "/api/projects/"+project, eddie, nil).JSON(); r["companyId"] != nil {
		t.Fatalf("setup: Eddie is told the project's company: %v", r)
	}
	before := env.Snapshot()
	if r := env.Do("PATCH", "/api/projects/"+project, eddie, map[string]any{"companyId": ""}); r.Status == 200 {
		t.Errorf("someone who does not see companies takes the project's company away: %d", r.Status)
	}
	if env.Snapshot() != before {
		if r := env.Do("GET", "/api/projects/"+project, owner, nil).JSON(); r["companyId"] == nil {
			t.Errorf("the project lost its company Acme")
		}
	}
}

// Company names are unique "whatever the case" (README), compared by strings.ToLower of
// the raw text. Text is not normalised, so the same name typed on two systems — "Café
// Noir" precomposed (NFC, Windows/Linux keyboards) and decomposed (NFD, as macOS file
// names and some inputs give it) — makes two companies that show the same name in every
// list and picker; the same happens when a Google or CSV client's name arrives in the
// other form (Place then makes a look-alike company instead of adding the email). Greek
// final sigma ("ΟΔΟΣ" vs "οδος", equal under Unicode case folding) gets through likewise.
// Expected: 409 name_taken for names equal after normalisation and case folding.
func TestReview8CompanyNameUniquenessIgnoresCanonicalEquivalence(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	for _, pair := range [][2]string{{"Café Noir", "Cafe\u0301 Noir"}, {"ΟΔΟΣ Design", "οδος design"}} {
		if r := env.Do("POST", "/api/companies", owner, map[string]any{"name": pair[0]}); r.Status != 201 {
			t.Fatalf("%q: %d %s", pair[0], r.Status, r.Body)
		}
		if r := env.Do("POST", "/api/companies", owner, map[string]any{"name": pair[1]}); r.Status != 409 {
			t.Errorf("%q is accepted beside %q: %d", pair[1], pair[0], r.Status)
		}
	}
}

// The role-change dance: a client made a team member leaves their company (which stays,
// empty, under their name); made a client again they get a new one, "Name (email)"
// because their old company still holds their name; after one more round trip both names
// are taken and PATCH {"roleId":"client"} fails with a bare 409 {"code":"conflict"}
// naming no field — an Admin can no longer make this person a client without knowing to
// send a companyId. Each round trip also leaves an empty look-alike company behind.
// Expected: 200, the person placed in a company (their old one, or a new distinct name).
func TestReview8RoleDanceRunsOutOfCompanyNames(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	cleo := env.CreateUser(owner, "Cleo Client", "cleo@client.test", "client", initialPW)
	for round := 1; round <= 2; round++ {
		if r := env.Do("PATCH", "/api/users/"+cleo, owner, map[string]any{"roleId": "staff"}); r.Status != 200 {
			t.Fatalf("round %d, to staff: %d %s", round, r.Status, r.Body)
		}
		r := env.Do("PATCH", "/api/users/"+cleo, owner, map[string]any{"roleId": "client"})
		if r.Status != 200 {
			t.Errorf("round %d, back to client: %d %s", round, r.Status, r.Body)
			break
		}
	}
	if n := len(env.Do("GET", "/api/companies", owner, nil).JSON()["items"].([]any)); n > 1 {
		t.Logf("companies left behind for one person: %d", n)
	}
}

// Google registration goes through the same Place: a person who registered while another
// client bore their name got "Nina New (nina.new@example.com)"; an Admin deletes the
// account (the company stays); when Nina signs in with Google again (registrations on),
// both names are taken and her registration fails, though nothing is wrong with her.
// Expected: 201 and a session, in a company of her own.
func TestReview8GoogleReRegistrationFailsOnTakenCompanyNames(t *testing.T) {
	g := startGoogle(t)
	g.CreateUser(g.owner, "Nina New", "other.nina@client.test", "client", initialPW)
	first := userOf(t, g.signIn(t, newPerson))
	if first["companyName"] != "Nina New (nina.new@example.com)" {
		t.Fatalf("setup: first registration's company: %v", first["companyName"])
	}
	if r := g.Do("DELETE", "/api/users/"+first["id"].(string), g.owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	again := newPerson
	again.Subject = "110000000000000000002" // a new Google identity for the same person, or the same one after unlinking
	if r := g.signIn(t, again); r.Status != 201 {
		t.Errorf("registering again after the account was deleted: %d %s", r.Status, r.Body)
	}
}

// costs.edit and costs.view are separate grants (nothing ties them), and the handlers
// answer a change by reading the figure back. A role with costs.edit but not costs.view:
// PUT /api/projects/{id}/budget writes the budget (and its audit entry), then answers 403
// "costs.view" — a refusal for a change that was made, so a script or the UI reports
// failure and may retry; and DELETE /api/project-costs/{id} of a cost the same person just
// added answers 404 "No such cost" (DeleteCost asks costs.view first). Expected: one
// answer that matches what happened — refuse before writing (costs.edit needing
// costs.view, checked up front or in the role editor), or 200 without the figures.
func TestReview8CostsEditWithoutViewWritesThenRefuses(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := r8Role(t, env, owner, "Cost clerk", "internal", [2]string{"projects.view", "all"}, [2]string{"costs.edit", ""})
	env.CreateUser(owner, "Clara Clerk", "clara@team.test", role, initialPW)
	clara := env.SignInFresh("clara@team.test", initialPW, ownPW)
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	r := env.Do("PUT", "/api/projects/"+project+"/budget", clara, map[string]any{"budget": 777})
	got := env.Do("GET", "/api/projects/"+project+"/costs", owner, nil).JSON()["budget"]
	if r.Status >= 400 && got != nil {
		t.Errorf("PUT budget answered %d %s, but the budget was set to %v", r.Status, r.Body, got)
	}
	add := env.Do("POST", "/api/projects/"+project+"/costs", clara, map[string]any{"description": "Fonts", "amount": 4_900, "date": "2026-11-02"})
	if add.Status == 201 {
		if r := env.Do("DELETE", "/api/project-costs/"+add.JSON()["id"].(string), clara, nil); r.Status == 404 {
			t.Errorf("the cost Clara just added is 'No such cost' when she deletes it: %s", r.Body)
		}
	}
}
