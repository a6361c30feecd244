package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/backend/mail"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/smtpserver"
)

// Third attack round (the email module), each seen failing on the code before its fix.

// F1: a role holding only settings.email took over the Owner (an Admin) without any
// interaction: it points Settings → Email at its own SMTP server (the stored SMTP password
// is kept and sent there too), asks for the Owner's password reset on the public
// forgot-password route, reads the link from its own server, and sets the password.
func TestReview3MailAdminTakesOverOwnerByRedirectingSMTP(t *testing.T) {
	// The attacker's server: STARTTLS with a certificate the system trusts (here: its own
	// root passed as RootCAs, standing in for a public CA's certificate of evil.example),
	// and it accepts only the organisation's real SMTP credentials, so every message it
	// accepts proves Gatehouse handed it the stored SMTP password.
	evil, err := smtpserver.Start(smtpserver.Options{TLS: true, User: smtpUser, Password: smtpPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(evil.Stop)
	env := testkit.Start(t, testkit.Options{Mail: mail.Options{RootCAs: evil.Roots, Backoff: func(int) time.Duration { return time.Minute }, MaxAttempts: 3}})
	owner := env.Setup()
	// The owner sets up the organisation's mail server with its password.
	if r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": "smtp.acme.test", "port": 587, "security": "starttls",
		"username": smtpUser, "password": smtpPassword, "fromName": "Acme Gatehouse", "fromAddress": "gatehouse@acme.test",
		"appUrl": "https://gatehouse.acme.test"}); r.Status != 200 {
		t.Fatalf("settings: %d %s", r.Status, r.Body)
	}
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Mail Admin", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.email"}}}))
	env.CreateUser(owner, "Max Mail", "max@acme.test", role, initialPW)
	mailer := env.SignInFresh("max@acme.test", initialPW, ownPW)

	// Max (settings.email only) may not point mail elsewhere, nor the links.
	before := env.Snapshot()
	for _, body := range []map[string]any{{"host": evil.Host, "port": evil.Port}, {"appUrl": "https://evil.example"},
		{"fromAddress": "x@evil.example"}, {"username": "other"}, {"security": "none"}} {
		if r := env.Do("PUT", "/api/settings/email", mailer, body); r.Status != 403 || r.ErrCode() != "escalation" {
			t.Errorf("%v: %d %s, want 403 escalation", body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused redirect changed something")
	}
	// What does not route mail stays his to change.
	if r := env.Do("PUT", "/api/settings/email", mailer, map[string]any{"fromName": "Acme", "host": "smtp.acme.test", "notifications": map[string]any{"taskAssigned": false}}); r.Status != 200 {
		t.Fatalf("sender name and notifications: %d %s", r.Status, r.Body)
	}
	// An Admin who moves mail to another server without a new password drops the stored one.
	if r := env.Do("PUT", "/api/settings/email", owner, map[string]any{"host": evil.Host, "port": evil.Port}); r.Status != 200 || r.JSON()["passwordSet"] != false {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	audit := env.Do("GET", "/api/audit?action=settings.email", owner, nil)
	if !strings.Contains(string(audit.Body), "smtp.acme.test") {
		t.Errorf("the audit log does not say where mail went before: %s", audit.Body)
	}
}

// F2: handing over a leaver's tasks names a project the asker cannot see, in the
// refusal, when the leaver has an open task there.
func TestReview3HandoverRefusalNamesHiddenProject(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "People Lead", "kind": "internal",
		"permissions": []map[string]string{
			{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "all"}, {"key": "tasks.view_internal"},
			{"key": "tasks.create"}, {"key": "tasks.edit"}, {"key": "tasks.assign"}, {"key": "tasks.status"}, {"key": "tasks.columns"},
			{"key": "files.view"}, {"key": "files.upload"}, {"key": "files.delete"}, {"key": "files.folders"},
			{"key": "chat.discussions"}, {"key": "chat.task_comments"}, {"key": "chat.team"}, {"key": "chat.direct"},
			{"key": "users.view", "scope": "staff"}, {"key": "users.deactivate", "scope": "staff"}}}))
	lead := env.CreateUser(owner, "Pia Lead", "pia@acme.test", role, initialPW)
	pia := env.SignInFresh("pia@acme.test", initialPW, ownPW)
	leo := env.CreateUser(owner, "Leo Leaver", "leo@acme.test", "staff", initialPW)
	tia := env.CreateUser(owner, "Tia Taker", "tia@acme.test", "staff", initialPW)
	shared := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Shared", "members": []string{leo, tia, lead}}))
	secret := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Project Nightingale Acquisition", "members": []string{leo}}))
	mustID(t, env.Do("POST", "/api/projects/"+shared+"/tasks", owner, map[string]any{"title": "Visible", "assigneeId": leo}))
	mustID(t, env.Do("POST", "/api/projects/"+secret+"/tasks", owner, map[string]any{"title": "Hidden", "assigneeId": leo}))
	if r := env.Do("GET", "/api/projects/"+secret, pia, nil); r.Status != 404 {
		t.Fatalf("setup: Pia sees the secret project: %d", r.Status)
	}
	h := env.Do("GET", "/api/users/"+leo+"/handover", pia, nil)
	t.Logf("handover as Pia: %s", h.Body)
	// Pia picks a server-offered candidate for everything she can hand over.
	r := env.Do("POST", "/api/users/"+leo+"/deactivate", pia, map[string]any{"reassignTo": tia})
	t.Logf("deactivate with reassignTo: %d %s", r.Status, r.Body)
	if strings.Contains(string(r.Body), "Nightingale") {
		t.Errorf("LEAK: the refusal names the hidden project: %s", r.Body)
	}
	if r.Status != 200 {
		t.Errorf("a plan built only from the handover answer is refused: %d", r.Status)
	}
	if h := env.Do("GET", "/api/users/"+leo+"/handover", owner, nil).JSON(); h["openTasks"].(float64) != 1 {
		t.Errorf("the hidden task must stay with Leo: %v", h)
	}
}

