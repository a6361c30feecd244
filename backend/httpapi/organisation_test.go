package httpapi_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.RGBA{R: 40, G: 80, B: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Settings → General: settings.general's; every field checked, each change in force on
// the next request (the sign-in screen's status, an invoice's date in the time zone),
// audited from → to; the currency changes only while no amount is kept in it.
func TestGeneralSettings(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)

	got := env.Do("GET", "/api/settings/general", owner, nil)
	if got.Status != 200 || got.JSON()["timezone"] != "UTC" || got.JSON()["currency"] != "EUR" || got.JSON()["language"] != "en" {
		t.Fatalf("defaults: %d %s", got.Status, got.Body)
	}
	for _, r := range []*testkit.Resp{env.Do("GET", "/api/settings/general", sam, nil), env.Do("PUT", "/api/settings/general", sam, map[string]any{"name": "Sam Co"})} {
		if r.Status != 403 {
			t.Errorf("staff and Settings → General: %d", r.Status)
		}
	}
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"name": strings.Repeat("n", 101)}, "name"},
		{map[string]any{"name": "Acme\u202e"}, "name"},
		{map[string]any{"accent": "chartreuse"}, "accent"},
		{map[string]any{"timezone": "Mars/Olympus"}, "timezone"},
		{map[string]any{"timezone": "Local"}, "timezone"},
		{map[string]any{"currency": "EURO"}, "currency"},
		{map[string]any{"currency": "ABC"}, "currency"},
		{map[string]any{"dateFormat": "dd-mm"}, "dateFormat"},
		{map[string]any{"numberFormat": "1_234.56"}, "numberFormat"},
		{map[string]any{"language": "fr"}, "language"},
	} {
		if r := env.Do("PUT", "/api/settings/general", owner, c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused settings changed the database")
	}

	// The next request sees each change: the sign-in screen's status, anyone's.
	put := env.Do("PUT", "/api/settings/general", owner, map[string]any{"name": "Acme Studio", "accent": "teal", "timezone": "Asia/Tokyo",
		"currency": "BRL", "dateFormat": "DD/MM/YYYY", "numberFormat": "1.234,56", "language": "pt-BR"})
	if put.Status != 200 {
		t.Fatalf("save: %d %s", put.Status, put.Body)
	}
	org := env.Do("GET", "/api/status", "", nil).JSON()["organisation"].(map[string]any)
	for k, want := range map[string]string{"name": "Acme Studio", "accent": "teal", "timezone": "Asia/Tokyo", "currency": "BRL",
		"dateFormat": "DD/MM/YYYY", "numberFormat": "1.234,56", "language": "pt-BR", "logoUrl": ""} {
		if org[k] != want {
			t.Errorf("status %s = %v, want %s", k, org[k], want)
		}
	}
	if me := env.Do("GET", "/api/me", sam, nil).JSON(); me["currency"] != "BRL" {
		t.Errorf("the currency for everyone: %v", me["currency"])
	}
	if log := string(env.Do("GET", "/api/audit", owner, nil).Body); !strings.Contains(log, `"from":"UTC"`) || !strings.Contains(log, `"to":"Asia/Tokyo"`) {
		t.Error("the activity log does not say what changed from what")
	}

	// The time zone decides an invoice's date: 16:00 UTC is already tomorrow in Tokyo.
	env.Clock.Advance(7 * time.Hour) // 2026-11-22 16:00 UTC = 2026-11-23 01:00 JST
	carlID := env.CreateUser(owner, "Carl Client", "carl@client.example", "client", initialPW)
	co := env.Do("GET", "/api/users/"+carlID, owner, nil).JSON()["companyId"].(string)
	id := mustID(t, env.Do("POST", "/api/invoices", owner, map[string]any{"companyId": co,
		"lines": []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 100, "taxRateBP": 0}}}))
	// No invoice details: the organisation's name is the issuer.
	sent := env.Do("POST", "/api/invoices/"+id+"/send", owner, nil)
	if sent.Status != 200 || sent.JSON()["issueDate"] != "2026-11-23" || sent.JSON()["number"] != "2026-0001" || sent.JSON()["currency"] != "BRL" {
		t.Errorf("an invoice sent at 16:00 UTC with Tokyo's time: %d %s", sent.Status, sent.Body)
	}
	// Now that an amount is kept in BRL, the currency stays.
	before = env.Snapshot()
	if r := env.Do("PUT", "/api/settings/general", owner, map[string]any{"currency": "EUR"}); r.Status != 422 || r.ErrField() != "currency" {
		t.Errorf("changing the currency of kept amounts: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/settings/general", owner, map[string]any{"currency": "BRL", "name": "Acme Studio Ltd"}); r.Status != 200 {
		t.Errorf("the same currency again, with another change: %d %s", r.Status, r.Body)
	}
	_ = before
}

