// Package payments connects the payment gateway (Stripe Checkout) to invoices: an
// administrator connects it (Settings → Payments, settings.integrations; its secret key and
// webhook signing secret in the keychain, never in the database); a client starts paying
// their own open invoice (invoices.pay), which records a checkout session; the payment
// counts only when Stripe confirms it — a signed webhook event, or the session's status
// read back from Stripe when the client returns — never on the client's word, and once
// however many confirmations arrive (the session id is the payment's gateway reference).
package payments

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Service is the payment gateway.
type Service struct {
	store   *store.Store
	authz   *authz.Authorizer
	write   *write.Path
	secrets secrets.Store
	ns      string
	now     func() time.Time
	log     *slog.Logger
	// APIURL, when set, is where Stripe's API is asked instead of api.stripe.com (tests:
	// stripe-mock on 127.0.0.1).
	APIURL string
	// Today is the organisation's date (a payment is dated by it; UTC when unset).
	Today func() string

	mu sync.Mutex
	// hookSecret is the webhook signing secret once read from the keychain (the public
	// webhook must not reach the keychain per request); UpdateSettings forgets it.
	hookSecret string
	// refusedLogged is when a refused event was last logged (at most once a minute).
	refusedLogged time.Time
}

// webhookSecret is the signing secret, from memory or, the first time, the keychain.
func (s *Service) webhookSecret() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hookSecret != "" {
		return s.hookSecret, nil
	}
	secret, err := s.secrets.Get(s.webhookKeyName())
	if errors.Is(err, secrets.ErrNotFound) {
		return "", errNoEvents
	}
	if err != nil {
		return "", secrets.Explain(err)
	}
	s.hookSecret = secret
	return secret, nil
}

func (s *Service) forgetWebhookSecret() {
	s.mu.Lock()
	s.hookSecret = ""
	s.mu.Unlock()
}

// logRefused logs a refused event, at most once a minute (anyone can send them).
func (s *Service) logRefused(err error) {
	s.mu.Lock()
	now := s.now()
	due := now.Sub(s.refusedLogged) >= time.Minute
	if due {
		s.refusedLogged = now
	}
	s.mu.Unlock()
	if due {
		s.log.Warn("stripe: webhook event refused (further refusals this minute are not logged)", "err", err)
	}
}

// New returns the payment gateway of one data folder; ns is its keychain namespace.
func New(st *store.Store, az *authz.Authorizer, sec secrets.Store, ns string, now func() time.Time, log *slog.Logger) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, secrets: sec, ns: ns, now: now, log: log}
}

func (s *Service) secretKeyName() string  { return s.ns + "/stripe-secret-key" }
func (s *Service) webhookKeyName() string { return s.ns + "/stripe-webhook-secret" }

// Settings is Settings → Payments as the UI shows it: never a secret, only whether each
// is set.
type Settings struct {
	Gateway          string // "" or "stripe"
	SecretKeySet     bool
	WebhookSecretSet bool
	TestMode         bool // the key is a test key (sk_test_…)
	SecretsWarning   apperr.Text
}

var (
	errNoEvents     = apperr.NotFoundf("No payment gateway takes events here.")
	errBadSignature = apperr.New(apperr.Invalid, "bad_signature", "The event's signature does not match the webhook signing secret.")
	errNoGateway    = apperr.New(apperr.Conflict, "no_gateway", "Online payment is not set up. Pay as the invoice says, or ask whoever sent it how to pay.")
	errKeyMissing   = apperr.New(apperr.Unavailable, "gateway_key_missing",
		"The payment gateway's secret key is not in this machine's keychain (was Gatehouse moved to another machine?). An administrator must enter it again under Settings → Payments.")
)

// Settings returns the gateway's settings (settings.integrations).
func (s *Service) Settings(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsIntegrations, authz.Ref{}); err != nil {
		return nil, err
	}
	c, err := s.store.InvoicingSettings(ctx)
	if err != nil {
		return nil, err
	}
	out := &Settings{Gateway: c.Gateway, SecretsWarning: s.secrets.Warning()}
	key, err := s.secrets.Get(s.secretKeyName())
	switch {
	case err == nil:
		out.SecretKeySet, out.TestMode = true, strings.HasPrefix(key, "sk_test_") || strings.HasPrefix(key, "rk_test_")
	case !errors.Is(err, secrets.ErrNotFound):
		return nil, secrets.Explain(err)
	}
	if _, err := s.secrets.Get(s.webhookKeyName()); err == nil {
		out.WebhookSecretSet = true
	} else if !errors.Is(err, secrets.ErrNotFound) {
		return nil, secrets.Explain(err)
	}
	return out, nil
}

