package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

// Roles a role's holders may give, over HTTP: the owner makes a People Manager from its
// template; the People Manager adds Staff and Client accounts and looks after them, but
// takes none over; a role manager cannot reach Admin through a list; deleting a role
// takes it off the lists.

type roleAnswer struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	AssignableRoleIDs []string `json:"assignableRoleIds"`
	MayGive           bool     `json:"mayGive"`
	Actions           []string `json:"actions"`
}

func rolesOf(t *testing.T, env *testkit.Env, token string) map[string]roleAnswer {
	t.Helper()
	var rl struct {
		Items []roleAnswer `json:"items"`
	}
	env.Do("GET", "/api/roles", token, nil).Decode(t, &rl)
	out := map[string]roleAnswer{}
	for _, r := range rl.Items {
		out[r.ID] = r
	}
	return out
}

// auditDetails returns the details of the newest entry with action about target.
func auditDetails(t *testing.T, env *testkit.Env, owner, action, target string) map[string]any {
	t.Helper()
	var page struct {
		Items []struct {
			Action  string         `json:"action"`
			Details map[string]any `json:"details"`
		} `json:"items"`
	}
	env.Do("GET", "/api/audit?targetId="+target, owner, nil).Decode(t, &page)
	for _, e := range page.Items {
		if e.Action == action {
			return e.Details
		}
	}
	t.Fatalf("no %s entry about %s", action, target)
	return nil
}

