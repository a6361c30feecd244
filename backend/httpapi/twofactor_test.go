package httpapi_test

import (
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/identity"
	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/oidcprovider"
)

// Two-factor sign-in end to end over HTTP: enrolment, sign-in with a code or a recovery
// code, the clock's skew, enforcement by role, an administrator's reset, the throttle.
// Codes are computed by testkit.TOTP, written from RFC 6238 apart from the backend.

// start2FA starts a backend (the real keychain under scripts/with-desktop.sh) and removes
// the data folder's two-factor key from it afterwards.
func start2FA(t *testing.T, opts ...testkit.Options) *testkit.Env {
	t.Helper()
	env := testkit.Start(t, opts...)
	ns, err := env.Core.Store.SecretNamespace(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Core.Secrets.Delete(ns + "/two-factor-key") })
	return env
}

// codeAt is the authenticator's code for secret, steps 30-second steps from the clock.
func codeAt(t *testing.T, env *testkit.Env, secret string, steps int) string {
	t.Helper()
	return testkit.TOTP(t, secret, env.Clock.Now().Add(time.Duration(steps)*30*time.Second), 6)
}

// enrol turns two-factor sign-in on for the session tok; it returns the secret and the
// recovery codes.
func enrol(t *testing.T, env *testkit.Env, tok string) (string, []string) {
	t.Helper()
	r := env.Do("POST", "/api/me/two-factor/enrolment", tok, nil)
	if r.Status != 201 {
		t.Fatalf("start enrolment: %d %s", r.Status, r.Body)
	}
	secret := r.JSON()["secret"].(string)
	r = env.Do("POST", "/api/me/two-factor/enrolment/confirm", tok, map[string]string{"code": codeAt(t, env, secret, 0)})
	if r.Status != 200 {
		t.Fatalf("confirm enrolment: %d %s", r.Status, r.Body)
	}
	var out struct{ RecoveryCodes []string }
	r.Decode(t, &out)
	return secret, out.RecoveryCodes
}

// challenge signs in with a password and expects to be asked for the second factor.
func challenge(t *testing.T, env *testkit.Env, email, password string) string {
	t.Helper()
	r := env.Do("POST", "/api/sessions", "", map[string]string{"email": email, "password": password})
	if r.Status != 200 || r.JSON()["twoFactorRequired"] != true || r.JSON()["token"] != nil {
		t.Fatalf("sign-in with a second factor: %d %s", r.Status, r.Body)
	}
	return r.JSON()["challenge"].(string)
}

func complete(env *testkit.Env, ch, code string) *testkit.Resp {
	return env.Do("POST", "/api/sessions/two-factor", "", map[string]string{"challenge": ch, "code": code})
}

func mustComplete(t *testing.T, env *testkit.Env, ch, code string) string {
	t.Helper()
	r := complete(env, ch, code)
	if r.Status != 201 {
		t.Fatalf("code %s: %d %s", code, r.Status, r.Body)
	}
	return r.JSON()["token"].(string)
}

