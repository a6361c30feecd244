package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Invoices: drafts edited freely, numbers without gaps on sending, totals in minor units,
// states from payments and dates; clients see their own company's sent invoices only; a
// Bookkeeper makes and sends them and records payments; concurrent payments never overpay.
func TestInvoices(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	book := templateRole(t, env, owner, "bookkeeper")
	env.CreateUser(owner, "Bea Books", "bea@acme.test", book, initialPW)
	bea := env.SignInFresh("bea@acme.test", initialPW, ownPW)
	carlID := env.CreateUser(owner, "Carl Client", "carl@acme.example", "client", initialPW)
	doraID := env.CreateUser(owner, "Dora Client", "dora@other.example", "client", initialPW)
	carl := env.SignInFresh("carl@acme.example", initialPW, ownPW)
	dora := env.SignInFresh("dora@other.example", initialPW, ownPW)
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	carlCo := env.Do("GET", "/api/users/"+carlID, owner, nil).JSON()["companyId"].(string)
	_ = doraID

	lines := []map[string]any{
		{"description": "Design work", "quantityMilli": 12_500, "unitPrice": 8_000, "taxRateBP": 2_000}, // 12.5 h × €80 = €1,000 + 20 %
		{"description": "Hosting", "quantityMilli": 1_000, "unitPrice": 1_999, "taxRateBP": 0},
	}
	draft := env.Do("POST", "/api/invoices", bea, map[string]any{"companyId": carlCo, "lines": lines})
	if draft.Status != 201 {
		t.Fatalf("draft: %d %s", draft.Status, draft.Body)
	}
	d := draft.JSON()
	if d["number"] != "" || d["status"] != "draft" || d["total"].(float64) != 100_000+20_000+1_999 {
		t.Fatalf("the draft: %v", d)
	}
	id := d["id"].(string)
	// A client never sees a draft; staff see no invoices at all.
	if r := env.Do("GET", "/api/invoices/"+id, carl, nil); r.Status != 404 {
		t.Errorf("client reads a draft: %d", r.Status)
	}
	if r := env.Do("GET", "/api/invoices", sam, nil); r.Status != 403 {
		t.Errorf("staff lists invoices: %d", r.Status)
	}
	// Bad input changes nothing.
	before := env.Snapshot()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"companyId": "nope", "lines": lines}, "companyId"},
		{map[string]any{"companyId": carlCo, "lines": []map[string]any{{"description": "x", "quantityMilli": 0, "unitPrice": 1, "taxRateBP": 0}}}, "lines[0].quantityMilli"},
		{map[string]any{"companyId": carlCo, "lines": []map[string]any{{"description": "x", "quantityMilli": 1, "unitPrice": -1, "taxRateBP": 0}}}, "lines[0].unitPrice"},
		{map[string]any{"companyId": carlCo, "lines": []map[string]any{{"description": "x", "quantityMilli": 1, "unitPrice": 1, "taxRateBP": 10_001}}}, "lines[0].taxRateBP"},
		{map[string]any{"companyId": carlCo, "lines": []map[string]any{{"description": " ", "quantityMilli": 1, "unitPrice": 1, "taxRateBP": 0}}}, "lines[0].description"},
		{map[string]any{"companyId": carlCo, "dueDate": "31/12/2026"}, "dueDate"},
	} {
		if r := env.Do("POST", "/api/invoices", bea, c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("%v: %d %s", c.field, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Error("refused invoices changed the database")
	}
	// Not sent before the invoice details name the organisation (printed on every PDF).
	before = env.Snapshot()
	if r := env.Do("POST", "/api/invoices/"+id+"/send", bea, nil); r.Status != 422 || r.ErrField() != "issuerName" {
		t.Errorf("sending with no issuer: %d %s", r.Status, r.Body)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"issuerEmail": "not an address"}, "issuerEmail"},
		{map[string]any{"issuerName": strings.Repeat("x", 201)}, "issuerName"},
		{map[string]any{"issuerName": "Acme\u202eevil"}, "issuerName"},
	} {
		if r := env.Do("PUT", "/api/invoicing/settings", bea, c.body); r.Status != 422 || r.ErrField() != c.field {
			t.Errorf("invoice details %v: %d %s", c.body, r.Status, r.Body)
		}
	}
	if r := env.Do("PUT", "/api/invoicing/settings", sam, map[string]any{"issuerName": "Sam's"}); r.Status != 403 {
		t.Errorf("staff change the invoice details: %d", r.Status)
	}
	if r := env.Do("PUT", "/api/invoicing/settings", carl, map[string]any{"issuerName": "Carl's"}); r.Status != 403 {
		t.Errorf("a client changes the invoice details: %d", r.Status)
	}
	if env.Snapshot() != before {
		t.Error("refused sending or invoice details changed the database")
	}
	set := env.Do("PUT", "/api/invoicing/settings", bea, map[string]any{"issuerName": "Acme Studio Ltd", "issuerEmail": "billing@acme.test",
		"issuerAddress": "1 Main Street\nSpringfield", "paymentInstructions": "Bank transfer to IBAN DE00 1234"})
	if set.Status != 200 || set.JSON()["canEdit"] != true || set.JSON()["gateway"] != "" {
		t.Fatalf("invoice details: %d %s", set.Status, set.Body)
	}
	if r := env.Do("GET", "/api/invoicing/settings", carl, nil); r.Status != 200 || r.JSON()["canEdit"] != false ||
		r.JSON()["paymentInstructions"] != "Bank transfer to IBAN DE00 1234" {
		t.Errorf("a client reads how to pay: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/invoicing/settings", sam, nil); r.Status != 403 {
		t.Errorf("staff read the invoice details: %d", r.Status)
	}
	// Sending numbers it; a second invoice takes the next number; a draft keeps none.
	sent := env.Do("POST", "/api/invoices/"+id+"/send", bea, nil)
	year := sent.JSON()["issueDate"].(string)[:4]
	if sent.Status != 200 || sent.JSON()["number"] != year+"-0001" || sent.JSON()["status"] != "sent" || sent.JSON()["dueDate"] == "" {
		t.Fatalf("send: %d %s", sent.Status, sent.Body)
	}
	empty := mustID(t, env.Do("POST", "/api/invoices", bea, map[string]any{"companyId": carlCo}))
	if r := env.Do("POST", "/api/invoices/"+empty+"/send", bea, nil); r.Status != 422 || r.ErrField() != "lines" {
		t.Errorf("sending an empty draft: %d %s", r.Status, r.Body)
	}
	second := mustID(t, env.Do("POST", "/api/invoices", bea, map[string]any{"companyId": carlCo, "lines": lines[1:]}))
	if r := env.Do("POST", "/api/invoices/"+second+"/send", bea, nil); r.JSON()["number"] != year+"-0002" {
		t.Errorf("the second number: %s (a refused send must not take a number)", r.Body)
	}
	if r := env.Do("PATCH", "/api/invoices/"+id, bea, map[string]any{"notes": "changed"}); r.Status != 409 || r.ErrCode() != "not_draft" {
		t.Errorf("editing a sent invoice: %d %s", r.Status, r.Body)
	}
	// The client sees their own company's sent invoices; another client sees none of them.
	if r := env.Do("GET", "/api/invoices", carl, nil); r.Status != 200 || !strings.Contains(string(r.Body), id) || strings.Contains(string(r.Body), empty) {
		t.Errorf("the client's invoices: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/api/invoices/" + id, "/api/invoices/" + id + "/payments"} {
		if r := env.Do("GET", path, dora, nil); r.Status != 404 {
			t.Errorf("another company's client GET %s: %d", path, r.Status)
		}
	}
	if r := env.Do("GET", "/api/invoices", dora, nil); strings.Contains(string(r.Body), id) {
		t.Errorf("another company's invoice listed: %s", r.Body)
	}
	if r := env.Do("POST", "/api/invoices/"+id+"/payments", carl, map[string]any{"amount": 1, "method": "cash"}); r.Status != 403 {
		t.Errorf("a client records a payment: %d", r.Status)
	}
	// Payments: twenty at once, each a tenth of the total, never more than is owed.
	total := int64(sent.JSON()["total"].(float64))
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = env.Do("POST", "/api/invoices/"+id+"/payments", bea, map[string]any{"amount": total / 10, "method": "bank_transfer", "reference": fmt.Sprint("T", i)}).Status
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 201 {
			ok++
		}
	}
	got := env.Do("GET", "/api/invoices/"+id, bea, nil).JSON()
	if ok != 10 || got["paid"].(float64) > float64(total) || got["status"] != "partly_paid" && got["balance"].(float64) != float64(total%10) {
		t.Errorf("%d of 20 concurrent payments taken; the invoice: paid %v of %d, %v", ok, got["paid"], total, got["status"])
	}
	if rest := int64(got["balance"].(float64)); rest > 0 {
		env.Do("POST", "/api/invoices/"+id+"/payments", bea, map[string]any{"amount": rest, "method": "cash"})
	}
	if r := env.Do("GET", "/api/invoices/"+id, carl, nil).JSON(); r["status"] != "paid" || r["balance"].(float64) != 0 {
		t.Errorf("paid, as the client sees it: %v", r)
	}
	if r := env.Do("POST", "/api/invoices/"+id+"/void", bea, nil); r.Status != 409 {
		t.Errorf("voiding a paid invoice: %d", r.Status)
	}
	if r := env.Do("POST", "/api/invoices/"+second+"/void", bea, nil); r.Status != 200 || r.JSON()["status"] != "void" {
		t.Errorf("void: %d %s", r.Status, r.Body)
	}
	// The audit log's invoice entries go to those who see invoices and client activity.
	if r := string(env.Do("GET", "/api/audit", owner, nil).Body); !strings.Contains(r, "invoice.payment") {
		t.Errorf("the owner's activity lacks the payments")
	}
}

