package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// Project discussions: a client never receives an internal discussion or its messages by
// any route; people change only their own messages; mentions name only people who see
// the discussion.
func TestDiscussionsKeepInternalThreadsFromClients(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	internal := env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "Pricing strategy", "body": "Margins are thin"})
	if internal.Status != 201 || internal.JSON()["clientVisible"] != false {
		t.Fatalf("internal thread: %d %s", internal.Status, internal.Body)
	}
	in := internal.JSON()["id"].(string)
	open := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "Launch date", "body": "Shall we say May?", "clientVisible": true}))
	// A client's discussion is always open to clients.
	fromCarl := env.Do("POST", "/api/projects/"+w.project+"/threads", w.carl, map[string]any{"title": "Question", "body": "Can we add a page?", "clientVisible": false})
	if fromCarl.Status != 201 || fromCarl.JSON()["clientVisible"] != true {
		t.Fatalf("client's thread: %d %s", fromCarl.Status, fromCarl.Body)
	}
	list := string(env.Do("GET", "/api/projects/"+w.project+"/threads", w.carl, nil).Body)
	if strings.Contains(list, in) || strings.Contains(list, "Pricing") || !strings.Contains(list, open) {
		t.Fatalf("client's list: %s", list)
	}
	for _, path := range []string{"/api/threads/" + in, "/api/threads/" + in + "/messages", "/api/threads/" + in + "/access"} {
		if r := env.Do("GET", path, w.carl, nil); r.Status != 404 {
			t.Errorf("client GET %s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := env.Do("POST", "/api/threads/"+in+"/messages", w.carl, map[string]any{"body": "let me in"}); r.Status != 404 {
		t.Errorf("client posts to an internal thread: %d", r.Status)
	}
	// Mentions: only people who see the discussion.
	if r := env.Do("POST", "/api/threads/"+in+"/messages", w.staff, map[string]any{"body": "cc", "mentions": []string{w.carlID}}); r.Status != 422 || r.ErrField() != "mentions" {
		t.Errorf("mentioning a client in an internal thread: %d %s", r.Status, r.Body)
	}
	m := env.Do("POST", "/api/threads/"+open+"/messages", w.staff, map[string]any{"body": "Hi Carl", "mentions": []string{w.carlID}})
	if m.Status != 201 {
		t.Fatalf("post: %d %s", m.Status, m.Body)
	}
	mid := m.JSON()["id"].(string)
	// Only one's own messages change.
	if r := env.Do("PATCH", "/api/messages/"+mid, w.carl, map[string]any{"body": "edited by Carl"}); r.Status != 403 || r.ErrCode() != "own_messages" {
		t.Errorf("editing someone else's message: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/messages/"+mid, w.staff, map[string]any{"body": "Hi Carl, edited"}); r.Status != 200 || r.JSON()["editedAt"] == nil {
		t.Errorf("editing one's own: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/messages/"+mid, w.staff, nil); r.Status != 204 {
		t.Errorf("deleting one's own: %d", r.Status)
	}
	// Polling by revision brings the edit and the deletion to the client.
	rev := m.JSON()["rev"].(float64)
	changed := env.Do("GET", fmt.Sprintf("/api/threads/%s/messages?changed=%d", open, int(rev)), w.carl, nil).JSON()["items"].([]any)
	if len(changed) != 1 || changed[0].(map[string]any)["deleted"] != true || changed[0].(map[string]any)["id"] != mid {
		t.Errorf("changed since the post: %v", changed)
	}
	msgs := env.Do("GET", "/api/threads/"+open+"/messages", w.carl, nil).JSON()["items"].([]any)
	last := msgs[len(msgs)-1].(map[string]any)
	if last["deleted"] != true || last["body"] != "" {
		t.Errorf("a deleted message: %v", last)
	}
	// Clients never learn another client's name from a discussion.
	env.Do("POST", "/api/threads/"+open+"/messages", w.dora, map[string]any{"body": "Dora here"})
	seen := string(env.Do("GET", "/api/threads/"+open+"/messages", w.carl, nil).Body)
	if strings.Contains(seen, "Dora Client") || !strings.Contains(seen, "Another client") {
		t.Errorf("Carl learns Dora's name: %s", seen)
	}
	// Who can see it: the internal thread names no client.
	if a := env.Do("GET", "/api/threads/"+in+"/access", w.owner, nil); a.Status != 200 || strings.Contains(string(a.Body), "Carl") {
		t.Errorf("access of the internal thread: %d %s", a.Status, a.Body)
	}
	// Whom one may mention: the people who see the discussion; a client is told of the
	// team and themselves, never of another client.
	if r := env.Do("GET", "/api/threads/"+in+"/people", w.staff, nil); r.Status != 200 || strings.Contains(string(r.Body), "Carl") || !strings.Contains(string(r.Body), w.staffID) {
		t.Errorf("people of the internal thread: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/threads/"+in+"/people", w.carl, nil); r.Status != 404 {
		t.Errorf("client asks who is in an internal thread: %d", r.Status)
	}
	if r := string(env.Do("GET", "/api/threads/"+open+"/people", w.carl, nil).Body); strings.Contains(r, "Dora") || !strings.Contains(r, w.carlID) || !strings.Contains(r, w.staffID) {
		t.Errorf("people of the open thread, for Carl: %s", r)
	}
	// Bad input changes nothing.
	before := env.Snapshot()
	for _, body := range []map[string]any{{"title": "", "body": "x"}, {"title": "x", "body": " "}, {"title": strings.Repeat("t", 201), "body": "x"},
		{"title": "two\nlines", "body": "x"}, {"title": "x", "body": strings.Repeat("b", 10_001)}} {
		if r := env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, body); r.Status != 422 {
			t.Errorf("%v: %d", fmt.Sprint(body)[:40], r.Status)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused threads changed the database")
	}
	// Deleting the project deletes its discussions and their messages (the dialog says so).
	if r := env.Do("DELETE", "/api/projects/"+w.project, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete project: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/threads/"+open, w.staff, nil); r.Status != 404 {
		t.Errorf("a deleted project's discussion: %d", r.Status)
	}
	// (The activity log keeps its entry of the thread's creation, by design.)
	for _, l := range strings.Split(env.Snapshot(), "\n") {
		if strings.HasPrefix(l, "threads|") || strings.HasPrefix(l, "messages|") {
			t.Errorf("a deleted project's discussion is still stored: %s", l)
		}
	}
}

// Sixth attack round (discussions), each seen failing on the code before its fix.
func TestReview6DiscussionTextAndDeletedAuthors(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	for _, title := range []string{"Invoice \u202efdp.exe", "two\u2028lines", "zero\u200bwidth"} {
		if r := env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": title, "body": "x", "clientVisible": true}); r.Status != 422 {
			t.Errorf("title %q: %d", title, r.Status)
		}
	}
	if r := env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "ok", "body": "a\x00b"}); r.Status != 422 {
		t.Errorf("a NUL in a body: %d", r.Status)
	}
	zed := env.CreateUser(w.owner, "Zed Staff", "zed@acme.test", "staff", initialPW)
	ztok := env.SignInFresh("zed@acme.test", initialPW, ownPW)
	sam := mustMe(t, env, w.staff)
	env.Do("PATCH", "/api/projects/"+w.project, w.owner, map[string]any{"members": []string{sam, zed}})
	id := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/threads", ztok, map[string]any{"title": "Hello", "body": "From Zed", "clientVisible": true}))
	env.Do("DELETE", "/api/users/"+zed, w.owner, nil)
	carl := string(env.Do("GET", "/api/threads/"+id+"/messages?after=0", w.carl, nil).Body)
	if strings.Contains(carl, "Another client") || !strings.Contains(carl, "Zed Staff") {
		t.Errorf("a deleted team member's message, to a client: %s", carl)
	}
	// An archived project's discussions take no new messages.
	env.Do("PATCH", "/api/projects/"+w.project, w.owner, map[string]any{"status": "archived"})
	if r := env.Do("POST", "/api/threads/"+id+"/messages", w.staff, map[string]any{"body": "late"}); r.Status != 409 {
		t.Errorf("writing in an archived project: %d %s", r.Status, r.Body)
	}
}
