package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"gatehouse/backend/secrets"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/stripemock"
)

const webhookSecret = "whsec_gatehouse_test"

// payEnv is a backend whose Stripe is s, with a bookkeeper who has sent one invoice of
// amount (no tax) to Carl's company, and Dora at another company.
type payEnv struct {
	env                         *testkit.Env
	owner, bea, carl, dora, sam string
	invoice, carlCo             string
}

func newPayEnv(t *testing.T, s *stripemock.Server, amount int64) *payEnv {
	t.Helper()
	return newPayEnvAt(t, s.URL(), amount)
}

// newPayEnvAt is newPayEnv with Stripe's API at apiURL.
func newPayEnvAt(t *testing.T, apiURL string, amount int64) *payEnv {
	t.Helper()
	env := testkit.Start(t, testkit.Options{StripeAPIURL: apiURL})
	pe := &payEnv{env: env, owner: env.Setup()}
	book := templateRole(t, env, pe.owner, "bookkeeper")
	env.CreateUser(pe.owner, "Bea Books", "bea@acme.test", book, initialPW)
	pe.bea = env.SignInFresh("bea@acme.test", initialPW, ownPW)
	carlID := env.CreateUser(pe.owner, "Carl Client", "carl@acme.example", "client", initialPW)
	env.CreateUser(pe.owner, "Dora Client", "dora@other.example", "client", initialPW)
	env.CreateUser(pe.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	pe.carl = env.SignInFresh("carl@acme.example", initialPW, ownPW)
	pe.dora = env.SignInFresh("dora@other.example", initialPW, ownPW)
	pe.sam = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	pe.carlCo = env.Do("GET", "/api/users/"+carlID, pe.owner, nil).JSON()["companyId"].(string)
	issuer(t, env, pe.bea)
	pe.invoice = mustID(t, env.Do("POST", "/api/invoices", pe.bea, map[string]any{"companyId": pe.carlCo,
		"lines": []map[string]any{{"description": "Website", "quantityMilli": 1000, "unitPrice": amount, "taxRateBP": 0}}}))
	if r := env.Do("POST", "/api/invoices/"+pe.invoice+"/send", pe.bea, nil); r.Status != 200 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	return pe
}

func (pe *payEnv) connect(t *testing.T) {
	t.Helper()
	r := pe.env.Do("PUT", "/api/settings/payments", pe.owner, map[string]any{"enabled": true, "secretKey": stripemock.APIKey, "webhookSecret": webhookSecret})
	if r.Status != 200 || r.JSON()["gateway"] != "stripe" || r.JSON()["secretKeySet"] != true || r.JSON()["testMode"] != true {
		t.Fatalf("connect Stripe: %d %s", r.Status, r.Body)
	}
}

// browser is what a page of the server under test sends along: its own origin.
func browser(env *testkit.Env) map[string]string { return map[string]string{"Origin": env.Server.URL} }

func (pe *payEnv) checkout(t *testing.T, token string) string {
	t.Helper()
	r := pe.env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", token, nil, browser(pe.env))
	if r.Status != 200 || !strings.HasPrefix(r.JSON()["sessionId"].(string), "cs_") || r.JSON()["url"] == "" {
		t.Fatalf("checkout: %d %s", r.Status, r.Body)
	}
	return r.JSON()["sessionId"].(string)
}

func payments(t *testing.T, env *testkit.Env, token, invoice string) []any {
	t.Helper()
	r := env.Do("GET", "/api/invoices/"+invoice+"/payments", token, nil)
	if r.Status != 200 {
		t.Fatalf("payments: %d %s", r.Status, r.Body)
	}
	return r.JSON()["items"].([]any)
}

// Stripe Checkout against stripe-mock: the gateway's keys are an administrator's and stay
// in the keychain; only the invoice's own client starts a payment; the payment counts
// when Stripe says the session is paid (read back from Stripe), once, however often asked.
func TestStripeCheckoutCountsWhatStripeConfirmsOnce(t *testing.T) {
	s := stripemock.StartWith(t, stripemock.Options{Fixtures: map[string]map[string]any{
		"checkout.session": {"status": "complete", "payment_status": "paid", "amount_total": 50_000, "currency": "eur"},
	}})
	pe := newPayEnv(t, s, 50_000)
	env := pe.env

	// With no gateway the client is told how to pay instead.
	if r := env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", pe.carl, nil, browser(env)); r.Status != 409 || r.ErrCode() != "no_gateway" {
		t.Errorf("checkout with no gateway: %d %s", r.Status, r.Body)
	}
	// Connecting: the settings permission's, keys checked, never shown back.
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"enabled": true}, "secretKey"},
		{map[string]any{"enabled": true, "secretKey": "pk_test_publishable"}, "secretKey"},
		{map[string]any{"enabled": true, "secretKey": "sk_test_ with space"}, "secretKey"},
		{map[string]any{"enabled": true, "secretKey": stripemock.APIKey, "webhookSecret": "secret"}, "webhookSecret"},
	} {
		r := env.Do("PUT", "/api/settings/payments", pe.owner, c.body)
		if r.Status != 422 || r.ErrField() != c.field || strings.Contains(string(r.Body), "pk_test_publishable") {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
		}
	}
	if r := env.Do("PUT", "/api/settings/payments", pe.bea, map[string]any{"enabled": true, "secretKey": stripemock.APIKey}); r.Status != 403 {
		t.Errorf("a bookkeeper connects the gateway: %d", r.Status)
	}
	if env.Snapshot() != before {
		t.Error("refused gateway settings changed the database")
	}
	pe.connect(t)
	got := env.Do("GET", "/api/settings/payments", pe.owner, nil)
	if strings.Contains(string(got.Body), stripemock.APIKey) || strings.Contains(string(got.Body), webhookSecret) || got.JSON()["webhookSecretSet"] != true {
		t.Errorf("the gateway settings: %s", got.Body)
	}
	if snap := env.Snapshot(); strings.Contains(snap, stripemock.APIKey) || strings.Contains(snap, webhookSecret) {
		t.Error("a Stripe secret is in the database")
	}
	if r := env.Do("GET", "/api/invoicing/settings", pe.carl, nil); r.JSON()["gateway"] != "stripe" {
		t.Errorf("the client is not told the gateway is there: %s", r.Body)
	}

	// Who may start paying: the invoice's own client, from a browser.
	for name, c := range map[string]struct {
		token string
		want  int
	}{"another company's client": {pe.dora, 404}, "staff": {pe.sam, 404}, "the bookkeeper": {pe.bea, 403}} {
		if r := env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", c.token, nil, browser(pe.env)); r.Status != c.want {
			t.Errorf("%s starts a checkout: %d %s", name, r.Status, r.Body)
		}
	}
	if r := env.Do("POST", "/api/invoices/"+pe.invoice+"/checkout", pe.carl, nil); r.Status != 409 || r.ErrCode() != "no_return_address" {
		t.Errorf("checkout without a browser's origin: %d %s", r.Status, r.Body)
	}
	// Stripe sends the payer back only to this server, never to an address the caller names.
	if r := env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", pe.carl, nil, map[string]string{"Origin": "https://evil.example"}); r.Status != 409 || r.ErrCode() != "no_return_address" {
		t.Errorf("checkout from another origin: %d %s", r.Status, r.Body)
	}
	session := pe.checkout(t, pe.carl)
	if !strings.Contains(s.Log(), "success_url:"+env.Server.URL+"/#/invoicing?checkout={CHECKOUT_SESSION_ID}") {
		t.Errorf("the way back is not this server's invoices page:\n%s", s.Log())
	}

	// Another company's client cannot even learn the session exists.
	if r := env.Do("POST", "/api/checkout/"+session+"/confirm", pe.dora, nil); r.Status != 404 {
		t.Errorf("another client confirms: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/checkout/cs_test_unknown/confirm", pe.carl, nil); r.Status != 404 {
		t.Errorf("an unknown session: %d %s", r.Status, r.Body)
	}
	// Confirmed by Stripe, many times at once: counted once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if r := env.Do("POST", "/api/checkout/"+session+"/confirm", pe.carl, nil); r.Status != 200 || r.JSON()["status"] != "paid" {
				t.Errorf("confirm: %d %s", r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	// Stripe's webhook for the same payment, twice (it delivers at least once): nothing more.
	paid := map[string]any{"id": session, "object": "checkout.session", "status": "complete", "payment_status": "paid", "amount_total": 50_000, "currency": "eur"}
	for range 2 {
		if r := pe.webhook(signedEvent(t, webhookSecret, "checkout.session.completed", paid)); r.Status != 200 {
			t.Fatalf("the webhook: %d %s", r.Status, r.Body)
		}
	}
	ps := payments(t, env, pe.bea, pe.invoice)
	if len(ps) != 1 || ps[0].(map[string]any)["method"] != "stripe" || ps[0].(map[string]any)["amount"].(float64) != 50_000 {
		t.Fatalf("payments after confirming: %v", ps)
	}
	if log := string(env.Do("GET", "/api/audit", pe.owner, nil).Body); strings.Count(log, `"invoice.payment"`) != 1 || strings.Contains(log, "payment_excess") {
		t.Errorf("one payment, confirmed ten times, is logged as %d payments (excess noted: %v)", strings.Count(log, `"invoice.payment"`), strings.Contains(log, "payment_excess"))
	}
	if r := env.Do("GET", "/api/invoices/"+pe.invoice, pe.bea, nil); r.JSON()["status"] != "paid" || r.JSON()["balance"].(float64) != 0 {
		t.Errorf("the bookkeeper's invoice: %s", r.Body)
	}
	// A paid invoice is not paid again.
	if r := env.DoWithHeaders("POST", "/api/invoices/"+pe.invoice+"/checkout", pe.carl, nil, browser(pe.env)); r.Status != 409 {
		t.Errorf("checkout of a paid invoice: %d %s", r.Status, r.Body)
	}
	// Disconnecting forgets the keys.
	if r := env.Do("PUT", "/api/settings/payments", pe.owner, map[string]any{"enabled": false}); r.Status != 200 || r.JSON()["secretKeySet"] != false || r.JSON()["gateway"] != "" {
		t.Errorf("disconnect: %d %s", r.Status, r.Body)
	}
}

// An unpaid session (Stripe's fixture: open and unpaid) counts nothing, whoever asks.
func TestStripeUnpaidSessionCountsNothing(t *testing.T) {
	s := stripemock.Start(t)
	pe := newPayEnv(t, s, 12_345)
	pe.connect(t)
	session := pe.checkout(t, pe.carl)
	before := pe.env.Snapshot()
	if r := pe.env.Do("POST", "/api/checkout/"+session+"/confirm", pe.carl, nil); r.Status != 409 || r.ErrCode() != "not_paid" {
		t.Errorf("confirming an unpaid session: %d %s", r.Status, r.Body)
	}
	if pe.env.Snapshot() != before {
		t.Error("an unpaid session changed the database")
	}
}

func signedEvent(t *testing.T, secret, typ string, sess map[string]any) (payload []byte, header string) {
	t.Helper()
	obj, _ := json.Marshal(sess)
	payload, err := json.Marshal(map[string]any{"id": "evt_test", "object": "event", "api_version": stripe.APIVersion, "created": time.Now().Unix(),
		"type": typ, "livemode": false, "data": map[string]json.RawMessage{"object": obj}})
	if err != nil {
		t.Fatal(err)
	}
	signed := stripe.GenerateTestSignedPayload(&stripe.UnsignedPayload{Payload: payload, Secret: secret})
	return signed.Payload, signed.Header
}

func (pe *payEnv) webhook(payload []byte, header string) *testkit.Resp {
	return pe.env.DoWithHeaders("POST", "/api/payments/stripe/webhook", "", payload, map[string]string{"Stripe-Signature": header})
}

// The webhook: a signed, paid checkout.session.completed counts its payment once; a bad
// signature, a changed body, an unpaid session or a session not started here count nothing.
func TestStripeWebhookCountsSignedPaidEventsOnce(t *testing.T) {
	s := stripemock.Start(t)
	pe := newPayEnv(t, s, 50_000)
	pe.connect(t)
	session := pe.checkout(t, pe.carl)
	paid := map[string]any{"id": session, "object": "checkout.session", "status": "complete", "payment_status": "paid", "amount_total": 20_000, "currency": "eur"}

	before := pe.env.Snapshot()
	payload, header := signedEvent(t, "whsec_someone_else", "checkout.session.completed", paid)
	if r := pe.webhook(payload, header); r.Status != 422 || r.ErrCode() != "bad_signature" {
		t.Errorf("an event signed with another secret: %d %s", r.Status, r.Body)
	}
	payload, header = signedEvent(t, webhookSecret, "checkout.session.completed", paid)
	if r := pe.webhook(bytes.Replace(payload, []byte("20000"), []byte("90000"), 1), header); r.Status != 422 {
		t.Errorf("a changed event: %d %s", r.Status, r.Body)
	}
	unpaid := map[string]any{"id": session, "object": "checkout.session", "status": "complete", "payment_status": "unpaid", "amount_total": 20_000, "currency": "eur"}
	if r := pe.webhook(signedEvent(t, webhookSecret, "checkout.session.completed", unpaid)); r.Status != 200 {
		t.Errorf("an unpaid session's event: %d %s", r.Status, r.Body)
	}
	stranger := map[string]any{"id": "cs_test_not_ours", "object": "checkout.session", "status": "complete", "payment_status": "paid", "amount_total": 20_000, "currency": "eur"}
	if r := pe.webhook(signedEvent(t, webhookSecret, "checkout.session.completed", stranger)); r.Status != 200 {
		t.Errorf("another shop's session: %d %s", r.Status, r.Body)
	}
	if pe.env.Snapshot() != before {
		t.Error("events that count nothing changed the database")
	}
	// Stripe delivers at least once: the same event twice counts once. Partly paid.
	for range 2 {
		if r := pe.webhook(payload, header); r.Status != 200 {
			t.Fatalf("the event: %d %s", r.Status, r.Body)
		}
	}
	if ps := payments(t, pe.env, pe.bea, pe.invoice); len(ps) != 1 || ps[0].(map[string]any)["amount"].(float64) != 20_000 {
		t.Errorf("payments: %v", ps)
	}
	if r := pe.env.Do("GET", "/api/invoices/"+pe.invoice, pe.carl, nil); r.JSON()["status"] != "partly_paid" || r.JSON()["balance"].(float64) != 30_000 {
		t.Errorf("the client's invoice: %s", r.Body)
	}
}

// Sending an invoice mails it, with its PDF, to the company's portal people.
func TestSentInvoiceIsMailedWithItsPDF(t *testing.T) {
	srv := startSMTP(t)
	env, owner := mailEnv(t, srv)
	book := templateRole(t, env, owner, "bookkeeper")
	env.CreateUser(owner, "Bea Books", "bea@acme.test", book, initialPW)
	bea := env.SignInFresh("bea@acme.test", initialPW, ownPW)
	carlID := env.CreateUser(owner, "Carl Client", "carl@acme.example", "client", initialPW)
	co := env.Do("GET", "/api/users/"+carlID, owner, nil).JSON()["companyId"].(string)
	allSent(t, env, owner)
	seen := len(srv.Messages())
	issuer(t, env, bea)
	id := mustID(t, env.Do("POST", "/api/invoices", bea, map[string]any{"companyId": co,
		"lines": []map[string]any{{"description": "Logo design", "quantityMilli": 2000, "unitPrice": 45_000, "taxRateBP": 2000}}}))
	r := env.Do("POST", "/api/invoices/"+id+"/send", bea, nil)
	if r.Status != 200 || len(r.JSON()["mailedTo"].([]any)) != 1 || r.JSON()["mailedTo"].([]any)[0] != "Carl Client" {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	number := r.JSON()["number"].(string)
	msgs, err := srv.Wait(seen+1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[len(msgs)-1]
	if m.To[0] != "carl@acme.example" || m.Subject != "Invoice "+number+" from Acme Studio Ltd" {
		t.Fatalf("the mail: to %v subject %q", m.To, m.Subject)
	}
	pdf := attachment(t, m.Raw, "application/pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the attachment is not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	// The same PDF the invoice page downloads: its number and total in it.
	dl := env.Do("GET", "/api/invoices/"+id+"/pdf", bea, nil)
	if dl.Status != 200 || dl.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(dl.Header.Get("Content-Disposition"), "Invoice "+number+".pdf") {
		t.Errorf("download: %d %v", dl.Status, dl.Header)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := pdfToText(t, pdf)
		for _, want := range []string{number, "Acme Studio Ltd", "Logo design", "1,080.00"} {
			if !strings.Contains(text, want) {
				t.Errorf("the mailed PDF lacks %q:\n%s", want, text)
			}
		}
	}
	allSent(t, env, owner)
}

// attachment returns the decoded part of a MIME message with the content type ct.
func attachment(t *testing.T, raw, ct string) []byte {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(h map[string][]string, body io.Reader) []byte
	walk = func(h map[string][]string, body io.Reader) []byte {
		mt, params, _ := mime.ParseMediaType(first(h["Content-Type"]))
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return nil
				}
				if b := walk(p.Header, p); b != nil {
					return b
				}
			}
		}
		if mt != ct {
			return nil
		}
		b, _ := io.ReadAll(body)
		if strings.EqualFold(first(h["Content-Transfer-Encoding"]), "base64") {
			d, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		return b
	}
	b := walk(msg.Header, msg.Body)
	if b == nil {
		t.Fatalf("no %s part in the mail:\n%s", ct, raw[:min(len(raw), 2000)])
	}
	return b
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// countingSecrets counts the reads of the secret store.
type countingSecrets struct {
	secrets.Store
	gets atomic.Int64
}

func (c *countingSecrets) Get(key string) (string, error) {
	c.gets.Add(1)
	return c.Store.Get(key)
}

// The webhook is public: with no gateway, or a header that is no signature, it never reaches
// the keychain; with one, the signing secret is read once, not per event.
func TestStripeWebhookSparesTheKeychain(t *testing.T) {
	s := stripemock.Start(t)
	sec := &countingSecrets{Store: secrets.NewKeychain(secrets.Service, 0)}
	env := testkit.Start(t, testkit.Options{StripeAPIURL: s.URL(), Secrets: sec})
	owner := env.Setup()
	pe := &payEnv{env: env, owner: owner}
	payload, header := signedEvent(t, webhookSecret, "checkout.session.completed", map[string]any{"id": "cs_test_x", "object": "checkout.session"})
	before := sec.gets.Load()
	for range 20 {
		if r := pe.webhook(payload, header); r.Status != 404 {
			t.Fatalf("an event with no gateway: %d %s", r.Status, r.Body)
		}
	}
	pe.connect(t)
	for range 20 {
		if r := pe.webhook(payload, "not a signature"); r.Status != 422 {
			t.Fatalf("an event without a signature: %d %s", r.Status, r.Body)
		}
	}
	mid := sec.gets.Load()
	for range 20 {
		if r := pe.webhook(payload, header); r.Status != 200 {
			t.Fatalf("a signed event: %d %s", r.Status, r.Body)
		}
	}
	// connect reads the settings back (two reads); the events, one read in all.
	if got := sec.gets.Load(); mid-before > 2 || got-mid != 1 {
		t.Errorf("keychain reads: %d before the gateway and unsigned events (want at most 2, from connecting), %d for 20 signed events (want 1)", mid-before, got-mid)
	}
}

// A sent invoice is printed as it was issued: changing the invoice details later changes
// the next invoices only; the activity log says what changed, from what to what.
func TestSentInvoiceKeepsItsIssuer(t *testing.T) {
	s := stripemock.Start(t)
	pe := newPayEnv(t, s, 10_000) // sent as "Acme Studio Ltd"
	if r := pe.env.Do("PUT", "/api/invoicing/settings", pe.bea, map[string]any{"issuerName": "Bea Books Offshore"}); r.Status != 200 {
		t.Fatalf("invoice details: %d %s", r.Status, r.Body)
	}
	log := string(pe.env.Do("GET", "/api/audit", pe.owner, nil).Body)
	if !strings.Contains(log, `"from":"Acme Studio Ltd"`) || !strings.Contains(log, `"to":"Bea Books Offshore"`) {
		t.Errorf("the activity log does not say what the invoice details were and became")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	pdf := pe.env.Do("GET", "/api/invoices/"+pe.invoice+"/pdf", pe.carl, nil)
	if text := pdfToText(t, pdf.Body); !strings.Contains(text, "Acme Studio Ltd") || strings.Contains(text, "Offshore") {
		t.Errorf("the sent invoice's PDF after the details changed:\n%s", text)
	}
	draft := mustID(t, pe.env.Do("POST", "/api/invoices", pe.bea, map[string]any{"companyId": pe.carlCo,
		"lines": []map[string]any{{"description": "More", "quantityMilli": 1000, "unitPrice": 100, "taxRateBP": 0}}}))
	if text := pdfToText(t, pe.env.Do("GET", "/api/invoices/"+draft+"/pdf", pe.bea, nil).Body); !strings.Contains(text, "Bea Books Offshore") {
		t.Errorf("a draft is not printed with the details as they are:\n%s", text)
	}
}
