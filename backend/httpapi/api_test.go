package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/identity"
	"gatehouse/backend/testkit"
)

// Every route the handler serves is in openapi.yaml, and every operation in openapi.yaml
// has a route.
func TestRoutesMatchTheContract(t *testing.T) {
	env := testkit.Start(t)
	doc := testkit.Contract(t)
	var inContract []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inContract = append(inContract, method+" "+path)
		}
	}
	served := env.API.Patterns()
	slices.Sort(inContract)
	slices.Sort(served)
	if !slices.Equal(inContract, served) {
		t.Fatalf("routes and contract differ:\ncontract: %v\nserved:   %v", inContract, served)
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	env := testkit.Start(t)
	r := env.Do("GET", "/api/openapi.yaml", "", nil)
	if r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("openapi: 3")) {
		t.Fatalf("%d %.40s", r.Status, r.Body)
	}
}

func TestErrorsAreJSONWithTheRightStatus(t *testing.T) {
	env := testkit.Start(t)
	cases := []struct {
		name, method, path, ctype string
		body                      []byte
		status                    int
		code                      string
	}{
		{"malformed JSON", "POST", "/api/sessions", "application/json", []byte(`{"email":`), 400, "malformed"},
		{"two JSON values", "POST", "/api/sessions", "application/json", []byte(`{} {}`), 400, "malformed"},
		{"unknown field", "POST", "/api/sessions", "application/json", []byte(`{"email":"a@b.co","password":"x","admin":true}`), 400, "unknown_field"},
		{"wrong type", "POST", "/api/sessions", "application/json", []byte(`{"email":5,"password":"x"}`), 400, "malformed"},
		{"empty body", "POST", "/api/sessions", "application/json", nil, 400, "malformed"},
		{"wrong content type", "POST", "/api/sessions", "text/plain", []byte(`{"email":"a","password":"b"}`), 415, "unsupported_media_type"},
		{"form content type", "POST", "/api/setup", "application/x-www-form-urlencoded", []byte(`name=a`), 415, "unsupported_media_type"},
		{"body over 1 MiB", "POST", "/api/sessions", "application/json", append([]byte(`{"email":"`), bytes.Repeat([]byte("a"), 1<<20+10)...), 413, "too_large"},
		{"unknown path", "GET", "/api/nothing-here", "", nil, 404, "not_found"},
		{"unknown nested path", "DELETE", "/api/me/x/y", "", nil, 404, "not_found"},
		{"wrong method", "PUT", "/api/status", "application/json", []byte(`{}`), 405, "method_not_allowed"},
		{"no token", "GET", "/api/me", "", nil, 401, "unauthenticated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.DoRaw(c.method, c.path, "", c.ctype, c.body)
			if r.Status != c.status || r.ErrCode() != c.code {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, c.status, c.code)
			}
		})
	}
	// A body sent without Content-Length (chunked) is cut at 1 MiB too.
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/sessions", struct{ *bytes.Reader }{bytes.NewReader(
		append([]byte(`{"email":"`), bytes.Repeat([]byte("a"), 2<<20)...))})
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("chunked oversize body: %d, want 413", res.StatusCode)
	}
}

