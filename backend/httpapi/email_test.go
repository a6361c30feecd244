package httpapi_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/mail"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/smtpserver"
)

// Email against a real SMTP server on 127.0.0.1 (STARTTLS with a self-signed certificate
// and a password), reading what it delivered.

const smtpUser, smtpPassword = "gatehouse", "smtp secret 8f3a"

func startSMTP(t *testing.T) *smtpserver.Server {
	t.Helper()
	srv, err := smtpserver.Start(smtpserver.Options{TLS: true, User: smtpUser, Password: smtpPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// mailEnv is a backend whose Settings → Email point at srv.
func mailEnv(t *testing.T, srv *smtpserver.Server) (*testkit.Env, string) {
	t.Helper()
	env := testkit.Start(t, testkit.Options{Mail: mail.Options{RootCAs: srv.Roots, Backoff: func(int) time.Duration { return time.Minute }, MaxAttempts: 3}})
	owner := env.Setup()
	r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": srv.Host, "port": srv.Port, "security": "starttls",
		"username": smtpUser, "password": smtpPassword, "fromName": "Acme Gatehouse", "fromAddress": "gatehouse@acme.test", "appUrl": "http://gatehouse.acme.test:8787/"})
	if r.Status != 200 {
		t.Fatalf("email settings: %d %s", r.Status, r.Body)
	}
	return env, owner
}

var tokenInMail = regexp.MustCompile(`set-password\?token=([a-z2-7]{32})`)

func linkToken(t *testing.T, m smtpserver.Message) string {
	t.Helper()
	got := tokenInMail.FindStringSubmatch(m.Body)
	if got == nil {
		t.Fatalf("no set-password link in the mail:\n%s", m.Body)
	}
	return got[1]
}

func outbox(env *testkit.Env, token, state string) []map[string]any {
	env.T.Helper()
	path := "/api/email/outbox"
	if state != "" {
		path += "?state=" + state
	}
	r := env.Do("GET", path, token, nil)
	if r.Status != 200 {
		env.T.Fatalf("outbox: %d %s", r.Status, r.Body)
	}
	var out []map[string]any
	for _, it := range r.JSON()["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func waitState(t *testing.T, env *testkit.Env, token, id, state string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range outbox(env, token, "") {
			if m["id"] == id && m["state"] == state {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail %s never became %s: %v", id, state, outbox(env, token, ""))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// allSent waits until no mail is queued, before a test stops the SMTP server: stopping it
// while its answer to DATA is on the way would leave a delivered mail to be tried again.
func allSent(t *testing.T, env *testkit.Env, token string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(outbox(env, token, "queued")) > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("mail still queued: %v", outbox(env, token, "queued"))
		}
	}
}

func TestEmailSettingsValidateKeepThePasswordInTheKeychainAndTestTheServer(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"host": "smtp://mail.acme.test"}, "host"},
		{map[string]any{"port": 0}, "port"},
		{map[string]any{"port": 70000}, "port"},
		{map[string]any{"security": "ssl"}, "security"},
		{map[string]any{"fromAddress": "Acme <a@acme.test>"}, "fromAddress"},
		{map[string]any{"fromAddress": ""}, "fromAddress"},
		{map[string]any{"appUrl": "ftp://acme.test"}, "appUrl"},
		{map[string]any{"fromName": "two\nlines"}, "fromName"},
	} {
		if r := env.Do("PUT", "/api/settings/email", owner, c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%v: %d %s, want 422 on %s", c.body, r.Status, r.Body, c.field)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("refused settings changed the database")
	}
	r := env.Do("GET", "/api/settings/email", owner, nil)
	s := r.JSON()
	if s["passwordSet"] != true || s["configured"] != true || s["appUrl"] != "http://gatehouse.acme.test:8787" || strings.Contains(string(r.Body), smtpPassword) {
		t.Fatalf("settings: %s", r.Body)
	}
	for where, b := range env.Stored() {
		if strings.Contains(string(b), smtpPassword) {
			t.Fatalf("the SMTP password is in %s", where)
		}
	}
	if strings.Contains(env.Logs.String(), smtpPassword) {
		t.Fatal("the SMTP password is in the log")
	}
	// The test mail reports the server's answer, good or bad.
	if r := env.Do("POST", "/api/settings/email/test", owner, map[string]any{}); r.Status != 200 || r.JSON()["ok"] != true || !strings.Contains(r.JSON()["reply"].(string), "OK") {
		t.Fatalf("test mail: %d %s", r.Status, r.Body)
	}
	msgs, _ := srv.Wait(1, 5*time.Second)
	if len(msgs) != 1 || msgs[0].To[0] != testkit.Owner.Email || msgs[0].Subject != "Gatehouse test email" {
		t.Fatalf("delivered: %+v", msgs)
	}
	srv.Reject("No such mailbox here")
	if r := env.Do("POST", "/api/settings/email/test", owner, map[string]any{"to": "nobody@acme.test"}); r.JSON()["ok"] != false ||
		!strings.Contains(r.JSON()["reply"].(string), "550") || !strings.Contains(r.JSON()["reply"].(string), "No such mailbox") {
		t.Fatalf("refused test mail: %d %s", r.Status, r.Body)
	}
	srv.Reject("")
	// A wrong password: the server's refusal, and never the password.
	env.Do("PUT", "/api/settings/email", owner, map[string]any{"password": "wrong password 1"})
	if r := env.Do("POST", "/api/settings/email/test", owner, map[string]any{}); r.JSON()["ok"] != false || strings.Contains(string(r.Body), "wrong password 1") {
		t.Fatalf("bad credentials: %d %s", r.Status, r.Body)
	}
	// Security none is allowed, with a warning.
	if r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"security": "none"}); r.Status != 200 || r.JSON()["warning"] == nil {
		t.Fatalf("security none: %d %s", r.Status, r.Body)
	}
	// Only settings.email holders see or change any of it.
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	staff := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	for _, c := range []struct{ method, path string }{{"GET", "/api/settings/email"}, {"GET", "/api/email/outbox"}} {
		if r := env.Do(c.method, c.path, staff, nil); r.Status != 403 {
			t.Errorf("staff %s %s: %d", c.method, c.path, r.Status)
		}
	}
	if r := env.Do("PUT", "/api/settings/email", staff, map[string]any{"host": "evil.test"}); r.Status != 403 {
		t.Errorf("staff changes settings: %d", r.Status)
	}
	// Someone who runs email but does not manage accounts does not learn addresses from
	// the log.
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Mail Admin", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.email"}}}))
	env.CreateUser(owner, "Max Mail", "max@acme.test", role, initialPW)
	mailer := env.SignInFresh("max@acme.test", initialPW, ownPW)
	env.Do("POST", "/api/users", owner, map[string]any{"name": "Hidden Person", "email": "hidden@acme.test", "roleId": "staff"})
	for _, m := range outbox(env, mailer, "") {
		if m["to"] == "hidden@acme.test" {
			t.Fatal("the email log names a person its reader cannot see")
		}
	}
	if got := outbox(env, owner, ""); len(got) == 0 || got[0]["to"] != "hidden@acme.test" {
		t.Fatalf("the owner's log: %v", got)
	}
}

