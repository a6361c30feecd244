package httpapi_test

import (
	"fmt"
	"testing"

	"gatehouse/backend/authz"
	"gatehouse/backend/testkit"
)

// The kind of a role and of its holders, as a matrix: every built-in and template role,
// plus role managers whose users.edit reaches no accounts, client accounts, internal
// accounts or all, try to change the kind of a custom role that someone holds (in both
// directions), of one nobody holds, and to delete a held role moving its holder into a
// role of the other kind. Changing a held role's kind moves every holder to the other
// kind, so it takes users.edit over the holder as they are and over the new kind; denied
// calls change nothing.
func TestRoleKindMatrixOverHTTP(t *testing.T) {
	env, owner, roleGrants, subjects := matrixSubjects(t)
	base := [][2]string{{"projects.view", "assigned"}, {"tasks.view", "all"}}
	for _, m := range []struct {
		name  string
		extra [][2]string
	}{
		{"Role manager, no accounts", nil},
		{"Role manager, client accounts", [][2]string{{"users.view", "all"}, {"users.edit", "clients"}}},
		{"Role manager, internal accounts", [][2]string{{"users.view", "all"}, {"users.edit", "staff"}}},
		{"Role manager, all accounts", [][2]string{{"users.view", "all"}, {"users.edit", "all"}}},
	} {
		perms := append([][2]string{{"roles.manage", ""}}, append(base, m.extra...)...)
		id := newRole(t, env, owner, m.name, "internal", perms...)
		r := env.Do("GET", "/api/roles/"+id, owner, nil)
		roleGrants[id] = toSet(r.JSON()["permissions"].([]any))
		email := fmt.Sprintf("kind-manager-%d@example.com", len(subjects))
		env.CreateUser(owner, m.name+" Person", email, id, pw)
		subjects = append(subjects, &subject{name: m.name, roleID: id, grants: roleGrants[id], token: env.SignInFresh(email, pw, pw2)})
	}
	fixtureGrants := grantSet{"projects.view": authz.ScopeAssigned, "tasks.view": authz.ScopeAll}
	other := map[string]string{"internal": "client", "client": "internal"}
	calls := 0
	for i, s := range subjects {
		t.Run(s.name, func(t *testing.T) {
			g := s.grants
			signedIn := g != nil
			manage := g.covers("roles.manage", "") && g.includes(fixtureGrants)
			reaches := func(kind string) bool {
				return g.covers("users.view", kindScope(kind)) && g.covers("users.edit", kindScope(kind))
			}
			expect := func(allowed bool) int {
				switch {
				case !signedIn:
					return 401
				case allowed:
					return 200
				}
				return 403
			}
			check := func(what string, want int, do func() *testkit.Resp) {
				t.Helper()
				calls++
				before := env.Snapshot()
				r := do()
				if r.Status != want && !(want == 200 && r.Status == 204) {
					t.Errorf("%s: %s → %d %s, want %d", s.name, what, r.Status, r.Body, want)
				}
				if r.Status >= 400 && env.Snapshot() != before {
					t.Errorf("%s: denied %s changed the database", s.name, what)
				}
			}
			for _, from := range []string{"internal", "client"} {
				to := other[from]
				held := newRole(t, env, owner, fmt.Sprintf("Held %s %d", from, i), from, [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"})
				env.CreateUser(owner, "Holder", fmt.Sprintf("holder-%d-%s@example.com", i, from), held, pw)
				check("PATCH a held "+from+" role to "+to, expect(manage && reaches(from) && reaches(to)), func() *testkit.Resp {
					return env.Do("PATCH", "/api/roles/"+held, s.token, map[string]any{"kind": to})
				})
				empty := newRole(t, env, owner, fmt.Sprintf("Empty %s %d", from, i), from, [2]string{"projects.view", "assigned"})
				check("PATCH an unheld "+from+" role to "+to, expect(g.covers("roles.manage", "") && g.includes(grantSet{"projects.view": authz.ScopeAssigned})),
					func() *testkit.Resp { return env.Do("PATCH", "/api/roles/"+empty, s.token, map[string]any{"kind": to}) })
				held2 := newRole(t, env, owner, fmt.Sprintf("Held again %s %d", from, i), from, [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"})
				env.CreateUser(owner, "Holder", fmt.Sprintf("holder2-%d-%s@example.com", i, from), held2, pw)
				target := newRole(t, env, owner, fmt.Sprintf("Target %s %d", to, i), to, [2]string{"projects.view", "assigned"})
				check("DELETE a held "+from+" role moving its holder to a "+to+" role", expect(manage && reaches(from) && reaches(to)),
					func() *testkit.Resp { return env.Do("DELETE", "/api/roles/"+held2+"?reassignTo="+target, s.token, nil) })
			}
		})
	}
	t.Logf("%d calls checked", calls)
}
