package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

type chatWorld struct {
	env                   *testkit.Env
	owner, sam, tia, carl string // tokens
	samID, tiaID, carlID  string
	design, sales         string // teams: Sam is in design, Tia in sales
	everyone, dmSamTia    string // channel ids
}

func newChatWorld(t *testing.T) *chatWorld {
	env := testkit.Start(t)
	w := &chatWorld{env: env, owner: env.Setup(), everyone: "everyone"}
	w.samID = env.CreateUser(w.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	w.tiaID = env.CreateUser(w.owner, "Tia Staff", "tia@acme.test", "staff", initialPW)
	w.carlID = env.CreateUser(w.owner, "Carl Client", "carl@customer.test", "client", initialPW)
	w.sam = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	w.tia = env.SignInFresh("tia@acme.test", initialPW, ownPW)
	w.carl = env.SignInFresh("carl@customer.test", initialPW, ownPW)
	w.design = mustID(t, env.Do("POST", "/api/teams", w.owner, map[string]any{"name": "Design", "members": []string{w.samID}}))
	w.sales = mustID(t, env.Do("POST", "/api/teams", w.owner, map[string]any{"name": "Sales", "members": []string{w.tiaID}}))
	a, b := w.samID, w.tiaID
	if b < a {
		a, b = b, a
	}
	w.dmSamTia = "dm:" + a + ":" + b
	return w
}

func (w *chatWorld) post(token, channel, body string) *testkit.Resp {
	return w.env.Do("POST", "/api/chat/channels/"+channel+"/messages", token, map[string]any{"body": body})
}

func (w *chatWorld) channel(t *testing.T, token, id string) map[string]any {
	t.Helper()
	r := w.env.Do("GET", "/api/chat", token, nil)
	if r.Status != 200 {
		t.Fatalf("GET /api/chat: %d %s", r.Status, r.Body)
	}
	for _, c := range r.JSON()["channels"].([]any) {
		if c.(map[string]any)["id"] == id {
			return c.(map[string]any)
		}
	}
	return nil
}

// Team chat: everyone's channel for every internal user with chat.team, a channel per
// team for its members; clients have no chat at all.
func TestTeamChatChannels(t *testing.T) {
	w := newChatWorld(t)
	env := w.env
	if r := w.post(w.sam, w.everyone, "Hello all"); r.Status != 201 || r.JSON()["seq"].(float64) != 1 {
		t.Fatalf("post to everyone: %d %s", r.Status, r.Body)
	}
	if c := w.channel(t, w.tia, w.everyone); c == nil || c["unread"].(float64) != 1 {
		t.Fatalf("Tia's everyone channel: %v", c)
	}
	if c := w.channel(t, w.sam, w.everyone); c["unread"].(float64) != 0 {
		t.Errorf("one's own message is not unread: %v", c)
	}
	design := "team:" + w.design
	if r := w.post(w.sam, design, "Design only"); r.Status != 201 {
		t.Fatalf("post to own team: %d %s", r.Status, r.Body)
	}
	if c := w.channel(t, w.sam, design); c == nil || c["name"] != "Design" || c["kind"] != "team" {
		t.Errorf("Sam's team channel: %v", c)
	}
	// Not a member: the team's channel does not exist for them, by any route.
	for _, tok := range []string{w.tia, w.carl, w.owner} {
		if c := env.Do("GET", "/api/chat", tok, nil); strings.Contains(string(c.Body), design) || strings.Contains(string(c.Body), "Design only") {
			t.Errorf("a non-member's overview names the team channel: %s", c.Body)
		}
		if r := env.Do("GET", "/api/chat/channels/"+design+"/messages", tok, nil); r.Status != 404 {
			t.Errorf("non-member reads the team channel: %d %s", r.Status, r.Body)
		}
		if r := w.post(tok, design, "let me in"); r.Status != 404 {
			t.Errorf("non-member writes in the team channel: %d", r.Status)
		}
	}
	// Clients: no chat (they write to the team in project discussions).
	if r := env.Do("GET", "/api/chat", w.carl, nil); r.Status != 403 {
		t.Errorf("client's chat overview: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/chat/channels/everyone/messages", w.carl, nil); r.Status != 404 {
		t.Errorf("client reads everyone's channel: %d %s", r.Status, r.Body)
	}
	// Reading moves the unread count; never backwards, never past the end.
	env.Do("POST", "/api/chat/channels/everyone/read", w.tia, map[string]any{"seq": 99})
	if c := w.channel(t, w.tia, w.everyone); c["unread"].(float64) != 0 || c["readSeq"].(float64) != 1 {
		t.Errorf("after reading: %v", c)
	}
	w.post(w.sam, w.everyone, "Second")
	w.post(w.sam, w.everyone, "Third")
	env.Do("POST", "/api/chat/channels/everyone/read", w.tia, map[string]any{"seq": 0})
	if c := w.channel(t, w.tia, w.everyone); c["unread"].(float64) != 2 {
		t.Errorf("two new messages: %v", c)
	}
	// Polling: after the last seq seen; the latest page without it.
	if items := env.Do("GET", "/api/chat/channels/everyone/messages?after=1", w.tia, nil).JSON()["items"].([]any); len(items) != 2 {
		t.Errorf("after=1: %d messages", len(items))
	}
	if items := env.Do("GET", "/api/chat/channels/everyone/messages?before=3", w.tia, nil).JSON()["items"].([]any); len(items) != 2 || items[0].(map[string]any)["seq"].(float64) != 1 {
		t.Errorf("before=3: %v", items)
	}
	// A team's deletion takes its channel and messages with it.
	if r := env.Do("DELETE", "/api/teams/"+w.design, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete team: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/chat/channels/"+design+"/messages", w.sam, nil); r.Status != 404 {
		t.Errorf("a deleted team's channel: %d", r.Status)
	}
	if strings.Contains(env.Snapshot(), "Design only") {
		t.Error("a deleted team's messages are still stored")
	}
}

// 1:1 messages: read only by the two people, between internal users who hold
// chat.direct; a client is never one of them.
func TestDirectMessages(t *testing.T) {
	w := newChatWorld(t)
	env := w.env
	o := env.Do("GET", "/api/chat", w.sam, nil).JSON()
	if !strings.Contains(string(env.Do("GET", "/api/chat", w.sam, nil).Body), w.tiaID) {
		t.Fatalf("Tia is not among the people Sam may write to: %v", o["people"])
	}
	for _, p := range o["people"].([]any) {
		if id := p.(map[string]any)["id"]; id == w.carlID || id == w.samID {
			t.Errorf("Sam may write to %v", p)
		}
	}
	m := w.post(w.sam, w.dmSamTia, "Lunch?")
	if m.Status != 201 {
		t.Fatalf("first 1:1 message: %d %s", m.Status, m.Body)
	}
	if c := w.channel(t, w.tia, w.dmSamTia); c == nil || c["name"] != "Sam Staff" || c["unread"].(float64) != 1 || c["canPost"] != true {
		t.Fatalf("Tia's conversation with Sam: %v", c)
	}
	// Nobody else reads it: not the owner (an Admin), not a client.
	for _, tok := range []string{w.owner, w.carl} {
		if r := env.Do("GET", "/api/chat/channels/"+w.dmSamTia+"/messages", tok, nil); r.Status != 404 {
			t.Errorf("an outsider reads a 1:1 conversation: %d %s", r.Status, r.Body)
		}
	}
	// Not even by viewing as one of them.
	if r := env.Do("POST", "/api/view-as", w.owner, map[string]any{"userId": w.samID}); r.Status >= 300 {
		t.Fatalf("view as Sam: %d %s", r.Status, r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/chat/channels/"+w.dmSamTia+"/messages", w.owner, nil, map[string]string{"X-View-As": w.samID}); r.Status != 404 {
		t.Errorf("viewing as Sam reads his 1:1 messages: %d %s", r.Status, r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/chat/channels/everyone/messages", w.owner, nil, map[string]string{"X-View-As": w.samID}); r.Status != 200 {
		t.Errorf("viewing as Sam reads everyone's channel: %d %s", r.Status, r.Body)
	}
	// A conversation with a client, with oneself, or spelled out of order is no conversation.
	a, b := w.samID, w.carlID
	if b < a {
		a, b = b, a
	}
	if r := w.post(w.sam, "dm:"+a+":"+b, "hi Carl"); r.Status != 409 || r.ErrCode() != "cannot_receive" {
		t.Errorf("writing to a client one to one: %d %s", r.Status, r.Body)
	}
	for _, id := range []string{"dm:" + w.samID + ":" + w.samID, "dm:" + b + ":" + a, "dm:" + w.samID, "team:nope", "nope"} {
		if r := w.post(w.sam, id, "hi"); r.Status != 404 {
			t.Errorf("%s: %d %s", id, r.Status, r.Body)
		}
	}
	mid := m.JSON()["id"].(string)
	if r := env.Do("PATCH", "/api/chat/messages/"+mid, w.tia, map[string]any{"body": "not mine"}); r.Status != 403 || r.ErrCode() != "own_messages" {
		t.Errorf("editing the other's message: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/chat/messages/"+mid, w.carl, map[string]any{"body": "x"}); r.Status != 404 {
		t.Errorf("a client edits a 1:1 message: %d", r.Status)
	}
	rev := m.JSON()["rev"].(float64)
	if r := env.Do("PATCH", "/api/chat/messages/"+mid, w.sam, map[string]any{"body": "Lunch at one?"}); r.Status != 200 || r.JSON()["editedAt"] == nil {
		t.Errorf("editing one's own: %d %s", r.Status, r.Body)
	}
	// Polling by revision brings the edit to the other person.
	changed := env.Do("GET", fmt.Sprintf("/api/chat/channels/%s/messages?changed=%d", w.dmSamTia, int(rev)), w.tia, nil).JSON()["items"].([]any)
	if len(changed) != 1 || changed[0].(map[string]any)["body"] != "Lunch at one?" || changed[0].(map[string]any)["rev"].(float64) <= rev {
		t.Errorf("changed since the post: %v", changed)
	}
	if r := env.Do("GET", "/api/chat/channels/"+w.dmSamTia+"/messages?changed=0&after=0", w.tia, nil); r.Status != 422 {
		t.Errorf("changed and after together: %d", r.Status)
	}
	// Bad input changes nothing.
	before := env.Snapshot()
	for _, body := range []string{"", "  ", "bell\a", "\u202eevil", strings.Repeat("b", 10_001)} {
		if r := w.post(w.sam, w.dmSamTia, body); r.Status != 422 || r.ErrField() != "body" {
			t.Errorf("body %q: %d %s", body[:min(len(body), 10)], r.Status, r.Body)
		}
	}
	if r := env.Do("GET", "/api/chat/channels/everyone/messages?after=-1", w.sam, nil); r.Status != 422 || r.ErrField() != "after" {
		t.Errorf("after=-1: %d", r.Status)
	}
	if r := env.Do("POST", "/api/chat/channels/everyone/read", w.sam, map[string]any{"seq": -3}); r.Status != 422 {
		t.Errorf("seq -3: %d", r.Status)
	}
	if env.Snapshot() != before {
		t.Error("bad input changed the database")
	}
	// Deleting one's message: its place stays, without the text, and it is no longer unread.
	if r := env.Do("DELETE", "/api/chat/messages/"+mid, w.sam, nil); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	items := env.Do("GET", "/api/chat/channels/"+w.dmSamTia+"/messages", w.tia, nil).JSON()["items"].([]any)
	if got := items[0].(map[string]any); got["deleted"] != true || got["body"] != "" {
		t.Errorf("a deleted message: %v", got)
	}
	if c := w.channel(t, w.tia, w.dmSamTia); c["unread"].(float64) != 0 {
		t.Errorf("a deleted message still counts as unread: %v", c)
	}
	// A deactivated person can no longer receive; the conversation stays readable.
	w.post(w.tia, w.dmSamTia, "See you")
	env.Do("POST", "/api/users/"+w.tiaID+"/deactivate", w.owner, nil)
	if r := w.post(w.sam, w.dmSamTia, "Still there?"); r.Status != 409 || r.ErrCode() != "cannot_receive" {
		t.Errorf("writing to a deactivated person: %d %s", r.Status, r.Body)
	}
	if c := w.channel(t, w.sam, w.dmSamTia); c == nil || c["canPost"] != false {
		t.Errorf("the conversation with a deactivated person: %v", c)
	}
	// Deleted: the other person still reads the conversation, with the author's name kept.
	if r := env.Do("DELETE", "/api/users/"+w.tiaID, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete Tia: %d %s", r.Status, r.Body)
	}
	items = env.Do("GET", "/api/chat/channels/"+w.dmSamTia+"/messages", w.sam, nil).JSON()["items"].([]any)
	if last := items[len(items)-1].(map[string]any); last["body"] != "See you" || last["authorName"] != "Tia Staff" || last["authorId"] != "" {
		t.Errorf("the conversation after Tia's deletion: %v", last)
	}
	if c := w.channel(t, w.sam, w.dmSamTia); c == nil || c["name"] != "Deleted account" || c["canPost"] != false {
		t.Errorf("Sam's conversation with a deleted account: %v", c)
	}
}