func TestWelcomeMailLinkSetsAPasswordOnceAndNothingSecretIsStored(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Wendy Welcome", "email": "wendy@acme.test", "roleId": "staff"})
	if r.Status != 201 || r.JSON()["welcome"] != "queued" || r.JSON()["generatedPassword"] != nil || r.JSON()["withoutProjects"] != true {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	mailID := r.JSON()["mailId"].(string)
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.To[0] != "wendy@acme.test" || m.Subject != "Welcome to Gatehouse" || !strings.Contains(m.Body, "http://gatehouse.acme.test:8787") ||
		!strings.Contains(m.Body, "wendy@acme.test") || !strings.Contains(m.Raw, "Acme Gatehouse") {
		t.Fatalf("welcome mail: %+v", m)
	}
	token := linkToken(t, m)
	sent := waitState(t, env, owner, mailID, "sent")
	if sent["sentAt"] == nil || sent["attempts"].(float64) != 1 {
		t.Fatalf("log: %v", sent)
	}
	// Neither the token nor anything that opens it is in the database.
	if strings.Contains(env.Snapshot(), token) {
		t.Fatal("the link token is in the database")
	}
	var secret []byte
	env.Core.Store.DB().QueryRow(env.Core.Store.Rebind(`SELECT secret FROM outbox WHERE id = ?`), mailID).Scan(&secret)
	if secret != nil {
		t.Fatal("a sent mail keeps what it carried")
	}
	// The person has no password until they choose one.
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": "wendy@acme.test", "password": ""}); r.Status != 422 {
		t.Fatalf("empty password: %d", r.Status)
	}
	if r := env.Do("POST", "/api/auth/password-link", "", map[string]string{"token": token}); r.Status != 200 || r.JSON()["purpose"] != "welcome" || r.JSON()["email"] != "wendy@acme.test" {
		t.Fatalf("link: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": "welcome123"}); r.Status != 422 || r.ErrField() != "password" {
		t.Fatalf("weak password: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": strings.ToUpper(token) + " ", "password": ownPW}); r.Status != 200 {
		t.Fatalf("set password: %d %s", r.Status, r.Body)
	}
	tok := env.SignIn("wendy@acme.test", ownPW)
	if r := env.Do("GET", "/api/projects", tok, nil); r.Status != 200 {
		t.Fatalf("a password chosen through the link must not need changing: %d %s", r.Status, r.Body)
	}
	// Once only.
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": "another passphrase 33"}); r.Status != 404 || r.ErrCode() != "link_invalid" {
		t.Fatalf("second use: %d %s", r.Status, r.Body)
	}
}

