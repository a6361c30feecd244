package httpapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
	"gatehouse/backend/testkit/smtpserver"
	"gatehouse/backend/testkit/stripemock"
)

// Every setting in force on the very next request, for the settings whose tests were not
// already there (the README's Settings section lists each setting with its test): the
// organisation's name in mails and invoices, the time zone's days, Google sign-in's
// provider, client and secret, the SMTP server and sender, the link in mails, each
// notification switch, the payment gateway's keys and switch, and the invoice details.

func settingsPut(t *testing.T, env *testkit.Env, token, path string, body map[string]any) map[string]any {
	t.Helper()
	r := env.Do("PUT", path, token, body)
	if r.Status != 200 {
		t.Fatalf("PUT %s %v: %d %s", path, body, r.Status, r.Body)
	}
	return r.JSON()
}

// The organisation's name (Settings → General) is the sender's name of the next mail when
// Settings → Email names none, and the issuer of the next invoice when the invoice details
// name none — a sent invoice keeps the name it was issued with.
func TestOrganisationNameOnTheNextMailAndInvoice(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	settingsPut(t, env, owner, "/api/settings/email", map[string]any{"fromName": ""})
	sender := func(name string) {
		t.Helper()
		n := len(srv.Messages())
		if r := env.Do("POST", "/api/settings/email/test", owner, map[string]any{}); r.JSON()["ok"] != true {
			t.Fatalf("test mail: %d %s", r.Status, r.Body)
		}
		msgs, err := srv.Wait(n+1, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if raw := msgs[len(msgs)-1].Raw; !strings.Contains(raw, "From: \""+name+"\" <gatehouse@acme.test>") {
			t.Fatalf("the mail's sender, want %q:\n%s", name, raw)
		}
	}
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"name": "Acme One"})
	sender("Acme One")
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"name": "Acme Two"})
	sender("Acme Two")
	// Settings → Email's own sender name comes first.
	settingsPut(t, env, owner, "/api/settings/email", map[string]any{"fromName": "Front Desk"})
	sender("Front Desk")

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	carl := env.CreateUser(owner, "Carl Client", "carl@client.example", "client", initialPW)
	co := env.Do("GET", "/api/users/"+carl, owner, nil).JSON()["companyId"].(string)
	id := mustID(t, env.Do("POST", "/api/invoices", owner, map[string]any{"companyId": co,
		"lines": []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 100, "taxRateBP": 0}}}))
	pdf := func() string { return pdfToText(t, env.Do("GET", "/api/invoices/"+id+"/pdf", owner, nil).Body) }
	if text := pdf(); !strings.Contains(text, "Acme Two") {
		t.Fatalf("a draft with no invoice details, issued by the organisation:\n%s", text)
	}
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"name": "Acme Three"})
	if text := pdf(); !strings.Contains(text, "Acme Three") || strings.Contains(text, "Acme Two") {
		t.Fatalf("the draft after the organisation was renamed:\n%s", text)
	}
	if r := env.Do("POST", "/api/invoices/"+id+"/send", owner, nil); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"name": "Acme Four"})
	if text := pdf(); !strings.Contains(text, "Acme Three") || strings.Contains(text, "Acme Four") {
		t.Fatalf("a sent invoice after the organisation was renamed (issued as Acme Three):\n%s", text)
	}
	allSent(t, env, owner)
}

// The organisation's logo is on the next invoice printed, and gone from the next once
// removed (the logo's own address is in TestOrganisationLogo).
func TestOrganisationLogoOnTheNextInvoice(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	carl := env.CreateUser(owner, "Carl Client", "carl@client.example", "client", initialPW)
	co := env.Do("GET", "/api/users/"+carl, owner, nil).JSON()["companyId"].(string)
	id := mustID(t, env.Do("POST", "/api/invoices", owner, map[string]any{"companyId": co,
		"lines": []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 100, "taxRateBP": 0}}}))
	hasImage := func() bool {
		r := env.Do("GET", "/api/invoices/"+id+"/pdf", owner, nil)
		if r.Status != 200 {
			t.Fatalf("pdf: %d %s", r.Status, r.Body)
		}
		return bytes.Contains(r.Body, []byte("/Subtype /Image"))
	}
	if hasImage() {
		t.Fatal("an image on the invoice before there is a logo")
	}
	if r := env.DoRaw("PUT", "/api/settings/general/logo", owner, "image/png", pngOf(t, 120, 40)); r.Status != 200 {
		t.Fatalf("logo: %d %s", r.Status, r.Body)
	}
	if !hasImage() {
		t.Fatal("the logo is not on the next invoice printed")
	}
	if r := env.Do("DELETE", "/api/settings/general/logo", owner, nil); r.Status != 200 {
		t.Fatalf("remove the logo: %d %s", r.Status, r.Body)
	}
	if hasImage() {
		t.Fatal("a removed logo is still on the next invoice printed")
	}
}

