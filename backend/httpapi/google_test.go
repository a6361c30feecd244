package httpapi_test

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
)

// testSecrets is the real system keychain when a D-Bus session is there (always under
// `make test`, which runs the Go tests through scripts/with-desktop.sh with an unlocked
// gnome-keyring), else the plain-file store, so the tests still run on a bare machine.
func testSecrets(t *testing.T) secrets.Store {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return secrets.NewKeychain(secrets.Service, 10*time.Second)
	}
	t.Log("no D-Bus session: secrets go to a plain file (run through scripts/with-desktop.sh for the real keychain)")
	return secrets.NewFile(filepath.Join(t.TempDir(), secrets.FileName))
}

const (
	testClientID     = "1234-gatehouse-test.apps.googleusercontent.com"
	testClientSecret = "GOCSPX-test-client-secret-canary-7f3a9"
)

type googleEnv struct {
	*testkit.Env
	idp     *oidcprovider.Server
	secrets secrets.Store
	owner   string // the owner's session token
}

// startGoogle starts a backend and a local OIDC provider, creates the owner and sets up
// Google sign-in against the provider.
func startGoogle(t *testing.T, opts ...testkit.Options) *googleEnv {
	t.Helper()
	var o testkit.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Secrets == nil {
		o.Secrets = testSecrets(t)
	}
	env := testkit.Start(t, o)
	idp := &oidcprovider.Server{ClientID: testClientID, ClientSecret: testClientSecret, AutoApprove: true, Now: env.Clock.Now}
	if err := idp.Start(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close() })
	ns, err := env.Core.Store.SecretNamespace(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		o.Secrets.Delete(ns + "/google-client-secret")
		o.Secrets.Delete(ns + "/remembered-session")
	})
	g := &googleEnv{Env: env, idp: idp, secrets: o.Secrets, owner: env.Setup()}
	r := env.Do("PUT", "/api/settings/sign-in", g.owner, map[string]any{
		"googleClientId": testClientID, "googleClientSecret": testClientSecret, "googleIssuer": idp.URL()})
	if r.Status != 200 {
		t.Fatalf("configure google: %d %s", r.Status, r.Body)
	}
	return g
}

func (g *googleEnv) settings(t *testing.T, body map[string]any) {
	t.Helper()
	if r := g.Do("PUT", "/api/settings/sign-in", g.owner, body); r.Status != 200 {
		t.Fatalf("settings: %d %s", r.Status, r.Body)
	}
}

func location(t *testing.T, r *testkit.Resp) string {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("want a redirect, got %d %s", r.Status, r.Body)
	}
	return r.Header.Get("Location")
}

// flow is one browser sign-in, step by step.
type flow struct {
	g        *googleEnv
	b        *testkit.Browser
	authURL  string
	callback string // the provider's redirect back to us
}

// begin starts a browser sign-in and lets the provider approve it, stopping before the
// callback reaches Gatehouse.
func (g *googleEnv) begin(t *testing.T, b *testkit.Browser) *flow {
	t.Helper()
	f := &flow{g: g, b: b}
	f.authURL = location(t, b.Get("/api/auth/google/start"))
	if !strings.HasPrefix(f.authURL, g.idp.URL()+"/authorize?") {
		t.Fatalf("start redirects to %s", f.authURL)
	}
	f.callback = location(t, b.Get(f.authURL))
	if !strings.HasPrefix(f.callback, g.Server.URL+"/api/auth/google/callback?") {
		t.Fatalf("provider redirects to %s", f.callback)
	}
	return f
}

// finish delivers a callback URL and exchanges the one-time result for the session.
func (f *flow) finish(t *testing.T, callback string) *testkit.Resp {
	t.Helper()
	back := location(t, f.b.Get(callback))
	const prefix = "/#/auth/google?result="
	if !strings.HasPrefix(back, prefix) {
		t.Fatalf("callback redirects to %s", back)
	}
	key, _ := url.QueryUnescape(strings.TrimPrefix(back, prefix))
	return f.b.PostJSON("/api/auth/google/result", map[string]string{"result": key})
}