func TestWelcomeMailWithPasswordAndServerDownThenUp(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	srv.Stop()
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Paul Password", "email": "paul@acme.test", "roleId": "staff", "sendWelcome": true, "includePassword": true})
	if r.Status != 201 || r.JSON()["welcome"] != "queued" || r.JSON()["generatedPassword"] != nil {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := r.JSON()["mailId"].(string)
	// The server is down: the mail stays queued, with the reason shown.
	deadline := time.Now().Add(10 * time.Second)
	var m map[string]any
	for {
		m = outbox(env, owner, "queued")[0]
		if m["lastError"] != "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m["id"] != id || m["attempts"].(float64) != 1 || !strings.Contains(m["lastError"].(string), "refused") || m["nextAttemptAt"] == nil {
		t.Fatalf("queued while down: %v", m)
	}
	// While queued, the password sits sealed: not in the database in clear.
	var secret []byte
	env.Core.Store.DB().QueryRow(env.Core.Store.Rebind(`SELECT secret FROM outbox WHERE id = ?`), id).Scan(&secret)
	if len(secret) < 28 {
		t.Fatalf("sealed secret: %x", secret)
	}
	// Back up: the retry sends it.
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	env.Core.Store.MailQueued()
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	pw := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(msgs[0].Body)
	if pw == nil {
		t.Fatalf("no password in: %s", msgs[0].Body)
	}
	waitState(t, env, owner, id, "sent")
	if strings.Contains(env.Snapshot(), pw[1]) || strings.Contains(env.Logs.String(), pw[1]) {
		t.Fatal("the generated password is in the database or the log")
	}
	tok := env.SignIn("paul@acme.test", pw[1])
	if r := env.Do("GET", "/api/me", tok, nil); r.JSON()["user"].(map[string]any)["mustChangePassword"] != true {
		t.Fatal("a mailed password must be changed at first sign-in")
	}
	// A permanent refusal fails the mail at once, with the server's answer.
	srv.Reject("Mailbox unavailable")
	r = env.Do("POST", "/api/users", owner, map[string]any{"name": "Rita Refused", "email": "rita@acme.test", "roleId": "staff"})
	failed := waitState(t, env, owner, r.JSON()["mailId"].(string), "failed")
	if !strings.Contains(failed["lastError"].(string), "550") {
		t.Fatalf("failed: %v", failed)
	}
	// Retry now, once the server accepts again.
	srv.Reject("")
	if r := env.Do("POST", "/api/email/outbox/"+failed["id"].(string)+"/retry", owner, nil); r.Status != 200 || r.JSON()["state"] != "queued" {
		t.Fatalf("retry: %d %s", r.Status, r.Body)
	}
	waitState(t, env, owner, failed["id"].(string), "sent")
	if r := env.Do("POST", "/api/email/outbox/"+failed["id"].(string)+"/retry", owner, nil); r.Status != 409 {
		t.Fatalf("retrying a sent mail: %d %s", r.Status, r.Body)
	}
}

func TestQueuedMailSurvivesARestartAndIsNotSentTwice(t *testing.T) {
	srv := startSMTP(t)
	dir := t.TempDir()
	opts := mail.Options{RootCAs: srv.Roots}
	open := func() *testkit.Env { return testkit.StartIn(t, dir, testkit.Options{Mail: opts}) }
	env := open()
	owner := env.Setup()
	env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": srv.Host, "port": srv.Port, "security": "starttls",
		"username": smtpUser, "password": smtpPassword, "fromAddress": "gatehouse@acme.test"})
	srv.Stop()
	for _, e := range []string{"a@acme.test", "b@acme.test"} {
		if r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Queued " + e[:1], "email": e, "roleId": "staff"}); r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
	}
	env.Stop() // as a crash would: the queue is only in the database
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	env = open()
	if _, err := srv.Wait(2, 10*time.Second); err != nil {
		t.Fatal("queued mail did not go out after the restart: ", err)
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	for _, m := range outbox(env, owner, "") {
		waitState(t, env, owner, m["id"].(string), "sent")
	}
	env.Stop()
	env = open()
	env.Core.Mail.SendDue(context.Background())
	time.Sleep(200 * time.Millisecond)
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d messages after a second restart, want 2 (nothing twice)", n)
	}
}

