package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Client login history and engagement (activity.clients): what is recorded, what is
// counted, for whom.

type engagementWorld struct {
	env                     *testkit.Env
	owner, sam, carl, dora  string // tokens
	samID, carlID, doraID   string
	project, brief, invoice string
}

func newEngagementWorld(t *testing.T) *engagementWorld {
	t.Helper()
	env := testkit.Start(t)
	w := &engagementWorld{env: env, owner: env.Setup()}
	w.samID = env.CreateUser(w.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	w.carlID = env.CreateUser(w.owner, "Carl Client", "carl@customer.test", "client", initialPW)
	w.doraID = env.CreateUser(w.owner, "Dora Client", "dora@other.test", "client", initialPW)
	w.sam = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	w.carl = env.SignInFresh("carl@customer.test", initialPW, ownPW)
	w.dora = env.SignInFresh("dora@other.test", initialPW, ownPW)
	w.project = mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": "Website", "members": []string{w.samID},
		"clients": []string{w.carlID, w.doraID}}))
	w.brief = w.sharedFile(t, w.project, "brief.pdf", []byte("%PDF-1.4 brief"))
	carlCo := env.Do("GET", "/api/users/"+w.carlID, w.owner, nil).JSON()["companyId"].(string)
	issuer(t, env, w.owner)
	w.invoice = mustID(t, env.Do("POST", "/api/invoices", w.owner, map[string]any{"companyId": carlCo,
		"lines": []map[string]any{{"description": "Website", "quantityMilli": 1000, "unitPrice": 50000, "taxRateBP": 0}}}))
	if r := env.Do("POST", "/api/invoices/"+w.invoice+"/send", w.owner, nil); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	return w
}

// sharedFile uploads a file to project (as the owner) and shares it with its clients.
func (w *engagementWorld) sharedFile(t *testing.T, project, name string, content []byte) string {
	t.Helper()
	id := mustID(t, w.env.DoRaw("POST", "/api/projects/"+project+"/files?name="+url.QueryEscape(name), w.owner, "application/octet-stream", content))
	if r := w.env.Do("PATCH", "/api/files/"+id, w.owner, map[string]any{"shared": true}); r.Status != 200 {
		t.Fatalf("share %s: %d %s", name, r.Status, r.Body)
	}
	return id
}

func (w *engagementWorld) download(t *testing.T, token, file string) {
	t.Helper()
	if r := w.env.Do("GET", "/api/files/"+file+"/content", token, nil); r.Status != 200 {
		t.Fatalf("download: %d %s", r.Status, r.Body)
	}
}

func (w *engagementWorld) viewInvoice(t *testing.T, token string) {
	t.Helper()
	if r := w.env.Do("GET", "/api/invoices/"+w.invoice, token, nil); r.Status != 200 {
		t.Fatalf("open the invoice: %d %s", r.Status, r.Body)
	}
}

// entries returns the log's entries of action, as the owner reads them.
func entries(t *testing.T, env *testkit.Env, owner, action string) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/audit?action="+action, owner, nil).Decode(t, &page)
	return page.Items
}

type engagementRow struct {
	UserID, Name, Company string
	Active                bool
	LastSignIn            *struct{ At, Address string }
	SignIns               int
	Weeks                 []int
	WeeklyAverage         float64
	Downloads             int
	LastDownload          *struct{ At, Name string }
	InvoiceViews          int
	LastInvoiceView       *struct{ At, Name string }
}

type engagementReport struct {
	Today, From string
	Days        int
	Weeks       []string
	Items       []engagementRow
}

func clientActivity(t *testing.T, env *testkit.Env, token, query string, headers ...map[string]string) (engagementReport, map[string]engagementRow) {
	t.Helper()
	h := map[string]string{}
	if len(headers) > 0 {
		h = headers[0]
	}
	r := env.DoWithHeaders("GET", "/api/activity/clients"+query, token, nil, h)
	if r.Status != 200 {
		t.Fatalf("client activity%s: %d %s", query, r.Status, r.Body)
	}
	var rep engagementReport
	r.Decode(t, &rep)
	byName := map[string]engagementRow{}
	for _, row := range rep.Items {
		byName[row.Name] = row
	}
	return rep, byName
}

