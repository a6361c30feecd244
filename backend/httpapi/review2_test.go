package httpapi_test

// Second security review: attacks on the fixed code, one test each. Every test performs
// the attack over HTTP and asserts the safe behaviour; each fails on the code reviewed.

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
)

// R1. "Change my password" charges its guesses only to the account-from-this-address key
// and the address key, as if every address were one the account signed in from: a stolen
// session guesses the current password 5 times from each of as many addresses as it has,
// with no account-wide limit.
func TestReview2_01_ChangePasswordGuessesFromManyAddresses(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Paula Stolen", "paula@example.com", "staff", initialPW)
	tok := env.SignInFresh("paula@example.com", initialPW, ownPW) // from 127.0.0.1 only
	checked, refused := 0, 0
	for a := 0; a < 12; a++ {
		env.Remote = fmt.Sprintf("127.0.3.%d", a+1) // addresses Paula never signed in from
		for i := 0; i < 5; i++ {
			s, b := rawDo(env, "POST", "/api/me/password", tok, map[string]string{"current": fmt.Sprintf("guess %d-%d of the thief", a, i), "new": "the thief's own passphrase 7"})
			switch s {
			case 422:
				checked++
			case 429:
				refused++
			default:
				t.Fatalf("unexpected answer %d %s", s, b)
			}
		}
	}
	env.Remote = ""
	t.Logf("60 wrong current passwords from 12 new addresses with one session: %d checked, %d throttled", checked, refused)
	// Sign-in allows 10 failures across addresses the account never used (plus the 5 of
	// the first address); the same password must not be guessable more often here.
	if checked > 15 {
		t.Errorf("%d wrong current passwords were checked from addresses the account never signed in from; at most 15 may be", checked)
	}
}

// R2. An administrator's change of a client's task rules is recorded without the client's
// kind: readers without activity.clients read the client's name.
func TestReview2_02_ClientTaskRulesInAuditWithoutActivityClients(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	a := newRole(t, w.env, w.owner, "Activity reader", "internal", [2]string{"activity.team", "all"}, [2]string{"users.view", "all"})
	w.env.CreateUser(w.owner, "Ava Reader", "ava@example.com", a, initialPW)
	w.tokens["ava"] = w.env.SignInFresh("ava@example.com", initialPW, ownPW)
	w.must(w.do("PUT", "/api/users/"+id("client1")+"/task-rules", "admin", map[string]any{"receiveFromOthers": false, "openForOthers": false}), 200)
	r := w.do("GET", "/api/audit?limit=200", "ava", nil)
	if r.Status != 200 {
		t.Fatalf("audit: %d %s", r.Status, r.Body)
	}
	for _, it := range r.JSON()["items"].([]any) {
		if e := it.(map[string]any); e["targetId"] == id("client1") {
			t.Errorf("the audit log without activity.clients shows an entry about client1: %v %v", e["action"], e["targetName"])
		}
	}
}

// R3. A task type whose tasks only the admin may assign: staff who may only create such
// tasks give the type to a task already assigned to someone, which ends as a task of that
// type assigned by someone without the right to assign it (they could not create it so).
func TestReview2_03_TypeChangeSkipsTheTypesAssignRule(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	bug := w.must(w.do("POST", "/api/task-types", "admin", map[string]any{"name": "Bug", "access": []map[string]any{
		{"type": "user", "id": id("admin"), "create": true, "assign": true},
		{"type": "user", "id": id("staffA"), "create": true, "assign": false}}}), 201)["id"].(string)
	if r := w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "A bug for the contractor",
		"typeId": bug, "assigneeId": id("contractor")}); r.Status != 403 {
		t.Fatalf("setup: staffA creates a Bug assigned to the contractor: %d %s", r.Status, r.Body)
	}
	// The same result in two steps: a plain task assigned to the contractor, then the type.
	plain := w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "staffA", map[string]any{"title": "Not a bug yet",
		"assigneeId": id("contractor")}), 201)["id"].(string)
	if r := w.do("PATCH", "/api/tasks/"+plain, "staffA", map[string]any{"typeId": bug}); r.Status != 403 {
		t.Errorf("staffA giving the Bug type to a task assigned to the contractor: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+id("t1a"), "staffA", map[string]any{"typeId": bug}); r.Status != 403 {
		t.Errorf("staffA giving the Bug type to the admin's task t1a assigned to the contractor: %d %s, want 403", r.Status, r.Body)
	}
	for _, task := range []string{plain, id("t1a")} {
		if got := w.do("GET", "/api/tasks/"+task, "admin", nil).JSON(); got["typeId"] == bug && got["assigneeId"] == id("contractor") {
			t.Errorf("task %v is now a Bug assigned to the contractor, which staffA may not assign", got["title"])
		}
	}
}

