package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Notifications, CSV import and handing over a leaver's work.

func mustID(t *testing.T, r *testkit.Resp) string {
	t.Helper()
	if r.Status != 201 && r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

func TestNotificationsAreSwitchableAndNameOnlyWhatTheRecipientSees(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Assignee", "ann@acme.test", "staff", initialPW)
	annTok := env.SignInFresh("ann@acme.test", initialPW, ownPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{ann}}))
	msgs, err := srv.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].To[0] != "ann@acme.test" || !strings.Contains(msgs[0].Body, "“Apollo”") || !strings.Contains(msgs[0].Body, testkit.Owner.Name) {
		t.Fatalf("added to a project: %+v", msgs[0])
	}
	// Task assigned: a mail naming the task.
	mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Write the brief", "assigneeId": ann}))
	msgs, _ = srv.Wait(2, 10*time.Second)
	if !strings.Contains(msgs[1].Body, "“Write the brief”") {
		t.Fatalf("assigned: %s", msgs[1].Body)
	}
	// Ann turns assignment mails off: none comes.
	if r := env.Do("PUT", "/api/me/notifications", annTok, map[string]any{"taskAssigned": false}); r.Status != 200 {
		t.Fatalf("prefs: %d %s", r.Status, r.Body)
	}
	mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Quiet task", "assigneeId": ann}))
	// The owner turns project mails off for everyone.
	env.Do("PUT", "/api/settings/email", owner, map[string]any{"notifications": map[string]any{"projectAdded": false}})
	mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Gemini", "members": []string{ann}}))
	if r := env.Do("GET", "/api/me/notifications", annTok, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"offByOwner":true`) {
		t.Fatalf("prefs: %d %s", r.Status, r.Body)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d mails, want 2: switched-off notifications were sent", n)
	}
	// Checked when sent: Ann is assigned a task while the server is down, then taken off
	// the project; the mail must not name a task she can no longer see.
	env.Do("PUT", "/api/me/notifications", annTok, map[string]any{"taskAssigned": true})
	allSent(t, env, owner)
	srv.Stop()
	mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Secret merger", "assigneeId": ann}))
	var queued []map[string]any
	for deadline := time.Now().Add(5 * time.Second); len(queued) == 0 || queued[0]["lastError"] == ""; {
		queued = outbox(env, owner, "queued")
		if time.Now().After(deadline) {
			t.Fatal("the assignment mail was not tried")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := env.Do("PATCH", "/api/projects/"+p, owner, map[string]any{"members": []string{}}); r.Status != 200 {
		t.Fatalf("remove Ann: %d %s", r.Status, r.Body)
	}
	srv.Restart()
	env.Clock.Advance(time.Minute)
	env.Core.Store.MailQueued()
	m := waitState(t, env, owner, queued[0]["id"].(string), "cancelled")
	if !strings.Contains(m["lastError"].(string), "can no longer see") {
		t.Fatalf("cancelled: %v", m)
	}
	for _, msg := range srv.Messages() {
		if strings.Contains(msg.Body, "Secret merger") {
			t.Fatal("a mail named a task its recipient cannot see")
		}
	}
}

func TestCSVImportDryRunThenAllOrNothing(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	mustID(t, env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design"}))
	env.CreateUser(owner, "Existing Person", "taken@acme.test", "staff", initialPW)
	bad := "name,email,role,projects,teams\n" +
		"Good One,good@acme.test,Staff,Website,Design\n" +
		"No Role,norole@acme.test,Wizard,,\n" +
		"Dup,taken@acme.test,Staff,,\n" +
		"Bad Mail,not-an-email,Staff,,\n" +
		"Twice,good@acme.test,Client,,\n" +
		"Lost,lost@acme.test,Staff,Nowhere,\n"
	before := env.Snapshot()
	r := env.Do("POST", "/api/users/import", owner, map[string]any{"csv": bad, "dryRun": true})
	if r.Status != 200 {
		t.Fatalf("dry run: %d %s", r.Status, r.Body)
	}
	rep := r.JSON()
	if rep["valid"].(float64) != 1 || rep["invalid"].(float64) != 5 {
		t.Fatalf("report: %s", r.Body)
	}
	for i, want := range []string{"", "role", "email", "email", "email", "projects"} {
		errs := rep["rows"].([]any)[i].(map[string]any)["errors"].([]any)
		if (want == "") != (len(errs) == 0) || (want != "" && errs[0].(map[string]any)["field"] != want) {
			t.Errorf("row %d: %v, want an error on %q", i+2, errs, want)
		}
	}
	if r := env.Do("POST", "/api/users/import", owner, map[string]any{"csv": bad}); r.Status != 422 || r.ErrCode() != "import_invalid" {
		t.Fatalf("import with errors: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a dry run or a refused import wrote something")
	}
	// Escalation: a users manager without roles beyond Staff cannot give Admin.
	var good strings.Builder
	good.WriteString("name,email,role,projects,teams\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&good, "Person %d,p%d@acme.test,Staff,Website,Design\n", i, i)
	}
	good.WriteString("Carla Client,carla@acme.test,Client,Website,\n")
	r = env.Do("POST", "/api/users/import", owner, map[string]any{"csv": good.String()})
	if r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	job := r.JSON()["id"].(string)
	var st map[string]any
	for deadline := time.Now().Add(10 * time.Second); ; {
		st = env.Do("GET", "/api/user-imports/"+job, owner, nil).JSON()
		if st["state"] != "running" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st["state"] != "done" || st["done"].(float64) != 31 || st["total"].(float64) != 31 || st["welcomeQueued"].(float64) != 31 {
		t.Fatalf("job: %v", st)
	}
	if _, err := srv.Wait(31, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	people := env.Do("GET", "/api/projects?limit=10", owner, nil).JSON()["items"].([]any)[0].(map[string]any)
	if len(people["members"].([]any)) != 30 || len(people["clients"].([]any)) != 1 {
		t.Fatalf("project after import: %v", people)
	}
	// Someone else cannot read the job.
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	staff := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	if r := env.Do("GET", "/api/user-imports/"+job, staff, nil); r.Status != 404 {
		t.Fatalf("another's job: %d", r.Status)
	}
	if r := env.Do("POST", "/api/users/import", staff, map[string]any{"csv": good.String(), "dryRun": true}); r.Status != 403 {
		t.Fatalf("staff import: %d", r.Status)
	}
	if r := env.Do("GET", "/api/users/import/template", owner, nil); r.Status != 200 || !strings.HasPrefix(string(r.Body), "name,email,role,projects,teams") {
		t.Fatalf("template: %d %s", r.Status, r.Body)
	}
}

func TestImportWithoutEmailHandsOverLinksOnce(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	r := env.Do("POST", "/api/users/import", owner, map[string]any{"csv": "name,email,role\nLena Link,lena@acme.test,Staff\n"})
	if r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	job := r.JSON()["id"].(string)
	var st map[string]any
	for i := 0; i < 500; i++ {
		if st = env.Do("GET", "/api/user-imports/"+job, owner, nil).JSON(); st["state"] != "running" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	links, _ := st["links"].([]any)
	if st["state"] != "done" || len(links) != 1 {
		t.Fatalf("job: %v", st)
	}
	link := links[0].(map[string]any)["link"].(string)
	token := link[strings.Index(link, "token=")+len("token="):]
	if again := env.Do("GET", "/api/user-imports/"+job, owner, nil).JSON(); again["links"] != nil {
		t.Fatal("the links are shown twice")
	}
	if r := env.Do("POST", "/api/auth/set-password", "", map[string]string{"token": token, "password": ownPW}); r.Status != 200 {
		t.Fatalf("set password: %d %s", r.Status, r.Body)
	}
	env.SignIn("lena@acme.test", ownPW)
}

func TestHandingOverALeaversOpenTasks(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	leo := env.CreateUser(owner, "Leo Leaver", "leo@acme.test", "staff", initialPW)
	tia := env.CreateUser(owner, "Tia Taker", "tia@acme.test", "staff", initialPW)
	out := env.CreateUser(owner, "Oscar Outside", "oscar@acme.test", "staff", initialPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Handover", "members": []string{leo, tia}}))
	var tasks []string
	for i := 0; i < 3; i++ {
		tasks = append(tasks, mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": fmt.Sprintf("Open %d", i), "assigneeId": leo})))
	}
	r := env.Do("GET", "/api/users/"+leo+"/handover", owner, nil)
	h := r.JSON()
	if r.Status != 200 || h["openTasks"].(float64) != 3 || len(h["projects"].([]any)) != 1 {
		t.Fatalf("handover: %d %s", r.Status, r.Body)
	}
	names := string(r.Body)
	if !strings.Contains(names, "Tia Taker") || strings.Contains(names, "Oscar Outside") || strings.Contains(names, `"Leo Leaver"`) {
		t.Fatalf("candidates must be exactly who can take the tasks: %s", r.Body)
	}
	// Someone who cannot see the project is refused, and nothing changes.
	before := env.Snapshot()
	if r := env.Do("POST", "/api/users/"+leo+"/deactivate", owner, map[string]any{"reassignTo": out}); r.Status != 422 || r.ErrField() != "reassignTo" {
		t.Fatalf("reassign to an outsider: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+leo+"/deactivate", owner, map[string]any{"reassignTo": leo}); r.Status != 422 {
		t.Fatalf("reassign to oneself: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused handover changed the database")
	}
	if r := env.Do("POST", "/api/users/"+leo+"/deactivate", owner, map[string]any{"byProject": map[string]string{p: tia}}); r.Status != 200 || r.JSON()["status"] != "deactivated" {
		t.Fatalf("deactivate with handover: %d %s", r.Status, r.Body)
	}
	for _, id := range tasks {
		if a := env.Do("GET", "/api/tasks/"+id, owner, nil).JSON()["assigneeId"]; a != tia {
			t.Fatalf("task %s is assigned to %v", id, a)
		}
	}
	// The assignee filter's directory includes deactivated people, marked.
	r = env.Do("GET", "/api/people?includeDeactivated=true", owner, nil)
	if !strings.Contains(string(r.Body), `"name":"Leo Leaver"`) || !strings.Contains(string(r.Body), `"active":false`) {
		t.Fatalf("people: %s", r.Body)
	}
	if r := env.Do("GET", "/api/people", owner, nil); strings.Contains(string(r.Body), "Leo Leaver") {
		t.Fatal("pickers offer a deactivated person")
	}
	// Delete with a handover in the same transaction.
	tTask := mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Last one", "assigneeId": tia}))
	if r := env.Do("DELETE", "/api/users/"+tia, owner, map[string]any{"reassignTo": owner[:0] + mustMe(t, env, owner)}); r.Status != 204 {
		t.Fatalf("delete with handover: %d %s", r.Status, r.Body)
	}
	if a := env.Do("GET", "/api/tasks/"+tTask, owner, nil).JSON()["assigneeId"]; a != mustMe(t, env, owner) {
		t.Fatalf("after delete the task is assigned to %v", a)
	}
}

func mustMe(t *testing.T, env *testkit.Env, token string) string {
	t.Helper()
	return env.Do("GET", "/api/me", token, nil).JSON()["user"].(map[string]any)["id"].(string)
}

// A mention mails the person mentioned (only someone who sees the discussion can be), with
// the message as it is when sent: a deleted message is not mailed; the switch turns it off.
func TestMentionMailsOnlyWhatTheRecipientSees(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Staff", "ann@acme.test", "staff", initialPW)
	carl := env.CreateUser(owner, "Carl Client", "carl@customer.test", "client", initialPW)
	annTok := env.SignInFresh("ann@acme.test", initialPW, ownPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{ann}, "clients": []string{carl}}))
	if _, err := srv.Wait(2, 10*time.Second); err != nil { // Ann and Carl added to the project
		t.Fatal(err)
	}
	internal := mustID(t, env.Do("POST", "/api/projects/"+p+"/threads", owner, map[string]any{"title": "Pricing", "body": "Margins are thin, @Ann", "mentions": []string{ann}}))
	msgs, err := srv.Wait(3, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m := msgs[2]; m.To[0] != "ann@acme.test" || !strings.Contains(m.Body, "“Pricing”") || !strings.Contains(m.Body, "> Margins are thin, @Ann") {
		t.Fatalf("mention mail: %+v", m)
	}
	// A client cannot be mentioned in an internal discussion, so no mail can carry it.
	if r := env.Do("POST", "/api/threads/"+internal+"/messages", owner, map[string]any{"body": "Carl?", "mentions": []string{carl}}); r.Status != 422 {
		t.Fatalf("mentioning a client internally: %d", r.Status)
	}
	// Deleted before it is sent: not mailed.
	allSent(t, env, owner)
	srv.Stop()
	m := env.Do("POST", "/api/threads/"+internal+"/messages", owner, map[string]any{"body": "Oops, wrong thread", "mentions": []string{ann}})
	if m.Status != 201 {
		t.Fatalf("post: %d %s", m.Status, m.Body)
	}
	// Once its first try has failed (so it is rendered again on the next), it is deleted.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		q := outbox(env, owner, "queued")
		if len(q) == 1 && q[0]["lastError"] != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mention mail was not tried: %v", outbox(env, owner, ""))
		}
	}
	if r := env.Do("DELETE", "/api/messages/"+m.JSON()["id"].(string), owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	srv.Restart()
	env.Clock.Advance(time.Minute)
	env.Core.Store.MailQueued()
	var cancelled map[string]any
	for deadline := time.Now().Add(10 * time.Second); cancelled == nil; time.Sleep(20 * time.Millisecond) {
		for _, it := range outbox(env, owner, "cancelled") {
			if it["kind"] == "mentioned" {
				cancelled = it
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the deleted message's mail was not cancelled: %v", outbox(env, owner, ""))
		}
	}
	if !strings.Contains(cancelled["lastError"].(string), "deleted") {
		t.Errorf("cancelled: %v", cancelled)
	}
	// Ann turns mention mails off: none comes.
	if r := env.Do("PUT", "/api/me/notifications", annTok, map[string]any{"mentioned": false}); r.Status != 200 {
		t.Fatalf("prefs: %d %s", r.Status, r.Body)
	}
	env.Do("POST", "/api/threads/"+internal+"/messages", owner, map[string]any{"body": "Quiet", "mentions": []string{ann}})
	time.Sleep(300 * time.Millisecond)
	for _, msg := range srv.Messages() {
		if strings.Contains(msg.Body, "Oops") || strings.Contains(msg.Body, "Quiet") {
			t.Errorf("mailed: %s", msg.Body)
		}
	}
}
