package httpapi_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit/oidcprovider"
)

// Fourth attack round (the second on email), each seen failing on the code before its fix.

var mailedPassword = regexp.MustCompile(`and the password: (\S+)`)

// R4-1: the F3 fix ends *links* when the email is corrected, but not a *password* the
// welcome mail carried to the mistyped address: its reader signs in at the corrected
// address and takes the account.
func TestReview4MailedPasswordSurvivesEmailCorrection(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Bob Builder", "email": "bob@acme.tset", "roleId": "staff", "includePassword": true})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	bob := r.JSON()["id"].(string)
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := mailedPassword.FindStringSubmatch(msgs[0].Body) // in the stranger's mailbox at acme.tset
	if m == nil {
		t.Fatalf("no password in the mail:\n%s", msgs[0].Body)
	}
	if r := env.Do("PATCH", "/api/users/"+bob, owner, map[string]any{"email": "bob@acme.test"}); r.Status != 200 {
		t.Fatalf("fix email: %d %s", r.Status, r.Body)
	}
	s := env.Do("POST", "/api/sessions", "", map[string]string{"email": "bob@acme.test", "password": m[1]})
	if s.Status == 201 {
		tok := s.JSON()["token"].(string)
		if c := env.Do("POST", "/api/me/password", tok, map[string]string{"current": m[1], "new": "stranger owns bob now 42"}); c.Status == 204 {
			t.Errorf("TAKEOVER: the password mailed to the mistyped address still signs in after the email was corrected, and the stranger set his own")
		}
	}
}

// R4-3a: POST /api/me/email is an account-existence oracle for every signed-in person,
// a client (portal) account included: 409 email_taken for any address with an account
// (staff they cannot see), 200 otherwise — while forgot-password and the import's dry
// run are careful never to say so.
func TestReview4OwnEmailChangeIsAnExistenceOracleForClients(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	env.CreateUser(owner, "Carl Client", "carl@customer.test", "client", initialPW)
	carl := env.SignInFresh("carl@customer.test", initialPW, ownPW)
	env.CreateUser(owner, "Hidden Staff", "ceo.private@acme.test", "staff", initialPW)
	taken := env.Do("POST", "/api/me/email", carl, map[string]any{"password": ownPW, "email": "ceo.private@acme.test"})
	free := env.Do("POST", "/api/me/email", carl, map[string]any{"password": ownPW, "email": "nobody@acme.test"})
	if taken.Status != 202 || free.Status != 202 || strings.ReplaceAll(string(taken.Body), "ceo.private@acme.test", "X") != strings.ReplaceAll(string(free.Body), "nobody@acme.test", "X") {
		t.Fatalf("ORACLE: taken %d %s / free %d %s", taken.Status, taken.Body, free.Status, free.Body)
	}
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if len(srv.Messages()) != 1 || msgs[0].To[0] != "nobody@acme.test" {
		t.Fatalf("mails: %+v", srv.Messages())
	}
	// Until the link is opened, nothing changes; opened, the email is the new one.
	if me := env.Do("GET", "/api/me", carl, nil).JSON()["user"].(map[string]any); me["email"] != "carl@customer.test" {
		t.Fatalf("changed before confirmation: %v", me)
	}
	code := regexp.MustCompile(`confirm-email\?token=([a-z2-7]{32})`).FindStringSubmatch(msgs[0].Body)
	if code == nil {
		t.Fatalf("no link: %s", msgs[0].Body)
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": code[1], "password": "not with this link 1"}); r.Status != 404 {
		t.Fatalf("an email link set a password: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/auth/confirm-email", "", map[string]string{"token": code[1]}); r.Status != 200 || r.JSON()["email"] != "nobody@acme.test" {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	env.SignIn("nobody@acme.test", ownPW)
	if r := env.Do("POST", "/api/auth/confirm-email", "", map[string]string{"token": code[1]}); r.Status != 404 {
		t.Fatalf("second use: %d", r.Status)
	}
}

// R4-3b: the new address is never verified: a client claims an address nobody uses yet;
// when its real owner later signs in with Google (linking by email is on by default) they
// land in the client's account, linked to it for good, and the client keeps its password.
func TestReview4UnverifiedOwnEmailPreHijacksGoogleSignIn(t *testing.T) {
	g := startGoogle(t)
	g.CreateUser(g.owner, "Carl Client", "carl@customer.test", "client", initialPW)
	carl := g.SignInFresh("carl@customer.test", initialPW, ownPW)
	if r := g.Do("POST", "/api/me/email", carl, map[string]any{"password": ownPW, "email": "victor@partner.test"}); r.Status != 202 && r.Status != 409 {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	u := userOf(t, g.signIn(t, oidcprovider.Account{Subject: "victor-sub", Email: "victor@partner.test", Name: "Victor Victim", EmailVerified: true}))
	t.Logf("Victor's Google sign-in landed in: %v", u)
	if u["name"] == "Carl Client" {
		t.Errorf("PRE-HIJACK: Victor's verified Google identity is linked to Carl's account (Carl still signs in with his password)")
	}
	// And an administrator can no longer onboard the real owner of the address.
	if r := g.Do("POST", "/api/users", g.owner, map[string]any{"name": "V", "email": "victor@partner.test", "roleId": "staff", "password": initialPW}); r.Status == 409 {
		t.Logf("admin create for the claimed address: %d %s", r.Status, r.Body)
	}
}

// R4-4: the email log masks a hidden recipient by the address the mail was queued to,
// but the mail goes (and the server's refusal names) the account's address at send time.
func TestReview4LastErrorLeaksChangedAddress(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Mail Admin", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.email"}}}))
	env.CreateUser(owner, "Max Mail", "max@acme.test", role, initialPW)
	mailer := env.SignInFresh("max@acme.test", initialPW, ownPW)
	hid := env.CreateUser(owner, "Hidden Person", "hidden@acme.test", "staff", initialPW)
	hp := env.SignInFresh("hidden@acme.test", initialPW, ownPW)
	srv.Stop() // the server is down: the mail waits for a retry
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo"}))
	if r := env.Do("POST", "/api/projects/"+p+"/people", owner, map[string]any{"userId": hid}); r.Status != 200 {
		t.Fatalf("add: %d %s", r.Status, r.Body)
	}
	_ = hp
	// Its first try fails (the server is down) before anything else happens, so the retry
	// below is not overtaken by that try's own rescheduling.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if q := outbox(env, owner, "queued"); len(q) > 0 && q[0]["lastError"] != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mail was not tried: %v", outbox(env, owner, ""))
		}
	}
	if r := env.Do("PATCH", "/api/users/"+hid, owner, map[string]any{"email": "hidden.private@home.test"}); r.Status != 200 {
		t.Fatalf("email: %d %s", r.Status, r.Body)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	srv.Reject("5.1.1 <hidden.private@home.test>: Recipient address rejected: User unknown") // as Postfix words it
	var id string
	for _, m := range outbox(env, owner, "") {
		if m["kind"] == "projectAdded" {
			id = m["id"].(string)
		}
	}
	env.Do("POST", "/api/email/outbox/"+id+"/retry", mailer, nil)
	m := waitState(t, env, mailer, id, "failed")
	t.Logf("mailer's row: %v", m)
	if strings.Contains(m["lastError"].(string), "hidden.private@home.test") {
		t.Errorf("LEAK: lastError names the hidden recipient's current address")
	}
}