// A mail the server accepted is sent, even when the connection drops right after (the
// client's RSET fails): it is marked sent and never delivered twice.
func TestAMailTheServerAcceptedIsNeverSentTwice(t *testing.T) {
	srv, err := smtpserver.Start(smtpserver.Options{TLS: true, User: smtpUser, Password: smtpPassword, HangUpAfterData: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	env, owner := mailEnv(t, srv)
	if r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Hung Up", "email": "hung@acme.test", "roleId": "staff"}); r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if _, err := srv.Wait(1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	m := outbox(env, owner, "")[0]
	waitState(t, env, owner, m["id"].(string), "sent")
	env.Clock.Advance(time.Hour)
	env.Core.Mail.SendDue(context.Background())
	time.Sleep(200 * time.Millisecond)
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d deliveries of one mail", n)
	}
}

func TestForgotPasswordSameAnswerThrottledAndOneUseLink(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	env.CreateUser(owner, "Fay Forget", "fay@acme.test", "staff", initialPW)
	unknown := env.Do("POST", "/api/auth/forgot-password", "", map[string]string{"email": "nobody@acme.test"})
	known := env.Do("POST", "/api/auth/forgot-password", "", map[string]string{"email": "FAY@acme.test"})
	if unknown.Status != 202 || known.Status != 202 || string(unknown.Body) != string(known.Body) {
		t.Fatalf("answers differ: %d %s / %d %s", unknown.Status, unknown.Body, known.Status, known.Body)
	}
	if r := env.Do("POST", "/api/auth/forgot-password", "", map[string]string{"email": "not an email"}); r.Status != 422 || r.ErrField() != "email" {
		t.Fatalf("bad email: %d %s", r.Status, r.Body)
	}
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].To[0] != "fay@acme.test" || msgs[0].Subject != "Reset your Gatehouse password" {
		t.Fatalf("reset mail: %+v", msgs)
	}
	token := linkToken(t, msgs[0])
	// The old password still works until the link is used.
	env.SignIn("fay@acme.test", initialPW)
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": ownPW}); r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	env.SignIn("fay@acme.test", ownPW)
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": "third passphrase 44"}); r.Status != 404 {
		t.Fatalf("second use: %d", r.Status)
	}
	// A reset link lasts 30 minutes.
	env.Do("POST", "/api/auth/forgot-password", "", map[string]string{"email": "fay@acme.test"})
	msgs, _ = srv.Wait(2, 10*time.Second)
	late := linkToken(t, msgs[1])
	env.Clock.Advance(31 * time.Minute)
	if r := env.Do("POST", "/api/auth/password-link", "", map[string]string{"token": late}); r.Status != 404 || r.ErrCode() != "link_invalid" {
		t.Fatalf("expired link: %d %s", r.Status, r.Body)
	}
	// Throttled per account: a stranger cannot bury someone in reset mail.
	var last *testkit.Resp
	for i := 0; i < 6; i++ {
		last = env.Do("POST", "/api/auth/forgot-password", "", map[string]string{"email": "fay@acme.test"})
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("throttle: %d %s", last.Status, last.Body)
	}
}

