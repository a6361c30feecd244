package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

// world is a small organisation built through the API, for the visibility cases.
type world struct {
	env    *testkit.Env
	owner  string
	tokens map[string]string // person → token
	ids    map[string]string // person or resource name → id
}

func (w *world) do(method, path, who string, body any) *testkit.Resp {
	w.env.T.Helper()
	return w.env.Do(method, path, w.tokens[who], body)
}

func (w *world) must(r *testkit.Resp, status int) map[string]any {
	w.env.T.Helper()
	if r.Status != status {
		w.env.T.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	return r.JSON()
}

func buildWorld(t *testing.T) *world {
	env := testkit.Start(t)
	w := &world{env: env, owner: env.Setup(), tokens: map[string]string{}, ids: map[string]string{}}
	w.tokens["admin"] = w.owner
	w.ids["admin"] = env.Do("GET", "/api/me", w.owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	// A Manager (second article): sees every project and board.
	var tpls struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/role-templates", w.owner, nil).Decode(t, &tpls)
	roleOf := map[string]string{"staff": "staff", "client": "client"}
	for _, tp := range tpls.Items {
		if k := tp["key"].(string); k == "manager" || k == "external-contractor" || k == "team-leader" {
			roleOf[k] = w.must(env.Do("POST", "/api/roles", w.owner, map[string]any{"name": tp["name"], "kind": tp["kind"], "permissions": tp["permissions"]}), 201)["id"].(string)
		}
	}
	people := []struct{ name, role string }{
		{"manager", "manager"}, {"staffA", "staff"}, {"staffB", "staff"}, {"staffC", "staff"}, {"contractor", "external-contractor"},
		{"client1", "client"}, {"client2", "client"}, {"gone", "staff"}, {"leader", "team-leader"},
	}
	for _, p := range people {
		email := strings.ToLower(p.name) + "@example.com"
		w.ids[p.name] = env.CreateUser(w.owner, p.name+" Person", email, roleOf[p.role], initialPW)
		w.tokens[p.name] = env.SignInFresh(email, initialPW, ownPW)
	}
	id := func(k string) string { return w.ids[k] }
	w.ids["T1"] = w.must(w.do("POST", "/api/teams", "admin", map[string]any{"name": "Design",
		"members": []string{id("staffB"), id("leader")}, "leaders": []string{id("leader")}}), 201)["id"].(string)
	w.ids["P1"] = w.must(w.do("POST", "/api/projects", "admin", map[string]any{"name": "Website",
		"members": []string{id("staffA"), id("contractor"), id("gone")}, "clients": []string{id("client1")}}), 201)["id"].(string)
	w.ids["P2"] = w.must(w.do("POST", "/api/projects", "admin", map[string]any{"name": "Brand",
		"teams": []string{id("T1")}, "clients": []string{id("client2")}}), 201)["id"].(string)
	w.ids["P3"] = w.must(w.do("POST", "/api/projects", "admin", map[string]any{"name": "Secret"}), 201)["id"].(string)
	open := w.must(w.do("POST", "/api/boards", "admin", map[string]any{"name": "Everyone", "visibility": "all"}), 201)
	w.ids["Bopen"] = open["id"].(string)
	inv := w.must(w.do("POST", "/api/boards", "admin", map[string]any{"name": "Inner circle", "visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": id("staffA"), "level": "member"}}}), 201)
	w.ids["Binv"] = inv["id"].(string)
	stage := func(b map[string]any) string { return b["stages"].([]any)[0].(map[string]any)["id"].(string) }
	task := func(name, project string, body map[string]any) {
		w.ids[name] = w.must(w.do("POST", "/api/projects/"+id(project)+"/tasks", "admin", body), 201)["id"].(string)
	}
	task("t1c", "P1", map[string]any{"title": "Client-visible", "clientVisible": true})
	task("t1i", "P1", map[string]any{"title": "Internal"})
	task("t1a", "P1", map[string]any{"title": "Contractor's", "assigneeId": id("contractor")})
	task("t1inv", "P1", map[string]any{"title": "On the invite-only board", "boardId": id("Binv"), "stageId": stage(inv)})
	task("t1open", "P1", map[string]any{"title": "On the open board", "boardId": id("Bopen"), "stageId": stage(open), "clientVisible": true})
	task("t2i", "P2", map[string]any{"title": "Brand internal"})
	task("t2c", "P2", map[string]any{"title": "Brand for client, invite-only board", "clientVisible": true, "boardId": id("Binv"), "stageId": stage(inv)})
	task("t3", "P3", map[string]any{"title": "Secret on the invite-only board", "boardId": id("Binv"), "stageId": stage(inv)})
	w.must(w.do("POST", "/api/tasks/"+id("t2i")+"/followers", "admin", map[string]any{"userId": id("staffC")}), 200)
	w.must(w.do("POST", "/api/users/"+id("gone")+"/deactivate", "admin", nil), 200)
	return w
}

