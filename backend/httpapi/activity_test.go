package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/store"
	"gatehouse/backend/testkit"
)

// The activity log as its readers get it: names as they are now, the actions of tasks,
// files, discussions; sign-ins grouped per person and day; its retention; the CSV.

type auditItem struct {
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	Action     string         `json:"action"`
	Kind       string         `json:"kind"`
	ActorID    string         `json:"actorId"`
	ActorName  string         `json:"actorName"`
	TargetType string         `json:"targetType"`
	TargetID   string         `json:"targetId"`
	TargetName string         `json:"targetName"`
	Address    string         `json:"address"`
	Details    map[string]any `json:"details"`
	Group      *struct {
		Count     int       `json:"count"`
		FirstAt   time.Time `json:"firstAt"`
		Addresses []string  `json:"addresses"`
	} `json:"group"`
}

// auditOf reads every entry token may read that query selects, page by page (limit per
// page), newest first.
func auditOf(t *testing.T, env *testkit.Env, token, query string, limit int) []auditItem {
	t.Helper()
	var out []auditItem
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("the audit log pages on for ever")
		}
		var p struct {
			Items []auditItem `json:"items"`
			Next  *string     `json:"next"`
		}
		r := env.Do("GET", fmt.Sprintf("/api/audit?limit=%d&%s%s", limit, query, cursor), token, nil)
		if r.Status != 200 {
			t.Fatalf("audit %s: %d %s", query, r.Status, r.Body)
		}
		r.Decode(t, &p)
		out = append(out, p.Items...)
		if p.Next == nil {
			return out
		}
		cursor = "&cursor=" + *p.Next
	}
}

func findAction(items []auditItem, action, targetID string) *auditItem {
	for i := range items {
		if items[i].Action == action && (targetID == "" || items[i].TargetID == targetID) {
			return &items[i]
		}
	}
	return nil
}

// refName is the name of a detail that names a person or thing ({type, id, name}).
func refName(v any) string {
	r, _ := v.(map[string]any)
	n, _ := r["name"].(string)
	return n
}

func refNames(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, refName(x))
	}
	slices.Sort(out)
	return out
}

// change reads a {from, to} detail whose sides are plain values or named things.
func change(v any) (string, string) {
	m, _ := v.(map[string]any)
	side := func(x any) string {
		if s, ok := x.(string); ok {
			return s
		}
		return refName(x)
	}
	return side(m["from"]), side(m["to"])
}

