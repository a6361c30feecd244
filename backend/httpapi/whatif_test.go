package httpapi_test

import (
	"testing"

	"gatehouse/backend/testkit"
)

type whatIfAnswer struct {
	Version              string
	Gained, Lost, People int
	Changes              []struct {
		UserID, UserName, Type, ID, Name, Action string
		Gained                                   bool
	}
}

// What-if over HTTP: the preview names what saving does, the save carries its version,
// and a save after access moved is refused with stale_preview and writes nothing.
func TestWhatIfThenSave(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Reader", "kind": "internal",
		"permissions": []map[string]string{{"key": "users.view", "scope": "staff"}}}))
	ana := env.CreateUser(owner, "Ana Reader", "ana@example.com", role, "correct horse battery")
	mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	grants := []map[string]string{{"key": "users.view", "scope": "staff"}, {"key": "projects.view", "scope": "all"}}

	r := env.Do("POST", "/api/what-if", owner, map[string]any{"role": map[string]any{"id": role, "permissions": grants}})
	if r.Status != 200 {
		t.Fatalf("what-if: %d %s", r.Status, r.Body)
	}
	var pv whatIfAnswer
	r.Decode(t, &pv)
	var sawProject bool
	for _, c := range pv.Changes {
		if c.UserID != ana || !c.Gained {
			t.Fatalf("only Ana gains: %+v", c)
		}
		if c.Type == "project" && c.Name == "Website" && c.Action == "view" && c.UserName == "Ana Reader" {
			sawProject = true
		}
	}
	if !sawProject || pv.People != 1 || pv.Lost != 0 || pv.Gained != len(pv.Changes) {
		t.Fatalf("the preview: %+v", pv)
	}

	// Access moves (another project) before the save: refused, nothing written.
	mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Shop"}))
	before := env.Snapshot()
	r = env.Do("PATCH", "/api/roles/"+role, owner, map[string]any{"permissions": grants, "expectVersion": pv.Version})
	if r.Status != 409 || r.ErrCode() != "stale_preview" {
		t.Fatalf("a stale preview: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused save changed something")
	}
	// The refreshed preview names the new project too, and its version saves.
	r = env.Do("POST", "/api/what-if", owner, map[string]any{"role": map[string]any{"id": role, "permissions": grants}})
	var fresh whatIfAnswer
	r.Decode(t, &fresh)
	if fresh.Version == pv.Version || fresh.Gained <= pv.Gained {
		t.Fatalf("the refreshed preview: %+v (was %+v)", fresh, pv)
	}
	if r = env.Do("PATCH", "/api/roles/"+role, owner, map[string]any{"permissions": grants, "expectVersion": fresh.Version}); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	anaToken := env.SignInFresh("ana@example.com", "correct horse battery", "another horse battery staple")
	var list struct{ Items []struct{ Name string } }
	env.Do("GET", "/api/projects", anaToken, nil).Decode(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("Ana sees %+v after the save", list.Items)
	}

	// Someone who may not make the change gets its refusal, and no preview.
	r = env.Do("POST", "/api/what-if", anaToken, map[string]any{"user": map[string]any{"id": ana, "roleId": "admin"}})
	if r.Status != 403 && r.Status != 404 {
		t.Fatalf("Ana previews making herself an admin: %d %s", r.Status, r.Body)
	}
	if r = env.Do("POST", "/api/what-if", owner, map[string]any{}); r.Status != 422 && r.Status != 400 {
		t.Fatalf("no change: %d %s", r.Status, r.Body)
	}
}

// whatIfOK asks for a preview and returns it (failing the test unless it is answered).
func whatIfOK(t *testing.T, env *testkit.Env, token string, body map[string]any) whatIfAnswer {
	t.Helper()
	r := env.Do("POST", "/api/what-if", token, body)
	if r.Status != 200 {
		t.Fatalf("what-if %v: %d %s", body, r.Status, r.Body)
	}
	var pv whatIfAnswer
	r.Decode(t, &pv)
	return pv
}

// gains reports whether the preview says user gains action on the thing named name.
func (pv whatIfAnswer) gains(user, typ, name, action string) bool {
	for _, c := range pv.Changes {
		if c.UserID == user && c.Type == typ && c.Name == name && c.Action == action && c.Gained {
			return true
		}
	}
	return false
}

