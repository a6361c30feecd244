package httpapi_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/mail"
	"gatehouse/backend/reviews"
	"gatehouse/backend/store"
	"gatehouse/backend/testkit"
)

// Access reviews: started by who runs them, split among reviewers by what each sees,
// decided by the reviewer alone, closed by the starter through the services' own write
// paths, with what could not be applied said; the report as CSV and PDF; the quarter's
// reminder once.

type reviewLine struct {
	ID, UserID, UserName, Kind, ThingID, ThingName, Detail, ReviewerID, Decision, Outcome, OutcomeText string
	RoleChoices                                                                                        []struct{ ID, Name string }
}

type reviewDoc struct {
	ID, Status     string
	Lines, Decided int
	CanClose       bool
	Items          []reviewLine
}

func reviewOf(t *testing.T, r *testkit.Resp, want int, what string) reviewDoc {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	var d reviewDoc
	r.Decode(t, &d)
	return d
}

func lineOf(t *testing.T, d reviewDoc, user, kind string) reviewLine {
	t.Helper()
	for _, l := range d.Items {
		if l.UserName == user && l.Kind == kind {
			return l
		}
	}
	t.Fatalf("no %s line for %s in %+v", kind, user, d.Items)
	return reviewLine{}
}

func TestAccessReviewStartDecideClose(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	// Rita reviews: she sees team members (users.view at scope staff) and every project,
	// but no client account.
	reviewer := newRole(t, env, owner, "People Reviewer", "internal", [2]string{"users.view", "staff"}, [2]string{"projects.view", "all"})
	rita := env.CreateUser(owner, "Rita Reviewer", "rita@example.com", reviewer, "rita password 12345")
	sam := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", "sam password 123456")
	carl := env.CreateUser(owner, "Carl Client", "carl@example.com", "client", "carl password 12345")
	project := mustStatus(t, "project", env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "members": []string{sam}, "clients": []string{carl}}), 201)["id"].(string)
	mustStatus(t, "team", env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design", "members": []string{sam}}), 201)
	mustStatus(t, "board", env.Do("POST", "/api/boards", owner, map[string]any{"name": "Launch", "visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": sam, "level": "member"}}}), 201)
	ritaTok := env.SignInFresh("rita@example.com", "rita password 12345", "rita new password 123")
	samTok := env.SignInFresh("sam@example.com", "sam password 123456", "sam new password 1234")

	// Only people who may see people, and whom the starter sees, may review.
	var cands struct{ Items []struct{ ID, Name string } }
	r := env.Do("GET", "/api/reviews/candidates", owner, nil)
	r.Decode(t, &cands)
	var names []string
	for _, c := range cands.Items {
		names = append(names, c.Name)
	}
	if !slices.Contains(names, "Rita Reviewer") || !slices.Contains(names, testkit.Owner.Name) || slices.Contains(names, "Sam Staff") || slices.Contains(names, "Carl Client") {
		t.Fatalf("candidates: %v", names)
	}
	if r := env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "all", "reviewers": []string{sam}}); r.Status != 422 || r.ErrField() != "reviewers" {
		t.Fatalf("Sam (no users.view) as a reviewer: %d %s", r.Status, r.Body)
	}
	// Starting one is for who runs reviews (roles.manage).
	if r := env.Do("POST", "/api/reviews", ritaTok, map[string]any{"scope": "all", "reviewers": []string{rita}}); r.Status != 403 {
		t.Fatalf("Rita starts a review: %d %s", r.Status, r.Body)
	}

	rv := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "all", "reviewers": []string{rita}}), 201, "start")
	// Everyone's role, Sam's project, team and board, Carl's project (as a client).
	for _, want := range [][2]string{{testkit.Owner.Name, "role"}, {"Rita Reviewer", "role"}, {"Sam Staff", "role"}, {"Sam Staff", "project"},
		{"Sam Staff", "team"}, {"Sam Staff", "board"}, {"Carl Client", "role"}, {"Carl Client", "project"}} {
		lineOf(t, rv, want[0], want[1])
	}
	if rv.Lines != len(rv.Items) || rv.Decided != 0 {
		t.Fatalf("progress: %d of %d", rv.Decided, rv.Lines)
	}
	// Rita cannot see Carl: his lines are the starter's, never hers.
	for _, l := range rv.Items {
		if l.UserID == carl && l.ReviewerID != ownerID {
			t.Fatalf("Carl's %s line went to %s", l.Kind, l.ReviewerID)
		}
	}
	samProject := lineOf(t, rv, "Sam Staff", "project")
	if samProject.ReviewerID != rita || samProject.Detail != "member" {
		t.Fatalf("Sam's project line: %+v", samProject)
	}
	var mine struct{ Items []reviewDoc }
	env.Do("GET", "/api/reviews/mine", ritaTok, nil).Decode(t, &mine)
	if len(mine.Items) != 1 || len(mine.Items[0].Items) == 0 {
		t.Fatalf("Rita's checklist: %+v", mine)
	}
	for _, l := range mine.Items[0].Items {
		if l.UserID == carl || l.ReviewerID != rita {
			t.Fatalf("Rita's checklist has %+v", l)
		}
	}
	// Rita's menu offers her checklist; Sam's does not.
	navKeys := func(tok string) []string {
		var me struct{ Nav []struct{ Key string } }
		env.Do("GET", "/api/me", tok, nil).Decode(t, &me)
		var ks []string
		for _, n := range me.Nav {
			ks = append(ks, n.Key)
		}
		return ks
	}
	if !slices.Contains(navKeys(ritaTok), "myReview") || slices.Contains(navKeys(samTok), "myReview") || !slices.Contains(navKeys(owner), "reviews") {
		t.Fatalf("menus: rita %v, sam %v, owner %v", navKeys(ritaTok), navKeys(samTok), navKeys(owner))
	}

	decide := func(tok, line, decision, roleID string) *testkit.Resp {
		return env.Do("PUT", "/api/reviews/"+rv.ID+"/lines/"+line, tok, map[string]any{"decision": decision, "roleId": roleID, "note": "checked with the team"})
	}
	// Someone not reviewing it does not see it; the starter may not decide Rita's lines.
	if r := decide(samTok, samProject.ID, "revoke", ""); r.Status != 404 {
		t.Fatalf("Sam decides: %d %s", r.Status, r.Body)
	}
	if r := decide(owner, samProject.ID, "revoke", ""); r.Status != 403 {
		t.Fatalf("the owner decides Rita's line: %d %s", r.Status, r.Body)
	}
	// Rita cannot give roles (no users.edit): no choices, and a change is refused.
	samRole := lineOf(t, mine.Items[0], "Sam Staff", "role")
	if len(samRole.RoleChoices) != 0 {
		t.Fatalf("Rita's role choices: %+v", samRole.RoleChoices)
	}
	if r := decide(ritaTok, samRole.ID, "change", "client"); r.Status != 422 || r.ErrField() != "roleId" {
		t.Fatalf("Rita changes Sam's role: %d %s", r.Status, r.Body)
	}
	if r := decide(ritaTok, samProject.ID, "change", "client"); r.Status != 422 {
		t.Fatalf("a project line changed: %d %s", r.Status, r.Body)
	}
	d := reviewOf(t, decide(ritaTok, samProject.ID, "revoke", ""), 200, "Rita revokes Sam's project")
	if l := lineOf(t, d, "Sam Staff", "project"); l.Decision != "revoke" {
		t.Fatalf("saved: %+v", l)
	}
	if p := env.Do("GET", "/api/projects/"+project, owner, nil).JSON(); !slices.Contains(anyStrings(p["members"]), sam) {
		t.Fatal("a decision applied before the close")
	}

	// Undecided lines: closing is refused, unless the undecided are kept; only the starter.
	if r := env.Do("POST", "/api/reviews/"+rv.ID+"/close", owner, map[string]any{}); r.Status != 409 || r.ErrCode() != "undecided" {
		t.Fatalf("close with undecided lines: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/reviews/"+rv.ID+"/close", ritaTok, map[string]any{"keepUndecided": true}); r.Status != 403 {
		t.Fatalf("Rita closes: %d %s", r.Status, r.Body)
	}
	var progress struct{ Items []reviewDoc }
	env.Do("GET", "/api/reviews", owner, nil).Decode(t, &progress)
	if len(progress.Items) != 1 || progress.Items[0].Decided != 1 || !progress.Items[0].CanClose {
		t.Fatalf("progress: %+v", progress.Items)
	}
	closed := reviewOf(t, env.Do("POST", "/api/reviews/"+rv.ID+"/close", owner, map[string]any{"keepUndecided": true}), 200, "close")
	if closed.Status != "closed" {
		t.Fatalf("status %s", closed.Status)
	}
	if l := lineOf(t, closed, "Sam Staff", "project"); l.Outcome != "applied" {
		t.Fatalf("Sam's project line: %+v", l)
	}
	if l := lineOf(t, closed, "Sam Staff", "team"); l.Outcome != "kept" {
		t.Fatalf("an undecided line: %+v", l)
	}
	if p := env.Do("GET", "/api/projects/"+project, owner, nil).JSON(); slices.Contains(anyStrings(p["members"]), sam) {
		t.Fatalf("Sam is still on the project: %v", p["members"])
	}
	if r := env.Do("GET", "/api/projects/"+project, samTok, nil); r.Status != 404 {
		t.Fatalf("Sam still sees the project: %d", r.Status)
	}
	if r := env.Do("POST", "/api/reviews/"+rv.ID+"/close", owner, map[string]any{"keepUndecided": true}); r.Status != 409 {
		t.Fatalf("closed twice: %d %s", r.Status, r.Body)
	}
	if r := decide(ritaTok, samRole.ID, "keep", ""); r.Status != 409 {
		t.Fatalf("decided after the close: %d %s", r.Status, r.Body)
	}
	if slices.Contains(navKeys(ritaTok), "myReview") {
		t.Fatal("the menu still offers a closed review's checklist")
	}

	// The report: CSV with who decided what, and a PDF.
	rep := env.Do("GET", "/api/reviews/"+rv.ID+"/report.csv", owner, nil)
	if rep.Status != 200 {
		t.Fatalf("csv: %d %s", rep.Status, rep.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(rep.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(closed.Items)+1 || rows[0][1] != "person" || rows[0][7] != "decision" || rows[0][12] != "outcome" {
		t.Fatalf("csv header or size: %v (%d rows)", rows[0], len(rows))
	}
	found := false
	for _, row := range rows[1:] {
		if row[1] == "Sam Staff" && row[3] == "project" && row[4] == "Apollo" && row[6] == "Rita Reviewer" && row[7] == "revoke" &&
			row[10] == "checked with the team" && row[11] != "" && row[12] == "applied" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the CSV does not say Rita revoked Sam's project: %v", rows)
	}
	pdf := env.Do("GET", "/api/reviews/"+rv.ID+"/report.pdf", owner, nil)
	if pdf.Status != 200 || !strings.HasPrefix(string(pdf.Body), "%PDF") {
		t.Fatalf("pdf: %d %.20q", pdf.Status, pdf.Body)
	}
	if r := env.Do("GET", "/api/reviews/"+rv.ID+"/report.csv", ritaTok, nil); r.Status != 403 {
		t.Fatalf("Rita reads the report: %d", r.Status)
	}

	// A revocation that can no longer be applied is said, and the rest go on.
	rv2 := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "project", "scopeId": project, "reviewers": []string{ownerID}}), 201, "project review")
	carlLine := lineOf(t, rv2, "Carl Client", "project")
	for _, l := range rv2.Items {
		if l.Kind == "role" {
			t.Fatalf("a project review has role lines: %+v", l)
		}
	}
	reviewOf(t, env.Do("PUT", "/api/reviews/"+rv2.ID+"/lines/"+carlLine.ID, owner, map[string]any{"decision": "revoke"}), 200, "revoke Carl")
	mustStatus(t, "Carl leaves", env.Do("PATCH", "/api/projects/"+project, owner, map[string]any{"clients": []string{}}), 200)
	closed2 := reviewOf(t, env.Do("POST", "/api/reviews/"+rv2.ID+"/close", owner, map[string]any{"keepUndecided": true}), 200, "close 2")
	if l := lineOf(t, closed2, "Carl Client", "project"); l.Outcome != "failed" || !strings.Contains(l.OutcomeText, "no longer on the project") {
		t.Fatalf("Carl's line: %+v", l)
	}

	// A role review: the owner moves Sam to another role, offered only roles they may give.
	rv3 := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "role", "scopeId": "staff", "reviewers": []string{ownerID}}), 201, "role review")
	for _, l := range rv3.Items {
		if l.UserID != sam {
			t.Fatalf("a review of Staff names %s", l.UserName)
		}
	}
	samRole3 := lineOf(t, rv3, "Sam Staff", "role")
	choices := samRole3.RoleChoices
	if !slices.ContainsFunc(choices, func(c struct{ ID, Name string }) bool { return c.ID == reviewer }) ||
		slices.ContainsFunc(choices, func(c struct{ ID, Name string }) bool { return c.ID == "staff" }) {
		t.Fatalf("the owner's choices for Sam: %+v", choices)
	}
	reviewOf(t, env.Do("PUT", "/api/reviews/"+rv3.ID+"/lines/"+samRole3.ID, owner, map[string]any{"decision": "change", "roleId": reviewer}), 200, "change Sam's role")
	closed3 := reviewOf(t, env.Do("POST", "/api/reviews/"+rv3.ID+"/close", owner, map[string]any{"keepUndecided": true}), 200, "close 3")
	if l := lineOf(t, closed3, "Sam Staff", "role"); l.Outcome != "applied" {
		t.Fatalf("Sam's role line: %+v", l)
	}
	if u := env.Do("GET", "/api/users/"+sam, owner, nil).JSON(); u["roleId"] != reviewer {
		t.Fatalf("Sam's role is %v", u["roleId"])
	}
}