// R4. On an invite-only board holding tasks of projects an editor cannot see, making it
// visible to all is refused (fix 12), but inviting people or teams changes who sees the
// board — and those hidden tasks — just the same.
func TestReview2_04_BoardInvitationsSkipTheReshapeRule(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	w.must(w.do("PATCH", "/api/boards/"+id("Binv"), "admin", map[string]any{"access": []map[string]string{
		{"type": "user", "id": id("staffA"), "level": "editor"}, {"type": "user", "id": id("admin"), "level": "editor"}}}), 200)
	if r := w.do("GET", "/api/tasks/"+id("t2c"), "staffA", nil); r.Status != 404 {
		t.Fatalf("setup: staffA sees t2c (Brand, on Binv): %d", r.Status)
	}
	if r := w.do("GET", "/api/tasks/"+id("t2c"), "staffB", nil); r.Status != 404 {
		t.Fatalf("setup: staffB sees t2c before the invitation: %d", r.Status)
	}
	if r := w.do("PATCH", "/api/boards/"+id("Binv"), "staffA", map[string]any{"visibility": "all"}); r.Status != 403 {
		t.Fatalf("setup: staffA opening the board to all: %d %s (the fix refuses it)", r.Status, r.Body)
	}
	r := w.do("PATCH", "/api/boards/"+id("Binv"), "staffA", map[string]any{"access": []map[string]string{
		{"type": "user", "id": id("staffA"), "level": "editor"}, {"type": "user", "id": id("admin"), "level": "editor"},
		{"type": "team", "id": id("T1"), "level": "member"}}})
	if r.Status != 403 {
		t.Errorf("staffA inviting team Design to the board holding Brand and Secret tasks they cannot see: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("GET", "/api/tasks/"+id("t2c"), "staffB", nil); r.Status == 200 {
		t.Errorf("staffB now sees t2c, revealed by an editor who cannot see it")
	}
}

// R5. A client learns another client of their project from a task's assignee (fix 9 hid
// them as followers and comment authors).
func TestReview2_05_ClientLearnsOtherClientAsAssignee(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	w.must(w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"clients": []string{id("client1"), id("client2")}}), 200)
	w.must(w.do("PATCH", "/api/tasks/"+id("t1c"), "admin", map[string]any{"assigneeId": id("client2")}), 200)
	for _, path := range []string{"/api/tasks/" + id("t1c"), "/api/tasks?limit=200", "/api/projects/" + id("P1") + "/tasks"} {
		r := w.do("GET", path, "client1", nil)
		if strings.Contains(string(r.Body), id("client2")) {
			t.Errorf("client1 GET %s (%d) shows client2's id as the assignee", path, r.Status)
		}
	}
}

