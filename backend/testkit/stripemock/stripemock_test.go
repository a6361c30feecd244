package stripemock_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"gatehouse/backend/testkit/stripemock"
)

// client is stripe-go pointed at the mock: every request goes to 127.0.0.1, none retried.
func client(s *stripemock.Server) *stripe.Client {
	backends := stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(s.URL()),
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull}, // the tests check the errors
	})
	return stripe.NewClient(stripemock.APIKey, stripe.WithBackends(backends))
}

func checkoutParams() *stripe.CheckoutSessionCreateParams {
	return &stripe.CheckoutSessionCreateParams{
		Mode: stripe.String(string(stripe.CheckoutSessionModePayment)),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:   stripe.String(string(stripe.CurrencyEUR)),
				UnitAmount: stripe.Int64(123_45),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{
					Name: stripe.String("Invoice 2026-0001"),
				},
			},
			Quantity: stripe.Int64(1),
		}},
		SuccessURL:        stripe.String("http://127.0.0.1:8787/pay/done?session_id={CHECKOUT_SESSION_ID}"),
		CancelURL:         stripe.String("http://127.0.0.1:8787/pay/cancelled"),
		ClientReferenceID: stripe.String("inv_42"),
	}
}

func TestCheckoutSession(t *testing.T) {
	s := stripemock.Start(t)
	if !strings.HasPrefix(s.Version(), "v") {
		t.Errorf("version %q", s.Version())
	}
	sc := client(s)
	ctx := context.Background()

	cs, err := sc.V1CheckoutSessions.Create(ctx, checkoutParams())
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !strings.HasPrefix(cs.ID, "cs_") || cs.URL == "" {
		t.Errorf("id %q url %q", cs.ID, cs.URL)
	}
	// Fixture values: a new session is open and unpaid, in payment mode.
	if cs.Mode != stripe.CheckoutSessionModePayment || cs.Status != stripe.CheckoutSessionStatusOpen ||
		cs.PaymentStatus != stripe.CheckoutSessionPaymentStatusUnpaid {
		t.Errorf("mode %q status %q payment_status %q", cs.Mode, cs.Status, cs.PaymentStatus)
	}
	// Top-level scalar parameters are reflected into the answer.
	if cs.ClientReferenceID != "inv_42" || cs.SuccessURL != *checkoutParams().SuccessURL {
		t.Errorf("client_reference_id %q success_url %q", cs.ClientReferenceID, cs.SuccessURL)
	}

	got, err := sc.V1CheckoutSessions.Retrieve(ctx, cs.ID, nil)
	if err != nil {
		t.Fatalf("retrieve: %v", err)
	}
	// Stateless: the ID asked for comes back, the rest is the fixture again.
	if got.ID != cs.ID || got.Status != stripe.CheckoutSessionStatusOpen {
		t.Errorf("retrieved id %q status %q", got.ID, got.Status)
	}

	// Parameters are checked against Stripe's specification: a wrong one is a 400.
	bad := checkoutParams()
	bad.Mode = stripe.String("pay_later")
	_, err = sc.V1CheckoutSessions.Create(ctx, bad)
	var se *stripe.Error
	if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusBadRequest || se.Type != stripe.ErrorTypeInvalidRequest {
		t.Errorf("mode pay_later: %v", err)
	}
}

// TestPaidFixture shows the way to a paid session: the mock answers what its fixtures say.
func TestPaidFixture(t *testing.T) {
	s := stripemock.StartWith(t, stripemock.Options{Fixtures: map[string]map[string]any{
		"checkout.session": {"status": "complete", "payment_status": "paid", "amount_total": 123_45, "currency": "eur"},
	}})
	cs, err := client(s).V1CheckoutSessions.Retrieve(context.Background(), "cs_test_paid", nil)
	if err != nil {
		t.Fatalf("retrieve: %v", err)
	}
	if cs.ID != "cs_test_paid" || cs.Status != stripe.CheckoutSessionStatusComplete ||
		cs.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid || cs.AmountTotal != 123_45 || cs.Currency != stripe.CurrencyEUR {
		t.Errorf("id %q status %q payment_status %q amount %d %s", cs.ID, cs.Status, cs.PaymentStatus, cs.AmountTotal, cs.Currency)
	}
}

// TestSignedWebhook: stripe-mock sends no webhooks, so a test builds the event, signs it
// as Stripe does (the Stripe-Signature header) and hands it to the handler under test;
// stripe.ConstructEvent is what that handler verifies it with.
func TestSignedWebhook(t *testing.T) {
	s := stripemock.Start(t)
	cs, err := client(s).V1CheckoutSessions.Create(context.Background(), checkoutParams())
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	cs.Status, cs.PaymentStatus = stripe.CheckoutSessionStatusComplete, stripe.CheckoutSessionPaymentStatusPaid
	obj, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(map[string]any{
		"id":          "evt_test_1",
		"object":      "event",
		"api_version": stripe.APIVersion, // ConstructEvent refuses another release train
		"created":     time.Now().Unix(),
		"type":        stripe.EventTypeCheckoutSessionCompleted,
		"livemode":    false,
		"data":        map[string]json.RawMessage{"object": obj},
	})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "whsec_test_secret"
	signed := stripe.GenerateTestSignedPayload(&stripe.UnsignedPayload{Payload: payload, Secret: secret})
	// signed.Header goes in the request's Stripe-Signature header.

	ev, err := stripe.ConstructEvent(signed.Payload, signed.Header, secret)
	if err != nil {
		t.Fatalf("construct event: %v", err)
	}
	var got stripe.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &got); err != nil {
		t.Fatal(err)
	}
	if ev.Type != stripe.EventTypeCheckoutSessionCompleted || got.ID != cs.ID ||
		got.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid || got.ClientReferenceID != "inv_42" {
		t.Errorf("event %q session %q %q %q", ev.Type, got.ID, got.PaymentStatus, got.ClientReferenceID)
	}

	// What a handler must refuse: another secret, a changed body, an old signature.
	if _, err := stripe.ConstructEvent(signed.Payload, signed.Header, "whsec_other"); err == nil {
		t.Error("accepted under another secret")
	}
	tampered := []byte(strings.Replace(string(payload), `"paid"`, `"unpaid"`, 1))
	if _, err := stripe.ConstructEvent(tampered, signed.Header, secret); err == nil {
		t.Error("accepted a changed body")
	}
	old := stripe.GenerateTestSignedPayload(&stripe.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now().Add(-time.Hour)})
	if _, err := stripe.ConstructEvent(old.Payload, old.Header, secret); err == nil {
		t.Error("accepted a signature an hour old")
	}
}