// SettingsRequest connects or disconnects Stripe. A nil secret stays as it is.
type SettingsRequest struct {
	Enabled       *bool
	SecretKey     *string
	WebhookSecret *string
}

// checkSecret refuses a value that cannot be a Stripe secret: spaced says it has spaces,
// other that it does not start with one of prefixes (the message never repeats the
// value).
func checkSecret(field, value string, prefixes []string, spaced, other apperr.Text) error {
	if len(value) > 500 || strings.ContainsFunc(value, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return apperr.Field(field, "%s", spaced)
	}
	for _, p := range prefixes {
		if strings.HasPrefix(value, p) && len(value) > len(p) {
			return nil
		}
	}
	return apperr.Field(field, "%s", other)
}

// UpdateSettings connects, changes or disconnects Stripe (settings.integrations). The
// secrets go to the keychain before anything else; when the keychain cannot be reached
// nothing changes and the answer says so. Disconnecting forgets both secrets.
func (s *Service) UpdateSettings(ctx context.Context, actor authz.Actor, req SettingsRequest) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsIntegrations, authz.Ref{}); err != nil {
		return nil, err
	}
	if req.SecretKey != nil {
		*req.SecretKey = strings.TrimSpace(*req.SecretKey)
		if err := checkSecret("secretKey", *req.SecretKey, []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_"},
			apperr.Textf("The secret key is one word without spaces; paste it again from the Stripe dashboard."),
			apperr.Textf("That is not a Stripe secret key: it starts with sk_test_ or sk_live_ or rk_test_ or rk_live_.")); err != nil {
			return nil, err
		}
	}
	if req.WebhookSecret != nil {
		*req.WebhookSecret = strings.TrimSpace(*req.WebhookSecret)
		if err := checkSecret("webhookSecret", *req.WebhookSecret, []string{"whsec_"},
			apperr.Textf("The webhook signing secret is one word without spaces; paste it again from the Stripe dashboard."),
			apperr.Textf("That is not a Stripe webhook signing secret: it starts with whsec_.")); err != nil {
			return nil, err
		}
	}
	enable := req.Enabled != nil && *req.Enabled
	disable := req.Enabled != nil && !*req.Enabled
	if enable && req.SecretKey == nil {
		if _, err := s.secrets.Get(s.secretKeyName()); errors.Is(err, secrets.ErrNotFound) {
			return nil, apperr.Field("secretKey", "Enter the Stripe secret key to connect Stripe.")
		} else if err != nil {
			return nil, secrets.Explain(err)
		}
	}
	defer s.forgetWebhookSecret() // read again on the next event, whatever happens below
	// The keychain first (never under the write lock): a refusal below leaves a key that
	// is harmless without the gateway switched on, never a gateway without its key.
	if !disable {
		for name, v := range map[string]*string{s.secretKeyName(): req.SecretKey, s.webhookKeyName(): req.WebhookSecret} {
			if v != nil {
				if err := s.secrets.Set(name, *v); err != nil {
					return nil, secrets.Explain(err)
				}
			}
		}
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.SettingsIntegrations, authz.Ref{}); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		c, err := tx.InvoicingSettings(ctx)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		details := map[string]any{}
		switch {
		case enable:
			c.Gateway = "stripe"
			details["gateway"] = "stripe"
		case disable:
			c.Gateway = ""
			details["gateway"] = "none"
		}
		// Which secrets changed, never their values.
		if req.SecretKey != nil && !disable {
			details["secretKey"] = "changed"
		}
		if req.WebhookSecret != nil && !disable {
			details["webhookSecret"] = "changed"
		}
		if err := tx.UpdateInvoicingSettings(ctx, c, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "payments.settings", TargetType: "settings", TargetName: "Payments", Details: details}}}, nil
	})
	if err != nil {
		return nil, err
	}
	if disable {
		for _, name := range []string{s.secretKeyName(), s.webhookKeyName()} {
			if err := s.secrets.Delete(name); err != nil && !errors.Is(err, secrets.ErrNotFound) {
				return nil, secrets.Explain(err)
			}
		}
	}
	return s.Settings(ctx, actor)
}