// R6. Google sign-in's tables are capped per address class (an IPv4 address or an IPv6
// /64) and in total; one attacker holding a single IPv6 /48 has 65,536 classes and fills
// the total with junk callbacks, so nobody can sign in with Google.
func TestReview2_06_GoogleJammedFromOneIPv6Prefix(t *testing.T) {
	g := startGoogle(t)
	for n := 0; n < 170; n++ {
		g.Remote = fmt.Sprintf("2001:db8:77:%x::1", n) // 170 /64s of the attacker's one /48
		b := g.Browser()
		for i := 0; i < 30; i++ {
			b.Get(fmt.Sprintf("/api/auth/google/callback?state=junk%d-%d&code=x", n, i))
		}
	}
	g.Remote = "127.0.0.2"
	g.idp.SignInAs(oidcprovider.Account{Subject: "jam-victim-6", Email: "victim6@example.com", Name: "Vic Six", EmailVerified: true})
	f := g.begin(t, g.Browser())
	back := f.b.Get(f.callback)
	if back.Status != http.StatusFound {
		t.Fatalf("after 5,100 junk callbacks from one IPv6 /48, a legitimate callback from 127.0.0.2: %d %s, want 302 to the page", back.Status, back.Body)
	}
	key, _ := url.QueryUnescape(strings.TrimPrefix(back.Header.Get("Location"), "/#/auth/google?result="))
	if r := f.b.PostJSON("/api/auth/google/result", map[string]string{"result": key}); r.Status != 201 {
		t.Errorf("the legitimate sign-in's result: %d %s, want 201", r.Status, r.Body)
	}
}

// R7. The "trusted address" that keeps the owner in during a spread-out attack is the
// exact address string, while everything else treats an IPv6 /64 as one address: the
// owner's next privacy address in the same /64 is locked out.
func TestReview2_07_TrustedAddressIgnoresTheIPv6Prefix(t *testing.T) {
	env := testkit.Start(t)
	env.Setup()
	env.Remote = "2001:db8:1:2::10"
	if s := signInStatus(env, testkit.Owner.Email, testkit.Owner.Password); s != 201 {
		t.Fatalf("setup: owner from 2001:db8:1:2::10: %d", s)
	}
	for i := 0; i < 30; i++ {
		env.Remote = fmt.Sprintf("127.0.9.%d", i+1)
		signInStatus(env, testkit.Owner.Email, "a spread-out guess")
	}
	env.Remote = "2001:db8:1:2::10"
	if s := signInStatus(env, testkit.Owner.Email, testkit.Owner.Password); s != 201 {
		t.Fatalf("setup: owner from the very address they used: %d", s)
	}
	env.Remote = "2001:db8:1:2::11" // the same /64 (a temporary address of the same host)
	if s := signInStatus(env, testkit.Owner.Email, testkit.Owner.Password); s != 201 {
		t.Errorf("owner from another address of the /64 they signed in from, during a spread-out attack: %d, want 201", s)
	}
	env.Remote = ""
}

// R8. Domains are kept as typed when they equal their IDNA form ignoring case, and Go's
// case folding equates "ſ" (U+017F, long s) with "s": "sam@buſiness.com" is stored
// verbatim under a login distinct from "sam@business.com" (and IDNA delivers its mail
// to business.com).
func TestReview2_08_LongSDomainLookalike(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Sam Real", "sam@business.com", "staff", initialPW)
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Sam Lookalike", "email": "sam@bu\u017finess.com", "roleId": "staff", "password": "a lookalike passphrase 8"})
	if r.Status != 409 && !(r.Status == 422 && r.ErrField() == "email") {
		t.Errorf("creating sam@bu\u017finess.com next to sam@business.com: %d %s, want 409, or 422 on email", r.Status, r.Body)
	}
}