// The logo: a PNG or JPEG judged by its bytes, at most 512 KB; anyone may fetch it (the
// sign-in screen); its address changes with every new logo.
func TestOrganisationLogo(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	logo := pngOf(t, 120, 40)

	before := env.Snapshot()
	for name, body := range map[string][]byte{
		"text":           []byte("not an image at all"),
		"svg":            []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"a PNG's header": logo[:40],
		"too large":      append(append([]byte{}, logo...), make([]byte, 600<<10)...),
		"empty":          nil,
		"too wide":       pngOf(t, 3000, 1),
	} {
		if r := env.DoRaw("PUT", "/api/settings/general/logo", owner, "image/png", body); r.Status != 422 || r.ErrField() != "logo" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if r := env.DoRaw("PUT", "/api/settings/general/logo", sam, "image/png", logo); r.Status != 403 {
		t.Errorf("staff set the logo: %d", r.Status)
	}
	if env.Snapshot() != before {
		t.Error("refused logos changed the database")
	}
	if r := env.Do("GET", "/api/branding/logo", "", nil); r.Status != 404 {
		t.Errorf("no logo yet: %d", r.Status)
	}
	set := env.DoRaw("PUT", "/api/settings/general/logo", owner, "application/octet-stream", logo)
	if set.Status != 200 || set.JSON()["logoUrl"] == "" {
		t.Fatalf("set the logo: %d %s", set.Status, set.Body)
	}
	url := env.Do("GET", "/api/status", "", nil).JSON()["organisation"].(map[string]any)["logoUrl"].(string)
	got := env.Do("GET", url, "", nil)
	if img, err := png.Decode(bytes.NewReader(got.Body)); got.Status != 200 || got.Header.Get("Content-Type") != "image/png" || err != nil || img.Bounds().Dx() != 120 {
		t.Errorf("the logo, to anyone: %d %s", got.Status, got.Header.Get("Content-Type"))
	}
	again := env.DoRaw("PUT", "/api/settings/general/logo", owner, "image/png", pngOf(t, 80, 80))
	if again.JSON()["logoUrl"] == url {
		t.Error("a new logo keeps the old address (browsers would show the old one)")
	}
	if r := env.Do("DELETE", "/api/settings/general/logo", owner, nil); r.Status != 200 || r.JSON()["logoUrl"] != "" {
		t.Errorf("remove the logo: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/branding/logo", "", nil); r.Status != 404 {
		t.Errorf("a removed logo is served: %d", r.Status)
	}
}

// The language: one's own choice, else the organisation's default; only en and pt-BR.
func TestLanguageChoice(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	lang := func(token string) (string, string) {
		me := env.Do("GET", "/api/me", token, nil).JSON()
		return me["language"].(string), me["languageChoice"].(string)
	}
	if l, own := lang(sam); l != "en" || own != "" {
		t.Errorf("at first: %s %q", l, own)
	}
	if r := env.Do("PUT", "/api/me/language", sam, map[string]any{"language": "fr"}); r.Status != 422 || r.ErrField() != "language" {
		t.Errorf("French: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/me/language", sam, map[string]any{"language": "pt-BR"}); r.Status != 200 || r.JSON()["language"] != "pt-BR" {
		t.Errorf("Sam chooses Portuguese: %d %s", r.Status, r.Body)
	}
	if l, _ := lang(owner); l != "en" {
		t.Errorf("Sam's choice is the owner's too: %s", l)
	}
	env.Do("PUT", "/api/settings/general", owner, map[string]any{"language": "pt-BR"})
	if l, own := lang(owner); l != "pt-BR" || own != "" {
		t.Errorf("the organisation's default, on the next request: %s %q", l, own)
	}
	env.Do("PUT", "/api/me/language", owner, map[string]any{"language": "en"})
	if l, own := lang(owner); l != "en" || own != "en" {
		t.Errorf("one's own choice over the default: %s %q", l, own)
	}
	env.Do("PUT", "/api/me/language", sam, map[string]any{"language": ""})
	if l, own := lang(sam); l != "pt-BR" || own != "" {
		t.Errorf("back to the default: %s %q", l, own)
	}
}

// A mail is written in its recipient's language: their own, else the organisation's.
func TestMailsInTheRecipientsLanguage(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	if r := env.Do("PUT", "/api/settings/general", owner, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("default language: %d %s", r.Status, r.Body)
	}
	seen := len(srv.Messages())
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "Paula Souza", "email": "paula@acme.test", "roleId": "staff", "sendWelcome": true})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	msgs, err := srv.Wait(seen+1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[len(msgs)-1]
	if m.Subject != "Boas-vindas ao Gatehouse" || !strings.Contains(m.Body, "Olá, Paula Souza") || !strings.Contains(m.Body, "Escolha sua senha aqui") {
		t.Errorf("the welcome mail in Portuguese: %q\n%s", m.Subject, m.Body)
	}
	// The outbox's log keeps its English subject for the admin.
	if log := outbox(env, owner, ""); log[0]["subject"] != "Welcome to Gatehouse" {
		t.Errorf("the log's subject: %v", log[0]["subject"])
	}
	allSent(t, env, owner)
}

// Settings → About: settings.licence's; the version, the data folder, its sizes and schema.
func TestAbout(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	r := env.Do("GET", "/api/settings/about", owner, nil)
	if r.Status != 200 || r.JSON()["dataFolder"] == "" || r.JSON()["databaseBytes"].(float64) <= 0 ||
		r.JSON()["schema"] != r.JSON()["schemaKnown"] || r.JSON()["schema"].(float64) < 21 {
		t.Errorf("about: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/settings/about", sam, nil); r.Status != 403 {
		t.Errorf("staff read About: %d", r.Status)
	}
}

// The activity log filtered by kind and by days of the organisation's time zone, and as CSV.
func TestActivityFiltersAndCSV(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.Do("PUT", "/api/settings/general", owner, map[string]any{"timezone": "Asia/Tokyo", "name": "=cmd|calc"})
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	env.Clock.Advance(7 * time.Hour) // 2026-11-22 16:00 UTC: 2026-11-23 01:00 in Tokyo
	env.Do("POST", "/api/teams", owner, map[string]any{"name": "Design"})
	kinds := func(q string) []string {
		var out []string
		r := env.Do("GET", "/api/audit?"+q, owner, nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", q, r.Status, r.Body)
		}
		for _, it := range r.JSON()["items"].([]any) {
			out = append(out, it.(map[string]any)["action"].(string))
		}
		return out
	}
	if got := kinds("kind=team"); len(got) != 1 || got[0] != "team.create" {
		t.Errorf("kind=team: %v", got)
	}
	// The test clock starts at 2026-11-22 09:00 UTC (18:00 in Tokyo); the team came on the 23rd, Tokyo's day.
	if got := kinds("from=2026-11-23&to=2026-11-23"); len(got) != 1 || got[0] != "team.create" {
		t.Errorf("one day: %v", got)
	}
	if got := kinds("to=2026-11-22"); len(got) == 0 || slicesContains(got, "team.create") {
		t.Errorf("up to the first day: %v", got)
	}
	for _, q := range []string{"from=22/11/2026", "from=2026-11-24&to=2026-11-23"} {
		if r := env.Do("GET", "/api/audit?"+q, owner, nil); r.Status != 422 {
			t.Errorf("%s: %d", q, r.Status)
		}
	}
	csv := env.Do("GET", "/api/audit.csv?kind=settings", owner, nil)
	if csv.Status != 200 || !strings.HasPrefix(string(csv.Body), "at,actor,action,") || !strings.Contains(string(csv.Body), "settings.general") ||
		strings.Contains(string(csv.Body), "team.create") {
		t.Errorf("CSV: %d %s", csv.Status, csv.Body)
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