func TestAdminResetEmailAndResendInvitation(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Ivy Invite", "email": "ivy@acme.test", "roleId": "staff"})
	ivy := r.JSON()["id"].(string)
	srv.Wait(1, 10*time.Second)
	first := linkToken(t, srv.Messages()[0])
	if r := env.Do("POST", "/api/users/"+ivy+"/invitation", owner, nil); r.Status != 202 {
		t.Fatalf("resend: %d %s", r.Status, r.Body)
	}
	msgs, _ := srv.Wait(2, 10*time.Second)
	second := linkToken(t, msgs[1])
	if r := env.Do("POST", "/api/auth/password-link", "", map[string]string{"token": first}); r.Status != 404 {
		t.Fatal("the first link still works after a resend")
	}
	env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": second, "password": ownPW})
	env.SignIn("ivy@acme.test", ownPW)
	if r := env.Do("POST", "/api/users/"+ivy+"/invitation", owner, nil); r.Status != 409 || r.ErrCode() != "already_signed_in" {
		t.Fatalf("resend after sign-in: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+ivy+"/reset-email", owner, nil); r.Status != 202 {
		t.Fatalf("reset mail: %d %s", r.Status, r.Body)
	}
	msgs, _ = srv.Wait(3, 10*time.Second)
	if msgs[2].Subject != "Reset your Gatehouse password" {
		t.Fatalf("reset mail: %+v", msgs[2])
	}
	// Someone without users.edit cannot, and learns nothing.
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	staff := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	before := len(srv.Messages())
	if r := env.Do("POST", "/api/users/"+ivy+"/reset-email", staff, nil); r.Status != 404 && r.Status != 403 {
		t.Fatalf("staff reset mail: %d %s", r.Status, r.Body)
	}
	time.Sleep(100 * time.Millisecond)
	if len(srv.Messages()) != before {
		t.Fatal("a refused request sent mail")
	}
}

func TestWithoutEmailCreatingAUserShowsTheCredentialsOnce(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Nora NoMail", "email": "nora@acme.test", "roleId": "staff"})
	if r.Status != 201 || r.JSON()["welcome"] != "not_configured" || len(r.JSON()["generatedPassword"].(string)) < 20 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Nils", "email": "nils@acme.test", "roleId": "staff", "sendWelcome": true}); r.Status != 409 || r.ErrField() != "sendWelcome" {
		t.Fatalf("welcome without email: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/me", owner, nil); r.JSON()["emailConfigured"] != false {
		t.Fatalf("me: %s", r.Body)
	}
}