// client is a Stripe client with the secret key, or errNoGateway / errKeyMissing.
func (s *Service) client(ctx context.Context) (*stripe.Client, error) {
	c, err := s.store.InvoicingSettings(ctx)
	if err != nil {
		return nil, err
	}
	if c.Gateway != "stripe" {
		return nil, errNoGateway
	}
	key, err := s.secrets.Get(s.secretKeyName())
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, errKeyMissing
	}
	if err != nil {
		return nil, secrets.Explain(err)
	}
	cfg := &stripe.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		MaxNetworkRetries: stripe.Int64(2),
		EnableTelemetry:   stripe.Bool(false),
	}
	if s.APIURL != "" {
		cfg.URL = stripe.String(s.APIURL)
	}
	return stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg))), nil
}

// gatewayError is what a person is told when Stripe refuses or cannot be reached: never
// the key, and the gateway's own words only when they are about the request.
func (s *Service) gatewayError(op string, err error) error {
	s.log.Warn("stripe: "+op+" failed", "err", err)
	var se *stripe.Error
	if errors.As(err, &se) && se.HTTPStatusCode == http.StatusUnauthorized {
		return apperr.New(apperr.Unavailable, "gateway_refused", "Stripe refused the secret key. An administrator must check it under Settings → Payments.")
	}
	return apperr.New(apperr.Unavailable, "gateway_unreachable", "The payment gateway could not be reached or refused the request. Try again in a moment.")
}

// Checkout is a payment started at the gateway: where to send the client.
type Checkout struct {
	URL, SessionID string
}

// Start starts paying what is still owed on invoice id at Stripe Checkout
// (invoices.pay: a client, their own company's open invoice). returnTo is the address of
// the app the client comes back to; Stripe adds the session's id.
func (s *Service) Start(ctx context.Context, actor authz.Actor, invoiceID, returnTo string) (*Checkout, error) {
	if err := s.authz.Check(actor, authz.InvoicesPay, authz.InvoiceRef(invoiceID)); err != nil {
		return nil, err
	}
	sc, err := s.client(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.store.Invoice(ctx, invoiceID)
	if err != nil {
		return nil, err
	}
	owed := inv.Total - inv.Paid
	if owed <= 0 {
		return nil, apperr.New(apperr.Conflict, "paid", "Nothing is owed on this invoice.")
	}
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		ClientReferenceID: stripe.String(inv.ID),
		SuccessURL:        stripe.String(returnTo + "?checkout={CHECKOUT_SESSION_ID}"),
		CancelURL:         stripe.String(returnTo),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(strings.ToLower(inv.Currency)),
				UnitAmount:  stripe.Int64(owed),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String("Invoice " + inv.Number)},
			},
		}},
		Metadata: map[string]string{"invoice_id": inv.ID, "invoice_number": inv.Number},
	}
	sess, err := sc.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return nil, s.gatewayError("checkout", err)
	}
	if sess.ID == "" || sess.URL == "" {
		return nil, s.gatewayError("checkout", errors.New("no session id or address in the answer"))
	}
	_, err = write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesPay, authz.InvoiceRef(invoiceID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		cs := &store.CheckoutSession{ID: uuid.NewString(), SessionID: sess.ID, InvoiceID: inv.ID, Amount: owed, Currency: inv.Currency,
			CreatedBy: actor.UserID, CreatedAt: s.now()}
		if err := tx.AddCheckoutSession(ctx, cs); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{invoiceEntry("invoice.checkout", inv, map[string]any{"amount": owed})}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &Checkout{URL: sess.URL, SessionID: sess.ID}, nil
}

func invoiceEntry(action string, inv *store.Invoice, details map[string]any) audit.Entry {
	return audit.Entry{Action: action, TargetType: "invoice", TargetID: inv.ID, TargetName: inv.Number, Details: details,
		Needs: authz.InvoicesView.String(), ClientRelated: true}
}