// F3: a welcome link survives a correction of the account's email: whoever received the
// mail at the old (mistyped) address still takes the account over.
func TestReview3WelcomeLinkSurvivesEmailChangeAndPasswordReset(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Bob Builder", "email": "bob@acme.tset", "roleId": "staff"})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	bob := r.JSON()["id"].(string)
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token := linkToken(t, msgs[0]) // in the mailbox of whoever owns bob@acme.tset
	if r := env.Do("PATCH", "/api/users/"+bob, owner, map[string]any{"email": "bob@acme.test"}); r.Status != 200 {
		t.Fatalf("fix email: %d %s", r.Status, r.Body)
	}
	// The admin also hands Bob a password; Bob signs in and sets his own.
	env.Do("POST", "/api/users/"+bob+"/password", owner, map[string]any{"password": initialPW})
	env.SignInFresh("bob@acme.test", initialPW, ownPW)
	// And Bob is promoted.
	if r := env.Do("PATCH", "/api/users/"+bob, owner, map[string]any{"roleId": "admin"}); r.Status != 200 {
		t.Fatalf("promote: %d %s", r.Status, r.Body)
	}
	if chk := env.Do("POST", "/api/auth/password-link", "", map[string]string{"token": token}); chk.Status != 404 {
		t.Errorf("old link check: %d %s", chk.Status, chk.Body)
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": "stranger took it 4711"}); r.Status == 200 {
		env.SignIn("bob@acme.test", "stranger took it 4711")
		t.Errorf("TAKEOVER: the welcome link sent to the old address still sets the (now Admin) account's password after email change, admin reset, sign-in and role change")
	}
}

// F3b: a reset link survives the user's own password change.
func TestReview3ResetLinkSurvivesPasswordChange(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	env.CreateUser(owner, "Rita Reset", "rita@acme.test", "staff", initialPW)
	rita := env.SignInFresh("rita@acme.test", initialPW, ownPW)
	env.Do("POST", "/api/auth/forgot-password", "", map[string]any{"email": "rita@acme.test"})
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token := linkToken(t, msgs[0])
	if r := env.Do("POST", "/api/me/password", rita, map[string]string{"current": ownPW, "new": "rita changed it 9999"}); r.Status != 204 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": "from the old link 1234"}); r.Status == 200 {
		t.Errorf("the reset link still works after the user changed her password")
	}
}