// Renamed people and things read with their new names wherever the reader may see them;
// a deleted one with the name it had; details that name people by id read as names.
func TestActivityNamesAreReadNow(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ada := env.CreateUser(owner, "Ada Lovelace", "ada@example.com", "staff", initialPW)
	bob := env.CreateUser(owner, "Bob Builder", "bob@example.com", "staff", initialPW)
	team := mustStatus(t, "team", env.Do("POST", "/api/teams", owner, map[string]any{"name": "Ops", "members": []string{ada, bob}}), 201)["id"].(string)
	project := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Alpha", "members": []string{ada}}), 201)["id"].(string)
	mustStatus(t, "rename ada", env.Do("PATCH", "/api/users/"+ada, owner, map[string]any{"name": "Ada King"}), 200)
	mustStatus(t, "rename project", env.Do("PATCH", "/api/projects/"+project, owner, map[string]any{"name": "Alpha Prime"}), 200)
	mustStatus(t, "rename team", env.Do("PATCH", "/api/teams/"+team, owner, map[string]any{"name": "Operations"}), 200)
	mustStatus(t, "delete bob", env.Do("DELETE", "/api/users/"+bob, owner, nil), 204)

	all := auditOf(t, env, owner, "", 200)
	created := findAction(all, "project.create", project)
	if created == nil || created.TargetName != "Alpha Prime" || !slices.Equal(refNames(created.Details["members"]), []string{"Ada King"}) {
		t.Errorf("project.create reads %+v", created)
	}
	tc := findAction(all, "team.create", team)
	// Bob was deleted: his name as it was written.
	if tc == nil || tc.TargetName != "Operations" || !slices.Equal(refNames(tc.Details["members"]), []string{"Ada King", "Bob Builder"}) {
		t.Errorf("team.create reads %+v", tc)
	}
	if u := findAction(all, "user.update", ada); u == nil {
		t.Error("no user.update")
	} else if from, to := change(u.Details["name"]); from != "Ada Lovelace" || to != "Ada King" || u.TargetName != "Ada King" {
		t.Errorf("user.update reads %s → %s (%s)", from, to, u.TargetName)
	}
	// The team deleted: its entries keep the name they were written with.
	mustStatus(t, "delete team", env.Do("DELETE", "/api/teams/"+team, owner, nil), 204)
	all = auditOf(t, env, owner, "", 200)
	if tc := findAction(all, "team.create", team); tc == nil || tc.TargetName != "Ops" {
		t.Errorf("a deleted team's creation reads %+v", tc)
	}
	if d := findAction(all, "user.delete", bob); d == nil || d.TargetName != "Bob Builder" {
		t.Errorf("a deleted person's deletion reads %+v", d)
	}

	// An entry written before names were kept (details of bare ids) reads with names too,
	// and with no name for what no longer exists.
	ctx := context.Background()
	if err := env.Core.Store.AppendAudit(ctx, &store.AuditEntry{At: env.Clock.Now(), Action: "team.update", TargetType: "team",
		TargetID: "gone-team", TargetName: "Old team", Details: map[string]any{"added": []string{ada, "no-such-user"}}}); err != nil {
		t.Fatal(err)
	}
	legacy := findAction(auditOf(t, env, owner, "action=team.update&targetId=gone-team", 50), "team.update", "gone-team")
	if legacy == nil || !slices.Equal(refNames(legacy.Details["added"]), []string{"", "Ada King"}) {
		t.Errorf("a legacy entry reads %+v", legacy)
	}

	// Search finds an entry by a name it has now, not only by the one recorded.
	if got := auditOf(t, env, owner, "action=project.create&q=prime", 50); len(got) != 1 || got[0].TargetID != project {
		t.Errorf("q=prime found %d project.create entries", len(got))
	}
	if got := auditOf(t, env, owner, "action=project.create&target=alpha+prime", 50); len(got) != 1 {
		t.Errorf("target=alpha prime found %d", len(got))
	}
}

// A reader who cannot see a thing gets the name recorded then, never its name now, and a
// search by its new name does not find entries only that name would match.
func TestActivityNamesDoNotLeak(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	auditorRole := newRole(t, env, owner, "Auditor", "internal", [2]string{"activity.team", "all"}, [2]string{"projects.view", "assigned"})
	env.CreateUser(owner, "Ida Auditor", "ida@example.com", auditorRole, initialPW)
	ida := env.SignInFresh("ida@example.com", initialPW, ownPW)
	secret := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Codename"}), 201)["id"].(string)
	mustStatus(t, "rename", env.Do("PATCH", "/api/projects/"+secret, owner, map[string]any{"name": "Merger with Initech"}), 200)

	if c := findAction(auditOf(t, env, owner, "action=project.create", 50), "project.create", secret); c == nil || c.TargetName != "Merger with Initech" {
		t.Errorf("the owner reads %+v", c)
	}
	c := findAction(auditOf(t, env, ida, "action=project.create", 50), "project.create", secret)
	if c == nil || c.TargetName != "Codename" {
		t.Errorf("a reader who cannot see the project reads %+v", c)
	}
	if got := auditOf(t, env, ida, "action=project.create&q=initech", 50); len(got) != 0 {
		t.Errorf("a search by the hidden new name found %+v", got)
	}
	if got := auditOf(t, env, ida, "action=project.create&target=initech", 50); len(got) != 0 {
		t.Errorf("a target search by the hidden new name found %+v", got)
	}
	// The actor filter offers only people the reader may see.
	var people struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/audit/people", owner, nil).Decode(t, &people)
	if len(people.Items) != 2 {
		t.Errorf("the owner may filter by %d people: %v", len(people.Items), people.Items)
	}
}

