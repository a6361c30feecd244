package httpapi_test

// Findings of the security review, one test each. Every test performs the attack over
// HTTP against the real server and asserts the safe behaviour; they fail on the code the
// review was made on and pass once the holes are closed.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"gatehouse/backend/core"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
)

// rawDo sends a request without the contract check and without following redirects;
// safe from any goroutine. Status 0 means the request itself failed (the body says why).
func rawDo(env *testkit.Env, method, path, token string, body any) (int, []byte) {
	var rd io.Reader
	if r, ok := body.(io.Reader); ok {
		rd = r // sent as it is (a flood's big body, not copied per request)
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, []byte(err.Error())
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, env.Server.URL+path, rd)
	if err != nil {
		return 0, []byte(err.Error())
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Transport: env.Server.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// mustStatus fails the test (as a setup failure) unless r has status want.
func mustStatus(t *testing.T, what string, r *testkit.Resp, want int) map[string]any {
	t.Helper()
	if r.Status != want {
		t.Fatalf("setup: %s: %d %s", what, r.Status, r.Body)
	}
	return r.JSON()
}

func newRole(t *testing.T, env *testkit.Env, token, name, kind string, perms ...[2]string) string {
	t.Helper()
	grants := []map[string]string{}
	for _, p := range perms {
		grants = append(grants, map[string]string{"key": p[0], "scope": p[1]})
	}
	r := env.Do("POST", "/api/roles", token, map[string]any{"name": name, "kind": kind, "permissions": grants})
	return mustStatus(t, "create role "+name, r, 201)["id"].(string)
}

func signInStatus(env *testkit.Env, email, password string) int {
	env.T.Helper()
	return env.Do("POST", "/api/sessions", "", map[string]string{"email": email, "password": password}).Status
}

// 1. A role manager who may edit client accounts only flips an internal role (that their
// own role covers) to the client kind, or moves its holders into a client role by
// deleting it, and then resets the holder's password: an internal account taken over.
func TestSecurity01_RoleKindFlip(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	// The victim's role holds only grants a portal role may hold too, so the flip passes
	// the kind's grant validation (with V = {users.view:all} it would stop there at 422).
	v := newRole(t, env, owner, "Viewer", "internal", [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"})
	attackerRole := newRole(t, env, owner, "Client desk", "internal", [2]string{"roles.manage", ""}, [2]string{"users.edit", "clients"},
		[2]string{"users.view", "all"}, [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"})
	victim := env.CreateUser(owner, "Victor Victim", "victim@example.com", v, initialPW)
	env.SignInFresh("victim@example.com", initialPW, ownPW)
	env.CreateUser(owner, "Mallory Desk", "mallory@example.com", attackerRole, initialPW)
	mallory := env.SignInFresh("mallory@example.com", initialPW, ownPW)
	const stolen = "mallory owns this now 42"
	if r := env.Do("POST", "/api/users/"+victim+"/password", mallory, map[string]any{"password": stolen}); r.Status != 403 {
		t.Fatalf("setup: before the flip the attacker already resets the internal victim: %d %s", r.Status, r.Body)
	}

	r := env.Do("PATCH", "/api/roles/"+v, mallory, map[string]any{"kind": "client"})
	if r.Status != 403 {
		t.Errorf("flipping an internal role to client: %d %s, want 403", r.Status, r.Body)
	}
	if k := env.Do("GET", "/api/roles/"+v, owner, nil).JSON()["kind"]; k != "internal" {
		t.Errorf("the victim's role is now %v, want internal", k)
	}
	if r := env.Do("POST", "/api/users/"+victim+"/password", mallory, map[string]any{"password": stolen}); r.Status == 200 {
		t.Errorf("after the flip the attacker reset the internal victim's password: %d", r.Status)
	}
	if s := signInStatus(env, "victim@example.com", stolen); s == 201 {
		t.Errorf("the attacker signs in as the victim")
	}
	if s := signInStatus(env, "victim@example.com", ownPW); s != 201 {
		t.Errorf("the victim's own password no longer works: %d", s)
	}

	// Variant: deleting the role moves its holders into a client role the attacker may give.
	c := newRole(t, env, owner, "Portal guest", "client", [2]string{"projects.view", "assigned"})
	v2 := newRole(t, env, owner, "Viewer two", "internal", [2]string{"projects.view", "assigned"}, [2]string{"tasks.view", "all"})
	victim2 := env.CreateUser(owner, "Vera Victim", "vera@example.com", v2, initialPW)
	env.SignInFresh("vera@example.com", initialPW, ownPW)
	r = env.Do("DELETE", "/api/roles/"+v2+"?reassignTo="+c, mallory, nil)
	if r.Status != 403 {
		t.Errorf("deleting an internal role into a client role: %d %s, want 403", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/roles/"+v2, owner, nil); r.Status != 200 {
		t.Errorf("the victim's role is gone: %d", r.Status)
	}
	if u := env.Do("GET", "/api/users/"+victim2, owner, nil).JSON(); u["roleId"] != v2 || u["roleKind"] != "internal" {
		t.Errorf("the victim was moved: role %v (%v)", u["roleId"], u["roleKind"])
	}
	if r := env.Do("POST", "/api/users/"+victim2+"/password", mallory, map[string]any{"password": stolen}); r.Status == 200 {
		t.Errorf("after the reassignment the attacker reset the internal victim's password")
	}
	if s := signInStatus(env, "vera@example.com", stolen); s == 201 {
		t.Errorf("the attacker signs in as the second victim")
	}
}

// 2. A Team Leader widens what they see: by adding people to the team they lead, through
// the audit log of a team the owner was put in, and by viewing as a member who sees
// projects the leader does not.
func TestSecurity02_TeamLeaderWidensSight(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	teamMembers := func() []string {
		var out []string
		for _, m := range w.must(w.do("GET", "/api/teams/"+id("T1"), "admin", nil), 200)["members"].([]any) {
			out = append(out, m.(string))
		}
		slices.Sort(out)
		return out
	}
	was := teamMembers()

	// (a) The leader adds the owner to the team.
	r := w.do("PATCH", "/api/teams/"+id("T1"), "leader", map[string]any{"members": []string{id("staffB"), id("leader"), id("admin")}})
	if r.Status != 403 {
		t.Errorf("(a) leader adding the owner to the team: %d %s, want 403", r.Status, r.Body)
	}
	if now := teamMembers(); !slices.Equal(now, was) {
		t.Errorf("(a) the team changed: %v, was %v", now, was)
	}

	// (b) The owner is in the team legitimately; what they do elsewhere stays hidden.
	w.must(w.do("PATCH", "/api/teams/"+id("T1"), "admin", map[string]any{"members": []string{id("staffB"), id("leader"), id("admin")}}), 200)
	w.must(w.do("POST", "/api/projects", "admin", map[string]any{"name": "Hidden X"}), 201)
	for _, path := range []string{"/api/audit?limit=200", "/api/audit?q=Hidden"} {
		r := w.do("GET", path, "leader", nil)
		if strings.Contains(string(r.Body), "Hidden X") {
			t.Errorf("(b) leader GET %s (%d) shows the owner's project \"Hidden X\" the leader is not on", path, r.Status)
		}
	}

	// (c) View as a team member who sees a project the leader does not.
	if r := w.do("GET", "/api/projects/"+id("P1"), "leader", nil); r.Status != 404 {
		t.Fatalf("setup: the leader sees P1: %d", r.Status)
	}
	w.must(w.do("PATCH", "/api/teams/"+id("T1"), "admin", map[string]any{"members": []string{id("staffB"), id("leader"), id("admin"), id("contractor")}}), 200)
	start := w.do("POST", "/api/view-as", "leader", map[string]any{"userId": id("contractor")})
	refused := start.Status == 403
	if start.Status != 204 && !refused {
		t.Errorf("(c) starting view-as: %d %s", start.Status, start.Body)
	}
	as := map[string]string{"X-View-As": id("contractor")}
	list := w.env.DoWithHeaders("GET", "/api/projects", w.tokens["leader"], nil, as)
	switch {
	case strings.Contains(string(list.Body), id("P1")) || strings.Contains(string(list.Body), "Website"):
		t.Errorf("(c) leader viewing as the contractor lists P1 (Website), which the leader cannot see: %d", list.Status)
	case list.Status != 200 && !refused:
		t.Errorf("(c) project list as the contractor: %d %s", list.Status, list.Body)
	}
	item := w.env.DoWithHeaders("GET", "/api/projects/"+id("P1"), w.tokens["leader"], nil, as)
	if item.Status != 404 && !(refused && item.Status == 403) {
		t.Errorf("(c) leader viewing as the contractor GET P1: %d %s, want 404", item.Status, item.Body)
	}
}

// residentBytes is this process's resident memory after a full collection.
func residentBytes(t *testing.T) uint64 {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	f := strings.Fields(string(raw))
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * uint64(os.Getpagesize())
}

// 3. An unauthenticated sign-in with a ~1000 KiB email is hashed and its email kept as a
// throttle key: a flood of such requests fills memory.
func TestSecurity03_HugeEmailsFillMemory(t *testing.T) {
	env := testkit.Start(t)
	env.Setup()
	huge := func(i int) string {
		return fmt.Sprintf("%08d", i) + strings.Repeat("a", 1000*1024-len("@example.com")-8) + "@example.com"
	}
	r := env.Do("POST", "/api/sessions", "", map[string]string{"email": huge(0), "password": "some guess or other"})
	if r.Status != 422 || r.ErrField() != "email" {
		t.Errorf("sign-in with a %d KiB email: %d %.200s, want 422 on email", len(huge(0))/1024, r.Status, r.Body)
	}

	const n, addresses = 200, 15
	before := residentBytes(t)
	statuses := map[int]int{}
	for i := 1; i <= n; i++ {
		env.Remote = fmt.Sprintf("127.0.0.%d", 10+i%addresses)
		s, _ := rawDo(env, "POST", "/api/sessions", "", map[string]string{"email": huge(i), "password": "some guess or other"})
		statuses[s]++
	}
	env.Remote = ""
	after := residentBytes(t)
	grew := int64(after) - int64(before)
	t.Logf("%d sign-ins with unique %d KiB emails from %d addresses (statuses %v): RSS %d MiB → %d MiB (%+d MiB)",
		n, len(huge(0))/1024, addresses, statuses, before>>20, after>>20, grew>>20)
	if grew >= 100<<20 {
		t.Errorf("the server holds %d MiB more after %d unauthenticated sign-ins with huge emails (limit 100 MiB)", grew>>20, n)
	}
}

// 4. Unauthenticated starts and junk callbacks of Google sign-in fill the bounded tables,
// so nobody else can sign in with Google.
func TestSecurity04_GoogleSignInJammed(t *testing.T) {
	t.Run("starts", func(t *testing.T) {
		g := startGoogle(t)
		g.Remote = "127.0.0.9"
		b := g.Browser()
		for i := 0; i < 500; i++ {
			b.Get("/api/auth/google/start")
		}
		g.Remote = "127.0.0.2"
		r := g.Browser().Get("/api/auth/google/start")
		if loc := r.Header.Get("Location"); r.Status != http.StatusFound || !strings.HasPrefix(loc, g.idp.URL()+"/authorize?") {
			t.Errorf("after 500 starts from 127.0.0.9, a start from 127.0.0.2: %d to %q, want 302 to the provider", r.Status, loc)
		}
	})
	t.Run("junk callbacks", func(t *testing.T) {
		g := startGoogle(t)
		g.Remote = "127.0.0.9"
		b := g.Browser()
		for i := 0; i < 2000; i++ {
			b.Get(fmt.Sprintf("/api/auth/google/callback?state=junk%d&code=x", i))
		}
		g.Remote = "127.0.0.2"
		t.Log("after 2000 junk callbacks from 127.0.0.9, a legitimate sign-in from 127.0.0.2:")
		r := g.signIn(t, oidcprovider.Account{Subject: "jam-victim", Email: "jam.victim@example.com", Name: "Jam Victim", EmailVerified: true})
		if r.Status != 201 {
			t.Errorf("after 2000 junk callbacks from 127.0.0.9, a sign-in from 127.0.0.2: %d %s, want 201", r.Status, r.Body)
		}
	})
}

// 5. Parallel password changes with wrong current passwords all pass the throttle's
// check before any failure is counted.
func TestSecurity05_ParallelPasswordChangeGuesses(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Paula Guessed", "paula@example.com", "staff", initialPW)
	tok := env.SignInFresh("paula@example.com", initialPW, ownPW)
	const n = 40
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, _ := rawDo(env, "POST", "/api/me/password", tok, map[string]string{"current": fmt.Sprintf("guess number %d", i), "new": "a brand new passphrase 9"})
			statuses <- s
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	t.Logf("statuses of %d parallel guesses: %v", n, counts)
	if counts[422] > 5 {
		t.Errorf("%d of %d parallel wrong current passwords were checked (422); at most 5 may be", counts[422], n)
	}
	if counts[422]+counts[429] != n {
		t.Errorf("answers other than 422 and 429: %v", counts)
	}
	env.Clock.Advance(20 * time.Minute)
	if s := signInStatus(env, "paula@example.com", ownPW); s != 201 {
		t.Errorf("the real password after the guesses (and the throttle's delay): %d", s)
	}
}

// 6. Strangers lock the owner out by guessing from their own address; and spreading the
// guesses for one account over many addresses must not escape the throttle.
func TestSecurity06_OwnerLockoutByStrangers(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.Remote = "127.0.0.66"
	var seen []int
	for i := 0; i < 10; i++ {
		seen = append(seen, signInStatus(env, testkit.Owner.Email, "a stranger's guess"))
	}
	env.Remote = "127.0.0.1"
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": testkit.Owner.Password}); r.Status != 201 {
		t.Errorf("after 10 wrong guesses from 127.0.0.66 (%v), the owner from 127.0.0.1: %d %s, want 201", seen, r.Status, r.Body)
	}

	env.CreateUser(owner, "Sam Target", "sam@example.com", "staff", initialPW)
	first := 0
	for i := 0; i < 30; i++ {
		env.Remote = fmt.Sprintf("127.0.0.%d", 100+i)
		if s := signInStatus(env, "sam@example.com", "a spread-out guess"); s == 429 && first == 0 {
			first = i + 1
		}
	}
	env.Remote = ""
	if first == 0 || first >= 30 {
		t.Errorf("30 guesses for one account from 30 addresses: first 429 at guess %d, want one before the 30th", first)
	}

	// Guesses spread over many addresses hold back addresses the account never signed in
	// from, but not the owner's usual one.
	env.Clock.Advance(time.Hour)
	for i := 0; i < 30; i++ {
		env.Remote = fmt.Sprintf("127.0.1.%d", i)
		signInStatus(env, testkit.Owner.Email, "a spread-out guess")
	}
	env.Remote = "127.0.2.1"
	if s := signInStatus(env, testkit.Owner.Email, testkit.Owner.Password); s != 429 {
		t.Errorf("the owner's password from a new address while the account is under a spread-out attack: %d, want 429", s)
	}
	env.Remote = "127.0.0.1"
	if s := signInStatus(env, testkit.Owner.Email, testkit.Owner.Password); s != 201 {
		t.Errorf("the owner from the address they signed in from before, during the same attack: %d, want 201", s)
	}
	env.Remote = ""
}

// 7. A task type only the admin may create and assign: a staff member clears the type,
// then assigns the task to themselves.
func TestSecurity07_TaskTypeBypass(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	bug := w.must(w.do("POST", "/api/task-types", "admin", map[string]any{"name": "Bug",
		"access": []map[string]any{{"type": "user", "id": id("admin"), "create": true, "assign": true}}}), 201)["id"].(string)
	task := w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "Crash on save",
		"typeId": bug, "assigneeId": id("contractor")}), 201)["id"].(string)
	w.must(w.do("GET", "/api/tasks/"+task, "staffA", nil), 200)

	if r := w.do("PATCH", "/api/tasks/"+task, "staffA", map[string]any{"typeId": ""}); r.Status != 403 {
		t.Errorf("staff clearing the Bug type: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+task, "staffA", map[string]any{"assigneeId": id("staffA")}); r.Status != 403 {
		t.Errorf("staff then assigning the task to themselves: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/tasks/"+task, "staffA", map[string]any{"typeId": "", "assigneeId": id("staffA")}); r.Status != 403 {
		t.Errorf("staff clearing the type and assigning in one request: %d %s, want 403", r.Status, r.Body)
	}
	after := w.must(w.do("GET", "/api/tasks/"+task, "admin", nil), 200)
	if after["typeId"] != bug || after["assigneeId"] != id("contractor") {
		t.Errorf("the task is now of type %q assigned to %q, want %q and the contractor", after["typeId"], after["assigneeId"], bug)
	}
}

// 8. A follower who sees one task of a project they cannot see learns the project's name
// and id from the task's access list and from the explanation of someone else's access.
func TestSecurity08_HiddenProjectNamedToFollower(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	f := newRole(t, w.env, w.owner, "Follower", "internal", [2]string{"users.view", "all"}, [2]string{"tasks.view", "all"},
		[2]string{"tasks.view_internal", ""})
	fern := w.env.CreateUser(w.owner, "Fern Follower", "fern@example.com", f, initialPW)
	w.tokens["fern"] = w.env.SignInFresh("fern@example.com", initialPW, ownPW)
	w.must(w.do("PATCH", "/api/projects/"+id("P3"), "admin", map[string]any{"members": []string{id("staffC")}}), 200)
	task := w.must(w.do("POST", "/api/projects/"+id("P3")+"/tasks", "admin", map[string]any{"title": "Quarterly figures"}), 201)["id"].(string)
	w.must(w.do("POST", "/api/tasks/"+task+"/followers", "admin", map[string]any{"userId": fern}), 200)
	w.must(w.do("GET", "/api/tasks/"+task, "fern", nil), 200)
	if r := w.do("GET", "/api/projects/"+id("P3"), "fern", nil); r.Status != 404 {
		t.Fatalf("setup: the follower sees P3: %d", r.Status)
	}

	leaks := func(what string, r *testkit.Resp) {
		t.Helper()
		if b := string(r.Body); strings.Contains(b, "Secret") || strings.Contains(b, id("P3")) {
			t.Errorf("%s (%d) names the hidden project (\"Secret\" or its id): %s", what, r.Status, b)
		}
	}
	leaks("GET /api/tasks/{id}/access as the follower", w.do("GET", "/api/tasks/"+task+"/access", "fern", nil))
	leaks("GET /api/tasks/{id} as the follower", w.do("GET", "/api/tasks/"+task, "fern", nil))
	leaks("GET /api/tasks as the follower", w.do("GET", "/api/tasks", "fern", nil))
	for _, who := range []string{"staffC", "staffA", "admin"} {
		q := url.Values{"userId": {id(who)}, "action": {"tasks.view"}, "resourceType": {"task"}, "resourceId": {task}}
		leaks("explain for "+who+" as the follower", w.do("GET", "/api/access/explain?"+q.Encode(), "fern", nil))
	}
}

// 9. A client learns who the other clients on their project are through a task's
// followers.
func TestSecurity09_ClientsLearnOtherClients(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	w.must(w.do("PATCH", "/api/projects/"+id("P1"), "admin", map[string]any{"clients": []string{id("client1"), id("client2")}}), 200)
	w.must(w.do("POST", "/api/tasks/"+id("t1c")+"/followers", "admin", map[string]any{"userId": id("client2")}), 200)
	for _, path := range []string{"/api/tasks/" + id("t1c") + "/followers", "/api/tasks/" + id("t1c")} {
		r := w.do("GET", path, "client1", nil)
		if b := string(r.Body); strings.Contains(b, "client2 Person") || strings.Contains(b, id("client2")) {
			t.Errorf("client1 GET %s (%d) shows the other client: %s", path, r.Status, b)
		}
	}
}

// 10. A password sign-in for an account registered through Google (no password) skips
// the Argon2 work, so its answer time tells the account exists.
func TestSecurity10_GoogleOnlyAccountTimingOracle(t *testing.T) {
	g := startGoogle(t)
	userOf(t, g.signIn(t, newPerson)) // registered through Google: no password
	allocated := func(email string) uint64 {
		t.Helper()
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		r := g.Do("POST", "/api/sessions", "", map[string]string{"email": email, "password": "a password guess here"})
		runtime.ReadMemStats(&m1)
		if r.Status != 401 {
			t.Errorf("sign-in as %s: %d %s", email, r.Status, r.Body)
		}
		return m1.TotalAlloc - m0.TotalAlloc
	}
	unknown := allocated("nobody.at.all@example.com")
	googleOnly := allocated(newPerson.Email)
	t.Logf("allocated during one password sign-in: unknown email %d KiB, Google-only account %d KiB", unknown>>10, googleOnly>>10)
	if googleOnly < unknown/2 {
		t.Errorf("a password sign-in for the Google-only account does far less work (%d KiB) than for an unknown email (%d KiB)",
			googleOnly>>10, unknown>>10)
	}
}

// 11. Login CSRF: the one-time result of the attacker's own Google sign-in, handed to a
// victim's browser, signs the victim in as the attacker.
func TestSecurity11_GoogleResultLoginCSRF(t *testing.T) {
	g := startGoogle(t)
	g.idp.SignInAs(oidcprovider.Account{Subject: "attacker-sub", Email: "attacker@example.com", Name: "Ada Attacker", EmailVerified: true})
	f := g.begin(t, g.Browser()) // the attacker's own browser
	back := location(t, f.b.Get(f.callback))
	const prefix = "/#/auth/google?result="
	if !strings.HasPrefix(back, prefix) {
		t.Fatalf("setup: callback redirects to %s", back)
	}
	code, _ := url.QueryUnescape(strings.TrimPrefix(back, prefix))
	// The victim's browser: a fresh one, with no cookie of this sign-in.
	r := g.Browser().PostJSON("/api/auth/google/result", map[string]string{"result": code})
	if r.Status != 401 {
		t.Errorf("the attacker's result code taken in another browser: %d, want 401", r.Status)
	}
	if tok, _ := r.JSON()["token"].(string); tok != "" {
		t.Errorf("the victim's browser got a session of the attacker's account")
	}
	// The browser that started the sign-in still gets its session.
	if r := f.b.PostJSON("/api/auth/google/result", map[string]string{"result": code}); r.Status != 201 {
		t.Errorf("the starting browser taking its own result: %d %s", r.Status, r.Body)
	}
}

// 12. On an open board, anyone with tasks.columns may remove stages, make it invite-only
// or delete it, even when it holds tasks of projects they cannot see.
func TestSecurity12_OpenBoardTakenByOutsider(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	board := w.must(w.do("GET", "/api/boards/"+id("Bopen"), "admin", nil), 200)
	stages := board["stages"].([]any)
	first := stages[0].(map[string]any)["id"].(string)
	if task := w.must(w.do("GET", "/api/tasks/"+id("t1open"), "admin", nil), 200); task["boardId"] != id("Bopen") || task["stage"] != first {
		t.Fatalf("setup: t1open is not in Bopen's first stage: %v", task)
	}
	if r := w.do("GET", "/api/tasks/"+id("t1open"), "staffB", nil); r.Status != 404 {
		t.Fatalf("setup: staffB sees t1open: %d", r.Status)
	}
	before := w.env.Snapshot()
	if r := w.do("PATCH", "/api/boards/"+id("Bopen"), "staffB", map[string]any{"stages": stages[1:]}); r.Status != 403 {
		t.Errorf("staffB removing the stage that holds a P1 task: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("PATCH", "/api/boards/"+id("Bopen"), "staffB", map[string]any{"visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": id("staffB"), "level": "editor"}}}); r.Status != 403 {
		t.Errorf("staffB making the open board invite-only for themselves: %d %s, want 403", r.Status, r.Body)
	}
	if r := w.do("DELETE", "/api/boards/"+id("Bopen"), "staffB", nil); r.Status != 403 {
		t.Errorf("staffB deleting the open board: %d %s, want 403", r.Status, r.Body)
	}
	if w.env.Snapshot() != before {
		t.Errorf("staffB's requests changed the database")
	}
	if task := w.do("GET", "/api/tasks/"+id("t1open"), "admin", nil).JSON(); task["boardId"] != id("Bopen") || task["stage"] != first {
		t.Errorf("t1open left its board or stage: board %v, stage %v", task["boardId"], task["stage"])
	}
}

// 13. A user whose role holds users.edit:all resets their own password through the admin
// route, without the current password (and past its throttle).
func TestSecurity13_SelfResetWithoutCurrentPassword(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := newRole(t, env, owner, "User editor", "internal", [2]string{"users.view", "all"}, [2]string{"users.edit", "all"})
	self := env.CreateUser(owner, "Ed Editor", "ed@example.com", role, initialPW)
	tok := env.SignInFresh("ed@example.com", initialPW, ownPW)
	const chosen = "a self chosen passphrase 5"
	r := env.Do("POST", "/api/users/"+self+"/password", tok, map[string]any{"password": chosen})
	if r.Status != 403 && r.Status != 409 {
		t.Errorf("resetting one's own password through /api/users/{self}/password: %d %s, want 403 or 409", r.Status, r.Body)
	}
	if s := signInStatus(env, "ed@example.com", ownPW); s != 201 {
		t.Errorf("the current password no longer works: %d", s)
	}
	if s := signInStatus(env, "ed@example.com", chosen); s == 201 {
		t.Errorf("the password set through the admin route works")
	}
}

// 14. A password change whose body arrives slowly is authenticated before its body is
// read: the account is deactivated meanwhile, and the change still goes through.
func TestSecurity14_SlowBodyOutlivesDeactivation(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	uid := env.CreateUser(owner, "Ursula Slow", "ursula@example.com", "staff", initialPW)
	tok := env.SignInFresh("ursula@example.com", initialPW, ownPW)
	const sneaky = "a sneaky new passphrase 3"

	body, feed := io.Pipe()
	req, err := http.NewRequest("POST", env.Server.URL+"/api/me/password", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	type answer struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := env.Server.Client().Do(req)
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		done <- answer{status: res.StatusCode, body: b}
	}()
	if _, err := feed.Write([]byte(`{"current":"` + ownPW + `",`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the handler has the headers and waits for the rest
	mustStatus(t, "deactivate", env.Do("POST", "/api/users/"+uid+"/deactivate", owner, nil), 200)
	if _, err := feed.Write([]byte(`"new":"` + sneaky + `"}`)); err != nil {
		t.Fatal(err)
	}
	feed.Close()
	a := <-done
	if a.err != nil {
		t.Fatalf("request: %v", a.err)
	}
	if a.status == 204 {
		t.Errorf("the password change of a user deactivated while sending it: 204")
	}
	mustStatus(t, "reactivate", env.Do("POST", "/api/users/"+uid+"/reactivate", owner, nil), 200)
	if s := signInStatus(env, "ursula@example.com", ownPW); s != 201 {
		t.Errorf("the password from before no longer works: %d", s)
	}
	if s := signInStatus(env, "ursula@example.com", sneaky); s == 201 {
		t.Errorf("the password sent while deactivated works")
	}
}

// 15. Without activity.clients, the audit log still shows clients' actions and names: a
// client's review and a client made follower.
func TestSecurity15_ClientActivityWithoutActivityClients(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	a := newRole(t, w.env, w.owner, "Activity reader", "internal", [2]string{"activity.team", "all"}, [2]string{"users.view", "all"})
	w.env.CreateUser(w.owner, "Ava Reader", "ava@example.com", a, initialPW)
	w.tokens["ava"] = w.env.SignInFresh("ava@example.com", initialPW, ownPW)
	st := stageIDs(w.must(w.do("GET", "/api/boards/"+id("Bopen"), "admin", nil), 200)) // To do, In progress, Client review, Done
	task := w.must(w.do("POST", "/api/projects/"+id("P1")+"/tasks", "admin", map[string]any{"title": "Logo proof", "clientVisible": true,
		"boardId": id("Bopen"), "stageId": st[2]}), 201)["id"].(string)
	w.must(w.do("POST", "/api/tasks/"+task+"/review", "client1", map[string]any{"decision": "approve"}), 200)
	w.must(w.do("POST", "/api/tasks/"+id("t1c")+"/followers", "admin", map[string]any{"userId": id("client1")}), 200)

	r := w.do("GET", "/api/audit?limit=200", "ava", nil)
	if r.Status != 200 {
		t.Fatalf("audit: %d %s", r.Status, r.Body)
	}
	if strings.Contains(string(r.Body), "client1 Person") {
		t.Errorf("the audit log without activity.clients names the client")
	}
	for _, it := range r.JSON()["items"].([]any) {
		if e := it.(map[string]any); e["action"] == "task.review" {
			t.Errorf("the audit log without activity.clients shows the client's review: %v", e)
		}
	}
}

// 16. Emails that look like the owner's (zero-width space, fullwidth letters, a Cyrillic
// letter) make a second account that looks like the owner.
func TestSecurity16_LookalikeEmails(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	for _, email := range []string{"owner@example.com\u200b", "ｏｗｎｅｒ@example.com", "\u043ewner@example.com"} {
		r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Olivia Owner", "email": email, "roleId": "staff", "password": "a lookalike passphrase 8"})
		if r.Status != 409 && !(r.Status == 422 && r.ErrField() == "email") {
			t.Errorf("creating %+q: %d %s, want 409, or 422 on email", email, r.Status, r.Body)
		}
	}
}

// 17. Role changes decided on a stale read: a demotion computed before a promotion lands
// after it, unchecked and unaudited, and can leave no active Admin; a role assigned
// while it is deleted fails with a 500.
func TestSecurity17_RoleChangeRaces(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	deputy := mustStatus(t, "clone admin", env.Do("POST", "/api/roles/admin/clone", owner, map[string]any{"name": "Deputy"}), 201)["id"].(string)
	env.CreateUser(owner, "Kim Deputy", "kim@example.com", deputy, initialPW)
	k := env.SignInFresh("kim@example.com", initialPW, ownPW)
	u := env.CreateUser(owner, "Uma Staff", "uma@example.com", "staff", initialPW)

	activeAdmins := func() int {
		s, b := rawDo(env, "GET", "/api/users?roleId=admin&status=active", k, nil)
		var page struct {
			Total int `json:"total"`
		}
		if s != 200 || json.Unmarshal(b, &page) != nil {
			t.Fatalf("active admins: %d %s", s, b)
		}
		return page.Total
	}
	const rounds, workers = 30, 8
	noAdmin := 0
	for round := 0; round < rounds; round++ {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					rawDo(env, "PATCH", "/api/users/"+u, k, map[string]any{"roleId": "staff"})
				}
			}()
		}
		// K also keeps trying to demote the owner: refused while the owner is the last
		// Admin, it goes through once U is Admin too.
		demoted := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if s, _ := rawDo(env, "PATCH", "/api/users/"+ownerID, k, map[string]any{"roleId": "staff"}); s == 200 {
					close(demoted)
					return
				}
			}
		}()
		time.Sleep(5 * time.Millisecond)
		rawDo(env, "PATCH", "/api/users/"+u, owner, map[string]any{"roleId": "admin"})
		select {
		case <-demoted:
		case <-time.After(200 * time.Millisecond):
		}
		close(stop)
		wg.Wait()
		if n := activeAdmins(); n < 1 {
			noAdmin++
			t.Errorf("round %d: %d active Admins", round, n)
		}
		// Back to the start: the owner is Admin, U is Staff.
		if s, b := rawDo(env, "PATCH", "/api/users/"+ownerID, k, map[string]any{"roleId": "admin"}); s != 200 {
			t.Fatalf("round %d: restore the owner: %d %s", round, s, b)
		}
		if s, b := rawDo(env, "PATCH", "/api/users/"+u, k, map[string]any{"roleId": "staff"}); s != 200 {
			t.Fatalf("round %d: restore U: %d %s", round, s, b)
		}
	}

	// Every role change of U is in the audit log: the entries form one chain from Staff to
	// U's role now.
	var changes []map[string]any
	for cursor := ""; ; {
		s, b := rawDo(env, "GET", "/api/audit?action=user.role_change&targetId="+u+"&limit=200"+cursor, k, nil)
		var page struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		if s != 200 || json.Unmarshal(b, &page) != nil {
			t.Fatalf("audit: %d %s", s, b)
		}
		changes = append(changes, page.Items...)
		if page.Next == nil {
			break
		}
		cursor = "&cursor=" + *page.Next
	}
	slices.Reverse(changes) // oldest first
	// Each names the roles it moved between ({from, to}, each a role named as it is now).
	role, breaks := "Staff", 0
	name := func(v any) string { r, _ := v.(map[string]any); n, _ := r["name"].(string); return n }
	for _, c := range changes {
		d, _ := c["details"].(map[string]any)
		chg, _ := d["role"].(map[string]any)
		if name(chg["from"]) != role {
			breaks++
		}
		role = name(chg["to"])
	}
	now, _ := env.Do("GET", "/api/users/"+u, k, nil).JSON()["roleName"].(string)
	if role != now {
		breaks++
	}
	t.Logf("%d rounds: %d ended without an active Admin; %d audited role changes of U, %d unaudited changes between them", rounds, noAdmin, len(changes), breaks)
	if breaks > 0 {
		t.Errorf("%d role changes of U are missing from the audit log (the user.role_change entries do not chain from Staff to %s)", breaks, now)
	}

	// Deleting a role while it is being given: no 500s.
	counts := map[int]int{}
	var mu sync.Mutex
	for round := 0; round < 100; round++ {
		r := newRole(t, env, owner, fmt.Sprintf("Short-lived %d", round), "internal", [2]string{"projects.view", "assigned"})
		if s, b := rawDo(env, "PATCH", "/api/users/"+u, k, map[string]any{"roleId": r}); s != 200 {
			t.Fatalf("round %d: give the role: %d %s", round, s, b)
		}
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var s int
				if i == 3 {
					s, _ = rawDo(env, "DELETE", "/api/roles/"+r+"?reassignTo=staff", k, nil)
				} else {
					s, _ = rawDo(env, "PATCH", "/api/users/"+u, k, map[string]any{"roleId": r})
				}
				mu.Lock()
				counts[s]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		rawDo(env, "DELETE", "/api/roles/"+r+"?reassignTo=staff", k, nil)
	}
	t.Logf("1000 racing role deletions and assignments: %v", counts)
	if counts[500] > 0 || counts[0] > 0 {
		t.Errorf("%d answers were 500 (%d requests failed outright)", counts[500], counts[0])
	}
}

// 18. (a) Explaining an action that does not exist says "allowed"; (b) the UI is served
// without a Content-Security-Policy or framing protection; (c) staff assign an internal
// task to a client.
func TestSecurity18_ExplainUnknownActionHeadersAndClientAssignee(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	t.Run("explain an unknown action", func(t *testing.T) {
		for _, res := range []struct{ typ, name string }{{"project", "P1"}, {"board", "Bopen"}, {"task", "t1c"}} {
			q := url.Values{"userId": {id("admin")}, "action": {"no.such.action"}, "resourceType": {res.typ}, "resourceId": {id(res.name)}}
			if r := w.do("GET", "/api/access/explain?"+q.Encode(), "admin", nil); r.Status != 422 {
				t.Errorf("explain no.such.action on a %s: %d %s, want 422", res.typ, r.Status, r.Body)
			}
		}
	})
	t.Run("UI security headers", func(t *testing.T) {
		h := w.env.Core.Handler(core.HandlerOptions{Frontend: fstest.MapFS{
			"index.html": {Data: []byte("<!doctype html><title>Gatehouse</title><div id=app></div>")}}})
		for _, path := range []string{"/", "/some/app/route"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != 200 {
				t.Errorf("GET %s: %d", path, rec.Code)
				continue
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if csp == "" {
				t.Errorf("GET %s has no Content-Security-Policy", path)
			}
			if xfo := rec.Header().Get("X-Frame-Options"); !strings.EqualFold(xfo, "DENY") && !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("GET %s may be framed: X-Frame-Options %q, CSP %q", path, xfo, csp)
			}
		}
	})
	t.Run("internal task assigned to a client", func(t *testing.T) {
		r := w.do("PATCH", "/api/tasks/"+id("t1i"), "staffA", map[string]any{"assigneeId": id("client1")})
		if r.Status != 422 {
			t.Errorf("staff assigning the internal task t1i to client1: %d %s, want 422", r.Status, r.Body)
		}
		if task := w.do("GET", "/api/tasks/"+id("t1i"), "admin", nil).JSON(); task["assigneeId"] == id("client1") {
			t.Errorf("the internal task is assigned to the client")
		}
	})
}