// The owner enrols with a QR code and a first code, gets ten recovery codes once, and
// from then on signs in with password and code. The secret is never in the database in
// clear, nor in the log, nor in any answer after enrolment.
func TestTwoFactorEnrolmentAndSignIn(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	if r := env.Do("GET", "/api/me/two-factor", tok, nil); r.Status != 200 || r.JSON()["enabled"] != false {
		t.Fatalf("before: %d %s", r.Status, r.Body)
	}
	r := env.Do("POST", "/api/me/two-factor/enrolment", tok, nil)
	if r.Status != 201 {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	secret, uri, qr := r.JSON()["secret"].(string), r.JSON()["otpauthUri"].(string), r.JSON()["qrCode"].(string)
	if raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret); err != nil || len(raw) != 20 {
		t.Fatalf("secret %q: %d bytes, %v", secret, len(raw), err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/Gatehouse:owner@example.com?") || !strings.Contains(uri, "secret="+secret) ||
		!strings.Contains(uri, "issuer=Gatehouse") {
		t.Fatalf("otpauth URI: %s", uri)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(qr, "data:image/png;base64,"))
	if err != nil || !strings.HasPrefix(qr, "data:image/png;base64,") {
		t.Fatalf("QR code is not a PNG data URL: %.60s… %v", qr, err)
	}
	if img, err := png.Decode(bytes.NewReader(pngBytes)); err != nil || img.Bounds().Dx() != 240 {
		t.Fatalf("QR code image: %v", err)
	}
	// Not on until a first code confirms it: the password alone still signs in.
	if r := env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": testkit.Owner.Password}); r.Status != 201 {
		t.Fatalf("before confirming: %d %s", r.Status, r.Body)
	}
	for _, bad := range []string{"", "12345", "abcdef", codeAt(t, env, secret, 3)} {
		if r := env.Do("POST", "/api/me/two-factor/enrolment/confirm", tok, map[string]string{"code": bad}); r.Status != 422 || r.ErrField() != "code" {
			t.Fatalf("confirm with %q: %d %s", bad, r.Status, r.Body)
		}
	}
	r = env.Do("POST", "/api/me/two-factor/enrolment/confirm", tok, map[string]string{"code": codeAt(t, env, secret, 0)})
	if r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	var out struct{ RecoveryCodes []string }
	r.Decode(t, &out)
	shape := regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)
	seen := map[string]bool{}
	for _, c := range out.RecoveryCodes {
		if !shape.MatchString(c) || seen[c] {
			t.Fatalf("recovery codes: %v", out.RecoveryCodes)
		}
		seen[c] = true
	}
	if len(seen) != 10 {
		t.Fatalf("%d recovery codes", len(seen))
	}
	if d := lastAudit(t, env, tok, "user.two_factor_enabled"); d["targetName"] != testkit.Owner.Name {
		t.Fatalf("audit: %v", d)
	}
	// Enrolling twice is refused; the answer about it never carries the secret.
	if r := env.Do("POST", "/api/me/two-factor/enrolment", tok, nil); r.Status != 409 {
		t.Fatalf("second enrolment: %d %s", r.Status, r.Body)
	}
	st := env.Do("GET", "/api/me/two-factor", tok, nil)
	if st.JSON()["enabled"] != true || st.JSON()["recoveryCodesLeft"] != float64(10) || bytes.Contains(st.Body, []byte(secret)) {
		t.Fatalf("after: %s", st.Body)
	}
	if me := env.Do("GET", "/api/me", tok, nil).JSON()["user"].(map[string]any); me["twoFactor"] != true {
		t.Fatalf("me: %v", me)
	}
	// At rest: neither the secret (as text or bytes) nor a recovery code is in the database.
	raw, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	snap := env.Snapshot()
	dump := snapshotBytes(t, env)
	if strings.Contains(snap, secret) || strings.Contains(strings.ToLower(snap), strings.ToLower(secret)) || bytes.Contains(dump, raw) {
		t.Fatal("the authenticator secret is in the database in clear")
	}
	for c := range seen {
		if strings.Contains(snap, c) || strings.Contains(snap, strings.ReplaceAll(c, "-", "")) {
			t.Fatal("a recovery code is in the database in clear")
		}
	}
	if strings.Contains(env.Logs.String(), secret) {
		t.Fatal("the secret is in the log")
	}

	// Sign-in now takes the password, then a code; the password alone opens nothing.
	env.Clock.Advance(30 * time.Second)
	ch := challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	if r := complete(env, ch, "000000"); r.Status != 422 || r.ErrField() != "code" {
		t.Fatalf("wrong code: %d %s", r.Status, r.Body)
	}
	code := codeAt(t, env, secret, 0)
	s := complete(env, ch, code)
	if s.Status != 201 || s.JSON()["user"].(map[string]any)["email"] != testkit.Owner.Email {
		t.Fatalf("right code: %d %s", s.Status, s.Body)
	}
	if r := env.Do("GET", "/api/me", s.JSON()["token"].(string), nil); r.Status != 200 {
		t.Fatalf("the session: %d", r.Status)
	}
	if d := lastAudit(t, env, tok, "session.create"); d["details"].(map[string]any)["secondFactor"] != "totp" {
		t.Fatalf("audit: %v", d)
	}
	// A challenge is used once; a code is used once, even in a new sign-in.
	if r := complete(env, ch, code); r.Status != 401 || r.ErrCode() != "two_factor_expired" {
		t.Fatalf("challenge reused: %d %s", r.Status, r.Body)
	}
	if r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), code); r.Status != 422 {
		t.Fatalf("code replayed: %d %s", r.Status, r.Body)
	}
	// A challenge waits five minutes.
	ch = challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	env.Clock.Advance(5*time.Minute + time.Second)
	if r := complete(env, ch, codeAt(t, env, secret, 0)); r.Status != 401 || r.ErrCode() != "two_factor_expired" {
		t.Fatalf("expired challenge: %d %s", r.Status, r.Body)
	}
	// Five wrong codes end it, whatever comes next (from another address, whose throttle
	// keys are fresh: the limit here is the challenge's own).
	env.Remote = "192.0.2.7"
	ch = challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	for i := range 5 {
		if r := complete(env, ch, strconv.Itoa(100000+i)); r.Status != 422 {
			t.Fatalf("wrong code %d: %d %s", i, r.Status, r.Body)
		}
	}
	if r := complete(env, ch, codeAt(t, env, secret, 0)); r.Status != 401 {
		t.Fatalf("a sixth guess: %d %s", r.Status, r.Body)
	}
}

