package httpapi_test

import (
	"errors"
	"strings"
	"testing"

	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
)

type windowEnv struct {
	*testkit.Env
	sec secrets.Store
	key string
}

func startWindow(t *testing.T) *windowEnv {
	sec := testSecrets(t)
	env := testkit.Start(t, testkit.Options{InProcess: true, Secrets: sec})
	ns, _ := env.Core.Store.SecretNamespace(t.Context())
	w := &windowEnv{Env: env, sec: sec, key: ns + "/remembered-session"}
	t.Cleanup(func() { sec.Delete(w.key) })
	return w
}

func (w *windowEnv) remember(t *testing.T, token string) string {
	t.Helper()
	if r := w.Do("POST", "/api/sessions/remembered", token, nil); r.Status != 204 {
		t.Fatalf("remember: %d %s", r.Status, r.Body)
	}
	v, err := w.sec.Get(w.key)
	if err != nil || !strings.HasPrefix(v, "ghr_") {
		t.Fatalf("keychain: %q %v", v, err)
	}
	return v
}

func (w *windowEnv) resume(t *testing.T) *testkit.Resp {
	t.Helper()
	return w.Do("POST", "/api/sessions/resume", "", nil)
}

func TestRememberedSessionInTheWindow(t *testing.T) {
	w := startWindow(t)
	owner := w.Setup()
	if r := w.resume(t); r.Status != 404 {
		t.Fatalf("nothing remembered: %d %s", r.Status, r.Body)
	}
	refresh := w.remember(t, owner)
	// Only a hash is stored.
	if strings.Contains(w.Snapshot(), refresh) {
		t.Fatal("the refresh token is in the database")
	}

	// The next start signs in directly, with a fresh session, and rotates the token.
	r := w.resume(t)
	if r.Status != 201 {
		t.Fatalf("resume: %d %s", r.Status, r.Body)
	}
	tok := r.JSON()["token"].(string)
	if tok == owner || w.Do("GET", "/api/me", tok, nil).Status != 200 {
		t.Fatal("resumed session does not work")
	}
	rotated, _ := w.sec.Get(w.key)
	if rotated == refresh {
		t.Fatal("not rotated")
	}
	// A copy of the old token is worthless.
	w.sec.Set(w.key, refresh)
	if r := w.resume(t); r.Status != 401 || r.ErrCode() != "remembered_ended" {
		t.Fatalf("old token: %d %s", r.Status, r.Body)
	}
	if _, err := w.sec.Get(w.key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("an ended token stays in the keychain: %v", err)
	}

	// Signing out deletes it.
	w.remember(t, tok)
	if r := w.Do("DELETE", "/api/sessions/current", tok, nil); r.Status != 204 {
		t.Fatalf("sign out: %d", r.Status)
	}
	if _, err := w.sec.Get(w.key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("after sign-out: %v", err)
	}
	if r := w.resume(t); r.Status != 404 {
		t.Fatalf("after sign-out: %d %s", r.Status, r.Body)
	}

	// "Forget me" without signing out.
	w.remember(t, owner)
	if r := w.Do("DELETE", "/api/sessions/remembered", owner, nil); r.Status != 204 {
		t.Fatalf("forget: %d", r.Status)
	}
	if r := w.resume(t); r.Status != 404 {
		t.Fatalf("after forget: %d %s", r.Status, r.Body)
	}
}

func TestRememberedSessionEndsWithDeactivationAndPasswordChanges(t *testing.T) {
	w := startWindow(t)
	owner := w.Setup()
	carol := w.CreateUser(owner, "Carol Client", "carol@example.com", "client", "carols first password")
	carolTok := w.SignInFresh("carol@example.com", "carols first password", "carols own passphrase")

	ended := func(what string) {
		t.Helper()
		if r := w.resume(t); r.Status != 401 || r.ErrCode() != "remembered_ended" {
			t.Fatalf("after %s: %d %s", what, r.Status, r.Body)
		}
	}

	w.remember(t, carolTok)
	if r := w.Do("POST", "/api/me/password", carolTok, map[string]string{"current": "carols own passphrase", "new": "carols second passphrase"}); r.Status != 204 {
		t.Fatalf("password change: %d %s", r.Status, r.Body)
	}
	ended("her own password change")

	w.remember(t, carolTok)
	if r := w.Do("POST", "/api/users/"+carol+"/password", owner, map[string]any{"generate": true}); r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	ended("a password reset")

	carolTok = w.SignIn("carol@example.com", mustResetPassword(t, w, owner, carol))
	w.remember(t, carolTok)
	if r := w.Do("POST", "/api/users/"+carol+"/deactivate", owner, nil); r.Status != 200 {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	ended("deactivation")
}

// mustResetPassword sets a generated password for a user and returns it.
func mustResetPassword(t *testing.T, env *windowEnv, owner, id string) string {
	t.Helper()
	r := env.Do("POST", "/api/users/"+id+"/password", owner, map[string]any{"generate": true})
	if r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	pw, _ := r.JSON()["generatedPassword"].(string)
	return pw
}

func TestRememberedSessionsOnlyInTheWindow(t *testing.T) {
	env := testkit.Start(t, testkit.Options{Secrets: testSecrets(t)})
	owner := env.Setup()
	for _, c := range []struct{ method, path, token string }{
		{"POST", "/api/sessions/remembered", owner},
		{"DELETE", "/api/sessions/remembered", owner},
		{"POST", "/api/sessions/resume", ""},
	} {
		if r := env.Do(c.method, c.path, c.token, nil); r.Status != 404 {
			t.Errorf("%s %s in serve: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
}