// Confirm asks Stripe whether the checkout session sessionID was paid, and counts the
// payment when it was; anyone who sees the invoice may ask (the client coming back from
// Checkout). It returns the invoice's id.
func (s *Service) Confirm(ctx context.Context, actor authz.Actor, sessionID string) (string, error) {
	cs, err := s.store.CheckoutSession(ctx, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return "", apperr.NotFoundf("No such payment.")
	}
	if err != nil {
		return "", err
	}
	if err := s.authz.Check(actor, authz.View, authz.InvoiceRef(cs.InvoiceID)); err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return "", apperr.NotFoundf("No such payment.")
		}
		return "", err
	}
	if cs.Counted { // Stripe confirmed it already: nothing to ask
		return cs.InvoiceID, nil
	}
	sc, err := s.client(ctx)
	if err != nil {
		return "", err
	}
	sess, err := sc.V1CheckoutSessions.Retrieve(ctx, cs.SessionID, nil)
	if err != nil {
		return "", s.gatewayError("session status", err)
	}
	if sess.ID != cs.SessionID || sess.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid {
		return "", apperr.New(apperr.Conflict, "not_paid", "Stripe has not confirmed this payment yet. If you completed it, wait a minute and look again.")
	}
	if err := s.count(ctx, cs, sess, "return"); err != nil {
		return "", err
	}
	return cs.InvoiceID, nil
}

// Webhook takes an event Stripe sent (payload and its Stripe-Signature header): a
// completed, paid Checkout Session counts its payment. A bad signature is refused; an
// event of another kind, or of a session not started here, is acknowledged and ignored.
func (s *Service) Webhook(ctx context.Context, payload []byte, signature string) error {
	// Anyone can call this: nothing below reads the keychain or logs per request until
	// the gateway is on and the header has a signature's form.
	c, err := s.store.InvoicingSettings(ctx)
	if err != nil {
		return err
	}
	if c.Gateway != "stripe" {
		return errNoEvents
	}
	if !strings.Contains(signature, "t=") || !strings.Contains(signature, "v1=") {
		return errBadSignature
	}
	secret, err := s.webhookSecret()
	if err != nil {
		return err
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, secret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		s.logRefused(err)
		return errBadSignature
	}
	switch ev.Type {
	case stripe.EventTypeCheckoutSessionCompleted, stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded:
	default:
		return nil
	}
	var sess stripe.CheckoutSession
	if ev.Data == nil || json.Unmarshal(ev.Data.Raw, &sess) != nil || sess.ID == "" {
		return apperr.New(apperr.Invalid, "bad_event", "The event holds no checkout session.")
	}
	if sess.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid {
		return nil // paid later: async_payment_succeeded follows
	}
	cs, err := s.store.CheckoutSession(ctx, sess.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.count(ctx, cs, &sess, "webhook")
}

// count records the payment Stripe confirmed for cs: what Stripe received, never more than
// is owed (anything beyond is noted in the audit log to be refunded), once per session.
func (s *Service) count(ctx context.Context, cs *store.CheckoutSession, sess *stripe.CheckoutSession, via string) error {
	actor := authz.Actor{UserID: cs.CreatedBy}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		inv, err := tx.Invoice(ctx, cs.InvoiceID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		// Once per session, whichever confirmation comes first: the others find it counted
		// and change nothing (no payment, no audit entry).
		first, err := tx.CountCheckoutSession(ctx, sess.ID, s.now())
		if err != nil || !first {
			return struct{}{}, write.Effect{}, err
		}
		if !strings.EqualFold(string(sess.Currency), inv.Currency) {
			return struct{}{}, write.Effect{}, apperr.New(apperr.Conflict, "currency", "Stripe received %s, not the invoice's %s: nothing was recorded; check the payment in the Stripe dashboard.",
				strings.ToUpper(string(sess.Currency)), inv.Currency)
		}
		received := sess.AmountTotal
		owed := max(inv.Total-inv.Paid, 0)
		if inv.State != "sent" {
			owed = 0
		}
		amount := min(received, owed)
		details := map[string]any{"amount": amount, "method": "stripe", "via": via, "session": sess.ID}
		if received > amount {
			details["excess"] = received - amount // money to refund: more arrived than was owed
		}
		if amount <= 0 {
			return struct{}{}, write.Effect{Audit: []audit.Entry{invoiceEntry("invoice.payment_excess", inv, details)}}, nil
		}
		p := &store.Payment{ID: uuid.NewString(), InvoiceID: inv.ID, Amount: amount, Method: "stripe", ReceivedOn: s.today(),
			Reference: "Stripe " + sess.ID, GatewayRef: sess.ID, CreatedBy: cs.CreatedBy, CreatedAt: s.now()}
		if err := tx.AddPayment(ctx, p); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{invoiceEntry("invoice.payment", inv, details)}}, nil
	})
	if errors.Is(err, store.ErrConflict) {
		return nil // counted already: the session's payment is on record
	}
	return err
}

func (s *Service) today() string {
	if s.Today != nil {
		return s.Today()
	}
	return s.now().UTC().Format(time.DateOnly)
}
