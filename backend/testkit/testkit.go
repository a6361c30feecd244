// Package testkit starts a real Gatehouse backend for tests: a SQLite file with the real
// migrations in a temp folder, the real services, and the real HTTP handler on a loopback
// port. Every request and response made through it is checked against openapi.yaml, so
// the contract and the handlers cannot drift apart.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"gatehouse/backend/core"
	"gatehouse/backend/httpapi"
	"gatehouse/backend/mail"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/testkit/testdb"
)

// Clock is a clock tests move by hand.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a running backend.
type Env struct {
	T      testing.TB
	Core   *core.Core
	API    *httpapi.API
	Server *httptest.Server
	Clock  *Clock
	DBPath string
	Logs   *bytes.Buffer
	router routers.Router
	// Remote, when set, is the client address the handler sees (default 127.0.0.1).
	Remote   string
	stopOnce sync.Once
}

// Options change how the backend runs.
type Options struct {
	InProcess bool
	// Secrets is the secret store (default: the system keychain).
	Secrets secrets.Store
	// OpenBrowser stands in for the window's system browser (Google sign-in).
	OpenBrowser func(url string) error
	// Mail changes how mail is sent (a test SMTP server's certificate, short backoff).
	Mail mail.Options
	// MaxUpload is the largest file upload (0: the default).
	MaxUpload int64
	// StripeAPIURL is where Stripe's API is asked (a stripemock.Server's URL).
	StripeAPIURL string
	// Now is when the clock starts (default 2026-11-22 09:00 UTC): a restart later on.
	Now time.Time
}

// Start starts a backend with an empty database.
func Start(t testing.TB, opts ...Options) *Env {
	t.Helper()
	return StartIn(t, t.TempDir(), opts...)
}

// StartIn starts a backend on the database in dir (made when absent): a second StartIn
// on the same dir after Stop is a restart.
func StartIn(t testing.TB, dir string, opts ...Options) *Env {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	start := o.Now
	if start.IsZero() {
		start = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	}
	env := &Env{T: t, Clock: &Clock{now: start}, DBPath: filepath.Join(dir, "gatehouse.db"), Logs: &bytes.Buffer{}}
	st := testdb.Open(t, dir)
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: env.Logs}, nil))
	c, err := core.Assemble(context.Background(), st, log, env.Clock.Now, core.Options{Secrets: o.Secrets, Mail: o.Mail, MaxUpload: o.MaxUpload, StripeAPIURL: o.StripeAPIURL})
	if err != nil {
		t.Fatal(err)
	}
	env.Core = c
	env.API = c.Handler(core.HandlerOptions{InProcess: o.InProcess, OpenBrowser: o.OpenBrowser})
	env.router = contractRouter(t)
	env.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if env.Remote != "" {
			r.RemoteAddr = net.JoinHostPort(env.Remote, "40000")
		}
		env.API.ServeHTTP(w, r)
	}))
	t.Cleanup(env.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the backend's log:\n%s", env.Logs.String())
		}
	})
	return env
}