// snapshotBytes is every stored value's raw bytes (BLOBs included), to search for secrets.
func snapshotBytes(t *testing.T, env *testkit.Env) []byte {
	t.Helper()
	var b bytes.Buffer
	rows, err := env.Core.Store.DB().Query(`SELECT secret_sealed FROM two_factor`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v []byte
		rows.Scan(&v)
		b.Write(v)
	}
	b.WriteString(env.Snapshot())
	return b.Bytes()
}

// A code from a phone one step ahead or behind is accepted; two steps either way is not.
func TestTwoFactorClockSkew(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	secret, _ := enrol(t, env, tok)
	// Far from the enrolment's step, so no refusal below is for a code already used.
	env.Clock.Advance(10 * time.Minute)
	for _, steps := range []int{-2, 2} {
		if r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codeAt(t, env, secret, steps)); r.Status != 422 {
			t.Fatalf("a code %+d steps away: %d %s", steps, r.Status, r.Body)
		}
	}
	for _, steps := range []int{-1, 0, 1} {
		mustComplete(t, env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codeAt(t, env, secret, steps))
	}
}

// The backend's codes are RFC 6238's: with the RFC's SHA1 secret set as a person's secret
// (sealed as the backend seals it), sign-in accepts the test vectors at their times (the
// six digits an authenticator app shows).
func TestTwoFactorSignInWithRFC6238TestVectors(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	enrol(t, env, tok)
	ns, err := env.Core.Store.SecretNamespace(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	me := env.Do("GET", "/api/me", tok, nil).JSON()["user"].(map[string]any)["id"].(string)
	rfcSecret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	sealed, err := secrets.NewSealer(env.Core.Secrets, ns+"/two-factor-key", "two-factor key").Seal("totp:"+me, rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Core.Store.DB().Exec(env.Core.Store.Rebind(`UPDATE two_factor SET secret_sealed = ?, last_step = 0 WHERE user_id = ?`), sealed, me); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		unix int64
		code string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"},
		{2000000000, "69279037"}, {20000000000, "65353130"}} {
		// (A duration holds 292 years at most: the last vector is centuries away.)
		for d := time.Unix(v.unix, 0).Sub(env.Clock.Now()); d != 0; d = time.Unix(v.unix, 0).Sub(env.Clock.Now()) {
			env.Clock.Advance(d)
		}
		if got := testkit.TOTP(t, rfcSecret, env.Clock.Now(), 8); got != v.code {
			t.Fatalf("the test's own TOTP at %d: %s, want %s", v.unix, got, v.code)
		}
		r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), v.code[2:])
		if r.Status != 201 {
			t.Fatalf("T=%d, code %s: %d %s", v.unix, v.code[2:], r.Status, r.Body)
		}
	}
}