// Task events are in the log with what changed, from → to; a team leader reads those of
// their team's people only about tasks they can see themselves.
func TestActivityTaskEventsAndTheLeadersSight(t *testing.T) {
	w := buildWorld(t)
	id := func(k string) string { return w.ids[k] }
	// staffB (of the leader's team) also works on the Secret project, which the leader
	// cannot see.
	w.must(w.do("PATCH", "/api/projects/"+id("P3"), "admin", map[string]any{"members": []string{id("staffB")}}), 200)
	board := w.must(w.do("POST", "/api/boards", "admin", map[string]any{"name": "Flow", "visibility": "all"}), 201)
	stages := board["stages"].([]any)
	stage := func(i int) string { return stages[i].(map[string]any)["id"].(string) }
	seen := w.must(w.do("POST", "/api/projects/"+id("P2")+"/tasks", "staffB", map[string]any{"title": "Poster", "boardId": board["id"], "stageId": stage(0)}), 201)["id"].(string)
	hidden := w.must(w.do("POST", "/api/projects/"+id("P3")+"/tasks", "staffB", map[string]any{"title": "Acquisition memo", "boardId": board["id"], "stageId": stage(0)}), 201)["id"].(string)
	for _, task := range []string{seen, hidden} {
		w.must(w.do("PATCH", "/api/tasks/"+task, "staffB", map[string]any{"stageId": stage(1)}), 200)
		w.must(w.do("PATCH", "/api/tasks/"+task, "staffB", map[string]any{"dueDate": "2026-12-24", "assigneeId": id("staffB")}), 200)
	}
	w.must(w.do("PATCH", "/api/tasks/"+seen, "staffB", map[string]any{"title": "Big poster"}), 200)

	owner := auditOf(t, w.env, w.owner, "kind=task", 200)
	for _, a := range []string{"task.create", "task.move", "task.update"} {
		for _, task := range []string{seen, hidden} {
			if findAction(owner, a, task) == nil {
				t.Errorf("the owner does not read %s of %s", a, task)
			}
		}
	}
	if m := findAction(owner, "task.move", seen); m == nil {
		t.Error("no move")
	} else if from, to := change(m.Details["stage"]); from != "To do" || to != "In progress" || m.ActorName != "staffB Person" || m.TargetName != "Big poster" {
		t.Errorf("the move reads %s → %s by %s of %s", from, to, m.ActorName, m.TargetName)
	}
	var edits []string
	for _, e := range owner {
		if e.Action == "task.update" && e.TargetID == seen {
			for k, v := range e.Details {
				from, to := change(v)
				edits = append(edits, k+":"+from+"→"+to)
			}
		}
	}
	slices.Sort(edits)
	if want := []string{"assignee:→staffB Person", "dueDate:→2026-12-24", "title:Poster→Big poster"}; !slices.Equal(edits, want) {
		t.Errorf("the edits read %v, want %v", edits, want)
	}
	if c := findAction(owner, "task.create", seen); c == nil || refName(c.Details["project"]) != "Brand" || refName(c.Details["board"]) != "Flow" || c.Details["stage"] != "To do" {
		t.Errorf("the creation reads %+v", c)
	}

	leader := auditOf(t, w.env, w.tokens["leader"], "kind=task", 200)
	for _, e := range leader {
		if e.TargetID == hidden || strings.Contains(fmt.Sprint(e), "Acquisition") {
			t.Errorf("the leader reads an entry about a task they cannot see: %+v", e)
		}
	}
	for _, a := range []string{"task.create", "task.move", "task.update"} {
		if findAction(leader, a, seen) == nil {
			t.Errorf("the leader does not read %s of their team's task", a)
		}
	}
	// Nor by paging a line at a time, nor by asking for it.
	for _, e := range auditOf(t, w.env, w.tokens["leader"], "", 1) {
		if e.TargetID == hidden {
			t.Errorf("paging one at a time, the leader reads %+v", e)
		}
	}
	if got := auditOf(t, w.env, w.tokens["leader"], "targetId="+hidden, 50); len(got) != 0 {
		t.Errorf("asked for by id, the leader reads %+v", got)
	}

	// Deleting: recorded with the task's project; the owner reads it.
	w.must(w.do("DELETE", "/api/tasks/"+seen, "admin", nil), 204)
	if d := findAction(auditOf(t, w.env, w.owner, "action=task.delete", 50), "task.delete", seen); d == nil || d.TargetName != "Big poster" || refName(d.Details["project"]) != "Brand" {
		t.Errorf("the deletion reads %+v", d)
	}
}

