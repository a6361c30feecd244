package httpapi_test

import (
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

func stageIDs(b map[string]any) []string {
	var out []string
	for _, s := range b["stages"].([]any) {
		out = append(out, s.(map[string]any)["id"].(string))
	}
	return out
}

func TestBoardsAndTaskRules(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	// The creator of an invite-only board is invited as editor; here staffA then removes
	// the owner, so the owner sees the board (Admin) but is not invited to it.
	b := w.must(w.do("POST", "/api/boards", "admin", map[string]any{"name": "Staff only", "visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": id("staffA"), "level": "editor"}}}), 201)
	w.must(w.do("PATCH", "/api/boards/"+b["id"].(string), "staffA", map[string]any{"access": []map[string]string{
		{"type": "user", "id": id("staffA"), "level": "editor"}}}), 200) // the editor removes the owner
	st := stageIDs(b)
	bid := b["id"].(string)
	// Admins see every board but need an invitation to work on it.
	if r := w.do("GET", "/api/boards/"+bid, "admin", nil); r.Status != 200 || strings.Contains(string(r.Body), `"work"`) {
		t.Fatalf("admin on an uninvited board: %d %s", r.Status, r.Body)
	}
	r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "X", "boardId": bid, "stageId": st[0]})
	if r.Status != 403 || r.ErrCode() != "not_invited" {
		t.Fatalf("admin creating on an uninvited board: %d %s", r.Status, r.Body)
	}
	task := w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "Board task", "boardId": bid, "stageId": st[0]}), 201)
	tid := task["id"].(string)
	if r := w.do("PATCH", "/api/tasks/"+tid, "admin", map[string]any{"assigneeId": id("staffA")}); r.Status != 403 {
		t.Fatalf("admin assigning on an uninvited board: %d %s", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+tid, "admin", map[string]any{"stageId": st[1]}); r.Status != 403 {
		t.Fatalf("admin moving on an uninvited board: %d %s", r.Status, r.Body)
	}
	// The board's member moves between stages; a stage of another board is refused.
	if r := w.do("PATCH", "/api/tasks/"+tid, "staffA", map[string]any{"stageId": st[1]}); r.Status != 200 {
		t.Fatalf("member moving: %d %s", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+tid, "staffA", map[string]any{"stageId": "nope"}); r.Status != 422 || r.ErrField() != "stageId" {
		t.Fatalf("unknown stage: %d %s", r.Status, r.Body)
	}
	// Moving between boards is for editors of both: staffA edits this one, not Bopen
	// (open boards are edited by whoever manages Kanban columns, which Staff does).
	open := w.must(w.do("GET", "/api/boards/"+id("Bopen"), "staffA", nil), 200)
	if r := w.do("PATCH", "/api/tasks/"+tid, "staffA", map[string]any{"boardId": id("Bopen"), "stageId": stageIDs(open)[0]}); r.Status != 200 {
		t.Fatalf("editor moving between boards: %d %s", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+tid, "contractor", map[string]any{"boardId": bid, "stageId": st[0]}); r.Status != 404 {
		t.Fatalf("contractor (does not see the task) moving it: %d", r.Status)
	}

	// Who may open tasks for whom.
	w.must(w.do("PUT", "/api/users/"+id("contractor")+"/task-rules", "admin", map[string]any{"receiveFromOthers": false, "openForOthers": true}), 200)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "For the contractor", "assigneeId": id("contractor")}); r.Status != 422 || r.ErrField() != "assigneeId" {
		t.Fatalf("assigning someone who receives no tasks: %d %s", r.Status, r.Body)
	}
	w.must(w.do("PUT", "/api/users/"+id("staffA")+"/task-rules", "admin", map[string]any{"receiveFromOthers": true, "openForOthers": false}), 200)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "For staffB", "assigneeId": id("admin")}); r.Status != 403 || r.ErrCode() != "task_rules" {
		t.Fatalf("opening for others when not allowed: %d %s", r.Status, r.Body)
	}
	w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "For myself", "assigneeId": id("staffA")}), 201)
	// Assignees must see the project.
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "For staffB", "assigneeId": id("staffB")}); r.Status != 422 || r.ErrField() != "assigneeId" {
		t.Fatalf("assigning someone outside the project: %d %s", r.Status, r.Body)
	}

	// Task types: only authorised people create (or assign) tasks of a type.
	ty := w.must(w.do("POST", "/api/task-types", "admin", map[string]any{"name": "Legal review",
		"access": []map[string]any{{"type": "user", "id": id("admin"), "create": true, "assign": true}}}), 201)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "contractor", map[string]any{"title": "t", "typeId": ty["id"]}); r.Status != 403 {
		t.Fatalf("contractor (no tasks.create) with a type: %d", r.Status)
	}
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "manager", map[string]any{"title": "Contract", "typeId": ty["id"]}); r.Status != 403 || r.ErrCode() != "task_type" {
		t.Fatalf("a manager not authorised for the type: %d %s", r.Status, r.Body)
	}
	w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "Contract", "typeId": ty["id"]}), 201)
	if r := w.do("POST", "/api/task-types", "staffA", map[string]any{"name": "Mine"}); r.Status != 403 {
		t.Fatalf("staff managing task types: %d", r.Status)
	}
}

