package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
)

// fuzzRoutes are the API's routes with {id}-like parts to fill.
var fuzzRoutes = []string{
	"/api/setup", "/api/sessions", "/api/sessions/current", "/api/me", "/api/me/password", "/api/permissions",
	"/api/role-templates", "/api/roles", "/api/roles/{role}", "/api/roles/{role}/clone", "/api/users", "/api/users/{user}",
	"/api/users/{user}/deactivate", "/api/users/{user}/reactivate", "/api/users/{user}/password", "/api/users/{user}/task-rules",
	"/api/users/{user}/identities", "/api/audit", "/api/audit.csv", "/api/audit/actions", "/api/audit/people", "/api/settings/sign-in", "/api/auth/google/result", "/api/projects",
	"/api/projects/{project}", "/api/projects/{project}/tasks", "/api/projects/{project}/access", "/api/projects/{project}/people",
	"/api/people", "/api/teams", "/api/teams/{team}", "/api/boards", "/api/boards/{board}", "/api/boards/{board}/tasks",
	"/api/tasks", "/api/tasks/{task}", "/api/tasks/{task}/review", "/api/tasks/{task}/followers", "/api/tasks/{task}/comments",
	"/api/tasks/{task}/access", "/api/task-types", "/api/access/explain", "/api/view-as",
}

// FuzzAPI sends random bodies (and query strings) to every route, with every method, as
// an owner, a staff member, a client or nobody: the decoders and services must answer
// every one with a well-formed response and never a 500 or a panic.
func FuzzAPI(f *testing.F) {
	env := testkit.Start(f, testkit.Options{Secrets: secrets.NewFile(f.TempDir() + "/secrets.json")})
	owner := env.Setup()
	ids := map[string]string{}
	mk := func(path string, body any) string {
		r := env.Do("POST", path, owner, body)
		if r.Status != 201 {
			f.Fatalf("fixture %s: %d %s", path, r.Status, r.Body)
		}
		return r.JSON()["id"].(string)
	}
	ids["{user}"] = env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", pw)
	ids["{client}"] = env.CreateUser(owner, "Cleo Client", "cleo@example.com", "client", pw)
	staff := env.SignInFresh("sam@example.com", pw, pw2)
	client := env.SignInFresh("cleo@example.com", pw, pw2)
	ids["{role}"] = mk("/api/roles", map[string]any{"name": "Fuzzed", "kind": "internal", "permissions": []any{}})
	ids["{team}"] = mk("/api/teams", map[string]any{"name": "Fuzz team", "members": []string{ids["{user}"]}})
	ids["{project}"] = mk("/api/projects", map[string]any{"name": "Fuzz project", "members": []string{ids["{user}"]}, "clients": []string{ids["{client}"]}})
	ids["{board}"] = mk("/api/boards", map[string]any{"name": "Fuzz board", "visibility": "all"})
	ids["{task}"] = mk("/api/projects/"+ids["{project}"]+"/tasks", map[string]any{"title": "Fuzz task", "clientVisible": true})
	tokens := []string{owner, staff, client, "", "gh_not-a-token"}
	methods := []string{"GET", "POST", "PATCH", "PUT", "DELETE"}

	for _, seed := range []struct {
		route, method byte
		query         string
		body          []byte
	}{
		{7, 1, "", []byte(`{"name":"New role","kind":"internal","permissions":[{"key":"tasks.view","scope":"all"}]}`)},
		{10, 1, "", []byte(`{"name":"N","email":"ｏｗｎｅｒ@example.com","roleId":"staff","generate":true}`)},
		{11, 2, "", []byte(`{"roleId":"admin","email":"x@\u200bexample.com"}`)},
		{1, 1, "", []byte(`{"email":"` + strings.Repeat("a", 4096) + `@example.com","password":"x"}`)},
		{21, 2, "", []byte(`{"members":["nope"],"teams":[1],"clients":null}`)},
		{32, 2, "", []byte(`{"typeId":"","assigneeId":"","boardId":"","stageId":"x","clientVisible":"yes"}`)},
		{38, 0, "userId=x&action=no.such.action&resourceType=task&resourceId=y", nil},
		{16, 0, "limit=0&cursor=%ff", nil},
		{29, 2, "", []byte(`{"stages":[{"id":"zz","name":"","kind":"weird"}],"visibility":"invited","access":[]}`)},
		{4, 1, "", []byte(`{"current":"` + strings.Repeat("x", 300) + `","new":"short"}`)},
		{0, 1, "", []byte(`[]`)},
		{39, 1, "", []byte(`{"userId":"` + "\x00" + `"}`)},
	} {
		f.Add(seed.route, seed.method, byte(0), seed.query, seed.body)
	}
	f.Fuzz(func(t *testing.T, route, method, who byte, query string, body []byte) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		for k, v := range ids {
			path = strings.ReplaceAll(path, k, v)
		}
		if len(query) > 0 {
			path += "?" + query
		}
		req, err := http.NewRequestWithContext(context.Background(), methods[int(method)%len(methods)], "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request anyone could send
		}
		req.RemoteAddr = "127.0.0.1:40000"
		req.Host = "127.0.0.1"
		if len(body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		if tok := tokens[int(who)%len(tokens)]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rec := httptest.NewRecorder()
		env.API.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q → %d %s", req.Method, path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Code != http.StatusFound {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%s %s → %d without the error shape: %s", req.Method, path, rec.Code, rec.Body)
			}
		}
	})
}