// Files, folders and discussions are in the log by name.
func TestActivityFilesAndDiscussions(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	project := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Site"}), 201)["id"].(string)
	folder := mustStatus(t, "folder", env.Do("POST", "/api/projects/"+project+"/folders", owner, map[string]any{"name": "Drafts"}), 201)["id"].(string)
	file := mustStatus(t, "upload", env.DoRaw("POST", "/api/projects/"+project+"/files?name=plan.txt&folderId="+folder, owner, "application/octet-stream", []byte("the plan")), 201)["id"].(string)
	mustStatus(t, "rename", env.Do("PATCH", "/api/files/"+file, owner, map[string]any{"name": "plan-v2.txt", "folderId": ""}), 200)
	mustStatus(t, "rename folder", env.Do("PATCH", "/api/folders/"+folder, owner, map[string]any{"name": "Old drafts"}), 200)
	thread := mustStatus(t, "thread", env.Do("POST", "/api/projects/"+project+"/threads", owner, map[string]any{"title": "Kick-off", "body": "Hello"}), 201)["id"].(string)
	msg := mustStatus(t, "post", env.Do("POST", "/api/threads/"+thread+"/messages", owner, map[string]any{"body": "Agenda"}), 201)["id"].(string)
	mustStatus(t, "edit", env.Do("PATCH", "/api/messages/"+msg, owner, map[string]any{"body": "Agenda, v2"}), 200)

	all := auditOf(t, env, owner, "", 200)
	if up := findAction(all, "file.upload", file); up == nil || up.TargetName != "plan-v2.txt" || refName(up.Details["folder"]) != "Old drafts" || refName(up.Details["project"]) != "Site" {
		t.Errorf("the upload reads %+v", up)
	}
	if mv := findAction(all, "file.update", file); mv == nil {
		t.Error("no file.update")
	} else if from, to := change(mv.Details["name"]); from != "plan.txt" || to != "plan-v2.txt" {
		t.Errorf("the rename reads %s → %s", from, to)
	} else if from, to := change(mv.Details["folder"]); from != "Old drafts" || to != "" {
		t.Errorf("the move reads %s → %s", from, to)
	}
	for _, a := range []string{"thread.create", "message.post", "message.edit"} {
		if e := findAction(all, a, thread); e == nil || e.TargetName != "Kick-off" || e.Kind != "discussion" {
			t.Errorf("%s reads %+v", a, e)
		}
	}
	if got := auditOf(t, env, owner, "kind=file", 50); len(got) != 4 {
		t.Errorf("kind=file: %d entries", len(got))
	}
	if r := env.Do("GET", "/api/audit?kind=nonsense", owner, nil); r.Status != 422 || r.ErrField() != "kind" {
		t.Errorf("an unknown kind: %d %s", r.Status, r.Body)
	}
	var cat struct {
		Kinds   []string            `json:"kinds"`
		Actions []map[string]string `json:"actions"`
	}
	env.Do("GET", "/api/audit/actions", owner, nil).Decode(t, &cat)
	if len(cat.Kinds) < 10 || !slices.ContainsFunc(cat.Actions, func(a map[string]string) bool { return a["action"] == "task.move" && a["kind"] == "task" }) {
		t.Errorf("the catalog: %+v", cat)
	}
}

