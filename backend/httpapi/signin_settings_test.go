package httpapi_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/backend/apperr"
	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
)

func TestSignInSettings(t *testing.T) {
	sec := testSecrets(t)
	env := testkit.Start(t, testkit.Options{Secrets: sec})
	owner := env.Setup()
	ns, _ := env.Core.Store.SecretNamespace(t.Context())
	key := ns + "/google-client-secret"
	t.Cleanup(func() { sec.Delete(key) })

	s := env.Do("GET", "/api/settings/sign-in", owner, nil).JSON()
	want := map[string]any{"googleClientId": "", "googleClientSecretSet": false, "googleIssuer": "https://accounts.google.com",
		"hostedDomain": "", "allowRegistrations": true, "linkByEmail": true, "defaultRoleId": "client"}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("default %s = %v, want %v", k, s[k], v)
		}
	}

	// Only holders of settings.integrations.
	staff := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", "sams first password")
	_ = staff
	samTok := env.SignInFresh("sam@example.com", "sams first password", "sams own passphrase")
	if r := env.Do("GET", "/api/settings/sign-in", samTok, nil); r.Status != 403 {
		t.Fatalf("staff read: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/settings/sign-in", samTok, map[string]any{"allowRegistrations": false}); r.Status != 403 {
		t.Fatalf("staff write: %d %s", r.Status, r.Body)
	}

	invalid := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"googleClientId": "has spaces in it"}, "googleClientId"},
		{map[string]any{"googleClientId": "abc.apps.googleusercontent.com"}, "googleClientSecret"}, // an ID needs a secret
		{map[string]any{"googleClientId": "abc", "googleClientSecret": "two words"}, "googleClientSecret"},
		{map[string]any{"googleIssuer": "ftp://accounts.google.com"}, "googleIssuer"},
		{map[string]any{"googleIssuer": "http://accounts.google.com"}, "googleIssuer"}, // plain http only on loopback
		{map[string]any{"googleIssuer": "https://accounts.google.com?x=1"}, "googleIssuer"},
		{map[string]any{"hostedDomain": "not a domain"}, "hostedDomain"},
		{map[string]any{"defaultRoleId": "staff"}, "defaultRoleId"},
	}
	for _, c := range invalid {
		before := env.Snapshot()
		r := env.Do("PUT", "/api/settings/sign-in", owner, c.body)
		if r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%v: %d %s, want 422 on %s", c.body, r.Status, r.Body, c.field)
		}
		if env.Snapshot() != before {
			t.Errorf("%v changed the database", c.body)
		}
	}
	if _, err := sec.Get(key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("a refused change reached the keychain: %v", err)
	}

	r := env.Do("PUT", "/api/settings/sign-in", owner, map[string]any{"googleClientId": testClientID, "googleClientSecret": testClientSecret,
		"hostedDomain": " Example.COM ", "googleIssuer": "http://127.0.0.1:9/"})
	if r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	if strings.Contains(string(r.Body), testClientSecret) {
		t.Fatal("the secret came back")
	}
	s = r.JSON()
	if s["googleClientSecretSet"] != true || s["hostedDomain"] != "example.com" || s["googleIssuer"] != "http://127.0.0.1:9/" {
		t.Fatalf("saved: %v", s)
	}
	if got, err := sec.Get(key); err != nil || got != testClientSecret {
		t.Fatalf("keychain: %q %v", got, err)
	}
	if st := env.Do("GET", "/api/status", "", nil).JSON(); st["googleSignIn"] != true {
		t.Fatalf("status: %v", st)
	}
	if body := env.Do("GET", "/api/settings/sign-in", owner, nil).Body; strings.Contains(string(body), testClientSecret) {
		t.Fatal("GET returns the secret")
	}
	// Changing other fields keeps the secret; the audit log names the fields, never values.
	if r := env.Do("PUT", "/api/settings/sign-in", owner, map[string]any{"allowRegistrations": false, "googleClientSecret": ""}); r.Status != 200 || r.JSON()["googleClientSecretSet"] != true {
		t.Fatalf("keep secret: %d %s", r.Status, r.Body)
	}
	a := lastAudit(t, env, owner, "settings.sign_in")
	if d := a["details"].(map[string]any); !strings.Contains(strings.Join(anyStrings(d["changed"]), ","), "allowRegistrations") {
		t.Fatalf("audit: %v", a)
	}
	if strings.Contains(string(env.Do("GET", "/api/audit", owner, nil).Body), testClientSecret) {
		t.Fatal("the secret is in the audit log")
	}

	// An empty client ID turns Google sign-in off and removes the secret.
	if r := env.Do("PUT", "/api/settings/sign-in", owner, map[string]any{"googleClientId": ""}); r.Status != 200 || r.JSON()["googleClientSecretSet"] != false {
		t.Fatalf("off: %d %s", r.Status, r.Body)
	}
	if _, err := sec.Get(key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("secret still in the keychain: %v", err)
	}
	if st := env.Do("GET", "/api/status", "", nil).JSON(); st["googleSignIn"] != false {
		t.Fatalf("status: %v", st)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// unavailable is a keychain that cannot be reached (its errors are what secrets.Keychain
// returns then; TestKeychainUnavailableWithoutSessionBus shows the real one does).
type unavailable struct{}

func (unavailable) err(op string) error {
	return &secrets.UnavailableError{Op: op, Cause: errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no Secret Service")}
}
func (u unavailable) Get(string) (string, error) { return "", u.err("read") }
func (u unavailable) Set(string, string) error   { return u.err("store") }
func (u unavailable) Delete(string) error        { return u.err("delete") }
func (unavailable) Warning() apperr.Text         { return apperr.Text{} }

func TestSignInSettingsWhenTheKeychainIsUnavailable(t *testing.T) {
	env := testkit.Start(t, testkit.Options{Secrets: unavailable{}})
	owner := env.Setup()
	before := env.Snapshot()
	r := env.Do("PUT", "/api/settings/sign-in", owner, map[string]any{"googleClientId": testClientID, "googleClientSecret": testClientSecret})
	if r.Status != 503 || r.ErrCode() != "keychain_unavailable" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	msg := r.JSON()["error"].(map[string]any)["message"].(string)
	for _, want := range []string{"keychain is unavailable", "unlock", "--insecure-file-secrets"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, testClientSecret) {
		t.Fatal("the secret is in the message")
	}
	if env.Snapshot() != before {
		t.Fatal("settings changed although the secret could not be stored")
	}
	// Settings that need no secret still work.
	if r := env.Do("PUT", "/api/settings/sign-in", owner, map[string]any{"allowRegistrations": false}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}

func TestInsecureFileSecretsAreAnnounced(t *testing.T) {
	path := filepath.Join(t.TempDir(), secrets.FileName)
	env := testkit.Start(t, testkit.Options{Secrets: secrets.NewFile(path)})
	owner := env.Setup()
	st := env.Do("GET", "/api/status", "", nil).JSON()
	if w, _ := st["secretsWarning"].(string); !strings.Contains(w, "--insecure-file-secrets") || !strings.Contains(w, path) {
		t.Fatalf("status: %v", st)
	}
	if w, _ := env.Do("GET", "/api/settings/sign-in", owner, nil).JSON()["secretsWarning"].(string); w == "" {
		t.Fatal("no warning in the settings")
	}
	// With the keychain, there is no warning.
	k := testkit.Start(t, testkit.Options{Secrets: secrets.NewKeychain(secrets.Service, 0)})
	if _, ok := k.Do("GET", "/api/status", "", nil).JSON()["secretsWarning"]; ok {
		t.Fatal("a warning with the keychain")
	}
}
