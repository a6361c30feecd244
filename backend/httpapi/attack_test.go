package httpapi_test

import (
	"strings"
	"testing"

	"gatehouse/backend/testkit"
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