// The reminder goes to the owner once a quarter while no review was closed in 90 days,
// and not at all for a team that began less than 90 days ago.
func TestAccessReviewReminderOncePerQuarter(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ctx := context.Background()
	reminders := func() int {
		ms, _, err := env.Core.Store.Mails(ctx, store.MailFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ms {
			if m.Kind == mail.KindReviewDue {
				n++
			}
		}
		return n
	}
	due := func() bool { return env.Do("GET", "/api/reviews/due", owner, nil).JSON()["due"].(bool) }
	if sent, err := env.Core.Reviews.Remind(ctx); err != nil || sent || reminders() != 0 || due() {
		t.Fatalf("a new team was reminded: %v %v", sent, err)
	}
	env.Clock.Advance(91 * 24 * time.Hour) // 2027-02-21: Q1
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if !due() {
		t.Fatal("no review in 91 days, and none due")
	}
	for i := range 3 {
		sent, err := env.Core.Reviews.Remind(ctx)
		if err != nil || sent != (i == 0) {
			t.Fatalf("remind #%d: %v %v", i, sent, err)
		}
	}
	if reminders() != 1 {
		t.Fatalf("%d reminders", reminders())
	}
	env.Clock.Advance(50 * 24 * time.Hour) // Q2, still due
	if sent, _ := env.Core.Reviews.Remind(ctx); !sent || reminders() != 2 {
		t.Fatalf("the next quarter's reminder: %v, %d", sent, reminders())
	}
	if got := reviews.Quarter(env.Clock.Now()); got != "2027-Q2" {
		t.Fatalf("quarter %s", got)
	}
	// A closed review makes it not due; the next quarter sends nothing.
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	rv := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "all", "reviewers": []string{
		env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)}}), 201, "start")
	reviewOf(t, env.Do("POST", "/api/reviews/"+rv.ID+"/close", owner, map[string]any{"keepUndecided": true}), 200, "close")
	if due() {
		t.Fatal("due right after a review was closed")
	}
	env.Clock.Advance(60 * 24 * time.Hour) // Q3, 60 days after the close
	if sent, _ := env.Core.Reviews.Remind(ctx); sent || reminders() != 2 {
		t.Fatalf("reminded 60 days after a review: %v, %d", sent, reminders())
	}
}