// The organisation's time zone decides the days of the next request: which day an activity
// entry is on, and the reports' today (so which tasks are overdue). (The next invoice's date
// is in TestGeneralSettings.)
func TestTimeZoneOnTheNextRequest(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo"}))
	mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Due on the 22nd", "dueDate": "2026-11-22"}))
	env.Clock.Advance(7 * time.Hour) // 2026-11-22 16:00 UTC: already the 23rd in Tokyo (UTC+9)
	mustID(t, env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design"}))
	onThe23rd := func() bool {
		r := env.Do("GET", "/api/audit?kind=team&from=2026-11-23&to=2026-11-23", owner, nil)
		if r.Status != 200 {
			t.Fatalf("audit: %d %s", r.Status, r.Body)
		}
		return len(r.JSON()["items"].([]any)) == 1
	}
	report := func() (string, float64) {
		r := env.Do("GET", "/api/reports/tasks", owner, nil).JSON()
		return r["today"].(string), r["total"].(map[string]any)["overdue"].(float64)
	}
	if today, overdue := report(); onThe23rd() || today != "2026-11-22" || overdue != 0 {
		t.Fatalf("in UTC: the team on the 23rd %v, today %s, %v overdue", onThe23rd(), today, overdue)
	}
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"timezone": "Asia/Tokyo"})
	if today, overdue := report(); !onThe23rd() || today != "2026-11-23" || overdue != 1 {
		t.Fatalf("in Tokyo: the team on the 23rd %v, today %s, %v overdue", onThe23rd(), today, overdue)
	}
	settingsPut(t, env, owner, "/api/settings/general", map[string]any{"timezone": "UTC"})
	if today, overdue := report(); onThe23rd() || today != "2026-11-22" || overdue != 0 {
		t.Fatalf("back in UTC: the team on the 23rd %v, today %s, %v overdue", onThe23rd(), today, overdue)
	}
}

// Google sign-in's provider (issuer), client ID and client secret are read by the next
// sign-in: a new provider is asked with the new client; a wrong secret is refused at the
// code exchange; an empty client ID turns Google sign-in off.
func TestGoogleClientSettingsOnTheNextSignIn(t *testing.T) {
	g := startGoogle(t)
	userOf(t, g.signIn(t, newPerson))

	const otherID, otherSecret = "5678-other.apps.googleusercontent.com", "GOCSPX-other-client-secret-4c1d"
	other := &oidcprovider.Server{ClientID: otherID, ClientSecret: otherSecret, AutoApprove: true, Now: g.Clock.Now}
	if err := other.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	g.settings(t, map[string]any{"googleIssuer": other.URL(), "googleClientId": otherID, "googleClientSecret": otherSecret})
	first := g.idp
	g.idp = other // begin expects the provider it was told about
	other.SignInAs(oidcprovider.Account{Subject: "o-1", Email: "olga@example.com", Name: "Olga Other", EmailVerified: true})
	f := g.begin(t, g.Browser())
	if param(t, f.authURL, "client_id") != otherID {
		t.Fatalf("the new provider is asked for another client: %s", f.authURL)
	}
	if u := userOf(t, f.finish(t, f.callback)); u["email"] != "olga@example.com" {
		t.Fatalf("signed in through the new provider: %v", u)
	}
	if n := len(first.AuthorizeRequests()); n != 1 {
		t.Fatalf("the first provider was asked %d times, want once (before the change)", n)
	}

	// A wrong secret: the provider refuses the next exchange.
	g.settings(t, map[string]any{"googleClientSecret": "GOCSPX-not-the-secret-0000"})
	if r := g.signIn(t, oidcprovider.Account{Subject: "o-2", Email: "oscar@example.com", EmailVerified: true}); r.Status != 401 || r.ErrCode() != "google_exchange" {
		t.Fatalf("a sign-in with the wrong secret: %d %s", r.Status, r.Body)
	}
	g.settings(t, map[string]any{"googleClientSecret": otherSecret})
	userOf(t, g.signIn(t, oidcprovider.Account{Subject: "o-2", Email: "oscar@example.com", EmailVerified: true}))

	// Off: the next sign-in is told Google sign-in is not set up.
	g.settings(t, map[string]any{"googleClientId": ""})
	b := g.Browser()
	back := location(t, b.Get("/api/auth/google/start"))
	key, _ := url.QueryUnescape(strings.TrimPrefix(back, "/#/auth/google?result="))
	if r := b.PostJSON("/api/auth/google/result", map[string]string{"result": key}); r.Status != 409 || r.ErrCode() != "google_not_configured" {
		t.Fatalf("a sign-in after Google was turned off: %d %s", r.Status, r.Body)
	}
}

