package httpapi_test

import (
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

// A session ended by someone else's act is told why on its next request: deactivation,
// an administrator's password reset, a password change in another session.
func TestEndedSessionsAreToldWhy(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	id := env.CreateUser(owner, "Dana Doomed", "dana@example.com", "staff", pw)
	tok := env.SignInFresh("dana@example.com", pw, pw2)
	other := env.SignIn("dana@example.com", pw2)
	for _, step := range []struct {
		do   func()
		tok  *string
		code string
	}{
		{func() {
			env.Do("POST", "/api/me/password", tok, map[string]string{"current": pw2, "new": "a third passphrase 33"})
		}, &other, "password_changed"},
		{func() { env.Do("POST", "/api/users/"+id+"/password", owner, map[string]any{"generate": true}) }, &tok, "password_reset"},
	} {
		step.do()
		r := env.Do("GET", "/api/me", *step.tok, nil)
		if r.Status != 401 || r.ErrCode() != step.code {
			t.Errorf("after the change: %d %s, want 401 %s", r.Status, r.Body, step.code)
		}
	}
	env.Do("POST", "/api/users/"+id+"/password", owner, map[string]any{"password": "a fourth passphrase 44"})
	tok = env.SignInFresh("dana@example.com", "a fourth passphrase 44", "a fifth passphrase 555")
	env.Do("POST", "/api/users/"+id+"/deactivate", owner, nil)
	r := env.Do("GET", "/api/projects", tok, nil)
	if r.Status != 401 || r.ErrCode() != "deactivated" || !strings.Contains(r.JSON()["error"].(map[string]any)["message"].(string), "deactivated") {
		t.Errorf("after deactivation: %d %s, want 401 deactivated with the reason", r.Status, r.Body)
	}
}
