package httpapi_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// Seventh attack round (project discussions, team chat and 1:1 messages). Each test
// fails on the code it was written against and shows a defect.

// R7-1. A client learns another client's name once that client's account is deleted.
// discussions.Messages tells "another client" apart by reading the author's live account
// (store.User → RoleKind); a deleted account has none, so it falls to the "deleted team
// member: keep the name" branch and Carl is shown "Dora Client". README: "a client never
// learns another client's name ("Another client")". A deleted client's messages must
// still read "Another client" to other clients (the message should keep whether its
// author was a client, or a client reader should never be shown a name it cannot
// Nameable-check).
func TestReview7DeletedClientsNameReachesOtherClients(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	open := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "Launch", "body": "Hi all", "clientVisible": true}))
	if r := env.Do("POST", "/api/threads/"+open+"/messages", w.dora, map[string]any{"body": "Dora here"}); r.Status != 201 {
		t.Fatalf("Dora posts: %d %s", r.Status, r.Body)
	}
	before := string(env.Do("GET", "/api/threads/"+open+"/messages", w.carl, nil).Body)
	if strings.Contains(before, "Dora Client") {
		t.Fatalf("Carl learns Dora's name while she exists: %s", before)
	}
	dora := mustMe(t, env, w.dora)
	if r := env.Do("DELETE", "/api/users/"+dora, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete Dora: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/api/threads/" + open + "/messages", "/api/threads/" + open + "/messages?after=0", "/api/threads/" + open + "/messages?changed=0"} {
		if seen := string(env.Do("GET", path, w.carl, nil).Body); strings.Contains(seen, "Dora Client") || !strings.Contains(seen, "Another client") {
			t.Errorf("GET %s: Carl (a client) is told the deleted client's name: %s", path, seen)
		}
	}
}

// R7-2. Messages accept invisible and direction characters. README (Project discussions):
// "messages refuse control, invisible and direction-override characters". CheckBody
// refuses only Cc and U+202A–202E / U+2066–2069, so a zero-width space (even a message
// that is nothing but one, which looks empty), a BOM, a word joiner, the right-to-left and
// Arabic letter marks (which reorder the text around them), and line/paragraph separators
// are all stored (201). They should be refused with 422 field "body", as titles already
// are (checkTitle refuses Cf, Zl, Zp). The team chat shares CheckBody and accepts them too.
func TestReview7MessagesAcceptInvisibleCharacters(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	open := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "Launch", "body": "Hi all", "clientVisible": true}))
	before := env.Snapshot()
	for _, body := range []string{"\u200b", "pay to acc\u200bount 123", "invoice\u200f.exe text", "Arabic\u061cmark", "bom\ufeffhere", "word\u2060joiner", "two\u2028lines", "two\u2029paragraphs"} {
		if r := env.Do("POST", "/api/threads/"+open+"/messages", w.carl, map[string]any{"body": body}); r.Status != 422 || r.ErrField() != "body" {
			t.Errorf("message %q: %d %s (want 422 body)", body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused messages changed the database")
	}
}

// R7-3. A mention mail quotes the message's text as is, so its author writes text of
// their own, unquoted, into a mail sent in the organisation's name. The mail code's own
// rule (mail.oneLine: "what people type can never write paragraphs of its own into a mail
// from the organisation") is applied to names and titles but not to the quoted body,
// which is only split on "\n": a U+2029 (paragraph separator, accepted by CheckBody) ends
// the "  > " quote in mail readers that honour it, and what follows reads like the
// organisation's own words. Every line of the quote should start with "  > " and hold no
// character that lays text out on its own (separators, bidi marks), e.g. by mapping them
// to "\n" (then quoted) or refusing them at input.
func TestReview7MentionMailQuoteBreaksOut(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Staff", "ann@acme.test", "staff", initialPW)
	mallory := env.CreateUser(owner, "Mallory Staff", "mallory@acme.test", "staff", initialPW)
	mal := env.SignInFresh("mallory@acme.test", initialPW, ownPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{ann, mallory}}))
	if _, err := srv.Wait(2, 10*time.Second); err != nil { // both added to the project
		t.Fatal(err)
	}
	body := "Thanks Ann!\u2029\u2029IT notice: your Gatehouse password expires today. Renew it at http://evil.example/reset \u200fmoc.emca"
	// Refused at the door (the text rule, backend/text)…
	if r := env.Do("POST", "/api/projects/"+p+"/threads", mal, map[string]any{"title": "Pricing", "body": body, "mentions": []string{ann}}); r.Status != 422 || r.ErrField() != "body" {
		t.Fatalf("thread with layout characters: %d %s", r.Status, r.Body)
	}
	// …and the mail never trusts it: a message already stored with them (written before
	// the rule, or by another path) is quoted line by line without them.
	allSent(t, env, owner)
	srv.Stop()
	th := env.Do("POST", "/api/projects/"+p+"/threads", mal, map[string]any{"title": "Pricing", "body": "Thanks Ann!", "mentions": []string{ann}})
	if th.Status != 201 {
		t.Fatalf("thread: %d %s", th.Status, th.Body)
	}
	if _, err := env.Core.Store.DB().Exec(env.Core.Store.Rebind(`UPDATE messages SET body = ? WHERE body = 'Thanks Ann!'`), body); err != nil {
		t.Fatal(err)
	}
	srv.Restart()
	env.Clock.Advance(time.Minute)
	env.Core.Store.MailQueued()
	msgs, err := srv.Wait(3, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	text := msgs[2].Body
	if !strings.Contains(text, "mentioned you") {
		t.Fatalf("not the mention mail: %q", text)
	}
	if i := strings.IndexFunc(text, func(r rune) bool {
		return r != '\n' && r != '\r' && (unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || r == 0x200E || r == 0x200F || r == 0x061C)
	}); i >= 0 {
		t.Errorf("the mention mail carries a layout-breaking character %U from the message, outside any quote:\n%q", []rune(text[i:])[0], text)
	}
}