// Each recovery code signs in once; dashes, spaces and case do not matter; new ones end
// the old ones.
func TestTwoFactorRecoveryCodesWorkOnce(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	secret, codes := enrol(t, env, tok)
	r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codes[0])
	if r.Status != 201 || r.JSON()["recoveryCodesLeft"] != float64(9) {
		t.Fatalf("recovery code: %d %s", r.Status, r.Body)
	}
	if d := lastAudit(t, env, tok, "session.create"); d["details"].(map[string]any)["secondFactor"] != "recovery_code" {
		t.Fatalf("audit: %v", d)
	}
	if r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codes[0]); r.Status != 422 {
		t.Fatalf("a used recovery code again: %d %s", r.Status, r.Body)
	}
	typed := " " + strings.ToUpper(strings.ReplaceAll(codes[1], "-", " ")) + " "
	mustComplete(t, env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), typed)
	if st := env.Do("GET", "/api/me/two-factor", tok, nil).JSON(); st["recoveryCodesLeft"] != float64(8) {
		t.Fatalf("status: %v", st)
	}
	// New codes (a code proves the second factor): the unused old ones stop working.
	if r := env.Do("POST", "/api/me/two-factor/recovery-codes", tok, map[string]string{"code": "123456"}); r.Status != 422 {
		t.Fatalf("regenerate with a wrong code: %d %s", r.Status, r.Body)
	}
	env.Clock.Advance(30 * time.Second)
	r = env.Do("POST", "/api/me/two-factor/recovery-codes", tok, map[string]string{"code": codeAt(t, env, secret, 0)})
	if r.Status != 200 {
		t.Fatalf("regenerate: %d %s", r.Status, r.Body)
	}
	var fresh struct{ RecoveryCodes []string }
	r.Decode(t, &fresh)
	if r := complete(env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codes[2]); r.Status != 422 {
		t.Fatalf("an old recovery code after regenerating: %d %s", r.Status, r.Body)
	}
	mustComplete(t, env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), fresh.RecoveryCodes[0])
}