// signIn is a whole browser sign-in as account.
func (g *googleEnv) signIn(t *testing.T, a oidcprovider.Account) *testkit.Resp {
	t.Helper()
	g.idp.SignInAs(a)
	f := g.begin(t, g.Browser())
	return f.finish(t, f.callback)
}

func withParam(t *testing.T, raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func param(t *testing.T, raw, key string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(key)
}

// withoutAudit is a snapshot of everything but the audit log (refusals are audited).
func withoutAudit(env *testkit.Env) string {
	var keep []string
	for _, line := range strings.Split(env.Snapshot(), "\n") {
		if !strings.HasPrefix(line, "audit_log|") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

func userOf(t *testing.T, r *testkit.Resp) map[string]any {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("sign-in: %d %s", r.Status, r.Body)
	}
	u, _ := r.JSON()["user"].(map[string]any)
	return u
}

func lastAudit(t *testing.T, env *testkit.Env, token, action string) map[string]any {
	t.Helper()
	r := env.Do("GET", "/api/audit?action="+action, token, nil)
	items, _ := r.JSON()["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no %s in the audit log: %s", action, r.Body)
	}
	return items[0].(map[string]any)
}

func latestAuditID(t *testing.T, g *googleEnv) string {
	items, _ := g.Do("GET", "/api/audit?limit=1", g.owner, nil).JSON()["items"].([]any)
	if len(items) == 0 {
		return ""
	}
	return items[0].(map[string]any)["id"].(string)
}

// auditSince returns the entries after the one with id, oldest first.
func auditSince(t *testing.T, g *googleEnv, id string) []map[string]any {
	items, _ := g.Do("GET", "/api/audit?limit=50", g.owner, nil).JSON()["items"].([]any)
	var out []map[string]any
	for _, it := range items {
		e := it.(map[string]any)
		if e["id"] == id {
			break
		}
		out = append([]map[string]any{e}, out...)
	}
	return out
}

var newPerson = oidcprovider.Account{Subject: "110000000000000000001", Email: "nina.new@example.com", Name: "Nina New", EmailVerified: true}

func TestGoogleSignInRegistersANewPersonAsClient(t *testing.T) {
	g := startGoogle(t)
	if st := g.Do("GET", "/api/status", "", nil).JSON(); st["googleSignIn"] != true || st["window"] != false {
		t.Fatalf("status: %v", st)
	}
	u := userOf(t, g.signIn(t, newPerson))
	if u["email"] != newPerson.Email || u["name"] != "Nina New" || u["roleId"] != "client" || u["roleKind"] != "client" {
		t.Fatalf("new user: %v", u)
	}

	// The flow used PKCE S256, a state and a nonce, and the verifier reached the token endpoint.
	az := g.idp.AuthorizeRequests()[0]
	if az.Get("code_challenge_method") != "S256" || len(az.Get("code_challenge")) < 43 || len(az.Get("state")) < 32 || len(az.Get("nonce")) < 32 {
		t.Fatalf("authorization request: %v", az)
	}
	if tr := g.idp.TokenRequests()[0]; len(tr.Get("code_verifier")) < 43 {
		t.Fatalf("token request: %v", tr)
	}

	// The session works and sees a client's portal.
	tok := g.signIn(t, newPerson).JSON()["token"].(string)
	me := g.Do("GET", "/api/me", tok, nil).JSON()
	if me["role"].(map[string]any)["id"] != "client" {
		t.Fatalf("me: %v", me)
	}
	ids := g.Do("GET", "/api/me/identities", tok, nil).JSON()["items"].([]any)
	if len(ids) != 1 || ids[0].(map[string]any)["email"] != newPerson.Email || ids[0].(map[string]any)["linkedVia"] != "registration" {
		t.Fatalf("identities: %v", ids)
	}
	created := lastAudit(t, g.Env, g.owner, "user.create")
	if d := created["details"].(map[string]any); d["via"] != "google" || d["role"] != "Client" {
		t.Fatalf("audit: %v", created)
	}
	if d := lastAudit(t, g.Env, g.owner, "session.create")["details"].(map[string]any); d["method"] != "google" {
		t.Fatalf("session audit: %v", d)
	}

	// Once linked, the account is found by issuer and subject: a changed email at Google
	// still reaches the same account, and makes no new one.
	moved := newPerson
	moved.Email = "nina@elsewhere.example"
	if again := userOf(t, g.signIn(t, moved)); again["id"] != u["id"] {
		t.Fatalf("same subject, other email: %v vs %v", again, u)
	}
	if n := g.Do("GET", "/api/users", g.owner, nil).JSON()["total"]; n != float64(2) {
		t.Fatalf("users: %v", n)
	}

	// The one-time result cannot be taken twice.
	f := g.begin(t, g.Browser())
	back := location(t, f.b.Get(f.callback))
	key, _ := url.QueryUnescape(strings.TrimPrefix(back, "/#/auth/google?result="))
	if r := f.b.PostJSON("/api/auth/google/result", map[string]string{"result": key}); r.Status != 201 {
		t.Fatalf("first take: %d %s", r.Status, r.Body)
	}
	if r := f.b.PostJSON("/api/auth/google/result", map[string]string{"result": key}); r.Status != 401 || r.ErrCode() != "google_result_gone" {
		t.Fatalf("second take: %d %s", r.Status, r.Body)
	}
}

func TestGoogleNewUsersGetTheConfiguredClientRole(t *testing.T) {
	g := startGoogle(t)
	// Only client roles: a team role is refused on the field.
	for _, bad := range []string{"staff", "admin"} {
		r := g.Do("PUT", "/api/settings/sign-in", g.owner, map[string]any{"defaultRoleId": bad})
		if r.Status != 422 || r.ErrField() != "defaultRoleId" {
			t.Fatalf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
	if r := g.Do("PUT", "/api/settings/sign-in", g.owner, map[string]any{"defaultRoleId": "no-such-role"}); r.Status != 422 || r.ErrField() != "defaultRoleId" {
		t.Fatalf("unknown role: %d %s", r.Status, r.Body)
	}
	r := g.Do("POST", "/api/roles", g.owner, map[string]any{"name": "Portal Guest", "kind": "client",
		"permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}})
	if r.Status != 201 {
		t.Fatalf("role: %d %s", r.Status, r.Body)
	}
	guest := r.JSON()["id"].(string)
	g.settings(t, map[string]any{"defaultRoleId": guest})
	if u := userOf(t, g.signIn(t, newPerson)); u["roleId"] != guest {
		t.Fatalf("role: %v", u)
	}
	// Deleting that role puts new Google users back on the built-in Client.
	if r := g.Do("DELETE", "/api/roles/"+guest+"?reassignTo=client", g.owner, nil); r.Status != 204 {
		t.Fatalf("delete role: %d %s", r.Status, r.Body)
	}
	if s := g.Do("GET", "/api/settings/sign-in", g.owner, nil).JSON(); s["defaultRoleId"] != "client" {
		t.Fatalf("settings after delete: %v", s)
	}
}

func TestGoogleLinksAnActiveAccountByVerifiedEmailAndAdminsCanUnlink(t *testing.T) {
	g := startGoogle(t)
	carol := g.CreateUser(g.owner, "Carol Staff", "carol@example.com", "staff", "carols first password")
	u := userOf(t, g.signIn(t, oidcprovider.Account{Subject: "carol-sub", Email: "CAROL@example.com", Name: "Carol G", EmailVerified: true}))
	if u["id"] != carol || u["roleId"] != "staff" || u["name"] != "Carol Staff" {
		t.Fatalf("linked user: %v", u)
	}
	if d := lastAudit(t, g.Env, g.owner, "identity.link"); d["targetId"] != carol {
		t.Fatalf("audit: %v", d)
	}
	ids := g.Do("GET", "/api/users/"+carol+"/identities", g.owner, nil).JSON()["items"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identities: %v", ids)
	}
	idID := ids[0].(map[string]any)["id"].(string)

	// Only whoever may edit the account unlinks; Carol herself (Staff) may not.
	carolTok := g.SignInFresh("carol@example.com", "carols first password", "carols own passphrase")
	if r := g.Do("DELETE", "/api/users/"+carol+"/identities/"+idID, carolTok, nil); r.Status != 403 && r.Status != 404 {
		t.Fatalf("staff unlink: %d %s", r.Status, r.Body)
	}
	if r := g.Do("GET", "/api/users/"+g.CreateUser(g.owner, "Dan", "dan@example.com", "staff", "dans first password")+"/identities", carolTok, nil); r.Status != 404 {
		t.Fatalf("staff reads another's identities: %d %s", r.Status, r.Body)
	}
	if r := g.Do("DELETE", "/api/users/"+carol+"/identities/nope", g.owner, nil); r.Status != 404 {
		t.Fatalf("unknown identity: %d %s", r.Status, r.Body)
	}
	if r := g.Do("DELETE", "/api/users/"+carol+"/identities/"+idID, g.owner, nil); r.Status != 204 {
		t.Fatalf("unlink: %d %s", r.Status, r.Body)
	}
	if d := lastAudit(t, g.Env, g.owner, "identity.unlink"); d["targetId"] != carol {
		t.Fatalf("audit: %v", d)
	}
	if ids := g.Do("GET", "/api/me/identities", carolTok, nil).JSON()["items"].([]any); len(ids) != 0 {
		t.Fatalf("after unlink: %v", ids)
	}
}

// Every refusal says why in plain words and creates nothing: no user, no identity, no
// session (the audit log records the refusal).
func TestGoogleRefusalsCreateNothing(t *testing.T) {
	g := startGoogle(t)
	deactivated := g.CreateUser(g.owner, "Dora Gone", "dora@example.com", "client", "doras first password")
	if r := g.Do("POST", "/api/users/"+deactivated+"/deactivate", g.owner, nil); r.Status != 200 {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	g.CreateUser(g.owner, "Eve Existing", "eve@example.com", "staff", "eves first password")

	type tc struct {
		name string
		// run performs the sign-in and returns the final answer.
		run  func(t *testing.T) *testkit.Resp
		code string
		// reason is what the audit log records ("" when the callback matched no sign-in,
		// which is not audited).
		reason string
	}
	normal := func(a oidcprovider.Account, m oidcprovider.Misbehave) func(t *testing.T) *testkit.Resp {
		return func(t *testing.T) *testkit.Resp {
			g.idp.SetMisbehave(m)
			defer g.idp.SetMisbehave(oidcprovider.Misbehave{})
			return g.signIn(t, a)
		}
	}
	none := oidcprovider.Misbehave{}
	cases := []tc{
		{"wrong issuer", normal(newPerson, oidcprovider.Misbehave{Issuer: "https://accounts.google.com"}), "google_invalid_token", "wrong issuer"},
		{"wrong audience", normal(newPerson, oidcprovider.Misbehave{Audience: "someone-elses-client"}), "google_invalid_token", "wrong audience"},
		{"expired token", normal(newPerson, oidcprovider.Misbehave{ExpiresIn: -time.Minute}), "google_invalid_token", "expired"},
		{"bad signature", normal(newPerson, oidcprovider.Misbehave{SignWithOtherKey: true}), "google_invalid_token", "bad signature"},
		{"alg none", normal(newPerson, oidcprovider.Misbehave{AlgNone: true}), "google_invalid_token", "bad signature"},
		{"bad nonce", normal(newPerson, oidcprovider.Misbehave{Nonce: "not-the-nonce-we-sent"}), "google_invalid_token", "nonce mismatch"},
		{"missing PKCE verifier", normal(newPerson, oidcprovider.Misbehave{DropVerifier: true}), "google_exchange", "invalid_grant"},
		{"unverified email", normal(oidcprovider.Account{Subject: "u1", Email: "unverified@example.com", Name: "U", EmailVerified: false}, none), "google_email_unverified", "email not verified"},
		{"deactivated user", normal(oidcprovider.Account{Subject: "dora-sub", Email: "dora@example.com", EmailVerified: true}, none), "deactivated", "deactivated"},
		{"bad state", func(t *testing.T) *testkit.Resp {
			g.idp.SignInAs(newPerson)
			f := g.begin(t, g.Browser())
			return f.finish(t, withParam(t, f.callback, "state", "forged-state-value"))
		}, "google_state", ""},
		{"callback opened in another browser", func(t *testing.T) *testkit.Resp {
			g.idp.SignInAs(newPerson)
			f := g.begin(t, g.Browser())
			other := &flow{g: g, b: g.Browser()}
			return other.finish(t, f.callback)
		}, "google_state", ""},
		{"code of another sign-in (PKCE verifier does not match)", func(t *testing.T) *testkit.Resp {
			g.idp.SignInAs(newPerson)
			b := g.Browser()
			a := g.begin(t, b)
			c := g.begin(t, b)
			return c.finish(t, withParam(t, c.callback, "code", param(t, a.callback, "code")))
		}, "google_exchange", "invalid_grant"},
		{"provider refused", func(t *testing.T) *testkit.Resp {
			g.idp.SignInAs(newPerson)
			f := g.begin(t, g.Browser())
			cb := withParam(t, f.callback, "error", "access_denied")
			return f.finish(t, withParam(t, cb, "code", ""))
		}, "google_refused", "access_denied"},
		{"state too old", func(t *testing.T) *testkit.Resp {
			g.idp.SignInAs(newPerson)
			f := g.begin(t, g.Browser())
			g.Clock.Advance(6 * time.Minute)
			return f.finish(t, f.callback)
		}, "google_state", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := withoutAudit(g.Env)
			lastID := latestAuditID(t, g)
			r := c.run(t)
			if r.Status != 401 || r.ErrCode() != c.code {
				t.Fatalf("got %d %s, want 401 %s", r.Status, r.Body, c.code)
			}
			if msg, _ := r.JSON()["error"].(map[string]any)["message"].(string); len(msg) < 20 || strings.Contains(msg, testClientSecret) {
				t.Fatalf("message: %q", msg)
			}
			if after := withoutAudit(g.Env); after != before {
				t.Fatalf("a refused sign-in changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			// The refusal is in the audit log with its reason (and only the refusal).
			var reasons []string
			for _, e := range auditSince(t, g, lastID) {
				d, _ := e["details"].(map[string]any)
				if r, _ := d["reason"].(string); r != "" && d["method"] == "google" {
					reasons = append(reasons, r)
				} else {
					t.Errorf("unexpected audit entry: %v", e)
				}
			}
			if c.reason == "" && len(reasons) != 0 || c.reason != "" && (len(reasons) != 1 || !strings.Contains(reasons[0], c.reason)) {
				t.Fatalf("audited reasons %q, want %q", reasons, c.reason)
			}
		})
	}

	t.Run("hosted domain mismatch", func(t *testing.T) {
		g.settings(t, map[string]any{"hostedDomain": "Example.com"})
		defer g.settings(t, map[string]any{"hostedDomain": ""})
		f := g.begin(t, g.Browser())
		if hd := param(t, f.authURL, "hd"); hd != "example.com" {
			t.Fatalf("hd hint: %q", hd)
		}
		for _, a := range []oidcprovider.Account{
			{Subject: "w1", Email: "w@other.com", EmailVerified: true, HostedDomain: "other.com"},
			{Subject: "w2", Email: "w@gmail.com", EmailVerified: true}, // a personal account has no hd
		} {
			before := withoutAudit(g.Env)
			r := g.signIn(t, a)
			if r.Status != 401 || r.ErrCode() != "google_hosted_domain" || !strings.Contains(string(r.Body), "example.com") {
				t.Fatalf("%s: %d %s", a.Email, r.Status, r.Body)
			}
			if withoutAudit(g.Env) != before {
				t.Fatal("database changed")
			}
		}
		if u := userOf(t, g.signIn(t, oidcprovider.Account{Subject: "w3", Email: "w@example.com", EmailVerified: true, HostedDomain: "example.com"})); u["email"] != "w@example.com" {
			t.Fatalf("matching domain: %v", u)
		}
	})

	t.Run("email of an account whose linking is off", func(t *testing.T) {
		g.settings(t, map[string]any{"linkByEmail": false})
		defer g.settings(t, map[string]any{"linkByEmail": true})
		before := withoutAudit(g.Env)
		r := g.signIn(t, oidcprovider.Account{Subject: "eve-sub", Email: "eve@example.com", EmailVerified: true})
		if r.Status != 401 || r.ErrCode() != "google_link_disabled" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if withoutAudit(g.Env) != before {
			t.Fatal("database changed")
		}
	})

	t.Run("registrations off", func(t *testing.T) {
		g.settings(t, map[string]any{"allowRegistrations": false})
		defer g.settings(t, map[string]any{"allowRegistrations": true})
		before := withoutAudit(g.Env)
		r := g.signIn(t, oidcprovider.Account{Subject: "stranger", Email: "stranger@example.com", EmailVerified: true})
		if r.Status != 401 || r.ErrCode() != "google_registrations_off" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if withoutAudit(g.Env) != before {
			t.Fatal("database changed")
		}
		// Existing users still sign in with Google.
		if u := userOf(t, g.signIn(t, oidcprovider.Account{Subject: "eve-sub", Email: "eve@example.com", EmailVerified: true})); u["email"] != "eve@example.com" {
			t.Fatalf("existing user: %v", u)
		}
	})

	t.Run("replayed callback and replayed code", func(t *testing.T) {
		g.idp.SignInAs(oidcprovider.Account{Subject: "rita-sub", Email: "rita@example.com", EmailVerified: true})
		b := g.Browser()
		f := g.begin(t, b)
		userOf(t, f.finish(t, f.callback))
		before := withoutAudit(g.Env)
		if r := f.finish(t, f.callback); r.Status != 401 || r.ErrCode() != "google_state" {
			t.Fatalf("replayed callback: %d %s", r.Status, r.Body)
		}
		// The same code with a fresh state: the provider refuses a code used once.
		again := g.begin(t, b)
		if r := again.finish(t, withParam(t, again.callback, "code", param(t, f.callback, "code"))); r.Status != 401 || r.ErrCode() != "google_exchange" {
			t.Fatalf("replayed code: %d %s", r.Status, r.Body)
		}
		if withoutAudit(g.Env) != before {
			t.Fatal("database changed")
		}
	})

	t.Run("a linked account that is deactivated", func(t *testing.T) {
		a := oidcprovider.Account{Subject: "lisa-sub", Email: "lisa@example.com", EmailVerified: true}
		lisa := userOf(t, g.signIn(t, a))["id"].(string)
		if r := g.Do("POST", "/api/users/"+lisa+"/deactivate", g.owner, nil); r.Status != 200 {
			t.Fatalf("deactivate: %d", r.Status)
		}
		before := withoutAudit(g.Env)
		if r := g.signIn(t, a); r.Status != 401 || r.ErrCode() != "deactivated" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if withoutAudit(g.Env) != before {
			t.Fatal("database changed")
		}
		if d := lastAudit(t, g.Env, g.owner, "session.refused"); d["targetId"] != lisa {
			t.Fatalf("audit: %v", d)
		}
	})
}

func TestGoogleSignInWhenNotSetUp(t *testing.T) {
	env := testkit.Start(t, testkit.Options{Secrets: testSecrets(t)})
	env.Setup()
	if st := env.Do("GET", "/api/status", "", nil).JSON(); st["googleSignIn"] != false {
		t.Fatalf("status: %v", st)
	}
	b := env.Browser()
	back := location(t, b.Get("/api/auth/google/start"))
	key, _ := url.QueryUnescape(strings.TrimPrefix(back, "/#/auth/google?result="))
	r := b.PostJSON("/api/auth/google/result", map[string]string{"result": key})
	if r.Status != 409 || r.ErrCode() != "google_not_configured" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	// The window's flow does not exist in serve mode, and the other way round.
	if r := env.Do("POST", "/api/auth/google/desktop", "", nil); r.Status != 404 {
		t.Fatalf("desktop flow in serve: %d %s", r.Status, r.Body)
	}
	win := testkit.Start(t, testkit.Options{InProcess: true, Secrets: testSecrets(t)})
	if r := win.Browser().Get("/api/auth/google/start"); r.Status != 404 {
		t.Fatalf("browser flow in the window: %d %s", r.Status, r.Body)
	}
}

// The window's flow (RFC 8252): the system browser opens the provider's page, which
// returns to a loopback listener on 127.0.0.1 that serves one callback and closes.
func TestGoogleDesktopLoopbackFlow(t *testing.T) {
	type opened struct {
		authURL string
		port    string
		page    int // status of the loopback page; 0 when the browser never went back
	}
	openedc := make(chan opened, 1)
	var goBack atomic.Bool
	goBack.Store(true)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The "system browser": the provider's page, then (when goBack) its redirect to the
	// loopback listener.
	browser := func(authURL string) error {
		redirect, _ := url.Parse(param(t, authURL, "redirect_uri"))
		o := opened{authURL: authURL, port: redirect.Port()}
		if !goBack.Load() {
			openedc <- o
			return nil
		}
		go func() {
			defer func() { openedc <- o }()
			res, err := noFollow.Get(authURL)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			page, err := noFollow.Get(res.Header.Get("Location"))
			if err != nil {
				t.Error(err)
				return
			}
			page.Body.Close()
			o.page = page.StatusCode
		}()
		return nil
	}
	g := startGoogle(t, testkit.Options{InProcess: true, OpenBrowser: browser})
	if st := g.Do("GET", "/api/status", "", nil).JSON(); st["window"] != true {
		t.Fatalf("status: %v", st)
	}
	g.idp.SignInAs(newPerson)
	r := g.Do("POST", "/api/auth/google/desktop", "", nil)
	if r.Status != 202 {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	id := r.JSON()["id"].(string)
	o := <-openedc
	if o.page != 200 {
		t.Fatalf("callback page: %d", o.page)
	}
	if redirect := param(t, o.authURL, "redirect_uri"); !strings.HasPrefix(redirect, "http://127.0.0.1:") || o.port == "" || o.port == "0" {
		t.Fatalf("redirect_uri: %s", redirect)
	}
	var session map[string]any
	for i := 0; i < 200 && session == nil; i++ {
		p := g.Do("GET", "/api/auth/google/desktop/"+id, "", nil)
		if p.Status != 200 {
			t.Fatalf("poll: %d %s", p.Status, p.Body)
		}
		if p.JSON()["status"] == "done" {
			session = p.JSON()["session"].(map[string]any)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if session == nil || session["user"].(map[string]any)["roleId"] != "client" {
		t.Fatalf("session: %v", session)
	}
	// The outcome is handed out once, and the listener is gone after its one callback.
	if p := g.Do("GET", "/api/auth/google/desktop/"+id, "", nil); p.Status != 404 {
		t.Fatalf("second poll: %d", p.Status)
	}
	waitClosed(t, o.port)

	// A sign-in given up on closes its listener at once.
	goBack.Store(false)
	r = g.Do("POST", "/api/auth/google/desktop", "", nil)
	if r.Status != 202 {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	idle := <-openedc
	if p := g.Do("GET", "/api/auth/google/desktop/"+r.JSON()["id"].(string), "", nil); p.JSON()["status"] != "pending" {
		t.Fatalf("poll: %s", p.Body)
	}
	if c, err := net.Dial("tcp", "127.0.0.1:"+idle.port); err != nil {
		t.Fatalf("the listener should be open while waiting: %v", err)
	} else {
		c.Close()
	}
	if r := g.Do("DELETE", "/api/auth/google/desktop/"+r.JSON()["id"].(string), "", nil); r.Status != 204 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	waitClosed(t, idle.port)
}

func waitClosed(t *testing.T, port string) {
	t.Helper()
	for i := 0; i < 300; i++ {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 100*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the loopback listener on port %s is still open", port)
}