// The editors beyond roles and users — a project's people, a team's members, a board's
// invitations, a task's visibility and followers — preview what saving does; each save
// takes the preview's version and is refused (nothing written) once access moved; input
// the save would refuse is refused in the preview, and so is someone who may not make it.
func TestWhatIfForProjectsTeamsBoardsAndTasks(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	bea := env.CreateUser(owner, "Bea Staff", "bea@example.com", "staff", "correct horse battery")
	cai := env.CreateUser(owner, "Cai Staff", "cai@example.com", "staff", "correct horse battery")
	dan := env.CreateUser(owner, "Dan Client", "dan@example.com", "client", "correct horse battery")
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website", "clients": []string{dan}}))

	// A project's members: Bea gains the project; saved with the preview's version.
	pv := whatIfOK(t, env, owner, map[string]any{"project": map[string]any{"id": project, "members": []string{bea}}})
	if !pv.gains(bea, "project", "Website", "view") || pv.People != 1 || pv.Lost != 0 {
		t.Fatalf("adding Bea: %+v", pv)
	}
	// Access moves before the save (a team is made): refused, nothing written.
	team := mustID(t, env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design"}))
	before := env.Snapshot()
	if r := env.Do("PATCH", "/api/projects/"+project, owner, map[string]any{"members": []string{bea}, "expectVersion": pv.Version}); r.Status != 409 || r.ErrCode() != "stale_preview" {
		t.Fatalf("a stale project preview: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused save changed something")
	}
	pv = whatIfOK(t, env, owner, map[string]any{"project": map[string]any{"id": project, "members": []string{bea}, "teams": []string{team}}})
	if r := env.Do("PATCH", "/api/projects/"+project, owner, map[string]any{"members": []string{bea}, "teams": []string{team}, "expectVersion": pv.Version}); r.Status != 200 {
		t.Fatalf("save the project: %d %s", r.Status, r.Body)
	}
	beaToken := env.SignInFresh("bea@example.com", "correct horse battery", "another horse battery staple")
	if r := env.Do("GET", "/api/projects/"+project, beaToken, nil); r.Status != 200 {
		t.Fatalf("Bea does not see the project she was shown to gain: %d", r.Status)
	}
	// A client is attached, not made a member: refused in the preview as in the save.
	if r := env.Do("POST", "/api/what-if", owner, map[string]any{"project": map[string]any{"id": project, "members": []string{bea, dan}}}); r.Status != 422 {
		t.Fatalf("a client as a member previewed: %d %s", r.Status, r.Body)
	}
	// Bea may not change the project's people, and may not preview it.
	if r := env.Do("POST", "/api/what-if", beaToken, map[string]any{"project": map[string]any{"id": project, "members": []string{}}}); r.Status != 403 && r.Status != 404 {
		t.Fatalf("Bea previews the project's people: %d %s", r.Status, r.Body)
	}

	// A team's members: Cai, joining the project's team, gains the project.
	pv = whatIfOK(t, env, owner, map[string]any{"team": map[string]any{"id": team, "members": []string{cai}, "leaders": []string{cai}}})
	if !pv.gains(cai, "project", "Website", "view") {
		t.Fatalf("Cai joining the team: %+v", pv)
	}
	if r := env.Do("PATCH", "/api/teams/"+team, owner, map[string]any{"members": []string{cai}, "leaders": []string{cai}, "expectVersion": pv.Version}); r.Status != 200 {
		t.Fatalf("save the team: %d %s", r.Status, r.Body)
	}

	// A board's invitations: on an invite-only board, Bea invited as a member gains it.
	board := mustID(t, env.Do("POST", "/api/boards", owner, map[string]any{"name": "Sprint", "visibility": "invited"}))
	var b struct{ Access []map[string]string }
	env.Do("GET", "/api/boards/"+board, owner, nil).Decode(t, &b)
	access := append(b.Access, map[string]string{"type": "user", "id": bea, "level": "member"})
	pv = whatIfOK(t, env, owner, map[string]any{"board": map[string]any{"id": board, "access": access}})
	if !pv.gains(bea, "board", "Sprint", "view") || pv.People != 1 {
		t.Fatalf("inviting Bea: %+v", pv)
	}
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Meanwhile"})
	if r := env.Do("PATCH", "/api/boards/"+board, owner, map[string]any{"access": access, "expectVersion": pv.Version}); r.Status != 409 || r.ErrCode() != "stale_preview" {
		t.Fatalf("a stale board preview: %d %s", r.Status, r.Body)
	}
	pv = whatIfOK(t, env, owner, map[string]any{"board": map[string]any{"id": board, "access": access}})
	if r := env.Do("PATCH", "/api/boards/"+board, owner, map[string]any{"access": access, "expectVersion": pv.Version}); r.Status != 200 {
		t.Fatalf("save the board: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/boards/"+board, beaToken, nil); r.Status != 200 {
		t.Fatalf("Bea does not see the board she was shown to gain: %d", r.Status)
	}

	// A task's visibility: made client-visible, Dan (the project's client) gains it.
	task := mustID(t, env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": "Draft the home page"}))
	pv = whatIfOK(t, env, owner, map[string]any{"task": map[string]any{"id": task, "clientVisible": true}})
	if !pv.gains(dan, "task", "Draft the home page", "view") {
		t.Fatalf("showing the task to the client: %+v", pv)
	}
	if r := env.Do("PATCH", "/api/tasks/"+task, owner, map[string]any{"clientVisible": true, "expectVersion": pv.Version}); r.Status != 200 {
		t.Fatalf("save the task: %d %s", r.Status, r.Body)
	}
	danToken := env.SignInFresh("dan@example.com", "correct horse battery", "another horse battery staple")
	if r := env.Do("GET", "/api/tasks/"+task, danToken, nil); r.Status != 200 {
		t.Fatalf("Dan does not see the task he was shown to gain: %d", r.Status)
	}
	// A follower: Eve, on no project, gains that one task; a stale follow is refused.
	eve := env.CreateUser(owner, "Eve Staff", "eve@example.com", "staff", "correct horse battery")
	pv = whatIfOK(t, env, owner, map[string]any{"task": map[string]any{"id": task, "follow": eve}})
	if !pv.gains(eve, "task", "Draft the home page", "view") || pv.People != 1 {
		t.Fatalf("Eve following: %+v", pv)
	}
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Meanwhile again"})
	if r := env.Do("POST", "/api/tasks/"+task+"/followers", owner, map[string]any{"userId": eve, "expectVersion": pv.Version}); r.Status != 409 {
		t.Fatalf("a stale follow: %d %s", r.Status, r.Body)
	}
	// A change that touches nobody's access previews as empty.
	pv = whatIfOK(t, env, owner, map[string]any{"task": map[string]any{"id": task, "clientVisible": true}})
	if pv.People != 0 || len(pv.Changes) != 0 {
		t.Fatalf("no change, yet %+v", pv)
	}
	// Two changes at once are refused.
	if r := env.Do("POST", "/api/what-if", owner, map[string]any{"task": map[string]any{"id": task}, "team": map[string]any{"id": team}}); r.Status != 422 {
		t.Fatalf("two changes: %d %s", r.Status, r.Body)
	}
}
