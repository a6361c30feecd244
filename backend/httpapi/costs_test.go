package httpapi_test

import (
	"testing"

	"gatehouse/backend/testkit"
)

// templateRole makes a role from a template and returns its id.
func templateRole(t *testing.T, env *testkit.Env, owner, key string) string {
	t.Helper()
	var templates struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/role-templates", owner, nil).Decode(t, &templates)
	for _, tp := range templates.Items {
		if tp["key"] == key {
			return mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": tp["name"], "kind": tp["kind"], "permissions": tp["permissions"]}))
		}
	}
	t.Fatalf("no template %s", key)
	return ""
}

// Costs and rates, the second article's rule: a Manager views and edits client cost per
// month, project budgets and extra costs, views hour rates but may not change them; a
// Director (read-only) views costs only; Staff and clients are never sent any of it.
func TestCostsAndRatesFollowTheArticle(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	people := map[string]string{}
	for _, p := range []struct{ key, role string }{{"manager", templateRole(t, env, owner, "manager")}, {"director", templateRole(t, env, owner, "director-read-only")},
		{"staff", "staff"}, {"client", "client"}} {
		env.CreateUser(owner, p.key+" person", p.key+"@acme.test", p.role, initialPW)
		people[p.key] = env.SignInFresh(p.key+"@acme.test", initialPW, ownPW)
	}
	staffID := env.Do("GET", "/api/me", people["staff"], nil).JSON()["user"].(map[string]any)["id"].(string)
	clientID := env.Do("GET", "/api/me", people["client"], nil).JSON()["user"].(map[string]any)["id"].(string)
	company := env.Do("GET", "/api/users/"+clientID, owner, nil).JSON()["companyId"].(string)
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website", "members": []string{staffID}, "clients": []string{clientID}, "companyId": company}))

	// The Admin sets them all.
	if r := env.Do("PUT", "/api/projects/"+project+"/budget", owner, map[string]any{"budget": 1_000_000}); r.Status != 200 || r.JSON()["budget"].(float64) != 1_000_000 {
		t.Fatalf("budget: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/companies/"+company+"/cost", owner, map[string]any{"costPerMonth": 250_000}); r.Status != 200 || r.JSON()["costPerMonth"].(float64) != 250_000 {
		t.Fatalf("company cost: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/users/"+staffID+"/hour-rate", owner, map[string]any{"hourRate": 6_500}); r.Status != 200 || r.JSON()["hourRate"].(float64) != 6_500 {
		t.Fatalf("hour rate: %d %s", r.Status, r.Body)
	}
	// The Manager edits costs, sees rates, may not change them.
	m := people["manager"]
	if r := env.Do("POST", "/api/projects/"+project+"/costs", m, map[string]any{"description": "Stock photos", "amount": 12_900, "date": "2026-11-02"}); r.Status != 201 {
		t.Fatalf("manager adds a cost: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+project, m, nil).JSON(); r["budget"].(float64) != 1_000_000 || r["spent"].(float64) != 12_900 {
		t.Errorf("budget vs spent for the manager: %v", r)
	}
	if r := env.Do("PUT", "/api/companies/"+company+"/cost", m, map[string]any{"costPerMonth": 300_000}); r.Status != 200 {
		t.Errorf("manager edits a client's cost: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/users/"+staffID, m, nil).JSON(); r["hourRate"].(float64) != 6_500 {
		t.Errorf("manager sees the hour rate: %v", r)
	}
	before := env.Snapshot()
	if r := env.Do("PUT", "/api/users/"+staffID+"/hour-rate", m, map[string]any{"hourRate": 1}); r.Status != 403 {
		t.Errorf("manager changes an hour rate: %d %s", r.Status, r.Body)
	}
	// The Director sees costs, changes nothing, never sees rates.
	d := people["director"]
	if r := env.Do("GET", "/api/projects/"+project+"/costs", d, nil); r.Status != 200 || r.JSON()["spent"].(float64) != 12_900 {
		t.Errorf("director reads costs: %d %s", r.Status, r.Body)
	}
	// "client cost/month … viewable by Manager and Director": the Director, who has no client
	// list, reads it with the project's costs.
	if r := env.Do("GET", "/api/projects/"+project+"/costs", d, nil).JSON()["company"].(map[string]any); r["costPerMonth"].(float64) != 300_000 {
		t.Errorf("director reads the client's cost per month: %v", r)
	}
	for _, c := range []struct {
		method, path string
		body         map[string]any
	}{{"PUT", "/api/projects/" + project + "/budget", map[string]any{"budget": 1}},
		{"POST", "/api/projects/" + project + "/costs", map[string]any{"description": "x", "amount": 1, "date": "2026-11-02"}}} {
		if r := env.Do(c.method, c.path, d, c.body); r.Status != 403 {
			t.Errorf("director %s %s: %d", c.method, c.path, r.Status)
		}
	}
	// Staff and clients: no figure in any answer, every route refused.
	for _, who := range []string{"staff", "client", "director"} {
		tok := people[who]
		if r := env.Do("GET", "/api/projects/"+project, tok, nil).JSON(); who != "director" && (r["budget"] != nil || r["spent"] != nil) {
			t.Errorf("%s is sent the budget: %v", who, r)
		}
		if r := env.Do("GET", "/api/users/"+staffID, tok, nil); r.Status == 200 && r.JSON()["hourRate"] != nil {
			t.Errorf("%s is sent an hour rate: %s", who, r.Body)
		}
		if r := env.Do("GET", "/api/me", tok, nil).JSON()["user"].(map[string]any); r["hourRate"] != nil {
			t.Errorf("%s is sent their own hour rate without rates.view: %v", who, r)
		}
	}
	if r := env.Do("GET", "/api/companies", people["client"], nil).JSON()["items"].([]any); r[0].(map[string]any)["costPerMonth"] != nil {
		t.Errorf("a client is sent their company's cost: %v", r)
	}
	for _, who := range []string{"staff", "client"} {
		if r := env.Do("GET", "/api/projects/"+project+"/costs", people[who], nil); r.Status != 403 {
			t.Errorf("%s reads costs: %d", who, r.Status)
		}
	}
	if r := env.Do("PUT", "/api/users/"+ownerID+"/hour-rate", owner, map[string]any{"hourRate": -5}); r.Status != 422 || r.ErrField() != "hourRate" {
		t.Errorf("a negative rate: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/users/"+clientID+"/hour-rate", owner, map[string]any{"hourRate": 100}); r.Status != 403 {
		t.Errorf("an hour rate for a client account: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/projects/"+project+"/costs", owner, map[string]any{"description": "x", "amount": 0, "date": "2026-11-02"}); r.Status != 422 || r.ErrField() != "amount" {
		t.Errorf("a zero cost: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/projects/"+project+"/costs", owner, map[string]any{"description": "x", "amount": 5, "date": "02/11/2026"}); r.Status != 422 || r.ErrField() != "date" {
		t.Errorf("a bad date: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Error("refused cost changes changed the database")
	}
}