func TestSetupCreatesTheOwnerOnce(t *testing.T) {
	env := testkit.Start(t)
	if r := env.Do("GET", "/api/status", "", nil); r.JSON()["setupRequired"] != true {
		t.Fatalf("fresh status: %s", r.Body)
	}
	bad := []struct {
		body  map[string]string
		field string
	}{
		{map[string]string{"name": " ", "email": "o@example.com", "password": "correct horse battery"}, "name"},
		{map[string]string{"name": "O", "email": "not-an-email", "password": "correct horse battery"}, "email"},
		{map[string]string{"name": "O", "email": "o@example.com", "password": "short"}, "password"},
		{map[string]string{"name": "O", "email": "o@example.com", "password": "password1234"}, "password"},
		{map[string]string{"name": "O", "email": "o@example.com", "password": strings.Repeat("x", 257)}, "password"},
	}
	for _, b := range bad {
		if r := env.Do("POST", "/api/setup", "", b.body); r.Status != 422 || r.ErrField() != b.field {
			t.Fatalf("setup %v: %d %s, want 422 on %s", b.body, r.Status, r.Body, b.field)
		}
	}
	if r := env.Do("GET", "/api/status", "", nil); r.JSON()["setupRequired"] != true {
		t.Fatal("a rejected setup changed the status")
	}
	tok := env.Setup()
	me := env.Do("GET", "/api/me", tok, nil).JSON()
	if me["role"].(map[string]any)["name"] != "Admin" {
		t.Fatalf("owner role: %v", me["role"])
	}
	if r := env.Do("POST", "/api/setup", "", map[string]string{"name": "Mallory", "email": "m@example.com", "password": "another fine passphrase"}); r.Status != 409 {
		t.Fatalf("second setup: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/status", "", nil); r.JSON()["setupRequired"] != false {
		t.Fatal("status still asks for setup")
	}
}

func TestSetupOnlyFromLoopbackInServeMode(t *testing.T) {
	env := testkit.Start(t)
	env.Remote = "192.0.2.7"
	r := env.Do("POST", "/api/setup", "", map[string]string{"name": "O", "email": "o@example.com", "password": "correct horse battery"})
	if r.Status != 403 || r.ErrCode() != "setup_not_local" {
		t.Fatalf("remote setup: %d %s", r.Status, r.Body)
	}
	if n, _ := env.Core.Store.UserCount(context.Background()); n != 0 {
		t.Fatal("a refused setup created a user")
	}
	env.Remote = "::1"
	env.Setup()
}

func TestSessionLifecycle(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	if len(tok) < 3+22 { // "gh_" + at least 128 bits in base64
		t.Fatalf("token too short: %d chars", len(tok))
	}
	// The token is stored only hashed.
	var raw []byte
	if err := env.Core.Store.DB().QueryRow(`SELECT token_hash FROM sessions`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(tok)) || len(raw) != 32 {
		t.Fatalf("stored token is not a SHA-256 hash: %d bytes", len(raw))
	}
	for _, header := range []string{"", "Bearer", "Bearer nonsense", "Basic " + tok} {
		req, _ := http.NewRequest("GET", env.Server.URL+"/api/me", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		res, _ := http.DefaultClient.Do(req)
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Fatalf("Authorization %q: %d, want 401", header, res.StatusCode)
		}
	}
	me := env.Do("GET", "/api/me", tok, nil)
	if me.Status != 200 {
		t.Fatalf("me: %d %s", me.Status, me.Body)
	}
	perms := me.JSON()["permissions"].([]any)
	if len(perms) < 40 {
		t.Fatalf("admin has only %d permissions", len(perms))
	}
	if r := env.Do("DELETE", "/api/sessions/current", tok, nil); r.Status != 204 {
		t.Fatalf("sign out: %d", r.Status)
	}
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 401 {
		t.Fatalf("token still works after sign-out: %d", r.Status)
	}
}

func TestIdleTimeoutAndAbsoluteLifetime(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	cfg := identity.DefaultConfig
	// Activity keeps the session alive past the idle timeout...
	for elapsed := time.Duration(0); elapsed < cfg.AbsoluteLifetime-cfg.IdleTimeout; elapsed += cfg.IdleTimeout / 2 {
		env.Clock.Advance(cfg.IdleTimeout / 2)
		if r := env.Do("GET", "/api/me", tok, nil); r.Status != 200 {
			t.Fatalf("active session ended after %v: %d", elapsed, r.Status)
		}
	}
	// ...but not past the absolute lifetime.
	env.Clock.Advance(cfg.IdleTimeout)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 401 {
		t.Fatalf("session outlived its absolute lifetime: %d", r.Status)
	}
	tok = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	env.Clock.Advance(cfg.IdleTimeout + time.Second)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 401 || r.ErrCode() != "session_expired" {
		t.Fatalf("idle session still works: %d %s", r.Status, r.Body)
	}
}

func TestLongPasswordWorksExactlyAsTyped(t *testing.T) {
	env := testkit.Start(t)
	// 256 bytes, non-ASCII at the start and a space at the end: nothing may be trimmed or
	// normalised.
	pw := (" ü" + strings.Repeat("abcdefghij klmnopq ", 14))[:255] + " "
	if len(pw) != 256 {
		t.Fatalf("test password is %d bytes", len(pw))
	}
	if r := env.Do("POST", "/api/setup", "", map[string]string{"name": "Long", "email": "long@example.com", "password": pw}); r.Status != 201 {
		t.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	env.SignIn("long@example.com", pw)
	for _, near := range []string{strings.TrimSpace(pw), pw[:255], pw + " "} {
		if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": "long@example.com", "password": near}); r.Status != 401 {
			t.Fatalf("a different password (%d bytes) signed in: %d", len(near), r.Status)
		}
	}
}

func TestUnknownEmailAndWrongPasswordLookTheSame(t *testing.T) {
	env := testkit.Start(t)
	env.Setup()
	a := env.Do("POST", "/api/sessions", "", map[string]string{"email": "nobody@example.com", "password": "whatever it is"})
	b := env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": "whatever it is"})
	if a.Status != 401 || b.Status != 401 || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("answers differ:\n%d %s\n%d %s", a.Status, a.Body, b.Status, b.Body)
	}
	// Emails are matched ignoring case and surrounding spaces.
	env.SignIn("  OWNER@Example.COM ", testkit.Owner.Password)
}