func TestClientReviewFollowersAndComments(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	open := w.must(w.do("GET", "/api/boards/"+id("Bopen"), "admin", nil), 200)
	st := stageIDs(open) // To do, In progress, Client review, Done
	task := w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "Homepage design",
		"clientVisible": true, "boardId": id("Bopen"), "stageId": st[0]}), 201)
	tid := task["id"].(string)
	if r := w.do("POST", "/api/tasks/"+tid+"/review", "client1", map[string]any{"decision": "approve"}); r.Status != 409 {
		t.Fatalf("review before the task is in review: %d %s", r.Status, r.Body)
	}
	w.must(w.do("PATCH", "/api/tasks/"+tid, "admin", map[string]any{"stageId": st[2]}), 200)
	if r := w.do("POST", "/api/tasks/"+tid+"/review", "staffA", map[string]any{"decision": "approve"}); r.Status != 403 {
		t.Fatalf("staff reviewing: %d", r.Status)
	}
	if r := w.do("POST", "/api/tasks/"+tid+"/review", "client2", map[string]any{"decision": "approve"}); r.Status != 404 {
		t.Fatalf("another client reviewing: %d", r.Status)
	}
	rv := w.must(w.do("POST", "/api/tasks/"+tid+"/review", "client1", map[string]any{"decision": "request_changes", "comment": "Bigger logo, please"}), 200)
	if rv["reviewState"] != "changes_requested" || rv["stage"] != st[0] {
		t.Fatalf("after requesting changes: %v", rv)
	}
	comments := w.must(w.do("GET", "/api/tasks/"+tid+"/comments", "staffA", nil), 200)["items"].([]any)
	if len(comments) != 1 || comments[0].(map[string]any)["body"] != "Bigger logo, please" {
		t.Fatalf("comments: %v", comments)
	}
	// A follower sees the one task and may comment (Staff holds chat.task_comments), but
	// not change it, and sees nothing else of the project.
	w.must(w.do("POST", "/api/tasks/"+id("t1i")+"/followers", "admin", map[string]any{"userId": id("staffC")}), 200)
	w.must(w.do("POST", "/api/tasks/"+id("t1i")+"/comments", "staffC", map[string]any{"body": "Following along"}), 201)
	if r := w.do("PATCH", "/api/tasks/"+id("t1i"), "staffC", map[string]any{"title": "Mine now"}); r.Status != 403 || r.ErrCode() != "follower_only" {
		t.Fatalf("follower editing: %d %s", r.Status, r.Body)
	}
	if r := w.do("GET", "/api/projects/"+id("P1"), "staffC", nil); r.Status != 404 {
		t.Fatalf("follower sees the project: %d", r.Status)
	}
	if r := w.do("POST", "/api/tasks/"+id("t1i")+"/comments", "staffC", map[string]any{"body": "  "}); r.Status != 422 {
		t.Fatalf("empty comment: %d", r.Status)
	}
}