// Settings → Email: the next mail goes to the server, port, security and account as they
// are now, from the sender as it is now, with links to the address as it is now.
func TestEmailSettingsOnTheNextMail(t *testing.T) {
	a := startSMTP(t) // STARTTLS, with an account
	env, owner := mailEnv(t, a)
	b, err := smtpserver.Start(smtpserver.Options{Addr: "127.0.0.2:0"}) // plain, without accounts
	if err != nil {
		t.Skipf("a second loopback address (127.0.0.2) is not available: %v", err)
	}
	t.Cleanup(b.Stop)
	test := func(ok bool, says string) {
		t.Helper()
		r := env.Do("POST", "/api/settings/email/test", owner, map[string]any{})
		reply, _ := r.JSON()["reply"].(string)
		if r.Status != 200 || r.JSON()["ok"] != ok || !strings.Contains(strings.ToLower(reply), says) {
			t.Fatalf("test mail: %d %s, want ok=%v saying %q", r.Status, r.Body, ok, says)
		}
	}
	put := func(body map[string]any) { settingsPut(t, env, owner, "/api/settings/email", body) }

	test(true, "ok")
	if len(a.Messages()) != 1 {
		t.Fatalf("server A got %d mails", len(a.Messages()))
	}
	put(map[string]any{"host": b.Host}) // server A's port on server B's address: nobody there
	test(false, "refused")
	put(map[string]any{"port": b.Port}) // server B offers no STARTTLS, which the security asks for
	test(false, "tls")
	put(map[string]any{"security": "none"}) // now it goes on to sign in, which B does not offer
	test(false, "auth")
	put(map[string]any{"username": ""})
	test(true, "ok")
	if len(b.Messages()) != 1 || len(a.Messages()) != 1 {
		t.Fatalf("after moving to server B: A got %d mails, B %d", len(a.Messages()), len(b.Messages()))
	}

	// Back to server A, first with implicit TLS (A speaks STARTTLS), then as it should be;
	// a wrong account, then the right one.
	put(map[string]any{"host": a.Host, "port": a.Port, "security": "tls", "username": smtpUser, "password": smtpPassword})
	test(false, "")
	put(map[string]any{"security": "starttls", "username": "carl"})
	test(false, "535")
	put(map[string]any{"username": smtpUser, "password": "not the smtp password"})
	test(false, "535")
	put(map[string]any{"password": smtpPassword})
	test(true, "ok")

	// The sender, and the address in the links.
	put(map[string]any{"fromName": "Front Desk", "fromAddress": "desk@acme.test", "appUrl": "http://office.acme.test:9000"})
	n := len(a.Messages())
	test(true, "ok")
	msgs, _ := a.Wait(n+1, 10*time.Second)
	if m := msgs[len(msgs)-1]; m.From != "desk@acme.test" || !strings.Contains(m.Raw, "From: \"Front Desk\" <desk@acme.test>") {
		t.Fatalf("the sender: %s\n%s", m.From, m.Raw)
	}
	sam := env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	link := func(want string) {
		t.Helper()
		n := len(a.Messages())
		if r := env.Do("POST", "/api/users/"+sam+"/reset-email", owner, nil); r.Status != 202 {
			t.Fatalf("reset mail: %d %s", r.Status, r.Body)
		}
		msgs, err := a.Wait(n+1, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if body := msgs[len(msgs)-1].Body; !strings.Contains(body, want+"/#/set-password?token=") {
			t.Fatalf("the link, want it at %s:\n%s", want, body)
		}
	}
	link("http://office.acme.test:9000")
	put(map[string]any{"appUrl": "https://gatehouse.acme.test"})
	link("https://gatehouse.acme.test")
	allSent(t, env, owner)
}

// Each notification mail Settings → Email switches (for everyone): off, the next change
// that would cause one queues none; on again, the next one does.
func TestEmailNotificationSwitchesOnTheNextChange(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	ann := env.CreateUser(owner, "Ann Assignee", "ann@acme.test", "staff", initialPW)
	carl := env.CreateUser(owner, "Carl Client", "carl@client.example", "client", initialPW)
	carlTok := env.SignInFresh("carl@client.example", initialPW, ownPW)
	p := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Apollo", "clients": []string{carl}}))
	board := env.Do("POST", "/api/boards", owner, map[string]any{"name": "Flow", "visibility": "all"}).JSON()
	var review string
	for _, s := range board["stages"].([]any) {
		if st := s.(map[string]any); st["kind"] == "review" {
			review = st["id"].(string)
		}
	}
	var reviewed string
	causes := map[string]func(){
		"projectAdded": func() {
			env.Do("PATCH", "/api/projects/"+p, owner, map[string]any{"members": []string{}})
			mustID(t, env.Do("PATCH", "/api/projects/"+p, owner, map[string]any{"members": []string{ann}}))
		},
		"taskAssigned": func() {
			mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Brief", "assigneeId": ann}))
		},
		"taskReviewed": func() {
			if reviewed == "" {
				reviewed = mustID(t, env.Do("POST", "/api/projects/"+p+"/tasks", owner, map[string]any{"title": "Logo", "assigneeId": ann,
					"clientVisible": true, "boardId": board["id"], "stageId": review}))
			} else {
				mustID(t, env.Do("PATCH", "/api/tasks/"+reviewed, owner, map[string]any{"stageId": review}))
			}
			if r := env.Do("POST", "/api/tasks/"+reviewed+"/review", carlTok, map[string]any{"decision": "approve"}); r.Status != 200 {
				t.Fatalf("review: %d %s", r.Status, r.Body)
			}
		},
		"mentioned": func() {
			mustID(t, env.Do("POST", "/api/projects/"+p+"/threads", owner, map[string]any{"title": "Pricing", "body": "Over to you, @Ann", "mentions": []string{ann}}))
		},
	}
	// Ann is on the project first (her one projectAdded mail), and sees what follows.
	mustID(t, env.Do("PATCH", "/api/projects/"+p, owner, map[string]any{"members": []string{ann}}))
	queued := func(kind string) int {
		n := 0
		for _, m := range outbox(env, owner, "") {
			if m["kind"] == kind {
				n++
			}
		}
		return n
	}
	for _, kind := range []string{"projectAdded", "taskAssigned", "taskReviewed", "mentioned"} {
		settingsPut(t, env, owner, "/api/settings/email", map[string]any{"notifications": map[string]any{kind: false}})
		before := queued(kind)
		causes[kind]()
		if n := queued(kind); n != before {
			t.Errorf("%s switched off: %d mails queued", kind, n-before)
		}
		settingsPut(t, env, owner, "/api/settings/email", map[string]any{"notifications": map[string]any{kind: true}})
		causes[kind]()
		if n := queued(kind); n != before+1 {
			t.Errorf("%s switched on again: %d mails queued, want 1", kind, n-before)
		}
	}
	allSent(t, env, owner)
}

// Settings → Payments: the next checkout asks Stripe with the secret key as it is now,
// the next event is checked against the webhook signing secret as it is now, and once
// the gateway is switched off, the next checkout and the next event find none.
func TestPaymentSettingsOnTheNextRequest(t *testing.T) {
	s := stripemock.Start(t)
	// Between Gatehouse and stripe-mock (which takes any test key): which key was sent.
	target, _ := url.Parse(s.URL())
	var mu sync.Mutex
	var keys []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	lastKey := func() string {
		mu.Lock()
		defer mu.Unlock()
		if len(keys) == 0 {
			return ""
		}
		return keys[len(keys)-1]
	}
	pe := newPayEnvAt(t, front.URL, 50_000)
	env := pe.env
	settingsPut(t, env, pe.owner, "/api/settings/payments", map[string]any{"enabled": true, "secretKey": "sk_test_1111", "webhookSecret": "whsec_first"})
	pe.checkout(t, pe.carl)
	if k := lastKey(); k != "sk_test_1111" {
		t.Fatalf("the checkout's key: %q", k)
	}
	settingsPut(t, env, pe.owner, "/api/settings/payments", map[string]any{"secretKey": "sk_test_2222"})
	pe.checkout(t, pe.carl)
	if k := lastKey(); k != "sk_test_2222" {
		t.Fatalf("the next checkout's key after the change: %q", k)
	}

	event := map[string]any{"id": "cs_test_not_ours", "object": "checkout.session", "status": "complete", "payment_status": "paid", "amount_total": 100, "currency": "eur"}
	if r := pe.webhook(signedEvent(t, "whsec_first", "checkout.session.completed", event)); r.Status != 200 {
		t.Fatalf("an event signed with the secret: %d %s", r.Status, r.Body)
	}
	settingsPut(t, env, pe.owner, "/api/settings/payments", map[string]any{"webhookSecret": "whsec_second"})
	if r := pe.webhook(signedEvent(t, "whsec_first", "checkout.session.completed", event)); r.Status != 422 || r.ErrCode() != "bad_signature" {
		t.Fatalf("the next event, signed with the old secret: %d %s", r.Status, r.Body)
	}
	if r := pe.webhook(signedEvent(t, "whsec_second", "checkout.session.completed", event)); r.Status != 200 {
		t.Fatalf("the next event, signed with the new secret: %d %s", r.Status, r.Body)
	}

	settingsPut(t, env, pe.owner, "/api/settings/payments", map[string]any{"enabled": false})
	if r := env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", pe.carl, nil, browser(env)); r.Status != 409 || r.ErrCode() != "no_gateway" {
		t.Fatalf("a checkout after the gateway was switched off: %d %s", r.Status, r.Body)
	}
	if r := pe.webhook(signedEvent(t, "whsec_second", "checkout.session.completed", event)); r.Status != 404 {
		t.Fatalf("an event after the gateway was switched off: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/invoicing/settings", pe.carl, nil); r.JSON()["gateway"] != "" {
		t.Fatalf("the client is still told of a gateway: %s", r.Body)
	}
}

// The invoice details are printed on the next draft and issued with the next invoice
// sent; the invoices sent before keep theirs. The payment instructions are what the
// client reads next.
func TestInvoiceDetailsOnTheNextInvoice(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	env := testkit.Start(t)
	owner := env.Setup()
	carl := env.CreateUser(owner, "Carl Client", "carl@client.example", "client", initialPW)
	carlTok := env.SignInFresh("carl@client.example", initialPW, ownPW)
	co := env.Do("GET", "/api/users/"+carl, owner, nil).JSON()["companyId"].(string)
	invoice := func() string {
		return mustID(t, env.Do("POST", "/api/invoices", owner, map[string]any{"companyId": co,
			"lines": []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 100, "taxRateBP": 0}}}))
	}
	pdf := func(id string) string {
		return pdfToText(t, env.Do("GET", "/api/invoices/"+id+"/pdf", owner, nil).Body)
	}
	details := func(n string) map[string]any {
		return map[string]any{"issuerName": "Acme " + n, "issuerEmail": "billing" + n + "@acme.test", "issuerPhone": "+1 555 000 " + n,
			"issuerAddress": n + " Main Street", "paymentInstructions": "Transfer to account " + n}
	}
	printed := func(text, n string) bool {
		for _, v := range details(n) {
			if !strings.HasPrefix(v.(string), "Transfer") && !strings.Contains(text, v.(string)) {
				return false
			}
		}
		return true
	}
	settingsPut(t, env, owner, "/api/invoicing/settings", details("1"))
	first := invoice()
	if r := env.Do("POST", "/api/invoices/"+first+"/send", owner, nil); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	draft := invoice()
	if r := env.Do("GET", "/api/invoicing/settings", carlTok, nil); r.JSON()["paymentInstructions"] != "Transfer to account 1" {
		t.Fatalf("how to pay, to the client: %s", r.Body)
	}

	settingsPut(t, env, owner, "/api/invoicing/settings", details("2"))
	if text := pdf(draft); !printed(text, "2") || printed(text, "1") {
		t.Fatalf("the draft after the details changed:\n%s", text)
	}
	if text := pdf(first); !printed(text, "1") || printed(text, "2") {
		t.Fatalf("an invoice sent before the details changed:\n%s", text)
	}
	if r := env.Do("POST", "/api/invoices/"+draft+"/send", owner, nil); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	settingsPut(t, env, owner, "/api/invoicing/settings", details("3"))
	if text := pdf(draft); !printed(text, "2") || printed(text, "3") {
		t.Fatalf("the invoice sent with the second details, after a third change:\n%s", text)
	}
	if r := env.Do("GET", "/api/invoicing/settings", carlTok, nil); r.JSON()["paymentInstructions"] != "Transfer to account 3" {
		t.Fatalf("how to pay, to the client, after the change: %s", r.Body)
	}
}