func TestThrottlePerAccountAndAddress(t *testing.T) {
	env := testkit.Start(t)
	env.Setup()
	second := "second.admin@example.com"
	if r := env.Do("POST", "/api/setup", "", nil); r.Status != 400 {
		t.Fatal(r.Status)
	}
	// A second account, created from the command-line recovery path.
	if _, err := env.Core.Identity.CreateOwner(context.Background(), identity.OwnerRequest{Name: "Second", Email: second, Password: "second fine passphrase"}, "test"); err != nil {
		t.Fatal(err)
	}
	wrong := map[string]string{"email": testkit.Owner.Email, "password": "not the password"}
	for i := 0; i < identity.DefaultConfig.AccountThreshold; i++ {
		if r := env.Do("POST", "/api/sessions", "", wrong); r.Status != 401 {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	r := env.Do("POST", "/api/sessions", "", wrong)
	if r.Status != 429 {
		t.Fatalf("after %d failures: %d %s", identity.DefaultConfig.AccountThreshold+1, r.Status, r.Body)
	}
	retry, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if retry < 1 || r.JSON()["error"].(map[string]any)["retryAfter"] == nil {
		t.Fatalf("429 without Retry-After: %v %s", r.Header, r.Body)
	}
	// Even the right password waits: the account is throttled, not the guess.
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": testkit.Owner.Password}); r.Status != 429 {
		t.Fatalf("right password during throttle: %d", r.Status)
	}
	// Another account from the same address is not locked out.
	env.SignIn(second, "second fine passphrase")
	// After the delay the owner can sign in again.
	env.Clock.Advance(time.Duration(retry) * time.Second)
	env.SignIn(testkit.Owner.Email, testkit.Owner.Password)

	// Per address: many accounts guessed from one address trip the address limit, while
	// another address is unaffected.
	env.Remote = "192.0.2.50"
	for i := 0; i < identity.DefaultConfig.AddressThreshold; i++ {
		env.Do("POST", "/api/sessions", "", map[string]string{"email": "guess" + strconv.Itoa(i) + "@example.com", "password": "guess guess guess"})
	}
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": second, "password": "second fine passphrase"}); r.Status != 429 {
		t.Fatalf("address over its limit: %d", r.Status)
	}
	env.Remote = "192.0.2.51"
	env.SignIn(second, "second fine passphrase")
}

func TestChangeOwnPassword(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	other := env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	if r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": "wrong", "new": "a brand new passphrase"}); r.Status != 422 || r.ErrField() != "current" {
		t.Fatalf("wrong current: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": testkit.Owner.Password, "new": "welcome123"}); r.Status != 422 || r.ErrField() != "new" {
		t.Fatalf("weak new: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": testkit.Owner.Password, "new": "a brand new passphrase"}); r.Status != 204 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 200 {
		t.Fatal("the session that changed the password was ended")
	}
	if r := env.Do("GET", "/api/me", other, nil); r.Status != 401 {
		t.Fatal("another session survived a password change")
	}
	env.SignIn(testkit.Owner.Email, "a brand new passphrase")
}

func TestRequestLogHasNoSecrets(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	env.Do("GET", "/api/me?x=1", tok, nil)
	env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": "a wrong password here"})
	logs := env.Logs.String()
	for _, secret := range []string{tok, testkit.Owner.Password, "a wrong password here"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("log contains a secret %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "path=/api/me") {
		t.Fatalf("requests are not logged:\n%s", logs)
	}
}

// A burst of parallel guesses cannot all pass the throttle: each attempt is charged before
// the password is checked.
func TestThrottleHoldsAgainstParallelGuesses(t *testing.T) {
	env := testkit.Start(t)
	env.Setup()
	const n = 30
	statuses := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() {
			body := strings.NewReader(`{"email":"` + testkit.Owner.Email + `","password":"a parallel guess"}`)
			res, err := http.Post(env.Server.URL+"/api/sessions", "application/json", body)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	checked := 0
	for i := 0; i < n; i++ {
		if s := <-statuses; s == 401 {
			checked++
		} else if s != 429 {
			t.Errorf("status %d", s)
		}
	}
	if checked > identity.DefaultConfig.AccountThreshold {
		t.Fatalf("%d of %d parallel guesses were checked; the throttle allows %d", checked, n, identity.DefaultConfig.AccountThreshold)
	}
}