// F4: the email log hides the recipient's address in "to" but the SMTP error in
// lastError repeats it ("affected recipient(s): …").
func TestReview3OutboxLastErrorNamesHiddenRecipient(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Mail Admin", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.email"}}}))
	env.CreateUser(owner, "Max Mail", "max@acme.test", role, initialPW)
	mailer := env.SignInFresh("max@acme.test", initialPW, ownPW)
	srv.Reject("Mailbox unavailable")
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Hidden Person", "email": "hidden.person@acme.test", "roleId": "staff"})
	id := r.JSON()["mailId"].(string)
	m := waitState(t, env, mailer, id, "failed")
	t.Logf("mailer's log row: %v", m)
	if m["to"] == "hidden.person@acme.test" {
		t.Fatal("to not hidden")
	}
	if strings.Contains(m["lastError"].(string), "hidden.person@acme.test") {
		t.Errorf("LEAK: lastError names the hidden recipient: %s", m["lastError"])
	}
}

// F5: viewing as the importer (a GET) reads their import job and takes its one-time links.
func TestReview3ViewAsReadsAndConsumesImportLinks(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Onboarder", "kind": "internal",
		"permissions": []map[string]string{
			{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "all"}, {"key": "tasks.view_internal"},
			{"key": "tasks.create"}, {"key": "tasks.edit"}, {"key": "tasks.assign"}, {"key": "tasks.status"}, {"key": "tasks.columns"},
			{"key": "files.view"}, {"key": "files.upload"}, {"key": "files.delete"}, {"key": "files.folders"},
			{"key": "chat.discussions"}, {"key": "chat.task_comments"}, {"key": "chat.team"}, {"key": "chat.direct"},
			{"key": "users.view", "scope": "staff"}, {"key": "users.create", "scope": "staff"}}}))
	imp := env.CreateUser(owner, "Ida Importer", "ida@acme.test", role, initialPW)
	ida := env.SignInFresh("ida@acme.test", initialPW, ownPW)
	r := env.Do("POST", "/api/users/import", ida, map[string]any{"csv": "name,email,role\nLena Link,lena@acme.test,Staff\n"})
	if r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	job := r.JSON()["id"].(string)
	time.Sleep(500 * time.Millisecond)
	if r := env.Do("POST", "/api/view-as", owner, map[string]any{"userId": imp}); r.Status != 204 {
		t.Fatalf("view-as: %d %s", r.Status, r.Body)
	}
	as := env.DoWithHeaders("GET", "/api/user-imports/"+job, owner, nil, map[string]string{"X-View-As": imp})
	t.Logf("viewer as importer: %d %s", as.Status, as.Body)
	mine := env.Do("GET", "/api/user-imports/"+job, ida, nil)
	t.Logf("importer afterwards: %d %s", mine.Status, mine.Body)
	if as.Status != 404 || !strings.Contains(string(mine.Body), "token") {
		t.Errorf("a read-only view-as GET read or took the importer's one-time links: %d / %s", as.Status, mine.Body)
	}
}

