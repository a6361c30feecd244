package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"gatehouse/backend/testkit"
)

// The money routes × every built-in and template role (and a deactivated user, and no
// session): invoices, their PDF, payments, the gateway, revenue and the invoicing menu.
// Expected answers follow from each role's permissions; a client sees only their own
// company's sent invoices; every denied call leaves the database as it was.
func TestMoneyMatrixOverHTTP(t *testing.T) {
	env, owner, _, subjects := matrixSubjects(t)
	lines := []map[string]any{{"description": "Work", "quantityMilli": 1000, "unitPrice": 10_000, "taxRateBP": 0}}
	issuer(t, env, owner)
	other := mustID(t, env.Do("POST", "/api/companies", owner, map[string]any{"name": "Someone Else Ltd"}))
	// invoice makes an invoice for company, sent unless draft.
	invoice := func(company string, draft bool) string {
		t.Helper()
		id := mustID(t, env.Do("POST", "/api/invoices", owner, map[string]any{"companyId": company, "lines": lines}))
		if !draft {
			if r := env.Do("POST", "/api/invoices/"+id+"/send", owner, nil); r.Status != 200 {
				t.Fatalf("send: %d %s", r.Status, r.Body)
			}
		}
		return id
	}
	n := 0
	check := func(t *testing.T, s *subject, what string, want int, do func() *testkit.Resp) {
		t.Helper()
		before := env.Snapshot()
		r := do()
		n++
		if r.Status != want && !(want == 200 && r.Status >= 200 && r.Status < 300) {
			t.Errorf("%s: %s → %d %s, want %d", s.name, what, r.Status, r.Body, want)
		}
		if r.Status >= 400 && env.Snapshot() != before {
			t.Errorf("%s: refused %s changed the database", s.name, what)
		}
	}
	for _, s := range subjects {
		t.Run(s.name, func(t *testing.T) {
			g := s.grants
			signedIn := g != nil
			var me map[string]any
			client := false
			company := other
			if signedIn {
				me = env.Do("GET", "/api/me", s.token, nil).JSON()
				client = me["role"].(map[string]any)["kind"] == "client"
				if c, _ := me["user"].(map[string]any)["companyId"].(string); client && c != "" {
					company = c
				}
			}
			// want: 401 without a session; else ok → 200, else the refusal.
			want := func(ok bool, refusal int) int {
				switch {
				case !signedIn:
					return http.StatusUnauthorized
				case ok:
					return 200
				}
				return refusal
			}
			views := has(g, "invoices.view")
			team := views && !client && g["invoices.view"] == "all"
			seesSent := team || (client && views) // a client: their own company's sent invoices
			may := func(key string) bool { return !client && has(g, key) }
			// on is the answer to an act needing key on an invoice the subject sees (or not).
			on := func(sees bool, ok bool) int {
				switch {
				case !signedIn:
					return 401
				case !sees:
					return 404
				case !ok:
					return 403
				}
				return 200
			}

			sent, draft, theirs := invoice(company, false), invoice(company, true), invoice(other, false)
			spare, toVoid := invoice(company, true), invoice(company, false)
			if company == other {
				theirs = sent // an internal subject: every invoice is the same to them
			}
			check(t, s, "GET /api/invoices", want(views, 403), func() *testkit.Resp { return env.Do("GET", "/api/invoices", s.token, nil) })
			if signedIn && views {
				var list struct {
					Items []map[string]any `json:"items"`
				}
				env.Do("GET", "/api/invoices", s.token, nil).Decode(t, &list)
				ids := []string{}
				for _, it := range list.Items {
					ids = append(ids, it["id"].(string))
				}
				if slices.Contains(ids, draft) != team || slices.Contains(ids, sent) != seesSent || (client && slices.Contains(ids, theirs) && theirs != sent) {
					t.Errorf("%s: the list shows draft %v sent %v another company's %v", s.name, slices.Contains(ids, draft), slices.Contains(ids, sent), slices.Contains(ids, theirs))
				}
			}
			check(t, s, "GET /api/invoices/{sent}", on(seesSent, true), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+sent, s.token, nil) })
			check(t, s, "GET /api/invoices/{sent}/pdf", on(seesSent, true), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+sent+"/pdf", s.token, nil) })
			check(t, s, "GET /api/invoices/{draft}", on(team, true), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+draft, s.token, nil) })
			if client {
				check(t, s, "GET another company's invoice", on(false, false), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+theirs, s.token, nil) })
				check(t, s, "GET another company's PDF", on(false, false), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+theirs+"/pdf", s.token, nil) })
				check(t, s, "GET another company's payments", on(false, false), func() *testkit.Resp { return env.Do("GET", "/api/invoices/"+theirs+"/payments", s.token, nil) })
			}
			check(t, s, "POST /api/invoices", want(may("invoices.create"), 403), func() *testkit.Resp {
				return env.Do("POST", "/api/invoices", s.token, map[string]any{"companyId": company, "lines": lines})
			})
			check(t, s, "PATCH /api/invoices/{draft}", on(team, may("invoices.edit")), func() *testkit.Resp {
				return env.Do("PATCH", "/api/invoices/"+draft, s.token, map[string]any{"notes": "changed"})
			})
			check(t, s, "POST /api/invoices/{draft}/send", on(team, may("invoices.send")), func() *testkit.Resp {
				return env.Do("POST", "/api/invoices/"+draft+"/send", s.token, nil)
			})
			check(t, s, "DELETE /api/invoices/{draft}", on(team, may("invoices.delete")), func() *testkit.Resp {
				return env.Do("DELETE", "/api/invoices/"+spare, s.token, nil)
			})
			check(t, s, "POST /api/invoices/{sent}/void", on(seesSent, may("invoices.send")), func() *testkit.Resp {
				return env.Do("POST", "/api/invoices/"+toVoid+"/void", s.token, nil)
			})
			check(t, s, "GET /api/invoices/{sent}/payments", on(seesSent, may("payments.view")), func() *testkit.Resp {
				return env.Do("GET", "/api/invoices/"+sent+"/payments", s.token, nil)
			})
			check(t, s, "POST /api/invoices/{sent}/payments", on(seesSent, may("invoices.edit")), func() *testkit.Resp {
				return env.Do("POST", "/api/invoices/"+sent+"/payments", s.token, map[string]any{"amount": 100, "method": "cash"})
			})
			// Paying: the invoice's own client holding invoices.pay gets as far as the
			// gateway (none is connected: 409 no_gateway); everyone else is refused first.
			pay := on(seesSent, client && has(g, "invoices.pay"))
			if pay == 200 {
				pay = 409
			}
			check(t, s, "POST /api/invoices/{sent}/checkout", pay, func() *testkit.Resp {
				return env.DoWithHeaders("POST", "/api/invoices/"+sent+"/checkout", s.token, nil, browser(env))
			})
			check(t, s, "POST /api/checkout/{unknown}/confirm", want(false, 404), func() *testkit.Resp {
				return env.Do("POST", "/api/checkout/cs_test_nothing/confirm", s.token, nil)
			})
			check(t, s, "GET /api/invoicing/settings", want(views, 403), func() *testkit.Resp { return env.Do("GET", "/api/invoicing/settings", s.token, nil) })
			check(t, s, "PUT /api/invoicing/settings", want(may("invoices.edit"), 403), func() *testkit.Resp {
				return env.Do("PUT", "/api/invoicing/settings", s.token, map[string]any{"issuerName": "Acme Studio Ltd"})
			})
			integrations := has(g, "settings.integrations")
			check(t, s, "GET /api/settings/payments", want(integrations, 403), func() *testkit.Resp { return env.Do("GET", "/api/settings/payments", s.token, nil) })
			check(t, s, "PUT /api/settings/payments", want(integrations, 403), func() *testkit.Resp {
				return env.Do("PUT", "/api/settings/payments", s.token, map[string]any{"enabled": false})
			})
			check(t, s, "GET /api/revenue", want(may("revenue.view"), 403), func() *testkit.Resp { return env.Do("GET", "/api/revenue", s.token, nil) })
			check(t, s, "GET /api/revenue.csv", want(may("revenue.view"), 403), func() *testkit.Resp { return env.Do("GET", "/api/revenue.csv", s.token, nil) })

			// The menu: Invoicing exactly for who sees invoices.
			if signedIn {
				keys := []string{}
				for _, it := range me["nav"].([]any) {
					keys = append(keys, it.(map[string]any)["key"].(string))
				}
				if slices.Contains(keys, "invoicing") != views {
					t.Errorf("%s: the menu %v, invoices.view %v", s.name, keys, views)
				}
				if s.name == "Bookkeeper" && fmt.Sprint(keys) != "[invoicing users]" {
					t.Errorf("the Bookkeeper's menu is %v, want Invoicing and the client list only", keys)
				}
			}
		})
	}
	t.Logf("%d calls checked", n)
}