var allResources = []string{"P1", "P2", "P3", "Bopen", "Binv", "t1c", "t1i", "t1a", "t1inv", "t1open", "t2i", "t2c", "t3"}

func resourcePath(name, id string) string {
	switch name[0] {
	case 'P':
		return "/api/projects/" + id
	case 'B':
		return "/api/boards/" + id
	}
	return "/api/tasks/" + id
}

// checkVisibility asserts that who sees exactly the resources in sees (200), that every
// other answers 404, and that the lists agree.
func (w *world) checkVisibility(t *testing.T, who string, sees []string) {
	t.Helper()
	for _, res := range allResources {
		want := 404
		if slices.Contains(sees, res) {
			want = 200
		}
		if r := w.do("GET", resourcePath(res, w.ids[res]), who, nil); r.Status != want {
			t.Errorf("%s GET %s: %d, want %d (%s)", who, res, r.Status, want, r.Body)
		}
	}
	var wantTasks, wantProjects []string
	for _, s := range sees {
		if s[0] == 't' {
			wantTasks = append(wantTasks, w.ids[s])
		} else if s[0] == 'P' {
			wantProjects = append(wantProjects, w.ids[s])
		}
	}
	got := func(path string) ([]string, int) {
		var page struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		r := w.do("GET", path, who, nil)
		if r.Status != 200 {
			t.Fatalf("%s GET %s: %d %s", who, path, r.Status, r.Body)
		}
		r.Decode(t, &page)
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it["id"].(string))
		}
		slices.Sort(ids)
		return ids, page.Total
	}
	slices.Sort(wantTasks)
	slices.Sort(wantProjects)
	if ids, total := got("/api/tasks?limit=200"); !slices.Equal(ids, wantTasks) || total != len(wantTasks) {
		t.Errorf("%s task list: %d items (total %d), want %d", who, len(ids), total, len(wantTasks))
	}
	if ids, _ := got("/api/projects"); !slices.Equal(ids, wantProjects) {
		t.Errorf("%s project list: %v, want %v", who, ids, wantProjects)
	}
}

// Visibility as data: people × resources, from the first article (assigned projects,
// client-visible and internal tasks) and the second (teams, invite-only boards, board
// access without project access and the reverse, followers).
func TestVisibilityCases(t *testing.T) {
	w := buildWorld(t)
	everything := allResources
	cases := []struct {
		who  string
		sees []string
		why  string
	}{
		{"admin", everything, "Admin sees every project and board"},
		{"manager", everything, "Managers see every project and board (second article)"},
		{"staffA", []string{"P1", "Bopen", "Binv", "t1c", "t1i", "t1a", "t1inv", "t1open"},
			"a direct member; invited to Binv, yet not t3: board access does not reveal another project's tasks"},
		{"staffB", []string{"P2", "Bopen", "t2i"}, "through team Design on Brand; not t2c: project access does not reveal an invite-only board"},
		{"staffC", []string{"Bopen", "t2i"}, "in no project: follows t2i and sees that one task only"},
		{"contractor", []string{"P1", "Bopen", "t1a"}, "External Contractor: only tasks assigned to them"},
		{"client1", []string{"P1", "t1c", "t1open"}, "client: attached project, client-visible tasks only, no boards"},
		{"client2", []string{"P2", "t2c"}, "client: a client-visible task on an invite-only board (boards do not restrict the portal)"},
		{"leader", []string{"P2", "Bopen", "t2i"}, "Team Leader through the team"},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) { w.checkVisibility(t, c.who, c.sees) })
	}
	t.Run("deactivated", func(t *testing.T) {
		for _, res := range allResources {
			if r := w.do("GET", resourcePath(res, w.ids[res]), "gone", nil); r.Status != 401 {
				t.Errorf("deactivated user GET %s: %d", res, r.Status)
			}
		}
	})
	t.Run("team removal is immediate", func(t *testing.T) {
		w.must(w.do("PATCH", "/api/teams/"+w.ids["T1"], "admin", map[string]any{"members": []string{w.ids["leader"]}}), 200)
		w.checkVisibility(t, "staffB", []string{"Bopen"})
		w.checkVisibility(t, "leader", []string{"P2", "Bopen", "t2i"})
	})
	t.Run("inviting the team reveals the board's tasks of its projects only", func(t *testing.T) {
		w.must(w.do("PATCH", "/api/boards/"+w.ids["Binv"], "admin", map[string]any{"access": []map[string]string{
			{"type": "user", "id": w.ids["staffA"], "level": "member"}, {"type": "user", "id": w.ids["admin"], "level": "editor"},
			{"type": "team", "id": w.ids["T1"], "level": "member"}}}), 200)
		w.checkVisibility(t, "leader", []string{"P2", "Bopen", "Binv", "t2i", "t2c"})
	})
	t.Run("unfollowing hides the task", func(t *testing.T) {
		w.must(w.do("DELETE", "/api/tasks/"+w.ids["t2i"]+"/followers/"+w.ids["staffC"], "admin", nil), 200)
		w.checkVisibility(t, "staffC", []string{"Bopen"})
	})
	t.Run("making a task client-visible shows it to the client", func(t *testing.T) {
		w.must(w.do("PATCH", "/api/tasks/"+w.ids["t1i"], "admin", map[string]any{"clientVisible": true}), 200)
		w.checkVisibility(t, "client1", []string{"P1", "t1c", "t1i", "t1open"})
	})
}