// F7: a task title is mailed as typed: line breaks let whoever names a task write
// paragraphs of their own into a mail sent from the organisation's address.
// F8: a name ending in a backslash breaks go-mail's "name" <addr> formatting: the person
// never receives any mail.
func TestReview3MailBodyAndNameFormatting(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Assignee", "ann@acme.test", "staff", initialPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{ann}}))
	title := "Update”.\n\nIMPORTANT: your Gatehouse password expires today. Keep access at https://gatehouse-acme.example/renew\n\nIgnore “this"
	// Refused at the door now (backend/text); the mail still never trusts a stored title.
	if r := env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": title, "assigneeId": ann}); r.Status != 422 {
		t.Fatalf("a title with line breaks: %d %s", r.Status, r.Body)
	}
	storedTitleMail(t, env, srv, owner, p, ann, title)
	msgs, _ := srv.Wait(2, 10*time.Second)
	if body := msgs[len(msgs)-1].Body; strings.Contains(body, "\nIMPORTANT") {
		t.Errorf("a title wrote its own paragraph into the mail:\n%s", body)
	}

	r := env.Do("POST", "/api/users", owner, map[string]any{"name": `Dave Slash \`, "email": "dave@acme.test", "roleId": "staff"})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	waitState(t, env, owner, r.JSON()["mailId"].(string), "sent")
	got, _ := srv.Wait(3, 10*time.Second)
	if !strings.Contains(got[len(got)-1].Raw, "dave@acme.test") {
		t.Errorf("the mail to a name ending in a backslash: %+v", got[len(got)-1])
	}
}

// storedTitleMail makes a task assigned to ann while the SMTP server is down, then gives
// it title directly in the database (as a title stored before the text rule would be),
// and lets the assignment mail go: it is rendered from the stored title.
func storedTitleMail(t *testing.T, env *testkit.Env, srv *smtpserver.Server, owner, project, ann, title string) {
	t.Helper()
	allSent(t, env, owner)
	srv.Stop()
	id := mustID(t, env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": "Placeholder", "assigneeId": ann}))
	if _, err := env.Core.Store.DB().Exec(env.Core.Store.Rebind(`UPDATE tasks SET title = ? WHERE id = ?`), title, id); err != nil {
		t.Fatal(err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	env.Core.Store.MailQueued()
}

// F9: a stolen session turns itself into a permanent takeover: "reset your own password"
// is refused without the current one (own_password), but changing one's own email with
// users.edit and then "forgot password" does the same.
func TestReview3OwnEmailChangeThenForgotPasswordBypassesOwnPasswordRule(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "HR", "kind": "internal",
		"permissions": []map[string]string{{"key": "users.view", "scope": "staff"}, {"key": "users.edit", "scope": "staff"}}}))
	hr := env.CreateUser(owner, "Hanna HR", "hanna@acme.test", role, initialPW)
	stolen := env.SignInFresh("hanna@acme.test", initialPW, ownPW)
	if r := env.Do("POST", "/api/users/"+hr+"/password", stolen, map[string]any{"generate": true}); r.Status != 403 {
		t.Fatalf("own reset should be refused: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+hr+"/reset-email", stolen, nil); r.Status != 403 {
		t.Fatalf("own reset mail should be refused: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/users/"+hr, stolen, map[string]any{"email": "thief@evil.test"}); r.Status != 403 || r.ErrCode() != "own_email" {
		t.Fatalf("own email change without the password: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/me/email", stolen, map[string]any{"password": "a guess 12345", "email": "thief@evil.test"}); r.Status != 422 || r.ErrField() != "password" {
		t.Fatalf("own email change with a wrong password: %d %s", r.Status, r.Body)
	}
	// With the password (the owner of the account), a link goes to the new address: the
	// change is made by whoever reads it.
	if r := env.Do("POST", "/api/me/email", stolen, map[string]any{"password": ownPW, "email": "hanna.new@acme.test"}); r.Status != 202 {
		t.Fatalf("own email change: %d %s", r.Status, r.Body)
	}
	if msgs, err := srv.Wait(1, 10*time.Second); err != nil || msgs[0].To[0] != "hanna.new@acme.test" {
		t.Fatalf("confirmation mail: %v %+v", err, msgs)
	}
	srv.Reset()
	env.Do("POST", "/api/auth/forgot-password", "", map[string]any{"email": "thief@evil.test"})
	time.Sleep(200 * time.Millisecond)
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d mails went out", n)
	}
}

// F10: the import's dry run is a silent, bulk oracle for accounts the importer cannot see.
func TestReview3ImportDryRunRevealsHiddenAccounts(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	role := mustID(t, env.Do("POST", "/api/roles", owner, map[string]any{"name": "Onboarder", "kind": "internal",
		"permissions": []map[string]string{
			{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.view", "scope": "all"}, {"key": "tasks.view_internal"},
			{"key": "tasks.create"}, {"key": "tasks.edit"}, {"key": "tasks.assign"}, {"key": "tasks.status"}, {"key": "tasks.columns"},
			{"key": "files.view"}, {"key": "files.upload"}, {"key": "files.delete"}, {"key": "files.folders"},
			{"key": "chat.discussions"}, {"key": "chat.task_comments"}, {"key": "chat.team"}, {"key": "chat.direct"},
			{"key": "users.view", "scope": "staff"}, {"key": "users.create", "scope": "staff"}}}))
	env.CreateUser(owner, "Ida Importer", "ida@acme.test", role, initialPW)
	ida := env.SignInFresh("ida@acme.test", initialPW, ownPW)
	cl := env.CreateUser(owner, "Carl Client", "carl@bigcustomer.test", "client", initialPW)
	if r := env.Do("GET", "/api/users/"+cl, ida, nil); r.Status != 404 {
		t.Fatalf("setup: Ida sees the client: %d", r.Status)
	}
	before := env.Snapshot()
	r := env.Do("POST", "/api/users/import", ida, map[string]any{"dryRun": true,
		"csv": "name,email,role\nX,carl@bigcustomer.test,Staff\nY,nobody@bigcustomer.test,Staff\n"})
	if r.Status != 200 || strings.Contains(string(r.Body), "Carl") || strings.Contains(strings.ToLower(string(r.Body)), "client") {
		t.Errorf("dry run names the hidden account: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Error("the dry run wrote something")
	}
}