// A person's successful sign-ins of one day (the organisation's) are one entry with how
// many there were, the first and last, and the addresses; failed ones stay one each; and
// paging, however small the pages, shows each day once.
func TestActivitySignInsGroupedPerDay(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	// São Paulo is UTC−3: 01:00 UTC is still the day before there.
	mustStatus(t, "timezone", env.Do("PUT", "/api/settings/general", owner, map[string]any{"timezone": "America/Sao_Paulo"}), 200)
	sam := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", initialPW)
	env.SignInFresh("sam@example.com", initialPW, ownPW) // 2026-11-22 09:00 UTC, from 127.0.0.1
	signIn := func(addr string, advance time.Duration) {
		env.Clock.Advance(advance)
		env.Remote = addr
		env.SignIn("sam@example.com", ownPW)
		env.Remote = ""
	}
	signIn("10.0.0.2", time.Hour) // 10:00
	env.Remote = "10.0.0.9"
	env.Do("POST", "/api/sessions", "", map[string]string{"email": "sam@example.com", "password": "a wrong guess here"})
	env.Remote = ""
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Between"})
	signIn("10.0.0.3", 2*time.Hour)  // 12:00
	signIn("10.0.0.2", 13*time.Hour) // 2026-11-23 01:00 UTC: the 22nd in São Paulo
	signIn("10.0.0.4", 12*time.Hour) // 13:00 UTC on the 23rd
	signIn("10.0.0.4", time.Hour)
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password) // the first session has ended meanwhile

	whole := auditOf(t, env, owner, "", 200)
	var days []auditItem
	fails := 0
	for _, e := range whole {
		if e.Action == "session.create" && e.ActorID == sam {
			days = append(days, e)
		}
		if e.Action == "session.fail" {
			fails++
		}
	}
	if len(days) != 2 || fails != 1 {
		t.Fatalf("Sam's sign-ins read as %d lines, failures %d: %+v", len(days), fails, days)
	}
	second, first := days[0], days[1]
	if first.Group == nil || first.Group.Count != 4 || !first.Group.FirstAt.Equal(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)) ||
		!first.At.Equal(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)) ||
		!slices.Equal(first.Group.Addresses, []string{"127.0.0.1", "10.0.0.2", "10.0.0.3"}) {
		t.Errorf("the first day reads %+v %+v", first, first.Group)
	}
	if second.Group == nil || second.Group.Count != 2 || !slices.Equal(second.Group.Addresses, []string{"10.0.0.4"}) {
		t.Errorf("the second day reads %+v", second.Group)
	}
	for _, limit := range []int{1, 2, 3} {
		var paged []string
		for _, e := range auditOf(t, env, owner, "", limit) {
			paged = append(paged, e.ID)
		}
		var want []string
		for _, e := range whole {
			want = append(want, e.ID)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("pages of %d read %v, one page %v", limit, paged, want)
		}
	}
	// Filtered to Sam and to the first day, the same line and count.
	got := auditOf(t, env, owner, "action=session.create&actorId="+sam+"&from=2026-11-22&to=2026-11-22", 1)
	if len(got) != 1 || got[0].Group == nil || got[0].Group.Count != 4 {
		t.Errorf("the first day alone reads %+v", got)
	}
	csvBody := string(env.Do("GET", "/api/audit.csv?action=session.create&actorId="+sam, owner, nil).Body)
	if !strings.Contains(csvBody, "Signed in 4 times,session.create") || !strings.Contains(csvBody, "10.0.0.3") {
		t.Errorf("the CSV reads:\n%s", csvBody)
	}
}

// The CSV says what happened in words, with names as the list gives them.
func TestActivityCSVInWords(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ada := env.CreateUser(owner, "Ada Lovelace", "ada@example.com", "staff", initialPW)
	mustStatus(t, "team", env.Do("POST", "/api/teams", owner, map[string]any{"name": "Ops", "members": []string{ada}}), 201)
	mustStatus(t, "rename", env.Do("PATCH", "/api/users/"+ada, owner, map[string]any{"name": "Ada King"}), 200)
	r := env.Do("GET", "/api/audit.csv?kind=team", owner, nil)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if r.Status != 200 || err != nil || len(rows) != 2 {
		t.Fatalf("CSV: %d %v %s", r.Status, err, r.Body)
	}
	if !slices.Equal(rows[0], []string{"at", "actor", "action", "code", "target_type", "target", "address", "details"}) {
		t.Errorf("header %v", rows[0])
	}
	if row := rows[1]; row[1] != "Olivia Owner" || row[2] != "Created a team" || row[3] != "team.create" || row[5] != "Ops" ||
		!strings.Contains(row[7], "Members: Ada King") {
		t.Errorf("row %v", row)
	}
}

