package httpapi_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/identity"
	"gatehouse/backend/testkit"
)

// Settings → Security: each policy is in force on the very next request (a test each,
// on the test clock), the defaults are what Gatehouse did before, bad values are refused
// with their range, and every change is audited from → to.

func putSecurity(t *testing.T, env *testkit.Env, tok string, body map[string]any) map[string]any {
	t.Helper()
	r := env.Do("PUT", "/api/settings/security", tok, body)
	if r.Status != 200 {
		t.Fatalf("security settings %v: %d %s", body, r.Status, r.Body)
	}
	return r.JSON()
}

func TestSecurityDefaultsAreTheBehaviourBeforeTheSettings(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	r := env.Do("GET", "/api/settings/security", tok, nil)
	if r.Status != 200 {
		t.Fatalf("get: %d %s", r.Status, r.Body)
	}
	s := r.JSON()
	d := identity.DefaultConfig
	for k, want := range map[string]int{"minPasswordLength": identity.MinPasswordChars, "idleTimeoutMinutes": int(d.IdleTimeout / time.Minute),
		"sessionLifetimeHours": int(d.AbsoluteLifetime / time.Hour), "throttleAccount": d.AccountThreshold,
		"throttleAccountWide": d.AccountWideThreshold, "throttleAddress": d.AddressThreshold} {
		if s[k] != float64(want) {
			t.Errorf("%s = %v, want %d", k, s[k], want)
		}
	}
	if roles := s["twoFactorRoles"].([]any); len(roles) != 0 {
		t.Errorf("two-factor roles by default: %v", roles)
	}
	if len(s["roles"].([]any)) != 3 {
		t.Errorf("roles to choose from: %v", s["roles"])
	}
	if st := env.Do("GET", "/api/status", "", nil).JSON(); st["passwordMinLength"] != float64(12) {
		t.Errorf("status: %v", st)
	}
}

func TestSecurityMinimumPasswordLengthOnTheNextRequest(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	fourteen := "quiet harbour7" // 14 characters, not common
	putSecurity(t, env, tok, map[string]any{"minPasswordLength": 16})
	r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": testkit.Owner.Password, "new": fourteen})
	if r.Status != 422 || r.ErrField() != "new" || !strings.Contains(r.JSON()["error"].(map[string]any)["message"].(string), "at least 16") {
		t.Fatalf("a 14-character password under a 16 minimum: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users", tok, map[string]any{"name": "Pat", "email": "pat@example.com", "roleId": "staff", "password": fourteen, "sendWelcome": false}); r.Status != 422 {
		t.Fatalf("creating a user with it: %d %s", r.Status, r.Body)
	}
	if st := env.Do("GET", "/api/status", "", nil).JSON(); st["passwordMinLength"] != float64(16) {
		t.Fatalf("status: %v", st)
	}
	// Lowered to 8: a 9-character password is fine for the next request.
	putSecurity(t, env, tok, map[string]any{"minPasswordLength": 8})
	env.CreateUser(tok, "Pat", "pat@example.com", "staff", "tiny-ox-9")
	if r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": testkit.Owner.Password, "new": "brisk-elk4"}); r.Status != 204 {
		t.Fatalf("a 10-character password under an 8 minimum: %d %s", r.Status, r.Body)
	}
}

func TestSecurityIdleTimeoutOnTheNextRequest(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	putSecurity(t, env, tok, map[string]any{"idleTimeoutMinutes": 30})
	env.Clock.Advance(29 * time.Minute)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 200 {
		t.Fatalf("29 minutes idle: %d", r.Status)
	}
	env.Clock.Advance(30*time.Minute + time.Second)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 401 || r.ErrCode() != "session_expired" {
		t.Fatalf("30 minutes idle: %d %s", r.Status, r.Body)
	}
	// Lengthened: a session idle for 9 hours (past the old 8) lives.
	tok = env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	putSecurity(t, env, tok, map[string]any{"idleTimeoutMinutes": 600})
	env.Clock.Advance(9 * time.Hour)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 200 {
		t.Fatalf("9 hours idle under a 10-hour timeout: %d %s", r.Status, r.Body)
	}
}