// An extra permission beyond the role is access a review covers: a line of its own, and
// revoking it ends the grant when the review closes.
func TestAccessReviewCoversExtraPermissions(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	sam := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", "sam password 123456")
	grant := mustStatus(t, "grant", env.Do("POST", "/api/users/"+sam+"/grants", owner, map[string]any{"kind": "permission", "permission": "projects.view", "scope": "all"}), 201)["id"].(string)
	rv := reviewOf(t, env.Do("POST", "/api/reviews", owner, map[string]any{"scope": "all", "reviewers": []string{ownerID}}), 201, "start")
	l := lineOf(t, rv, "Sam Staff", "grant")
	if l.ThingID != grant || l.ThingName != "projects.view" || l.Detail != "all" {
		t.Fatalf("the extra permission's line: %+v", l)
	}
	for _, it := range rv.Items {
		decision := "keep"
		if it.ID == l.ID {
			decision = "revoke"
		}
		if r := env.Do("PUT", "/api/reviews/"+rv.ID+"/lines/"+it.ID, owner, map[string]any{"decision": decision}); r.Status != 200 {
			t.Fatalf("decide %s: %d %s", it.Kind, r.Status, r.Body)
		}
	}
	closed := reviewOf(t, env.Do("POST", "/api/reviews/"+rv.ID+"/close", owner, map[string]any{}), 200, "close")
	if got := lineOf(t, closed, "Sam Staff", "grant"); got.Outcome != "applied" {
		t.Fatalf("the revoked grant's outcome: %+v", got)
	}
	var gs struct {
		Items []struct{ ID, EndedHow string }
	}
	env.Do("GET", "/api/users/"+sam+"/grants", owner, nil).Decode(t, &gs)
	for _, g := range gs.Items {
		if g.ID == grant && g.EndedHow != "revoked" {
			t.Fatalf("the grant after the review: %+v", g)
		}
	}
}