func TestProjectsTeamsAndViewAs(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	// Staff cannot create projects; the owner can, with members; bad members are named.
	if r := w.do("POST", "/api/projects", "staffA", map[string]any{"name": "Mine"}); r.Status != 403 {
		t.Fatalf("staff creating a project: %d", r.Status)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"name": " "}, "name"},
		{map[string]any{"name": "X", "members": []string{id("client1")}}, "members"},
		{map[string]any{"name": "X", "clients": []string{id("staffA")}}, "clients"},
		{map[string]any{"name": "X", "teams": []string{"nope"}}, "teams"},
	} {
		if r := w.do("POST", "/api/projects", "admin", c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
		}
	}
	// Staff without projects are listed for admins.
	var page struct {
		Items []map[string]any `json:"items"`
	}
	w.do("GET", "/api/users?withoutProjects=true", "admin", nil).Decode(t, &page)
	var names []string
	for _, it := range page.Items {
		names = append(names, it["name"].(string))
	}
	if strings.Join(names, ",") != "staffC Person" {
		t.Fatalf("staff without projects: %v", names)
	}
	// Archiving keeps the project visible but refuses new tasks.
	w.must(w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"status": "archived"}), 200)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "Late"}); r.Status != 409 {
		t.Fatalf("task in an archived project: %d", r.Status)
	}
	w.must(w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"status": "active"}), 200)
	// A team leader edits their team's members but cannot create teams or change leaders.
	w.must(w.do("PATCH", "/api/teams/"+id("T1"), "leader", map[string]any{"members": []string{id("leader"), id("staffB"), id("staffC")}}), 200)
	if r := w.do("PATCH", "/api/teams/"+id("T1"), "leader", map[string]any{"leaders": []string{id("leader"), id("staffC")}}); r.Status != 403 {
		t.Fatalf("leader changing leaders: %d", r.Status)
	}
	if r := w.do("POST", "/api/teams", "leader", map[string]any{"name": "New"}); r.Status != 403 {
		t.Fatalf("leader creating a team: %d", r.Status)
	}
	if r := w.do("GET", "/api/projects/"+id("P2"), "staffC", nil); r.Status != 200 {
		t.Fatalf("joining the team did not reveal its project: %d", r.Status)
	}
	// View as: read-only, as the other person sees it, audited.
	// Staff hold no users.view: the account is hidden from them (404), and so is view-as.
	if r := w.do("POST", "/api/view-as", "staffA", map[string]any{"userId": id("client1")}); r.Status != 404 {
		t.Fatalf("staff viewing as: %d", r.Status)
	}
	// A Manager sees users but has activity.team too; a Team Leader lacks users.view of clients.
	if r := w.do("POST", "/api/view-as", "leader", map[string]any{"userId": id("client1")}); r.Status != 404 {
		t.Fatalf("team leader viewing as a client: %d", r.Status)
	}
	if s := w.env.DoWithHeaders("GET", "/api/tasks/"+id("t1c"), w.owner, nil, map[string]string{"X-View-As": id("client1")}).Status; s != 403 {
		t.Fatalf("the header without POST /api/view-as: %d", s)
	}
	w.must(w.do("POST", "/api/view-as", "admin", map[string]any{"userId": id("client1")}), 204)
	viewAs := func(method, path string) int {
		r := w.env.DoWithHeaders(method, path, w.owner, nil, map[string]string{"X-View-As": id("client1")})
		return r.Status
	}
	if s := viewAs("GET", "/api/projects/"+id("P2")); s != 404 {
		t.Fatalf("as client1, another client's project: %d", s)
	}
	if s := viewAs("GET", "/api/tasks/"+id("t1c")); s != 200 {
		t.Fatalf("as client1, a client-visible task: %d", s)
	}
	if s := viewAs("PATCH", "/api/tasks/"+id("t1c")); s != 403 {
		t.Fatalf("writing while viewing as: %d", s)
	}
	me := w.env.DoWithHeaders("GET", "/api/me", w.owner, nil, map[string]string{"X-View-As": id("client1")}).JSON()
	if me["role"].(map[string]any)["name"] != "Client" {
		t.Fatalf("me while viewing as: %v", me["role"])
	}
	audit := string(w.do("GET", "/api/audit?action=view_as.start", "admin", nil).Body)
	if !strings.Contains(audit, "client1 Person") {
		t.Fatalf("view-as not audited: %s", audit)
	}
}