func TestSecuritySessionLifetimeOnTheNextRequest(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	other := env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	env.Clock.Advance(90 * time.Minute)
	env.Do("GET", "/api/me", other, nil) // both sessions in use: only their age can end them
	putSecurity(t, env, tok, map[string]any{"sessionLifetimeHours": 2, "idleTimeoutMinutes": 60})
	env.Clock.Advance(30*time.Minute + time.Second) // both sessions are now just over 2 hours old
	for _, s := range []string{tok, other} {
		if r := env.Do("GET", "/api/me", s, nil); r.Status != 401 {
			t.Fatalf("a session past the new lifetime: %d %s", r.Status, r.Body)
		}
	}
	fresh := env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	for range 3 {
		env.Clock.Advance(39 * time.Minute)
		if r := env.Do("GET", "/api/me", fresh, nil); r.Status != 200 {
			t.Fatalf("an active session within the lifetime: %d", r.Status)
		}
	}
	env.Clock.Advance(4 * time.Minute) // 2 h 1 min after sign-in
	if r := env.Do("GET", "/api/me", fresh, nil); r.Status != 401 {
		t.Fatalf("an active session past the lifetime: %d %s", r.Status, r.Body)
	}
}

func TestSecurityThrottleThresholdsOnTheNextRequest(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	wrong := map[string]string{"email": testkit.Owner.Email, "password": "not the password"}

	// The account from one address: 3 failures, then a wait.
	putSecurity(t, env, tok, map[string]any{"throttleAccount": 3})
	env.Remote = "192.0.2.10"
	for i := range 3 {
		if r := env.Do("POST", "/api/sessions", "", wrong); r.Status != 401 {
			t.Fatalf("failure %d: %d", i, r.Status)
		}
	}
	if r := env.Do("POST", "/api/sessions", "", wrong); r.Status != 429 {
		t.Fatalf("after 3 failures with a threshold of 3: %d %s", r.Status, r.Body)
	}

	// One address on any accounts: 5 failures, then a wait.
	env.Remote = "127.0.0.1"
	putSecurity(t, env, tok, map[string]any{"throttleAddress": 5})
	env.Remote = "192.0.2.20"
	for i := range 5 {
		env.Do("POST", "/api/sessions", "", map[string]string{"email": "guess" + strconv.Itoa(i) + "@example.com", "password": "guess guess guess"})
	}
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": "other@example.com", "password": "guess guess guess"}); r.Status != 429 {
		t.Fatalf("an address after 5 failures with a threshold of 5: %d %s", r.Status, r.Body)
	}

	// The account from addresses it never signed in from: 3 failures in all, then every
	// such address waits (while its usual address, 127.0.0.1, does not).
	env.Remote = "127.0.0.1"
	putSecurity(t, env, tok, map[string]any{"throttleAccountWide": 3, "throttleAccount": 50, "throttleAddress": 1000})
	env.Clock.Advance(time.Hour) // earlier waits are over
	for i := range 3 {
		env.Remote = "198.51.100." + strconv.Itoa(i+1)
		if r := env.Do("POST", "/api/sessions", "", wrong); r.Status != 401 {
			t.Fatalf("spread failure %d: %d %s", i, r.Status, r.Body)
		}
	}
	env.Remote = "198.51.100.99"
	if r := env.Do("POST", "/api/sessions", "", wrong); r.Status != 429 {
		t.Fatalf("a fourth address after 3 spread failures: %d %s", r.Status, r.Body)
	}
	env.Remote = "127.0.0.1"
	env.SignIn(testkit.Owner.Email, testkit.Owner.Password)
}

// Two-factor by role in force on the next request is TestTwoFactorRequiredByRole.

func TestSecuritySettingsRefuseBadValuesWithTheirRange(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
		says  string
	}{
		{map[string]any{"minPasswordLength": 7}, "minPasswordLength", "from 8 to 64"},
		{map[string]any{"minPasswordLength": 65}, "minPasswordLength", "from 8 to 64"},
		{map[string]any{"idleTimeoutMinutes": 4}, "idleTimeoutMinutes", "from 5 minutes to 10080"},
		{map[string]any{"sessionLifetimeHours": 0}, "sessionLifetimeHours", "from 1 hour to 2160"},
		{map[string]any{"sessionLifetimeHours": 2161}, "sessionLifetimeHours", "from 1 hour to 2160"},
		{map[string]any{"throttleAccount": 2}, "throttleAccount", "from 3 to 50"},
		{map[string]any{"throttleAccountWide": 501}, "throttleAccountWide", "from 3 to 500"},
		{map[string]any{"throttleAddress": 4}, "throttleAddress", "from 5 to 1000"},
		{map[string]any{"idleTimeoutMinutes": 600, "sessionLifetimeHours": 8}, "idleTimeoutMinutes", "cannot be longer than the session lifetime"},
		{map[string]any{"sessionLifetimeHours": 4}, "sessionLifetimeHours", "cannot be longer than the session lifetime"},
		{map[string]any{"twoFactorRoles": []string{"staff", "no-such-role"}}, "twoFactorRoles", "no role"},
	} {
		r := env.Do("PUT", "/api/settings/security", tok, c.body)
		msg, _ := r.JSON()["error"].(map[string]any)["message"].(string)
		if r.Status != 422 || r.ErrField() != c.field || !strings.Contains(msg, c.says) {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused change changed something")
	}
}