func TestWhoCanSeeAndExplain(t *testing.T) {
	w := buildWorld(t)
	var access struct {
		Items []struct {
			UserID string `json:"userId"`
			Paths  []struct {
				Kind      string `json:"kind"`
				Name      string `json:"name"`
				Removable bool   `json:"removable"`
			} `json:"paths"`
		} `json:"items"`
	}
	w.do("GET", "/api/projects/"+w.ids["P1"]+"/access", "admin", nil).Decode(t, &access)
	got := map[string]string{}
	for _, it := range access.Items {
		var kinds []string
		for _, p := range it.Paths {
			kinds = append(kinds, p.Kind)
			if p.Kind == "member" && !p.Removable {
				t.Errorf("the owner cannot remove a membership path")
			}
		}
		got[it.UserID] = strings.Join(kinds, ",")
	}
	want := map[string]string{w.ids["admin"]: "role_scope", w.ids["manager"]: "role_scope", w.ids["staffA"]: "member",
		w.ids["contractor"]: "member", w.ids["client1"]: "client"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("who can see P1:\n got %v\nwant %v", got, want)
	}
	// The task on the invite-only board: through project and board.
	w.do("GET", "/api/tasks/"+w.ids["t1inv"]+"/access", "admin", nil).Decode(t, &access)
	for _, it := range access.Items {
		if it.UserID == w.ids["staffA"] && len(it.Paths) != 2 {
			t.Errorf("staffA's paths to t1inv: %+v", it.Paths)
		}
		if it.UserID == w.ids["contractor"] || it.UserID == w.ids["client1"] {
			t.Errorf("%s listed for an internal task on an invite-only board", it.UserID)
		}
	}
	explain := func(user, action, typ, res string) map[string]any {
		r := w.do("GET", "/api/access/explain?userId="+w.ids[user]+"&action="+action+"&resourceType="+typ+"&resourceId="+w.ids[res], "admin", nil)
		if r.Status != 200 {
			t.Fatalf("explain: %d %s", r.Status, r.Body)
		}
		return r.JSON()
	}
	if ex := explain("staffB", "tasks.view", "task", "t2c"); ex["allowed"] != false || !strings.Contains(ex["missing"].(string), "invite-only board") {
		t.Errorf("staffB on t2c: %v", ex)
	}
	if ex := explain("staffB", "tasks.view", "task", "t2i"); ex["allowed"] != true || len(ex["paths"].([]any)) != 1 {
		t.Errorf("staffB on t2i: %v", ex)
	}
	if ex := explain("client1", "tasks.view", "task", "t1i"); ex["allowed"] != false || !strings.Contains(ex["missing"].(string), "internal") {
		t.Errorf("client1 on t1i: %v", ex)
	}
	if ex := explain("staffA", "projects.view", "project", "P3"); ex["allowed"] != false || !strings.Contains(ex["missing"].(string), "Not a member") {
		t.Errorf("staffA on P3: %v", ex)
	}
	if ex := explain("staffC", "tasks.edit", "task", "t2i"); ex["allowed"] != false || !strings.Contains(ex["missing"].(string), "follows") {
		t.Errorf("staffC editing t2i: %v", ex)
	}
	// Staff may not ask.
	if r := w.do("GET", "/api/projects/"+w.ids["P1"]+"/access", "staffA", nil); r.Status != 403 {
		t.Errorf("staff reading the access list: %d", r.Status)
	}
	if r := w.do("GET", "/api/tasks/"+w.ids["t3"]+"/access", "staffA", nil); r.Status != 404 {
		t.Errorf("access list of a hidden task: %d", r.Status)
	}
}