// Someone whose role changes kind keeps their old memberships until removed; that must
// not block unrelated edits of the project, team or board.
func TestStaleMembershipsDoNotBlockEdits(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	w.must(w.do("PATCH", "/api/users/"+id("staffA"), "admin", map[string]any{"roleId": "client"}), 200)
	w.must(w.do("PATCH", "/api/users/"+id("staffB"), "admin", map[string]any{"roleId": "client"}), 200)
	w.must(w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"name": "Website 2", "members": []string{id("staffA"), id("contractor")}}), 200)
	w.must(w.do("PATCH", "/api/teams/"+id("T1"), "admin", map[string]any{"name": "Design team"}), 200)
	w.must(w.do("PATCH", "/api/boards/"+id("Binv"), "admin", map[string]any{"name": "Inner"}), 200)
	// Adding a client as a member is still refused.
	if r := w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"members": []string{id("staffA"), id("client1")}}); r.Status != 422 {
		t.Fatalf("adding a client as a member: %d", r.Status)
	}
}

func TestPortalSeesNoOtherPeopleAndCountsOnlyVisibleTasks(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	p := w.must(w.do("GET", "/api/projects/"+id("P1"), "client1", nil), 200)
	if p["taskCount"] != float64(2) || len(p["members"].([]any)) != 0 || len(p["clients"].([]any)) != 0 {
		t.Fatalf("a client's view of its project: %v", p)
	}
	if p := w.must(w.do("GET", "/api/projects/"+id("P1"), "admin", nil), 200); p["taskCount"] != float64(5) || len(p["members"].([]any)) != 3 {
		t.Fatalf("the owner's view: %v", p)
	}
	var people struct {
		Items []map[string]any `json:"items"`
	}
	w.do("GET", "/api/projects/"+id("P1")+"/people", "client1", nil).Decode(t, &people)
	for _, it := range people.Items {
		if it["kind"] == "client" {
			t.Fatalf("a client sees another client on the project: %v", it)
		}
	}
	if len(people.Items) != 3 { // staffA, contractor, gone (deactivated, flagged)
		t.Fatalf("project people for a client: %v", people.Items)
	}
	for _, it := range people.Items {
		if (it["id"] == id("gone")) == it["active"].(bool) {
			t.Fatalf("active flag: %v", it)
		}
	}
	w.do("GET", "/api/projects/"+id("P1")+"/people", "staffA", nil).Decode(t, &people)
	if len(people.Items) != 4 { // staffA, contractor, gone, client1
		t.Fatalf("project people for staff: %v", people.Items)
	}
	if r := w.do("GET", "/api/people", "client1", nil); r.Status != 403 {
		t.Fatalf("a client reading the directory: %d", r.Status)
	}
	w.do("GET", "/api/people", "staffA", nil).Decode(t, &people)
	for _, it := range people.Items {
		if it["kind"] != "internal" || it["email"] != nil {
			t.Fatalf("directory entry: %v", it)
		}
	}
}

func TestWithoutProjectsIsEmptyWhenEveryoneHasOne(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	if r := env.Do("GET", "/api/users?withoutProjects=true", owner, nil); r.JSON()["total"] != float64(0) {
		t.Fatalf("with only the owner: %s", r.Body)
	}
}