// R9. Saving a task type reads it before the index lock and writes every field back: a
// rename racing with a change of who may use the type undoes that change.
func TestReview2_09_TaskTypeRenameUndoesAuthorisations(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	both := []map[string]any{{"type": "user", "id": id("staffA"), "create": true, "assign": true},
		{"type": "user", "id": id("staffB"), "create": true, "assign": true}}
	only := []map[string]any{{"type": "user", "id": id("staffA"), "create": true, "assign": true}}
	ty := w.must(w.do("POST", "/api/task-types", "admin", map[string]any{"name": "Invoice chase", "access": both}), 201)["id"].(string)
	lost := 0
	for round := 0; round < 60 && lost == 0; round++ {
		if s, b := rawDo(w.env, "PATCH", "/api/task-types/"+ty, w.owner, map[string]any{"access": both}); s != 200 {
			t.Fatalf("reset: %d %s", s, b)
		}
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 4; j++ {
					rawDo(w.env, "PATCH", "/api/task-types/"+ty, w.owner, map[string]any{"name": fmt.Sprintf("Invoice chase %d-%d-%d", round, i, j)})
				}
			}()
		}
		if s, b := rawDo(w.env, "PATCH", "/api/task-types/"+ty, w.owner, map[string]any{"access": only}); s != 200 {
			t.Fatalf("restrict: %d %s", s, b)
		}
		wg.Wait()
		var types struct {
			Items []struct {
				ID     string           `json:"id"`
				Access []map[string]any `json:"access"`
			} `json:"items"`
		}
		w.do("GET", "/api/task-types", "admin", nil).Decode(t, &types)
		for _, it := range types.Items {
			if it.ID == ty && len(it.Access) != 1 {
				lost++
				t.Errorf("round %d: after staffB's authorisation was removed (200) and only renames followed, the type authorises %d again", round, len(it.Access))
			}
		}
	}
}

// R10. A task on an invite-only board shows its board and stage ids to whoever sees the
// task without seeing the board: a client ("without learning of the board") and a
// follower (who sees "that one task and nothing else of its project or board").
func TestReview2_10_HiddenBoardIDOnTasks(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	w.must(w.do("POST", "/api/tasks/"+id("t3")+"/followers", "admin", map[string]any{"userId": id("staffC")}), 200)
	for _, c := range []struct{ who, task string }{{"client2", "t2c"}, {"staffC", "t3"}} {
		if r := w.do("GET", "/api/boards/"+id("Binv"), c.who, nil); r.Status == 200 {
			t.Fatalf("setup: %s sees Binv", c.who)
		}
		r := w.do("GET", "/api/tasks/"+id(c.task), c.who, nil)
		if r.Status != 200 {
			t.Fatalf("setup: %s GET %s: %d", c.who, c.task, r.Status)
		}
		// A client keeps the (opaque) stage, which their review moves; a follower learns
		// nothing of the board.
		if task := r.JSON(); task["boardId"] == id("Binv") || (c.who != "client2" && task["stage"] != "") {
			t.Errorf("%s GET %s shows the hidden board %v and its stage %v", c.who, c.task, task["boardId"], task["stage"])
		}
	}
}

// R11. Sign-in settings are read, patched and written back with no lock: a change of
// the allowed domain racing with turning new Google registrations off turns them on again.
func TestReview2_11_SignInSettingsLostUpdate(t *testing.T) {
	g := startGoogle(t)
	lost := 0
	for round := 0; round < 60 && lost == 0; round++ {
		g.settings(t, map[string]any{"allowRegistrations": true})
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 4; j++ {
					rawDo(g.Env, "PUT", "/api/settings/sign-in", g.owner, map[string]any{"hostedDomain": fmt.Sprintf("d%d-%d-%d.example.com", round, i, j)})
				}
			}()
		}
		if s, b := rawDo(g.Env, "PUT", "/api/settings/sign-in", g.owner, map[string]any{"allowRegistrations": false}); s != 200 {
			t.Fatalf("registrations off: %d %s", s, b)
		}
		wg.Wait()
		if on, _ := g.Do("GET", "/api/settings/sign-in", g.owner, nil).JSON()["allowRegistrations"].(bool); on {
			lost++
			t.Errorf("round %d: new Google registrations were turned off (200), only domain changes followed, and they are on again", round)
		}
	}
}