// Stop stops the backend (a restart starts another on the same folder with StartIn).
func (e *Env) Stop() {
	e.stopOnce.Do(func() {
		e.Server.Close()
		e.Core.Close()
	})
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var (
	docOnce sync.Once
	doc     *openapi3.T
	docErr  error
)

func contractRouter(t testing.TB) routers.Router {
	docOnce.Do(func() {
		doc, docErr = openapi3.NewLoader().LoadFromData(httpapi.OpenAPI)
		if docErr == nil {
			docErr = doc.Validate(context.Background())
		}
	})
	if docErr != nil {
		t.Fatal("openapi.yaml:", docErr)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Contract returns the parsed openapi.yaml.
func Contract(t testing.TB) *openapi3.T {
	contractRouter(t)
	return doc
}

// Resp is a response read in full.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *Resp) JSON() map[string]any {
	var m map[string]any
	json.Unmarshal(r.Body, &m)
	return m
}

// Decode decodes the body into v.
func (r *Resp) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrCode is error.code of an error response.
func (r *Resp) ErrCode() string {
	e, _ := r.JSON()["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// ErrField is error.field of an error response.
func (r *Resp) ErrField() string {
	e, _ := r.JSON()["error"].(map[string]any)
	s, _ := e["field"].(string)
	return s
}

// Do sends a request (body: nil, a string sent as is, or a value sent as JSON) with an
// optional bearer token, and checks request and response against the contract.
func (e *Env) Do(method, path, token string, body any) *Resp {
	e.T.Helper()
	return e.do(method, path, token, body, "application/json", true)
}

// DoRaw sends a body with a content type and no contract check of the request (for
// malformed-input tests); the response is still checked.
func (e *Env) DoRaw(method, path, token, contentType string, body []byte) *Resp {
	e.T.Helper()
	return e.do(method, path, token, body, contentType, false)
}

func (e *Env) do(method, path, token string, body any, contentType string, checkRequest bool) *Resp {
	e.T.Helper()
	return e.send(method, path, token, body, contentType, checkRequest, nil)
}

func (e *Env) send(method, path, token string, body any, contentType string, checkRequest bool, headers map[string]string) *Resp {
	e.T.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.T.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, e.Server.URL+path, bytes.NewReader(raw))
	if err != nil {
		e.T.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	r := &Resp{Status: res.StatusCode, Header: res.Header, Body: out}
	e.checkContract(req, raw, r, checkRequest)
	return r
}

func (e *Env) checkContract(req *http.Request, body []byte, r *Resp, checkRequest bool) {
	e.T.Helper()
	// Validation needs a request whose URL the router can match against servers: "/".
	vreq := req.Clone(context.Background())
	vreq.URL.Scheme, vreq.URL.Host, vreq.Host = "", "", ""
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := e.router.FindRoute(vreq)
	if err != nil {
		// Paths outside the contract must answer with the JSON error shape (404/405).
		if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
			e.T.Errorf("contract: %s %s is not in openapi.yaml but answered %d", req.Method, req.URL.Path, r.Status)
		}
		checkErrorShape(e.T, r)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if checkRequest && r.Status < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			e.T.Errorf("contract: request %s %s does not match openapi.yaml: %v", req.Method, req.URL.Path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		e.T.Errorf("contract: response %d to %s %s does not match openapi.yaml: %v\nbody: %s", r.Status, req.Method, req.URL.Path, err, r.Body)
	}
	if r.Status >= 400 {
		checkErrorShape(e.T, r)
	}
}

func checkErrorShape(t testing.TB, r *Resp) {
	t.Helper()
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("error %d is not JSON: %q", r.Status, r.Body)
		return
	}
	e, ok := r.JSON()["error"].(map[string]any)
	if !ok || e["code"] == "" || e["message"] == "" {
		t.Errorf("error %d lacks error.code/message: %s", r.Status, r.Body)
	}
}

// Owner is the account Setup creates.
var Owner = struct{ Name, Email, Password string }{"Olivia Owner", "owner@example.com", "correct horse battery staple"}

// Setup creates the owner and returns a session token for them.
func (e *Env) Setup() string {
	e.T.Helper()
	if r := e.Do("POST", "/api/setup", "", map[string]string{"name": Owner.Name, "email": Owner.Email, "password": Owner.Password}); r.Status != 201 {
		e.T.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	return e.SignIn(Owner.Email, Owner.Password)
}

// SignIn returns a token or fails the test.
func (e *Env) SignIn(email, password string) string {
	e.T.Helper()
	r := e.Do("POST", "/api/sessions", "", map[string]string{"email": email, "password": password})
	if r.Status != 201 {
		e.T.Fatalf("sign in %s: %d %s", email, r.Status, r.Body)
	}
	tok, _ := r.JSON()["token"].(string)
	return tok
}

// Stored is what the database holds, as it is stored, by where: for SQLite the file and
// its WAL as they are on disk (no checkpoint), for PostgreSQL every row of every table.
// Tests look for secrets in it.
func (e *Env) Stored() map[string][]byte {
	e.T.Helper()
	if e.Core.Store.Dialect() == store.Postgres {
		return map[string][]byte{"the PostgreSQL database": []byte(e.Snapshot())}
	}
	out := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(e.DBPath + suffix)
		if err != nil {
			e.T.Fatalf("read %s: %v", e.DBPath+suffix, err)
		}
		out["gatehouse.db"+suffix] = b
	}
	return out
}

// Snapshot returns every row of every table, for asserting that a request changed
// nothing.
func (e *Env) Snapshot() string {
	e.T.Helper()
	db := e.Core.Store.DB()
	var b strings.Builder
	for _, tname := range testdb.Tables(e.T, e.Core.Store) {
		r, err := db.Query(`SELECT * FROM "` + tname + `" ORDER BY 1`)
		if err != nil {
			e.T.Fatal(err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			r.Scan(ptrs...)
			b.WriteString(tname)
			for _, v := range vals {
				b.WriteString("|")
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				b.WriteString(strings.TrimSpace(fmt.Sprint(v)))
			}
			b.WriteString("\n")
		}
		r.Close()
	}
	return b.String()
}

// CreateUser creates a user through the API as the actor token and returns its id.
func (e *Env) CreateUser(token, name, email, roleID, password string) string {
	e.T.Helper()
	r := e.Do("POST", "/api/users", token, map[string]any{"name": name, "email": email, "roleId": roleID, "password": password})
	if r.Status != 201 {
		e.T.Fatalf("create user %s: %d %s", email, r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

// SignInFresh signs in a user created with an admin-issued password and changes it to
// newPassword, returning a session token that may do everything their role allows.
func (e *Env) SignInFresh(email, password, newPassword string) string {
	e.T.Helper()
	tok := e.SignIn(email, password)
	if r := e.Do("POST", "/api/me/password", tok, map[string]string{"current": password, "new": newPassword}); r.Status != 204 {
		e.T.Fatalf("first password change for %s: %d %s", email, r.Status, r.Body)
	}
	return tok
}

// DoWithHeaders is Do with extra request headers (the request itself is not checked
// against the contract, as some headers, like X-View-As, are not in it).
func (e *Env) DoWithHeaders(method, path, token string, body any, headers map[string]string) *Resp {
	e.T.Helper()
	return e.send(method, path, token, body, "application/json", false, headers)
}

// The role book's Markdown is text, checked as text/plain is.
func init() { openapi3filter.RegisterBodyDecoder("text/markdown", openapi3filter.PlainBodyDecoder) }