// A role that requires two-factor sign-in: a holder without one is held to setting it up
// before anything else — at the very next request of a session already open, and at
// their next sign-in — after choosing their own password when they must. A Google
// sign-in is not asked for it.
func TestTwoFactorRequiredByRole(t *testing.T) {
	g := startGoogle(t)
	env := g.Env
	ns, _ := env.Core.Store.SecretNamespace(t.Context())
	t.Cleanup(func() { env.Core.Secrets.Delete(ns + "/two-factor-key") })
	carol := env.CreateUser(g.owner, "Carol Staff", "carol@example.com", "staff", "carols first password")
	carolTok := env.SignInFresh("carol@example.com", "carols first password", "carols own passphrase")
	if r := env.Do("GET", "/api/projects", carolTok, nil); r.Status != 200 {
		t.Fatalf("before the policy: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/settings/security", g.owner, map[string]any{"twoFactorRoles": []string{"staff"}}); r.Status != 200 {
		t.Fatalf("policy: %d %s", r.Status, r.Body)
	}
	// In force on Carol's next request: everything but setting it up answers 403.
	if r := env.Do("GET", "/api/projects", carolTok, nil); r.Status != 403 || r.ErrCode() != "two_factor_setup_required" {
		t.Fatalf("after the policy: %d %s", r.Status, r.Body)
	}
	if me := env.Do("GET", "/api/me", carolTok, nil); me.Status != 200 || me.JSON()["twoFactorSetupRequired"] != true {
		t.Fatalf("me: %d %s", me.Status, me.Body)
	}
	if st := env.Do("GET", "/api/me/two-factor", carolTok, nil).JSON(); st["required"] != true || st["enabled"] != false {
		t.Fatalf("status: %v", st)
	}
	// The owner's role is not named: the owner is not held up.
	if r := env.Do("GET", "/api/projects", g.owner, nil); r.Status != 200 {
		t.Fatalf("owner: %d", r.Status)
	}
	// A new sign-in is held the same way (the password first, for an admin-issued one).
	env.CreateUser(g.owner, "Dan Staff", "dan@example.com", "staff", "dans first password")
	dan := env.SignIn("dan@example.com", "dans first password")
	if r := env.Do("POST", "/api/me/two-factor/enrolment", dan, nil); r.Status != 403 || r.ErrCode() != "password_change_required" {
		t.Fatalf("enrol before the password change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/me/password", dan, map[string]string{"current": "dans first password", "new": "dans own passphrase"}); r.Status != 204 {
		t.Fatalf("password change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/tasks", dan, nil); r.Status != 403 || r.ErrCode() != "two_factor_setup_required" {
		t.Fatalf("dan after the password: %d %s", r.Status, r.Body)
	}
	// Setting it up lifts the hold on the same session.
	secret, _ := enrol(t, env, carolTok)
	if r := env.Do("GET", "/api/projects", carolTok, nil); r.Status != 200 {
		t.Fatalf("after enrolling: %d %s", r.Status, r.Body)
	}
	if me := env.Do("GET", "/api/me", carolTok, nil).JSON(); me["twoFactorSetupRequired"] != false {
		t.Fatalf("me after: %v", me)
	}
	// While the role requires it, Carol cannot turn it off.
	env.Clock.Advance(30 * time.Second)
	if r := env.Do("POST", "/api/me/two-factor/disable", carolTok, map[string]string{"code": codeAt(t, env, secret, 0)}); r.Status != 409 || r.ErrCode() != "two_factor_required" {
		t.Fatalf("disable while required: %d %s", r.Status, r.Body)
	}
	// Google sign-in completes without Gatehouse's second factor: not asked for a code
	// (Carol has one), nor to set one up (Erin, whose role requires it, has none).
	r := g.signIn(t, oidcprovider.Account{Subject: "carol-sub", Email: "carol@example.com", Name: "Carol G", EmailVerified: true})
	if u := userOf(t, r); u["id"] != carol {
		t.Fatalf("google sign-in: %v", u)
	}
	env.CreateUser(g.owner, "Erin Staff", "erin@example.com", "staff", "erins first password")
	env.SignInFresh("erin@example.com", "erins first password", "erins own passphrase")
	r = g.signIn(t, oidcprovider.Account{Subject: "erin-sub", Email: "erin@example.com", Name: "Erin G", EmailVerified: true})
	erin := r.JSON()["token"].(string)
	if r := env.Do("GET", "/api/projects", erin, nil); r.Status != 200 {
		t.Fatalf("google session of a role that requires two-factor: %d %s", r.Status, r.Body)
	}
	// Off the policy: Dan's session is free at its next request.
	if r := env.Do("PUT", "/api/settings/security", g.owner, map[string]any{"twoFactorRoles": []string{}}); r.Status != 200 {
		t.Fatalf("policy off: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/tasks", dan, nil); r.Status != 200 {
		t.Fatalf("dan after the policy is lifted: %d %s", r.Status, r.Body)
	}
	// And Carol may turn hers off (with a code), which is audited.
	env.Clock.Advance(30 * time.Second)
	if r := env.Do("POST", "/api/me/two-factor/disable", carolTok, map[string]string{"code": codeAt(t, env, secret, 0)}); r.Status != 204 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if d := lastAudit(t, env, g.owner, "user.two_factor_disabled"); d["targetId"] != carol {
		t.Fatalf("audit: %v", d)
	}
	env.SignIn("carol@example.com", "carols own passphrase")
}

// An administrator (users.edit over the person) resets someone's second factor: audited,
// their sessions end, and their password alone signs them in again. Nobody resets their
// own this way, nor someone they may not edit.
func TestTwoFactorResetByAdmin(t *testing.T) {
	env := start2FA(t)
	owner := env.Setup()
	carol := env.CreateUser(owner, "Carol Staff", "carol@example.com", "staff", "carols first password")
	carolTok := env.SignInFresh("carol@example.com", "carols first password", "carols own passphrase")
	// Not on yet: nothing to reset, and nothing offered.
	if r := env.Do("DELETE", "/api/users/"+carol+"/two-factor", owner, nil); r.Status != 409 || r.ErrCode() != "two_factor_off" {
		t.Fatalf("reset when off: %d %s", r.Status, r.Body)
	}
	if acts := actionsOf(t, env, owner, carol); strings.Contains(acts, "users.reset_two_factor") {
		t.Fatalf("offered a reset with nothing to reset: %s", acts)
	}
	enrol(t, env, carolTok)
	if acts := actionsOf(t, env, owner, carol); !strings.Contains(acts, "users.reset_two_factor") {
		t.Fatalf("no reset offered: %s", acts)
	}
	// Carol (Staff) may not reset the owner's, nor her own through the admin route.
	_, _ = enrol(t, env, owner)
	ownerID := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	if r := env.Do("DELETE", "/api/users/"+ownerID+"/two-factor", carolTok, nil); r.Status != 403 && r.Status != 404 {
		t.Fatalf("staff resets the owner: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/users/"+ownerID+"/two-factor", owner, nil); r.Status != 403 || r.ErrCode() != "own_two_factor" {
		t.Fatalf("owner resets their own: %d %s", r.Status, r.Body)
	}
	if acts := actionsOf(t, env, owner, ownerID); strings.Contains(acts, "users.reset_two_factor") {
		t.Fatalf("offered to reset one's own: %s", acts)
	}
	before := env.Snapshot()
	if r := env.Do("DELETE", "/api/users/"+carol+"/two-factor", carolTok, nil); r.Status != 403 && r.Status != 404 {
		t.Fatalf("staff resets her own: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused reset changed something")
	}
	if r := env.Do("DELETE", "/api/users/"+carol+"/two-factor", owner, nil); r.Status != 204 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/me", carolTok, nil); r.Status != 401 || r.ErrCode() != "two_factor_reset" {
		t.Fatalf("carol's session after the reset: %d %s", r.Status, r.Body)
	}
	if d := lastAudit(t, env, owner, "user.two_factor_reset"); d["targetId"] != carol || d["actorName"] != testkit.Owner.Name {
		t.Fatalf("audit: %v", d)
	}
	// The password alone signs Carol in again, and she may enrol anew.
	carolTok = env.SignIn("carol@example.com", "carols own passphrase")
	if st := env.Do("GET", "/api/me/two-factor", carolTok, nil).JSON(); st["enabled"] != false {
		t.Fatalf("after the reset: %v", st)
	}
	enrol(t, env, carolTok)
}

func actionsOf(t *testing.T, env *testkit.Env, tok, id string) string {
	t.Helper()
	r := env.Do("GET", "/api/users/"+id, tok, nil)
	if r.Status != 200 {
		t.Fatalf("user %s: %d %s", id, r.Status, r.Body)
	}
	acts, _ := r.JSON()["actions"].([]any)
	var out []string
	for _, a := range acts {
		out = append(out, a.(string))
	}
	return strings.Join(out, ",")
}

// Code guesses are charged to the throttle before they are checked, under keys a right
// password does not clear: past the threshold even the right code waits, and signing in
// again with the password buys no more guesses.
func TestTwoFactorCodeGuessesAreThrottled(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	secret, codes := enrol(t, env, tok)
	env.Clock.Advance(time.Minute)
	ch := challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	for i := range identity.DefaultConfig.AccountThreshold {
		if r := complete(env, ch, strconv.Itoa(200000+i)); r.Status != 422 {
			t.Fatalf("guess %d: %d %s", i, r.Status, r.Body)
		}
	}
	// A new sign-in with the right password: the code is still held back, right or not.
	ch = challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	r := complete(env, ch, codeAt(t, env, secret, 0))
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("a right code past the threshold: %d %s", r.Status, r.Body)
	}
	if r := complete(env, ch, codes[0]); r.Status != 429 {
		t.Fatalf("a recovery code past the threshold: %d %s", r.Status, r.Body)
	}
	// So are the codes of My account (the same keys).
	if r := env.Do("POST", "/api/me/two-factor/recovery-codes", tok, map[string]string{"code": codes[0]}); r.Status != 429 {
		t.Fatalf("my account's code past the threshold: %d %s", r.Status, r.Body)
	}
	retry, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	env.Clock.Advance(time.Duration(retry) * time.Second)
	mustComplete(t, env, ch, codeAt(t, env, secret, 0))
}

// In the window (bearer tokens in-process, "keep me signed in" in the keychain): sign-in
// asks for the code the same way; turning two-factor sign-in on ends what was remembered
// before it, and what is remembered after a sign-in with a code opens the next start
// without one (this computer was trusted with the code).
func TestTwoFactorInTheWindow(t *testing.T) {
	env := start2FA(t, testkit.Options{InProcess: true, Secrets: testSecrets(t)})
	ns, _ := env.Core.Store.SecretNamespace(t.Context())
	t.Cleanup(func() { env.Core.Secrets.Delete(ns + "/remembered-session") })
	tok := env.Setup()
	if r := env.Do("POST", "/api/sessions/remembered", tok, nil); r.Status != 204 {
		t.Fatalf("remember: %d %s", r.Status, r.Body)
	}
	secret, _ := enrol(t, env, tok)
	if r := env.Do("POST", "/api/sessions/resume", "", nil); r.Status != 401 || r.ErrCode() != "remembered_ended" {
		t.Fatalf("a sign-in remembered before two-factor: %d %s", r.Status, r.Body)
	}
	env.Clock.Advance(30 * time.Second)
	win := mustComplete(t, env, challenge(t, env, testkit.Owner.Email, testkit.Owner.Password), codeAt(t, env, secret, 0))
	if r := env.Do("POST", "/api/sessions/remembered", win, nil); r.Status != 204 {
		t.Fatalf("remember after the code: %d %s", r.Status, r.Body)
	}
	r := env.Do("POST", "/api/sessions/resume", "", nil)
	if r.Status != 201 {
		t.Fatalf("resume: %d %s", r.Status, r.Body)
	}
	if me := env.Do("GET", "/api/projects", r.JSON()["token"].(string), nil); me.Status != 200 {
		t.Fatalf("the resumed session: %d %s", me.Status, me.Body)
	}
}

// Nothing of the second factor — the secret, the recovery codes, a sign-in's challenge —
// is in the database file, its WAL or the log.
func TestTwoFactorSecretsAreNotInTheDatabaseOrTheLog(t *testing.T) {
	env := start2FA(t)
	tok := env.Setup()
	secret, codes := enrol(t, env, tok)
	raw, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	planted := map[string]string{"secret": secret, "secret (lower case)": strings.ToLower(secret), "secret (bytes)": string(raw)}
	for i, c := range codes {
		planted["recovery code "+strconv.Itoa(i)] = c
		planted["recovery code as stored "+strconv.Itoa(i)] = strings.ReplaceAll(c, "-", "")
	}
	ch := challenge(t, env, testkit.Owner.Email, testkit.Owner.Password)
	planted["challenge"] = ch
	mustComplete(t, env, ch, codes[0])
	assertNoLeaks(t, env, planted)
}
