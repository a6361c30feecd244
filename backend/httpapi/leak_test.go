package httpapi_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
)

func canary(name string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return "leak-canary-" + name + "-" + hex.EncodeToString(b)
}

// assertNoLeaks reads the database file, its WAL and the log, and fails on any secret.
func assertNoLeaks(t *testing.T, env *testkit.Env, secretsByName map[string]string) {
	t.Helper()
	// Only the files as they are on disk: no checkpoint, so the WAL still holds the writes.
	places := env.Stored()
	places["log"] = env.Logs.Bytes()
	if wal, ok := places["gatehouse.db-wal"]; ok && len(wal) == 0 {
		t.Fatal("the WAL is empty: the test would prove nothing about it")
	}
	for where, content := range places {
		for name, secret := range secretsByName {
			if secret == "" {
				t.Fatalf("empty secret %s", name)
			}
			if bytes.Contains(content, []byte(secret)) {
				t.Errorf("%s (%s) found in %s", name, secret, where)
			}
		}
	}
}

// Known secrets — the Google client secret, passwords, session tokens, the remembered
// refresh token, the provider's codes and tokens — go through a settings round trip and
// Google, password and remembered sign-ins, and none of them is in the database file, its
// WAL or the log.
func TestNoSecretsInTheDatabaseOrTheLog(t *testing.T) {
	planted := map[string]string{}

	// serve: settings round trip, password and Google sign-ins.
	g := startGoogle(t)
	planted["client secret"] = testClientSecret
	planted["owner password"] = testkit.Owner.Password
	pw, next := canary("first-password"), canary("own-password")
	planted["admin-issued password"], planted["chosen password"] = pw, next
	g.CreateUser(g.owner, "Pat Password", "pat@example.com", "staff", pw)
	planted["password session"] = g.SignInFresh("pat@example.com", pw, next)
	planted["owner session"] = g.owner
	if r := g.Do("GET", "/api/settings/sign-in", g.owner, nil); r.Status != 200 {
		t.Fatal(r.Status)
	}
	g.settings(t, map[string]any{"googleClientSecret": testClientSecret, "hostedDomain": ""})
	// A wrong password is a secret too (someone's real one, mistyped).
	wrong := canary("wrong-password")
	planted["wrong password"] = wrong
	g.Do("POST", "/api/sessions", "", map[string]string{"email": "pat@example.com", "password": wrong})

	r := g.signIn(t, newPerson)
	planted["google session"] = userToken(t, r)
	// A refused one (wrong audience) too: its token must not be logged either.
	g.idp.SetMisbehave(oidcprovider.Misbehave{Audience: "other"})
	g.signIn(t, newPerson)
	g.idp.SetMisbehave(oidcprovider.Misbehave{})
	for i, v := range g.idp.Issued() {
		planted["provider code or token "+string(rune('a'+i))] = v
	}
	for i, tr := range g.idp.TokenRequests() {
		planted["PKCE verifier "+string(rune('a'+i))] = tr.Get("code_verifier")
	}
	assertNoLeaks(t, g.Env, planted)

	// The window: the loopback Google flow and a remembered sign-in.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	done := make(chan struct{})
	w := startGoogle(t, testkit.Options{InProcess: true, OpenBrowser: func(authURL string) error {
		go func() {
			defer close(done)
			res, err := noFollow.Get(authURL)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			page, err := noFollow.Get(res.Header.Get("Location"))
			if err == nil {
				page.Body.Close()
			}
		}()
		return nil
	}})
	w.idp.SignInAs(newPerson)
	start := w.Do("POST", "/api/auth/google/desktop", "", nil)
	<-done
	poll := w.Do("GET", "/api/auth/google/desktop/"+url.PathEscape(start.JSON()["id"].(string)), "", nil)
	session, _ := poll.JSON()["session"].(map[string]any)
	if session == nil {
		t.Fatalf("desktop sign-in: %s", poll.Body)
	}
	wplanted := map[string]string{"client secret": testClientSecret, "owner session": w.owner, "google session": session["token"].(string)}
	ns, _ := w.Core.Store.SecretNamespace(t.Context())
	if r := w.Do("POST", "/api/sessions/remembered", w.owner, nil); r.Status != 204 {
		t.Fatalf("remember: %d %s", r.Status, r.Body)
	}
	first, _ := w.secrets.Get(ns + "/remembered-session")
	resumed := w.Do("POST", "/api/sessions/resume", "", nil)
	rotated, _ := w.secrets.Get(ns + "/remembered-session")
	wplanted["refresh token"], wplanted["rotated refresh token"], wplanted["resumed session"] = first, rotated, userToken(t, resumed)
	for i, v := range w.idp.Issued() {
		wplanted["provider code or token "+string(rune('a'+i))] = v
	}
	assertNoLeaks(t, w.Env, wplanted)
}

func userToken(t *testing.T, r *testkit.Resp) string {
	t.Helper()
	tok, _ := r.JSON()["token"].(string)
	if r.Status != 201 || tok == "" {
		t.Fatalf("sign-in: %d %s", r.Status, r.Body)
	}
	return tok
}
