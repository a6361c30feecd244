package httpapi_test

import (
	"fmt"
	"slices"
	"testing"
)

// ids of the items of a list answer (none when the list is refused).
func itemIDs(t *testing.T, w *world, path, who string, headers map[string]string) []string {
	t.Helper()
	r := w.env.DoWithHeaders("GET", path, w.tokens[who], nil, headers)
	if r.Status == 403 {
		return nil
	}
	if r.Status != 200 {
		t.Fatalf("%s GET %s: %d %s", who, path, r.Status, r.Body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	r.Decode(t, &page)
	var out []string
	for _, it := range page.Items {
		out = append(out, fmt.Sprint(it["id"]))
	}
	return out
}

// For Admin and every role template — each made able to view the app as others and to read
// activity (users.view and activity.team at scope team added where the template has none)
// and leading team Design — view-as and the team-scoped audit never show anything the
// viewer could not see directly: no resource, list item or audit entry more.
func TestViewAsAndAuditNeverExceedTheViewersSight(t *testing.T) {
	w := buildWorld(t)
	var tpls struct {
		Items []struct {
			Key         string           `json:"key"`
			Name        string           `json:"name"`
			Kind        string           `json:"kind"`
			Permissions []map[string]any `json:"permissions"`
		} `json:"items"`
	}
	w.env.Do("GET", "/api/role-templates", w.owner, nil).Decode(t, &tpls)
	viewers := []string{"admin", "manager", "leader"}
	teamMembers := []string{w.ids["staffB"], w.ids["leader"]}
	leaders := []string{w.ids["leader"]}
	for _, tp := range tpls.Items {
		perms := tp.Permissions
		has := func(key string) bool {
			return slices.ContainsFunc(perms, func(p map[string]any) bool { return p["key"] == key })
		}
		if !has("users.view") {
			perms = append(perms, map[string]any{"key": "users.view", "scope": "all"})
		}
		if !has("activity.team") {
			perms = append(perms, map[string]any{"key": "activity.team", "scope": "team"})
		}
		role := w.must(w.do("POST", "/api/roles", "admin", map[string]any{"name": tp.Name + " who views", "kind": tp.Kind, "permissions": perms}), 201)
		who := tp.Key + "-viewer"
		email := who + "@example.com"
		w.ids[who] = w.env.CreateUser(w.owner, tp.Name+" Viewer", email, role["id"].(string), initialPW)
		w.tokens[who] = w.env.SignInFresh(email, initialPW, ownPW)
		viewers = append(viewers, who)
		teamMembers = append(teamMembers, w.ids[who])
		leaders = append(leaders, w.ids[who])
	}
	w.must(w.do("PATCH", "/api/teams/"+w.ids["T1"], "admin", map[string]any{"members": teamMembers, "leaders": leaders}), 200)
	// Team members who see more than their leaders: staffB and the contractor-like viewer
	// are on the Secret project, the latter on Website too; and activity by team members
	// about things not every leader sees.
	w.must(w.do("PATCH", "/api/projects/"+w.ids["P3"], "admin", map[string]any{"members": []string{w.ids["staffB"], w.ids["external-contractor-viewer"]}}), 200)
	w.must(w.do("PATCH", "/api/projects/"+w.ids["P1"], "admin", map[string]any{"members": []string{w.ids["staffA"], w.ids["contractor"],
		w.ids["gone"], w.ids["external-contractor-viewer"]}}), 200)
	hidden := w.must(w.do("POST", "/api/projects/"+w.ids["P3"]+"/tasks", "admin", map[string]any{"title": "Secret plan",
		"assigneeId": w.ids["external-contractor-viewer"]}), 201)["id"].(string)
	w.must(w.do("PATCH", "/api/tasks/"+hidden, "staffB", map[string]any{"clientVisible": true}), 200)
	w.must(w.do("PATCH", "/api/tasks/"+w.ids["t2i"], "leader", map[string]any{"clientVisible": true}), 200)

	var targets []string
	for name := range w.tokens {
		targets = append(targets, name)
	}
	slices.Sort(targets)
	pairs := 0
	for _, v := range viewers {
		t.Run(v, func(t *testing.T) {
			ownProjects := itemIDs(t, w, "/api/projects", v, nil)
			ownTasks := itemIDs(t, w, "/api/tasks?limit=200", v, nil)
			own := map[string]int{}
			for _, res := range allResources {
				own[res] = w.do("GET", resourcePath(res, w.ids[res]), v, nil).Status
			}
			// The team-scoped audit names only things the viewer sees.
			var audit struct {
				Items []map[string]any `json:"items"`
			}
			w.do("GET", "/api/audit?limit=200", v, nil).Decode(t, &audit)
			me := w.do("GET", "/api/me", v, nil).JSON()
			teamScope := slices.ContainsFunc(me["permissions"].([]any), func(p any) bool {
				m := p.(map[string]any)
				return m["key"] == "activity.team" && m["scope"] == "team"
			})
			if teamScope {
				for _, e := range audit.Items {
					id, _ := e["targetId"].(string)
					var path string
					switch e["targetType"] {
					case "project":
						path = "/api/projects/" + id
					case "board":
						path = "/api/boards/" + id
					case "task":
						path = "/api/tasks/" + id
					case "user":
						path = "/api/users/" + id
					default:
						continue
					}
					if s := w.do("GET", path, v, nil).Status; s != 200 {
						t.Errorf("%s's team activity shows %s %v (%s) which they cannot open: %d", v, e["action"], e["targetName"], path, s)
					}
				}
			}
			for _, u := range targets {
				if u == "gone" || u == v {
					continue
				}
				if r := w.do("POST", "/api/view-as", v, map[string]any{"userId": w.ids[u]}); r.Status != 204 {
					continue
				}
				pairs++
				// The viewer's own activity as it is now (starting view-as is itself recorded).
				ownAudit := itemIDs(t, w, "/api/audit?limit=200", v, nil)
				as := map[string]string{"X-View-As": w.ids[u]}
				for _, res := range allResources {
					s := w.env.DoWithHeaders("GET", resourcePath(res, w.ids[res]), w.tokens[v], nil, as).Status
					if s == 200 && own[res] != 200 {
						t.Errorf("%s viewing as %s opens %s, which %s cannot open (%d)", v, u, res, v, own[res])
					}
				}
				for _, l := range []struct {
					path string
					own  []string
				}{{"/api/projects", ownProjects}, {"/api/tasks?limit=200", ownTasks}, {"/api/audit?limit=200", ownAudit}} {
					for _, id := range itemIDs(t, w, l.path, v, as) {
						if !slices.Contains(l.own, id) {
							t.Errorf("%s viewing as %s lists %s in %s, which %s's own list lacks", v, u, id, l.path, v)
						}
					}
				}
			}
		})
	}
	if pairs < 10 {
		t.Fatalf("only %d viewer–target pairs could be viewed as; the test checks too little", pairs)
	}
	t.Logf("%d viewers, %d view-as pairs checked", len(viewers), pairs)
}

// A Team Leader views the app as a Staff member of the team they lead — the advertised
// flow — and sees only what both see: not the project the member is on alone.
func TestLeaderViewsAsTeamMember(t *testing.T) {
	w := buildWorld(t)
	w.must(w.do("PATCH", "/api/projects/"+w.ids["P3"], "admin", map[string]any{"members": []string{w.ids["staffB"]}}), 200)
	if r := w.do("POST", "/api/view-as", "leader", map[string]any{"userId": w.ids["staffB"]}); r.Status != 204 {
		t.Fatalf("leader viewing as staffB (Design): %d %s", r.Status, r.Body)
	}
	as := map[string]string{"X-View-As": w.ids["staffB"]}
	if s := w.env.DoWithHeaders("GET", "/api/projects/"+w.ids["P2"], w.tokens["leader"], nil, as).Status; s != 200 {
		t.Errorf("as staffB, the team's project: %d", s)
	}
	if s := w.env.DoWithHeaders("GET", "/api/projects/"+w.ids["P3"], w.tokens["leader"], nil, as).Status; s != 404 {
		t.Errorf("as staffB, a project only staffB is on: %d, want 404", s)
	}
	if r := w.do("POST", "/api/view-as", "leader", map[string]any{"userId": w.ids["admin"]}); r.Status == 204 {
		t.Error("a leader viewed as the owner")
	}
}
