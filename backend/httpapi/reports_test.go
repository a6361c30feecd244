package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// The dashboard: reports.dashboard's; counts only tasks the viewer sees, and a Team
// Leader's (scope team) only those of the people of the teams they lead; stages, overdue
// and completed per week follow the tasks as they move.
func TestTaskReports(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	leaderRole := templateRole(t, env, owner, "team-leader")
	leaID := env.CreateUser(owner, "Lea Leader", "lea@acme.test", leaderRole, initialPW)
	lea := env.SignInFresh("lea@acme.test", initialPW, ownPW)
	samID := env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	bobID := env.CreateUser(owner, "Bob Other", "bob@acme.test", "staff", initialPW)
	design := mustID(t, env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design", "members": []string{leaID, samID}}))
	if r := env.Do("PATCH", "/api/teams/"+design, owner, map[string]any{"members": []string{leaID, samID}, "leaders": []string{leaID}}); r.Status != 200 {
		t.Fatalf("leader: %d %s", r.Status, r.Body)
	}
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Sales", "members": []string{bobID}})
	shared := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website", "members": []string{leaID, samID, bobID}}))
	hidden := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Secret", "members": []string{samID}}))
	board := env.Do("POST", "/api/boards", owner, map[string]any{"name": "Flow", "visibility": "all"})
	if board.Status != 201 {
		t.Fatalf("board: %d %s", board.Status, board.Body)
	}
	var open, done string
	for _, s := range board.JSON()["stages"].([]any) {
		st := s.(map[string]any)
		switch st["kind"] {
		case "open":
			if open == "" {
				open = st["id"].(string)
			}
		case "done":
			done = st["id"].(string)
		}
	}
	bid := board.JSON()["id"].(string)
	task := func(project, title, assignee, due string) string {
		t.Helper()
		return mustID(t, env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": title, "assigneeId": assignee,
			"dueDate": due, "boardId": bid, "stageId": open}))
	}
	overdue := task(shared, "Logo", samID, "2026-11-01") // the test clock is 2026-11-22
	task(shared, "Copy", samID, "2026-12-31")
	task(shared, "Ads", bobID, "2026-11-02")
	task(hidden, "Secret plan", samID, "")

	if r := env.Do("GET", "/api/reports/tasks", sam, nil); r.Status != 403 {
		t.Errorf("staff read reports: %d", r.Status)
	}
	all := env.Do("GET", "/api/reports/tasks", owner, nil).JSON()
	if tot := all["total"].(map[string]any); all["scope"] != "all" || tot["open"].(float64) != 4 || tot["overdue"].(float64) != 2 {
		t.Errorf("the owner's totals: %v", all)
	}
	// Lea: Design's people (Sam and herself) only, and only what she sees: not Bob's task,
	// not Sam's task in a project she is not on.
	rep := env.Do("GET", "/api/reports/tasks", lea, nil)
	lr := rep.JSON()
	if tot := lr["total"].(map[string]any); rep.Status != 200 || lr["scope"] != "team" || tot["open"].(float64) != 2 || tot["overdue"].(float64) != 1 {
		t.Errorf("the leader's totals: %d %s", rep.Status, rep.Body)
	}
	if strings.Contains(string(rep.Body), "Secret") || strings.Contains(string(rep.Body), "Bob Other") || strings.Contains(string(rep.Body), "Sales") {
		t.Errorf("the leader's report names what is not theirs: %s", rep.Body)
	}
	if teams := lr["teams"].([]any); len(teams) != 1 || teams[0].(map[string]any)["name"] != "Design" {
		t.Errorf("the leader's teams: %v", teams)
	}
	// Done this week: counted in the last week; no longer overdue.
	env.Clock.Advance(time.Hour)
	if r := env.Do("PATCH", "/api/tasks/"+overdue, owner, map[string]any{"stageId": done}); r.Status != 200 {
		t.Fatalf("move to done: %d %s", r.Status, r.Body)
	}
	all = env.Do("GET", "/api/reports/tasks", owner, nil).JSON()
	weeks := all["weeks"].([]any)
	last := weeks[len(weeks)-1].(map[string]any)
	if tot := all["total"].(map[string]any); len(weeks) != 12 || last["count"].(float64) != 1 || last["start"] != "2026-11-16" ||
		tot["done"].(float64) != 1 || tot["overdue"].(float64) != 1 {
		t.Errorf("after completing one: %v", all)
	}
	// Moved back out of done: not completed any more.
	env.Do("PATCH", "/api/tasks/"+overdue, owner, map[string]any{"stageId": open})
	weeks = env.Do("GET", "/api/reports/tasks", owner, nil).JSON()["weeks"].([]any)
	if weeks[len(weeks)-1].(map[string]any)["count"].(float64) != 0 {
		t.Errorf("a task moved back still counts as completed: %v", weeks)
	}
	csv := env.Do("GET", "/api/reports/tasks.csv", lea, nil)
	if csv.Status != 200 || !strings.Contains(string(csv.Body), "team,Design,") || strings.Contains(string(csv.Body), "Secret") {
		t.Errorf("the leader's CSV: %d %s", csv.Status, csv.Body)
	}
}
