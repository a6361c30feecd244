package httpapi_test

import (
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

// Client companies: who sees them (whoever lists client accounts; a client their own),
// who changes them (users.create / users.edit covering clients), portal accounts in one
// company each, projects for a company; bad input and refusals change nothing.
func TestClientCompanies(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	acme := env.Do("POST", "/api/companies", owner, map[string]any{"name": "Acme Corp", "email": "accounts@acme.example", "phone": "+1 555 0100", "address": "1 Main St\nSpringfield"})
	if acme.Status != 201 || acme.JSON()["name"] != "Acme Corp" {
		t.Fatalf("create: %d %s", acme.Status, acme.Body)
	}
	acmeID := acme.JSON()["id"].(string)
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
		code  int
	}{
		{map[string]any{"name": " "}, "name", 422},
		{map[string]any{"name": "Bad Mail", "email": "not an email"}, "email", 422},
		{map[string]any{"name": "Evil \u202eCorp"}, "name", 422},
		{map[string]any{"name": "acme corp"}, "", 409},
	} {
		if r := env.Do("POST", "/api/companies", owner, c.body); r.Status != c.code || (c.field != "" && r.ErrField() != c.field) {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused companies changed the database")
	}
	// Portal accounts: in the company chosen, or in a new one named after them.
	carl := mustID(t, env.Do("POST", "/api/users", owner, map[string]any{"name": "Carl Client", "email": "carl@acme.example", "roleId": "client", "password": initialPW, "companyId": acmeID}))
	if r := env.Do("GET", "/api/users/"+carl, owner, nil).JSON(); r["companyName"] != "Acme Corp" {
		t.Fatalf("Carl's company: %v", r)
	}
	dora := env.CreateUser(owner, "Dora Client", "dora@other.example", "client", initialPW)
	doraCompany := env.Do("GET", "/api/users/"+dora, owner, nil).JSON()["companyId"].(string)
	if r := env.Do("GET", "/api/companies/"+doraCompany, owner, nil).JSON(); r["name"] != "Dora Client" {
		t.Fatalf("Dora's own company: %v", r)
	}
	if r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Sam Staff", "email": "sam@team.example", "roleId": "staff", "password": initialPW, "companyId": acmeID}); r.Status != 422 || r.ErrField() != "companyId" {
		t.Errorf("a team member in a company: %d %s", r.Status, r.Body)
	}
	sam := env.CreateUser(owner, "Sam Staff", "sam@team.example", "staff", initialPW)
	// A project for Acme.
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website", "members": []string{sam}, "clients": []string{carl}, "companyId": acmeID}))
	if r := env.Do("GET", "/api/projects/"+project, owner, nil).JSON(); r["companyName"] != "Acme Corp" {
		t.Fatalf("the project's company: %v", r)
	}
	// Who sees what.
	bookkeeperRole := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Client list", "kind": "internal",
		"permissions": []map[string]string{{"key": "users.view", "scope": "clients"}}}))
	env.CreateUser(owner, "Bea Books", "bea@team.example", bookkeeperRole, initialPW)
	bea := env.SignInFresh("bea@team.example", initialPW, ownPW)
	samTok := env.SignInFresh("sam@team.example", initialPW, ownPW)
	carlTok := env.SignInFresh("carl@acme.example", initialPW, ownPW)
	if r := env.Do("GET", "/api/companies", bea, nil); r.Status != 200 || !strings.Contains(string(r.Body), "Acme Corp") || !strings.Contains(string(r.Body), "Dora Client") {
		t.Errorf("the client list's companies: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/companies", bea, map[string]any{"name": "Mine"}); r.Status != 403 {
		t.Errorf("creating without users.create: %d", r.Status)
	}
	if r := env.Do("PATCH", "/api/companies/"+acmeID, bea, map[string]any{"name": "Renamed"}); r.Status != 403 {
		t.Errorf("renaming without users.edit: %d", r.Status)
	}
	if r := env.Do("GET", "/api/companies", samTok, nil); r.Status != 403 {
		t.Errorf("staff lists companies: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+project, samTok, nil).JSON(); r["companyName"] != nil {
		t.Errorf("staff learns the project's company: %v", r)
	}
	if r := env.Do("GET", "/api/companies", carlTok, nil); r.Status != 200 || strings.Contains(string(r.Body), "Dora") || !strings.Contains(string(r.Body), "Acme Corp") {
		t.Errorf("a client's companies: %d %s", r.Status, r.Body)
	}
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		if r := env.Do(m, "/api/companies/"+doraCompany, carlTok, map[string]any{"name": "x"}); r.Status != 404 {
			t.Errorf("a client %s another company: %d", m, r.Status)
		}
	}
	// A company with people is not deleted; moved away, it is, and its project stays.
	if r := env.Do("DELETE", "/api/companies/"+acmeID, owner, nil); r.Status != 409 || r.ErrCode() != "company_has_people" {
		t.Errorf("deleting a company with people: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/users/"+carl, owner, map[string]any{"companyId": doraCompany}); r.Status != 200 || r.JSON()["companyName"] != "Dora Client" {
		t.Fatalf("moving Carl: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/companies/"+acmeID, owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+project, owner, nil); r.Status != 200 || r.JSON()["companyId"] != nil {
		t.Errorf("the project after its company's deletion: %d %s", r.Status, r.Body)
	}
	// A role change moves a person in or out of companies.
	if r := env.Do("PATCH", "/api/users/"+carl, owner, map[string]any{"roleId": "staff"}); r.Status != 200 || r.JSON()["companyId"] != nil {
		t.Errorf("Carl made staff keeps a company: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/users/"+sam, owner, map[string]any{"roleId": "client"}); r.Status != 200 || r.JSON()["companyName"] != "Sam Staff" {
		t.Errorf("Sam made a client gets no company of his own: %d %s", r.Status, r.Body)
	}
}