// Whoever may change what Google sign-in trusts can become anyone: a role with only
// settings.integrations must not (reported: it could take over the owner's account).
func TestSignInTrustNeedsAdminPermissions(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Integrations", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.integrations"}}}).JSON()["id"].(string)
	env.CreateUser(owner, "Iris Integrations", "iris@example.com", role, initialPW)
	iris := env.SignInFresh("iris@example.com", initialPW, ownPW)
	before := env.Snapshot()
	for _, body := range []map[string]any{
		{"googleIssuer": "http://127.0.0.1:9/"},
		{"googleClientId": "attacker-client"},
		{"linkByEmail": true},
	} {
		if r := env.Do("PUT", "/api/settings/sign-in", iris, body); r.Status != 403 {
			t.Errorf("%v: %d %s", body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused settings change changed the database")
	}
	if r := env.Do("PUT", "/api/settings/sign-in", iris, map[string]any{"allowRegistrations": false}); r.Status != 200 {
		t.Fatalf("a harmless setting: %d %s", r.Status, r.Body)
	}
}

// Fixes from the security review, each reproduced first.
func TestReviewFindingsStayFixed(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	// View-as cannot reach beyond the viewer's own role: a Manager cannot view as the Admin.
	if r := w.do("POST", "/api/view-as", "manager", map[string]any{"userId": id("admin")}); r.Status != 403 {
		t.Errorf("manager viewing as the admin: %d", r.Status)
	}
	r := w.env.DoWithHeaders("GET", "/api/projects/"+id("P3"), w.tokens["leader"], nil, map[string]string{"X-View-As": id("admin")})
	if r.Status == 200 {
		t.Errorf("team leader reading as the admin through the header: %d", r.Status)
	}
	// A client cannot be made follower of an internal task, nor of another client's task.
	if r := w.do("POST", "/api/tasks/"+id("t1i")+"/followers", "staffA", map[string]any{"userId": id("client2")}); r.Status != 422 {
		t.Errorf("a client following an internal task of another project: %d %s", r.Status, r.Body)
	}
	if r := w.do("POST", "/api/tasks/"+id("t1i")+"/followers", "admin", map[string]any{"userId": id("client1")}); r.Status != 422 {
		t.Errorf("a client following an internal task: %d %s", r.Status, r.Body)
	}
	// tasks.status cannot be bypassed by naming the current board.
	open := w.must(w.do("GET", "/api/boards/"+id("Bopen"), "admin", nil), 200)
	st := stageIDs(open)
	var tpls struct {
		Items []map[string]any `json:"items"`
	}
	w.env.Do("GET", "/api/role-templates", w.owner, nil).Decode(t, &tpls)
	var director string
	for _, tp := range tpls.Items {
		if tp["key"] == "director-read-only" {
			director = w.must(w.do("POST", "/api/roles", "admin", map[string]any{"name": tp["name"], "kind": tp["kind"], "permissions": tp["permissions"]}), 201)["id"].(string)
		}
	}
	w.env.CreateUser(w.owner, "Dana Director", "dana@example.com", director, initialPW)
	dana := w.env.SignInFresh("dana@example.com", initialPW, ownPW)
	if r := w.env.Do("PATCH", "/api/tasks/"+id("t1open"), dana, map[string]any{"boardId": id("Bopen"), "stageId": st[1]}); r.Status != 403 {
		t.Errorf("read-only director moving a task by naming its board: %d %s", r.Status, r.Body)
	}
	// Task types: whitespace around an id is not a way around the authorisation, and a
	// type whose only authorised team is deleted stays closed.
	ty := w.must(w.do("POST", "/api/task-types", "admin", map[string]any{"name": "Payout",
		"access": []map[string]any{{"type": "team", "id": id("T1"), "create": true, "assign": true}}}), 201)["id"].(string)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "x", "typeId": " " + ty}); r.Status != 403 {
		t.Errorf("type id with spaces: %d %s", r.Status, r.Body)
	}
	w.must(w.do("DELETE", "/api/teams/"+id("T1"), "admin", nil), 204)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "x", "typeId": ty}); r.Status != 403 {
		t.Errorf("type opened by deleting its team: %d %s", r.Status, r.Body)
	}
	// A staff member cannot take an open board away from the admins.
	w.must(w.do("PATCH", "/api/boards/"+id("Bopen"), "staffA", map[string]any{"visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": id("staffA"), "level": "editor"}}}), 200)
	if r := w.do("PATCH", "/api/boards/"+id("Bopen"), "admin", map[string]any{"visibility": "all"}); r.Status != 200 {
		t.Errorf("admin taking the board back: %d %s", r.Status, r.Body)
	}
}

// Concurrent edits must not undo each other: a deactivation racing a rename stays.
func TestConcurrentEditsDoNotUndoEachOther(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	for i := 0; i < 20; i++ {
		w.must(w.do("POST", "/api/users/"+id("staffB")+"/reactivate", "admin", nil), 200)
		done := make(chan struct{})
		go func() {
			w.env.Do("PATCH", "/api/users/"+id("staffB"), w.owner, map[string]any{"name": "Renamed " + string(rune('a'+i))})
			close(done)
		}()
		w.must(w.do("POST", "/api/users/"+id("staffB")+"/deactivate", "admin", nil), 200)
		<-done
		if u := w.must(w.do("GET", "/api/users/"+id("staffB"), "admin", nil), 200); u["status"] != "deactivated" {
			t.Fatalf("round %d: a concurrent rename undid the deactivation", i)
		}
	}
}