// Revenue: invoiced, paid and outstanding by month and client, to revenue.view holders only;
// the CSV quotes what a spreadsheet would run.
func TestRevenue(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	book := templateRole(t, env, owner, "bookkeeper")
	env.CreateUser(owner, "Bea Books", "bea@acme.test", book, initialPW)
	bea := env.SignInFresh("bea@acme.test", initialPW, ownPW)
	env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	co := mustID(t, env.Do("POST", "/api/companies", owner, map[string]any{"name": "=HYPERLINK(evil)"}))
	issuer(t, env, bea)
	id := mustID(t, env.Do("POST", "/api/invoices", bea, map[string]any{"companyId": co,
		"lines": []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 50_000, "taxRateBP": 0}}}))
	sent := env.Do("POST", "/api/invoices/"+id+"/send", bea, nil).JSON()
	env.Do("POST", "/api/invoices/"+id+"/payments", bea, map[string]any{"amount": 20_000, "method": "cash"})
	month := sent["issueDate"].(string)[:7]
	r := env.Do("GET", "/api/revenue", bea, nil)
	if r.Status != 200 {
		t.Fatalf("revenue: %d %s", r.Status, r.Body)
	}
	got := r.JSON()
	months := got["months"].([]any)
	last := months[len(months)-1].(map[string]any)
	if len(months) != 12 || last["month"] != month || last["invoiced"].(float64) != 50_000 || last["paid"].(float64) != 20_000 ||
		last["outstanding"].(float64) != 30_000 {
		t.Errorf("months: %v", months)
	}
	// What was owed at the end of each month carries what came before the period.
	next := env.Do("GET", "/api/revenue?from="+nextMonth(t, month)+"&to="+nextMonth(t, month), bea, nil).JSON()["months"].([]any)[0].(map[string]any)
	if next["invoiced"].(float64) != 0 || next["outstanding"].(float64) != 30_000 {
		t.Errorf("the month after: %v", next)
	}
	if c := got["clients"].([]any)[0].(map[string]any); c["balance"].(float64) != 30_000 || c["name"] != "=HYPERLINK(evil)" {
		t.Errorf("clients: %v", c)
	}
	if r := env.Do("GET", "/api/revenue", sam, nil); r.Status != 403 {
		t.Errorf("staff reads revenue: %d", r.Status)
	}
	for _, q := range []string{"?from=2026-13&to=2026-12", "?from=2026-05&to=2026-01", "?from=1000-01&to=9000-01"} {
		if r := env.Do("GET", "/api/revenue"+q, bea, nil); r.Status != 422 {
			t.Errorf("%s: %d", q, r.Status)
		}
	}
	csv := env.Do("GET", "/api/revenue.csv", bea, nil)
	if csv.Status != 200 || !strings.Contains(string(csv.Body), month+",'=HYPERLINK(evil),EUR,50000,20000") {
		t.Errorf("csv: %d %s", csv.Status, csv.Body)
	}
}

// issuer names the organisation in the invoice details, which sending requires.
func issuer(t *testing.T, env *testkit.Env, token string) {
	t.Helper()
	if r := env.Do("PUT", "/api/invoicing/settings", token, map[string]any{"issuerName": "Acme Studio Ltd"}); r.Status != 200 {
		t.Fatalf("invoice details: %d %s", r.Status, r.Body)
	}
}

func nextMonth(t *testing.T, m string) string {
	t.Helper()
	d, err := time.Parse("2006-01", m)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 1, 0).Format("2006-01")
}
