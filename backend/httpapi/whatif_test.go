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