func names(v any) []string {
	out := []string{}
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestPeopleManagerOverHTTP(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	must := func(r *testkit.Resp, status int, what string) map[string]any {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		return r.JSON()
	}
	denied := func(what string, status int, code string, do func() *testkit.Resp) {
		t.Helper()
		before := env.Snapshot()
		r := do()
		if r.Status != status || (code != "" && r.JSON()["error"].(map[string]any)["code"] != code) {
			t.Errorf("%s: %d %s, want %d %s", what, r.Status, r.Body, status, code)
		}
		if env.Snapshot() != before {
			t.Errorf("%s: the refusal changed the database", what)
		}
	}

	// The owner: From template → People Manager → Create role.
	var templates struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/role-templates", owner, nil).Decode(t, &templates)
	i := slices.IndexFunc(templates.Items, func(tp map[string]any) bool { return tp["key"] == "people-manager" })
	if i < 0 {
		t.Fatal("no People Manager template")
	}
	tp := templates.Items[i]
	pm := must(env.Do("POST", "/api/roles", owner, map[string]any{"name": tp["name"], "kind": tp["kind"], "description": tp["description"],
		"permissions": tp["permissions"], "assignableRoleIds": tp["assignableRoleIds"]}), 201, "create the People Manager")
	pmID := pm["id"].(string)
	if got := names(pm["assignableRoleIds"]); !slices.Equal(got, []string{"client", "staff"}) {
		t.Fatalf("the People Manager gives %v", got)
	}
	if got := names(auditDetails(t, env, owner, "role.create", pmID)["assignableRoles"]); !slices.Equal(got, []string{"Client", "Staff"}) {
		t.Errorf("the audit entry names %v", got)
	}

	// The role book says it.
	if book := env.Do("GET", "/api/roles/book.md", owner, nil); book.Status != 200 ||
		!strings.Contains(string(book.Body), "Its holders may give the roles Client, Staff, without holding their permissions.") {
		t.Errorf("the role book: %d %s", book.Status, book.Body)
	}

	env.CreateUser(owner, "Petra Manager", "petra@example.com", pmID, pw)
	petra := env.SignInFresh("petra@example.com", pw, pw2)

	// The pickers: Staff, Client and People Manager (within its own), never Admin.
	rs := rolesOf(t, env, petra)
	for id, want := range map[string]bool{"admin": false, "staff": true, "client": true, pmID: true} {
		r := rs[id]
		if r.MayGive != want || slices.Contains(r.Actions, "users.create") != want || slices.Contains(r.Actions, "users.edit") != want {
			t.Errorf("Petra's role list says of %s: mayGive %v, actions %v; want %v", r.Name, r.MayGive, r.Actions, want)
		}
	}

	// Adding Staff and Client accounts, not Admins.
	staff := must(env.Do("POST", "/api/users", petra, map[string]any{"name": "Sam Staff", "email": "sam@example.com", "roleId": "staff", "generate": true}),
		201, "Petra adds a Staff member")["id"].(string)
	must(env.Do("POST", "/api/users", petra, map[string]any{"name": "Cleo Client", "email": "cleo@example.com", "roleId": "client", "generate": true}),
		201, "Petra adds a Client")
	denied("Petra adds an Admin", 403, "escalation", func() *testkit.Resp {
		return env.Do("POST", "/api/users", petra, map[string]any{"name": "Eve", "email": "eve@example.com", "roleId": "admin", "generate": true})
	})

	// Looking after Sam, not taking Sam over.
	sam := must(env.Do("GET", "/api/users/"+staff, petra, nil), 200, "Petra reads Sam")
	acts := names(sam["actions"])
	if !slices.Contains(acts, "users.edit") || !slices.Contains(acts, "users.deactivate") || slices.Contains(acts, "users.credentials") || slices.Contains(acts, "users.delete") {
		t.Errorf("Sam's actions for Petra: %v", acts)
	}
	if owners := names(must(env.Do("GET", "/api/users/"+staff, owner, nil), 200, "the owner reads Sam")["actions"]); !slices.Contains(owners, "users.credentials") {
		t.Errorf("Sam's actions for the owner: %v", owners)
	}
	must(env.Do("PATCH", "/api/users/"+staff, petra, map[string]any{"name": "Samuel Staff"}), 200, "Petra corrects Sam's name")
	must(env.Do("POST", "/api/users/"+staff+"/deactivate", petra, nil), 200, "Petra deactivates Sam")
	must(env.Do("POST", "/api/users/"+staff+"/reactivate", petra, nil), 200, "Petra reactivates Sam")
	must(env.Do("PATCH", "/api/users/"+staff, petra, map[string]any{"roleId": "client"}), 200, "Petra moves Sam to Client")
	must(env.Do("PATCH", "/api/users/"+staff, petra, map[string]any{"roleId": "staff"}), 200, "Petra moves Sam back to Staff")
	denied("Petra makes Sam an Admin", 403, "escalation", func() *testkit.Resp {
		return env.Do("PATCH", "/api/users/"+staff, petra, map[string]any{"roleId": "admin"})
	})
	denied("Petra resets Sam's password", 403, "escalation", func() *testkit.Resp {
		return env.Do("POST", "/api/users/"+staff+"/password", petra, map[string]any{"generate": true})
	})
	denied("Petra changes Sam's email", 403, "escalation", func() *testkit.Resp {
		return env.Do("PATCH", "/api/users/"+staff, petra, map[string]any{"email": "petra-again@example.com"})
	})
	denied("Petra mails Sam a reset link", 403, "escalation", func() *testkit.Resp {
		return env.Do("POST", "/api/users/"+staff+"/reset-email", petra, nil)
	})
	denied("Petra resets Sam's second factor", 403, "escalation", func() *testkit.Resp {
		return env.Do("DELETE", "/api/users/"+staff+"/two-factor", petra, nil)
	})
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	denied("Petra renames the owner", 403, "escalation", func() *testkit.Resp {
		return env.Do("PATCH", "/api/users/"+ownerID, petra, map[string]any{"name": "Not the owner"})
	})

	// The owner takes Client off the list: in force on Petra's next request.
	must(env.Do("PATCH", "/api/roles/"+pmID, owner, map[string]any{"assignableRoleIds": []string{"staff"}}), 200, "the owner narrows the list")
	d := auditDetails(t, env, owner, "role.update", pmID)
	if !slices.Equal(names(d["assignableRemoved"]), []string{"Client"}) || len(names(d["assignableAdded"])) != 0 {
		t.Errorf("the update's audit details: %v", d)
	}
	denied("Petra adds a Client after the change", 403, "escalation", func() *testkit.Resp {
		return env.Do("POST", "/api/users", petra, map[string]any{"name": "Carl", "email": "carl@example.com", "roleId": "client", "generate": true})
	})

	// Deleting a listed role takes it off the list (the database's cascade and the index).
	designer := must(env.Do("POST", "/api/roles", owner, map[string]any{"name": "Designer", "kind": "internal",
		"permissions": []map[string]string{{"key": "tasks.view", "scope": "all"}}}), 201, "the owner makes a Designer")["id"].(string)
	must(env.Do("PATCH", "/api/roles/"+pmID, owner, map[string]any{"assignableRoleIds": []string{"staff", designer}}), 200, "the owner lists the Designer")
	must(env.Do("POST", "/api/users", petra, map[string]any{"name": "Dana", "email": "dana@example.com", "roleId": designer, "generate": true}), 201, "Petra adds a Designer")
	denied("Petra deletes the Designer role", 403, "", func() *testkit.Resp { return env.Do("DELETE", "/api/roles/"+designer, petra, nil) })
	if r := env.Do("DELETE", "/api/roles/"+designer+"?reassignTo=staff", owner, nil); r.Status != 204 {
		t.Fatalf("delete the Designer: %d %s", r.Status, r.Body)
	}
	if got := names(must(env.Do("GET", "/api/roles/"+pmID, owner, nil), 200, "read the People Manager")["assignableRoleIds"]); !slices.Equal(got, []string{"staff"}) {
		t.Errorf("after the Designer's deletion the People Manager gives %v", got)
	}
	if got := names(auditDetails(t, env, owner, "role.delete", designer)["noLongerGivenBy"]); !slices.Equal(got, []string{"People Manager"}) {
		t.Errorf("the deletion's audit details name %v", got)
	}
	denied("Petra gives the deleted role", 422, "invalid", func() *testkit.Resp {
		return env.Do("POST", "/api/users", petra, map[string]any{"name": "Dan", "email": "dan@example.com", "roleId": designer, "generate": true})
	})

	// A clone gives what the original gives.
	clone := must(env.Do("POST", "/api/roles/"+pmID+"/clone", owner, map[string]any{"name": "People Manager 2"}), 201, "clone")
	if got := names(clone["assignableRoleIds"]); !slices.Equal(got, []string{"staff"}) {
		t.Errorf("the clone gives %v", got)
	}

	// Lists the server refuses.
	denied("a list naming no role", 422, "invalid", func() *testkit.Resp {
		return env.Do("POST", "/api/roles", owner, map[string]any{"name": "X", "kind": "internal", "permissions": []any{}, "assignableRoleIds": []string{"nope"}})
	})
	denied("a client role with a list", 422, "invalid", func() *testkit.Resp {
		return env.Do("POST", "/api/roles", owner, map[string]any{"name": "X", "kind": "client", "permissions": []any{}, "assignableRoleIds": []string{"client"}})
	})
	denied("a built-in role's list", 403, "built_in_role", func() *testkit.Resp {
		return env.Do("PATCH", "/api/roles/staff", owner, map[string]any{"assignableRoleIds": []string{"client"}})
	})
}

// A role manager who holds neither Admin's permissions nor a list cannot reach Admin by
// building roles with lists, editing them, or cloning the owner's.
func TestARoleManagerCannotReachAdminThroughAList(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	perms := []map[string]string{{"key": "roles.manage"}, {"key": "users.view", "scope": "all"}, {"key": "users.create", "scope": "all"},
		{"key": "users.edit", "scope": "all"}, {"key": "projects.view", "scope": "assigned"}}
	rm := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Role Manager", "kind": "internal", "permissions": perms}).JSON()["id"].(string)
	env.CreateUser(owner, "Rita", "rita@example.com", rm, pw)
	rita := env.SignInFresh("rita@example.com", pw, pw2)
	giver := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Admin giver", "kind": "internal",
		"permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}, "assignableRoleIds": []string{"admin"}}).JSON()["id"].(string)
	mine := env.Do("POST", "/api/roles", rita, map[string]any{"name": "Mine", "kind": "internal",
		"permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}})
	if mine.Status != 201 {
		t.Fatalf("Rita makes a role within hers: %d %s", mine.Status, mine.Body)
	}
	mineID := mine.JSON()["id"].(string)
	for i, c := range []struct {
		what, method, path string
		body               map[string]any
	}{
		{"a role listing Admin", "POST", "/api/roles", map[string]any{"name": "A", "kind": "internal", "permissions": []any{}, "assignableRoleIds": []string{"admin"}}},
		{"a role listing the Admin giver", "POST", "/api/roles", map[string]any{"name": "B", "kind": "internal", "permissions": []any{}, "assignableRoleIds": []string{giver}}},
		{"a role listing Staff", "POST", "/api/roles", map[string]any{"name": "C", "kind": "internal", "permissions": []any{}, "assignableRoleIds": []string{"staff"}}},
		{"her role made to list Admin", "PATCH", "/api/roles/" + mineID, map[string]any{"assignableRoleIds": []string{"admin"}}},
		{"her own role made to list the giver", "PATCH", "/api/roles/" + rm, map[string]any{"assignableRoleIds": []string{giver}}},
		{"the Admin giver edited", "PATCH", "/api/roles/" + giver, map[string]any{"description": "mine now"}},
		{"the Admin giver cloned", "POST", "/api/roles/" + giver + "/clone", map[string]any{"name": "Giver copy"}},
		{"the Admin giver deleted", "DELETE", "/api/roles/" + giver, nil},
	} {
		before := env.Snapshot()
		r := env.Do(c.method, c.path, rita, c.body)
		if r.Status != 403 || r.JSON()["error"].(map[string]any)["code"] != "escalation" {
			t.Errorf("%d. %s: %d %s, want 403 escalation", i, c.what, r.Status, r.Body)
		}
		if env.Snapshot() != before {
			t.Errorf("%s: the refusal changed the database", c.what)
		}
	}
	// What she may list, the role editor is told.
	rs := rolesOf(t, env, rita)
	for id, want := range map[string]bool{"admin": false, "staff": false, giver: false, mineID: true, rm: true} {
		if rs[id].MayGive != want {
			t.Errorf("mayGive of %s for Rita: %v, want %v", rs[id].Name, rs[id].MayGive, want)
		}
	}
	// A role within hers may list itself and her role.
	if r := env.Do("PATCH", "/api/roles/"+mineID, rita, map[string]any{"assignableRoleIds": []string{mineID, rm}}); r.Status != 200 {
		t.Errorf("Mine lists itself and Role Manager: %d %s", r.Status, r.Body)
	}
}