// Settings → Security's retention: entries past it go at once when it is shortened (the
// change itself stays), readers stop seeing older ones on the next request, and what is
// past it is removed when Gatehouse starts.
func TestActivityRetention(t *testing.T) {
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Early"})
	env.Clock.Advance(40 * 24 * time.Hour)
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Late"})
	ctx := context.Background()
	rows := func() []*store.AuditEntry {
		all, err := env.Core.Store.Audit(ctx, store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	// A role with settings.security alone may not shorten it.
	sec := newRole(t, env, owner, "Security desk", "internal", [2]string{"settings.security", ""})
	env.CreateUser(owner, "Sid Security", "sid@example.com", sec, initialPW)
	sid := env.SignInFresh("sid@example.com", initialPW, ownPW)
	before := len(rows())
	if r := env.Do("PUT", "/api/settings/security", sid, map[string]any{"activityRetentionDays": 30}); r.Status != 403 {
		t.Errorf("shortening by a non-Admin: %d %s", r.Status, r.Body)
	}
	for _, bad := range []int{7, 29, 3651, -1} {
		if r := env.Do("PUT", "/api/settings/security", owner, map[string]any{"activityRetentionDays": bad}); r.Status != 422 || r.ErrField() != "activityRetentionDays" {
			t.Errorf("%d days: %d %s", bad, r.Status, r.Body)
		}
	}
	if n := len(rows()); n != before {
		t.Fatalf("refused changes changed the log: %d entries, %d before", n, before)
	}

	r := env.Do("PUT", "/api/settings/security", owner, map[string]any{"activityRetentionDays": 30})
	if r.Status != 200 || r.JSON()["activityRetentionDays"].(float64) != 30 {
		t.Fatalf("30 days: %d %s", r.Status, r.Body)
	}
	cutoff := env.Clock.Now().Add(-30 * 24 * time.Hour)
	left := rows()
	for _, e := range left {
		if e.At.Before(cutoff) {
			t.Errorf("an entry past the retention is still there: %s %s", e.Action, e.At)
		}
	}
	chg := findAction(auditOf(t, env, owner, "action=settings.security", 50), "settings.security", "")
	if chg == nil {
		t.Fatal("the change is not in the log")
	}
	if from, to := change(chg.Details["activityRetentionDays"]); from != "0" || to != "30" || chg.Details["entriesRemoved"] == nil {
		t.Errorf("the change reads %+v", chg.Details)
	}
	if findAction(auditOf(t, env, owner, "kind=team", 50), "team.create", "") == nil {
		t.Error("the recent team's creation went too")
	}

	// In force on the next request: 31 days on, the Late team's entry is past it for
	// readers before anything has removed it.
	env.Clock.Advance(31 * 24 * time.Hour)
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if got := auditOf(t, env, owner, "kind=team", 50); len(got) != 0 {
		t.Errorf("entries past the retention are read: %+v", got)
	}
	if findAction(auditOf(t, env, owner, "action=settings.security", 50), "settings.security", "") != nil {
		t.Error("the 31-day-old change is still read")
	}
	stale := 0
	for _, e := range rows() {
		if e.At.Before(env.Clock.Now().Add(-30 * 24 * time.Hour)) {
			stale++
		}
	}
	if stale == 0 {
		t.Fatal("nothing waits to be removed: the start below would prove nothing")
	}

	// At the next start they go.
	now := env.Clock.Now()
	env.Stop()
	env = testkit.StartIn(t, dir, testkit.Options{Now: now})
	for _, e := range rows() {
		if e.At.Before(now.Add(-30 * 24 * time.Hour)) {
			t.Errorf("after a restart, an entry past the retention is still there: %s %s", e.Action, e.At)
		}
	}
}