// R7-4. An archived project's discussions still take edits and deletions. README: "An
// archived project's discussions are read only" (and the tab says "Reopen the project to
// write"); Post and CreateThread answer 409 archived, but PATCH and DELETE
// /api/messages/{id} change the message (200/204) because discussions.Edit never checks
// the project's status. They should answer 409 "archived" and change nothing.
func TestReview7ArchivedProjectDiscussionStillEditable(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	open := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/threads", w.staff, map[string]any{"title": "Launch", "body": "Hi all", "clientVisible": true}))
	mine := mustID(t, env.Do("POST", "/api/threads/"+open+"/messages", w.carl, map[string]any{"body": "We agreed to pay 10,000"}))
	if r := env.Do("PATCH", "/api/projects/"+w.project, w.owner, map[string]any{"status": "archived"}); r.Status != 200 {
		t.Fatalf("archive: %d %s", r.Status, r.Body)
	}
	before := env.Snapshot()
	if r := env.Do("PATCH", "/api/messages/"+mine, w.carl, map[string]any{"body": "We agreed to pay 1,000"}); r.Status != 409 || r.ErrCode() != "archived" {
		t.Errorf("editing a message of an archived project: %d %s (want 409 archived)", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/messages/"+mine, w.carl, nil); r.Status != 409 || r.ErrCode() != "archived" {
		t.Errorf("deleting a message of an archived project: %d %s (want 409 archived)", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Error("an archived project's discussion was changed")
	}
}

// The same shape elsewhere: every name, title, description and comment people type takes
// the one text rule (backend/text), so none can carry direction overrides, invisible or
// separator characters; emoji sequences (zero-width joiner) stay allowed.
func TestReview7OneTextRuleEverywhere(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	bad := "Invoice \u202efdp.exe"
	before := env.Snapshot()
	for _, c := range []struct {
		method, path, field string
		body                map[string]any
	}{
		{"POST", "/api/projects", "name", map[string]any{"name": bad}},
		{"POST", "/api/projects", "description", map[string]any{"name": "Ok", "description": "a\u200bb"}},
		{"POST", "/api/teams", "name", map[string]any{"name": bad}},
		{"POST", "/api/boards", "name", map[string]any{"name": bad, "visibility": "all"}},
		{"POST", "/api/projects/" + w.project + "/tasks", "title", map[string]any{"title": bad}},
		{"POST", "/api/projects/" + w.project + "/tasks", "description", map[string]any{"title": "Ok", "description": "x\u2029y"}},
		{"POST", "/api/tasks/" + w.internalTask + "/comments", "body", map[string]any{"body": "\u200b"}},
		{"POST", "/api/roles", "name", map[string]any{"name": bad, "kind": "internal", "permissions": []any{}}},
		{"POST", "/api/users", "name", map[string]any{"name": bad, "email": "x@acme.test", "roleId": "staff"}},
		{"POST", "/api/task-types", "name", map[string]any{"name": bad}},
	} {
		if r := env.Do(c.method, c.path, w.owner, c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%s %s with %q: %d %s", c.method, c.path, c.field, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused text changed the database")
	}
	family := "Family \U0001F468\u200d\U0001F469\u200d\U0001F467"
	if r := env.Do("POST", "/api/projects", w.owner, map[string]any{"name": family}); r.Status != 201 {
		t.Errorf("an emoji sequence in a name: %d %s", r.Status, r.Body)
	}
}