// R4-5: anyone, from anywhere, keeps an account's own "Forgot password?" throttled: the
// per-account limit (3) is shared by every address and, unlike sign-in, its owner's usual
// address is not exempt. Each of the stranger's requests also replaces the owner's link.
func TestReview4StrangerThrottlesOwnersReset(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	env.CreateUser(owner, "Vera Victim", "vera@acme.test", "staff", initialPW)
	env.Remote = "192.0.2.10" // Vera's usual address
	env.SignInFresh("vera@acme.test", initialPW, ownPW)
	env.Remote = "198.51.100.66" // a stranger
	for i := 0; i < 3; i++ {
		env.Do("POST", "/api/auth/forgot-password", "", map[string]any{"email": "vera@acme.test"})
	}
	env.Remote = "192.0.2.10"
	r := env.Do("POST", "/api/auth/forgot-password", "", map[string]any{"email": "vera@acme.test"})
	t.Logf("Vera from her usual address: %d %s", r.Status, r.Body)
	if r.Status == 429 {
		t.Errorf("LOCKOUT: a stranger's three requests refuse the owner's own reset request")
	}
	time.Sleep(300 * time.Millisecond)
	n := 0
	for _, m := range outbox(env, owner, "") {
		if m["kind"] == "reset" {
			n++
		}
	}
	t.Logf("reset rows in the outbox: %d", n)
	if n > 1 {
		t.Errorf("%d reset mails for one account within minutes, want 1", n)
	}
	if a := lastAudit(t, env, owner, "user.reset_requested"); a["actorName"] == "Vera Victim" {
		t.Errorf("the audit log names the victim as the one who asked: %v", a)
	}
}

// R4-6 (info): a link outlives a promotion made by editing the permissions of the role the
// account holds (the stamp has the role's id, not what it grants).
func TestReview4LinkSurvivesRolePermissionEdit(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Contractor", "kind": "internal",
		"permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}}))
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Cora Contract", "email": "cora@acme.test", "roleId": role})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token := linkToken(t, msgs[0])
	if r := env.Do("PATCH", "/api/roles/"+role, owner, map[string]any{"permissions": []map[string]string{{"key": "projects.view", "scope": "all"},
		{"key": "users.view", "scope": "all"}, {"key": "users.edit", "scope": "all"}, {"key": "users.create", "scope": "all"}}}); r.Status != 200 {
		t.Fatalf("edit role: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/auth/password-link", "", map[string]string{"token": token}); r.Status != 404 {
		t.Errorf("the link still works after its role was given every account: %d", r.Status)
	}
}

// R4-7: oneLine drops Unicode controls (Cc) but keeps line/paragraph separators
// (U+2028/U+2029) and bidi overrides (Cf): a title still lays out text of its own in
// clients that honour them.
func TestReview4OneLineKeepsSeparatorsAndBidi(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Assignee", "ann@acme.test", "staff", initialPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{ann}}))
	title := "Update\u2029\u2029IMPORTANT: your password expires today, renew at https://gatehouse-acme.example/renew\u2029\u2029\u202Eevil\u202C"
	if r := env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": title, "assigneeId": ann}); r.Status != 422 {
		t.Fatalf("a title with separators and overrides: %d %s", r.Status, r.Body)
	}
	storedTitleMail(t, env, srv, owner, p, ann, title)
	msgs, _ := srv.Wait(2, 10*time.Second)
	body := msgs[len(msgs)-1].Body
	if strings.Contains(body, "\u2029IMPORTANT") || strings.Contains(body, "\u202E") {
		t.Errorf("separators / bidi overrides reach the mail: %q", body)
	}
}