// Every change is audited with each setting from → to (roles by name); nothing changed,
// nothing audited.
func TestSecuritySettingsAreAuditedFromTo(t *testing.T) {
	env := testkit.Start(t)
	tok := env.Setup()
	putSecurity(t, env, tok, map[string]any{"minPasswordLength": 14, "throttleAccount": 4, "twoFactorRoles": []string{"staff", "client"}})
	d := lastAudit(t, env, tok, "settings.security")["details"].(map[string]any)
	if m := d["minPasswordLength"].(map[string]any); m["from"] != "12" || m["to"] != "14" {
		t.Fatalf("minPasswordLength: %v", d)
	}
	if m := d["throttleAccount"].(map[string]any); m["from"] != "5" || m["to"] != "4" {
		t.Fatalf("throttleAccount: %v", d)
	}
	if m := d["twoFactorRoles"].(map[string]any); m["from"] != "" || m["to"] != "Client, Staff" {
		t.Fatalf("twoFactorRoles: %v", d)
	}
	if _, ok := d["idleTimeoutMinutes"]; ok {
		t.Fatalf("an unchanged setting is in the entry: %v", d)
	}
	n := len(env.Do("GET", "/api/audit?action=settings.security", tok, nil).JSON()["items"].([]any))
	putSecurity(t, env, tok, map[string]any{"minPasswordLength": 14})
	if m := len(env.Do("GET", "/api/audit?action=settings.security", tok, nil).JSON()["items"].([]any)); m != n {
		t.Fatalf("a change to the same values was audited (%d → %d entries)", n, m)
	}
}

// settings.security alone may tighten the policies; weakening them (it makes every
// account easier to take over, the Admins' too) needs every permission of the Admin role.
// Without settings.security: nothing.
func TestSecuritySettingsNeedTheirPermissionAndAdminToWeaken(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	r := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Security Officer", "kind": "internal",
		"permissions": []map[string]string{{"key": "settings.security"}}})
	if r.Status != 201 {
		t.Fatalf("role: %d %s", r.Status, r.Body)
	}
	env.CreateUser(owner, "Sam Sec", "sam@example.com", r.JSON()["id"].(string), "sams first password")
	sam := env.SignInFresh("sam@example.com", "sams first password", "sams own passphrase")
	env.CreateUser(owner, "Carol Staff", "carol@example.com", "staff", "carols first password")
	carol := env.SignInFresh("carol@example.com", "carols first password", "carols own passphrase")

	if r := env.Do("GET", "/api/settings/security", carol, nil); r.Status != 403 {
		t.Fatalf("staff reads: %d", r.Status)
	}
	if r := env.Do("PUT", "/api/settings/security", carol, map[string]any{"minPasswordLength": 20}); r.Status != 403 {
		t.Fatalf("staff writes: %d", r.Status)
	}
	nav := env.Do("GET", "/api/me", sam, nil).JSON()["nav"].([]any)
	if !slices.Contains(keysOf(nav), "settings") {
		t.Fatalf("Settings is not in the officer's menu: %v", nav)
	}
	putSecurity(t, env, sam, map[string]any{"minPasswordLength": 16, "throttleAccount": 4, "twoFactorRoles": []string{"staff"}})
	for _, weaker := range []map[string]any{{"minPasswordLength": 12}, {"throttleAccount": 5}, {"idleTimeoutMinutes": 600, "sessionLifetimeHours": 168},
		{"sessionLifetimeHours": 200}, {"throttleAddress": 21}, {"throttleAccountWide": 11}, {"twoFactorRoles": []string{}}} {
		if r := env.Do("PUT", "/api/settings/security", sam, weaker); r.Status != 403 || r.ErrCode() != "escalation" {
			t.Errorf("the officer weakens %v: %d %s", weaker, r.Status, r.Body)
		}
	}
	// The owner (Admin) may.
	putSecurity(t, env, owner, map[string]any{"minPasswordLength": 12, "twoFactorRoles": []string{}})
}

func keysOf(nav []any) []string {
	var out []string
	for _, n := range nav {
		out = append(out, n.(map[string]any)["key"].(string))
	}
	return out
}