// Downloads and invoice views are recorded for client accounts only: not the team's, not
// an image preview, not what is read while viewing as a client; an invoice's views once a
// day, its page and its PDF alike.
func TestClientEngagementIsRecordedForClientsOnly(t *testing.T) {
	w := newEngagementWorld(t)
	env := w.env
	photo := w.sharedFile(t, w.project, "photo.png", pngOf(t, 4, 4))

	w.download(t, w.owner, w.brief)
	w.download(t, w.sam, w.brief)
	if got := entries(t, env, w.owner, "file.download"); len(got) != 0 {
		t.Fatalf("the team's downloads were recorded: %v", got)
	}
	w.download(t, w.carl, w.brief)
	w.download(t, w.carl, w.brief)
	if r := env.Do("GET", "/api/files/"+photo+"/content?inline=1", w.carl, nil); r.Status != 200 {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}
	env.Do("POST", "/api/view-as", w.owner, map[string]any{"userId": w.carlID})
	if r := env.DoWithHeaders("GET", "/api/files/"+w.brief+"/content", w.owner, nil, map[string]string{"X-View-As": w.carlID}); r.Status != 200 {
		t.Fatalf("download viewing as Carl: %d %s", r.Status, r.Body)
	}
	got := entries(t, env, w.owner, "file.download")
	if len(got) != 2 {
		t.Fatalf("Carl's two downloads, and nothing else: %v", got)
	}
	for _, e := range got {
		if e["actorId"] != w.carlID || e["targetId"] != w.brief || e["targetName"] != "brief.pdf" || e["targetType"] != "file" {
			t.Errorf("a download's entry: %v", e)
		}
	}
	// A client who may not see a file records nothing (and gets nothing).
	internal := mustID(t, env.DoRaw("POST", "/api/projects/"+w.project+"/files?name=internal.txt", w.owner, "application/octet-stream", []byte("internal")))
	if r := env.Do("GET", "/api/files/"+internal+"/content", w.carl, nil); r.Status != 404 {
		t.Errorf("Carl downloads an internal file: %d", r.Status)
	}

	w.viewInvoice(t, w.owner)
	w.viewInvoice(t, w.carl)
	w.viewInvoice(t, w.carl)
	if r := env.Do("GET", "/api/invoices/"+w.invoice+"/pdf", w.carl, nil); r.Status != 200 {
		t.Fatalf("the PDF: %d %s", r.Status, r.Body)
	}
	if r := env.DoWithHeaders("GET", "/api/invoices/"+w.invoice, w.owner, nil, map[string]string{"X-View-As": w.carlID}); r.Status != 200 {
		t.Fatalf("the invoice viewing as Carl: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/invoices/"+w.invoice, w.dora, nil); r.Status != 404 {
		t.Errorf("Dora opens another company's invoice: %d", r.Status)
	}
	views := entries(t, env, w.owner, "invoice.view")
	if len(views) != 1 || views[0]["actorId"] != w.carlID || views[0]["targetId"] != w.invoice || views[0]["targetName"] == "" {
		t.Fatalf("one view a day: %v", views)
	}
	// The next day (the organisation's), another.
	env.Clock.Advance(24 * time.Hour)
	carl := env.SignIn("carl@customer.test", ownPW)
	if r := env.Do("GET", "/api/invoices/"+w.invoice+"/pdf", carl, nil); r.Status != 200 {
		t.Fatalf("the PDF the next day: %d %s", r.Status, r.Body)
	}
	w.viewInvoice(t, carl)
	if views := entries(t, env, env.SignIn(testkit.Owner.Email, testkit.Owner.Password), "invoice.view"); len(views) != 2 {
		t.Errorf("the next day's view: %v", views)
	}
}

// The figures, on a fixture the test clock walks through three weeks in São Paulo's time
// zone (UTC−3): weeks run Monday to Sunday there, so a sign-in on Monday at 02:00 UTC is
// the Sunday before.
func TestClientEngagementFigures(t *testing.T) {
	w := newEngagementWorld(t) // Sunday 2026-11-22 09:00 UTC: Carl and Dora signed in once
	env := w.env
	if r := env.Do("PUT", "/api/settings/general", w.owner, map[string]any{"timezone": "America/Sao_Paulo"}); r.Status != 200 {
		t.Fatalf("time zone: %d %s", r.Status, r.Body)
	}
	at := func(s string) {
		t.Helper()
		when, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		if d := when.Sub(env.Clock.Now()); d < 0 {
			t.Fatalf("the clock cannot go back to %s", s)
		} else {
			env.Clock.Advance(d)
		}
	}
	at("2026-11-23T02:00:00Z") // Sunday 23:00 in São Paulo
	carl := env.SignIn("carl@customer.test", ownPW)
	w.download(t, carl, w.brief)
	at("2026-11-23T04:00:00Z") // Monday 01:00
	carl = env.SignIn("carl@customer.test", ownPW)
	w.viewInvoice(t, carl)
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": "carl@customer.test", "password": "not the password"}); r.Status != 401 {
		t.Fatalf("a wrong password: %d", r.Status)
	}
	at("2026-12-07T12:00:00Z")
	carl = env.SignIn("carl@customer.test", ownPW)
	w.download(t, carl, w.brief)
	w.viewInvoice(t, carl)
	env.SignIn("dora@other.test", ownPW)
	at("2026-12-10T12:00:00Z") // Thursday
	owner := env.SignIn(testkit.Owner.Email, testkit.Owner.Password)

	rep, rows := clientActivity(t, env, owner, "")
	wantWeeks := []string{"2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07"}
	if rep.Today != "2026-12-10" || rep.Days != 30 || rep.From != "2026-11-11" || !slices.Equal(rep.Weeks, wantWeeks) || len(rep.Items) != 2 {
		t.Fatalf("the report's frame: %+v", rep)
	}
	c, d := rows["Carl Client"], rows["Dora Client"]
	if !slices.Equal(c.Weeks, []int{0, 0, 0, 0, 2, 1, 0, 1}) || c.WeeklyAverage != 0.5 || c.SignIns != 4 {
		t.Errorf("Carl's sign-ins: %+v", c)
	}
	if c.LastSignIn == nil || c.LastSignIn.At != "2026-12-07T12:00:00Z" || c.LastSignIn.Address != "127.0.0.1" {
		t.Errorf("Carl's last sign-in: %+v", c.LastSignIn)
	}
	if c.Downloads != 2 || c.LastDownload == nil || c.LastDownload.Name != "brief.pdf" || c.LastDownload.At != "2026-12-07T12:00:00Z" {
		t.Errorf("Carl's downloads: %d %+v", c.Downloads, c.LastDownload)
	}
	if c.InvoiceViews != 2 || c.LastInvoiceView == nil || c.LastInvoiceView.At != "2026-12-07T12:00:00Z" || c.Company != "Carl Client" {
		t.Errorf("Carl's invoice views: %+v", c)
	}
	if !slices.Equal(d.Weeks, []int{0, 0, 0, 0, 1, 0, 0, 1}) || d.SignIns != 2 || d.Downloads != 0 || d.LastDownload != nil || d.InvoiceViews != 0 {
		t.Errorf("Dora: %+v", d)
	}
	// The last 7 days: from Friday 2026-12-04; the last sign-in and download stay.
	rep, rows = clientActivity(t, env, owner, "?days=7")
	if c := rows["Carl Client"]; rep.From != "2026-12-04" || c.SignIns != 1 || c.Downloads != 1 || c.InvoiceViews != 1 || c.LastSignIn == nil {
		t.Errorf("the last 7 days: %+v", rep)
	}
	// Sorting: by sign-ins, the most first (the default order for a figure); by name, A to Z.
	if rep, _ := clientActivity(t, env, owner, "?sort=signIns"); rep.Items[0].Name != "Carl Client" {
		t.Errorf("by sign-ins: %+v", rep.Items)
	}
	if rep, _ := clientActivity(t, env, owner, "?sort=name&order=desc"); rep.Items[0].Name != "Dora Client" {
		t.Errorf("by name, Z to A: %+v", rep.Items)
	}
	if rep, _ := clientActivity(t, env, owner, "?sort=lastSignIn&order=asc"); rep.Items[0].Name != "Carl Client" {
		t.Errorf("by last sign-in, the oldest first: %+v", rep.Items) // Dora's was later that Monday
	}
	for _, q := range []string{"?days=12", "?sort=email", "?order=up", "?days=x"} {
		if r := env.Do("GET", "/api/activity/clients"+q, owner, nil); r.Status != 422 {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}

	csv := env.Do("GET", "/api/activity/clients.csv?sort=name", owner, nil)
	lines := strings.Split(strings.TrimSpace(string(csv.Body)), "\n")
	if csv.Status != 200 || len(lines) != 3 || !strings.HasPrefix(lines[0], "client,company,status,last_sign_in,last_sign_in_address,sign_ins,sign_ins_week_of_2026-10-19,") ||
		!strings.HasPrefix(lines[1], "Carl Client,Carl Client,active,2026-12-07T12:00:00Z,127.0.0.1,4,0,0,0,0,2,1,0,1,0.50,2,2026-12-07T12:00:00Z,brief.pdf,2,") {
		t.Errorf("CSV: %d %s", csv.Status, csv.Body)
	}

	// Carl's login history, newest first, two at a time: 4 sign-ins and a failure.
	var outcomes []string
	cursor := ""
	for pages := 0; ; pages++ {
		var pg struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		r := env.Do("GET", "/api/activity/clients/"+w.carlID+"/sign-ins?limit=2"+cursor, owner, nil)
		if r.Status != 200 {
			t.Fatalf("history: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &pg)
		for _, e := range pg.Items {
			outcomes = append(outcomes, fmt.Sprintf("%s %s %s %s", e["at"], e["outcome"], e["step"], e["address"]))
		}
		if pg.Next == nil || pages > 5 {
			break
		}
		cursor = "&cursor=" + *pg.Next
	}
	want := []string{
		"2026-12-07T12:00:00Z signedIn  127.0.0.1",
		"2026-11-23T04:00:00Z failed password 127.0.0.1",
		"2026-11-23T04:00:00Z signedIn  127.0.0.1",
		"2026-11-23T02:00:00Z signedIn  127.0.0.1",
		"2026-11-22T09:00:00Z signedIn  127.0.0.1",
	}
	if !slices.Equal(outcomes, want) {
		t.Errorf("Carl's history:\n%s\nwant\n%s", strings.Join(outcomes, "\n"), strings.Join(want, "\n"))
	}
	if r := env.Do("GET", "/api/activity/clients/"+w.samID+"/sign-ins", owner, nil); r.Status != 404 {
		t.Errorf("a team member's history is not client activity: %d", r.Status)
	}
	if r := env.Do("GET", "/api/activity/clients/nobody/sign-ins", owner, nil); r.Status != 404 {
		t.Errorf("nobody's history: %d", r.Status)
	}
	if r := env.Do("GET", "/api/activity/clients/"+w.carlID+"/sign-ins?cursor=x", owner, nil); r.Status != 422 {
		t.Errorf("a bad cursor: %d", r.Status)
	}
}

// Without activity.clients: 403 and nothing else, on every route and whatever is asked —
// the team, a Team Leader (activity.team at scope team), a client; and viewing as someone
// without it.
func TestClientActivityNeedsItsPermission(t *testing.T) {
	w := newEngagementWorld(t)
	env := w.env
	leader := templateRole(t, env, w.owner, "team-leader")
	env.CreateUser(w.owner, "Lea Leader", "lea@acme.test", leader, initialPW)
	lea := env.SignInFresh("lea@acme.test", initialPW, ownPW)
	env.Do("POST", "/api/view-as", w.owner, map[string]any{"userId": w.samID})
	for name, token := range map[string]string{"staff": w.sam, "leader": lea, "client": w.carl} {
		for _, path := range []string{"/api/activity/clients", "/api/activity/clients?days=12", "/api/activity/clients.csv",
			"/api/activity/clients/" + w.carlID + "/sign-ins", "/api/activity/clients/nobody/sign-ins?limit=0"} {
			if r := env.Do("GET", path, token, nil); r.Status != 403 || strings.Contains(string(r.Body), "Carl") {
				t.Errorf("%s GET %s: %d %s", name, path, r.Status, r.Body)
			}
		}
	}
	if r := env.DoWithHeaders("GET", "/api/activity/clients", w.owner, nil, map[string]string{"X-View-As": w.samID}); r.Status != 403 {
		t.Errorf("the owner viewing as Sam: %d %s", r.Status, r.Body)
	}
	nav := func(token string) []string {
		var me struct{ Nav []struct{ Key string } }
		env.Do("GET", "/api/me", token, nil).Decode(t, &me)
		var keys []string
		for _, n := range me.Nav {
			keys = append(keys, n.Key)
		}
		return keys
	}
	if !slices.Contains(nav(w.owner), "clientActivity") || slices.Contains(nav(w.sam), "clientActivity") || slices.Contains(nav(lea), "clientActivity") {
		t.Errorf("the menu: owner %v, staff %v, leader %v", nav(w.owner), nav(w.sam), nav(lea))
	}
}

// Figures never count what the reader cannot see: a role with activity.clients on some
// projects counts downloads of their files only, and no invoice views without
// invoices.view; viewing as someone counts what both see — narrower than either alone.
func TestClientActivityCountsOnlyWhatTheReaderSees(t *testing.T) {
	w := newEngagementWorld(t)
	env := w.env
	role := func(name string, perms ...map[string]any) string {
		t.Helper()
		return mustID(t, env.Do("POST", "/api/roles", w.owner, map[string]any{"name": name, "kind": "internal", "permissions": perms}))
	}
	p := func(key, scope string) map[string]any { return map[string]any{"key": key, "scope": scope} }
	// Cora: client success on the projects she is on; no invoices, no activity log.
	cora := role("Client success", p("projects.view", "assigned"), p("files.view", ""), p("activity.clients", ""))
	coraID := env.CreateUser(w.owner, "Cora Success", "cora@acme.test", cora, initialPW)
	coraTok := env.SignInFresh("cora@acme.test", initialPW, ownPW)
	// Lena reads the whole log, on the projects she is on; Max sees every project.
	lena := role("Activity lead", p("projects.view", "assigned"), p("files.view", ""), p("users.view", "all"), p("activity.team", "all"), p("activity.clients", ""))
	lenaID := env.CreateUser(w.owner, "Lena Lead", "lena@acme.test", lena, initialPW)
	lenaTok := env.SignInFresh("lena@acme.test", initialPW, ownPW)
	maxRole := role("Account overview", p("projects.view", "all"), p("files.view", ""), p("activity.clients", ""))
	maxID := env.CreateUser(w.owner, "Max Overview", "max@acme.test", maxRole, initialPW)
	maxTok := env.SignInFresh("max@acme.test", initialPW, ownPW)

	other := mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": "Secret rebrand", "clients": []string{w.carlID}}))
	secret := w.sharedFile(t, other, "rebrand.pdf", []byte("%PDF-1.4 rebrand"))
	if r := env.Do("PATCH", "/api/projects/"+w.project, w.owner, map[string]any{"members": []string{w.samID, coraID, lenaID}}); r.Status != 200 {
		t.Fatalf("members: %d %s", r.Status, r.Body)
	}
	w.download(t, w.carl, w.brief)
	env.Clock.Advance(time.Minute)
	w.download(t, w.carl, secret)
	w.viewInvoice(t, w.carl)

	carl := func(token string, headers ...map[string]string) engagementRow {
		t.Helper()
		_, rows := clientActivity(t, env, token, "", headers...)
		if len(rows) != 2 {
			t.Fatalf("rows: %v", rows)
		}
		return rows["Carl Client"]
	}
	if c := carl(w.owner); c.Downloads != 2 || c.LastDownload.Name != "rebrand.pdf" || c.InvoiceViews != 1 {
		t.Errorf("the owner: %+v", c)
	}
	if c := carl(coraTok); c.Downloads != 1 || c.LastDownload.Name != "brief.pdf" || c.InvoiceViews != 0 || c.LastInvoiceView != nil || c.SignIns != 1 {
		t.Errorf("Cora sees only her project's file, and no invoice: %+v", c)
	}
	if c := carl(maxTok); c.Downloads != 2 || c.InvoiceViews != 0 {
		t.Errorf("Max sees every project's files: %+v", c)
	}
	if c := carl(lenaTok); c.Downloads != 2 {
		t.Errorf("Lena reads the whole client log: %+v", c)
	}
	// The owner viewing as Cora: Cora's figures.
	env.Do("POST", "/api/view-as", w.owner, map[string]any{"userId": coraID})
	if c := carl(w.owner, map[string]string{"X-View-As": coraID}); c.Downloads != 1 || c.InvoiceViews != 0 {
		t.Errorf("the owner as Cora: %+v", c)
	}
	// Lena viewing as Max: each alone counts both downloads; together, only the file both
	// see (Max does not read the whole log, Lena does not see the other project).
	if r := env.Do("POST", "/api/view-as", lenaTok, map[string]any{"userId": maxID}); r.Status >= 300 {
		t.Fatalf("Lena views as Max: %d %s", r.Status, r.Body)
	}
	if c := carl(lenaTok, map[string]string{"X-View-As": maxID}); c.Downloads != 1 || c.LastDownload.Name != "brief.pdf" {
		t.Errorf("Lena as Max: %+v", c)
	}
	// A deleted file no longer counts for a reader who does not read the whole log.
	if r := env.Do("DELETE", "/api/files/"+w.brief, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	if c := carl(coraTok); c.Downloads != 0 || c.LastDownload != nil {
		t.Errorf("Cora after the file went: %+v", c)
	}
	if c := carl(w.owner); c.Downloads != 2 {
		t.Errorf("the owner after the file went: %+v", c)
	}
}
