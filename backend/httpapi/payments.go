package httpapi

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
	"gatehouse/backend/invoices"
	"gatehouse/backend/payments"
)

// The invoice's PDF, the invoicing details, the payment gateway and its events.

func (a *API) invoicePDF(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	name, pdf, err := a.cfg.Invoices.PDF(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.cfg.Invoices.RecordView(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	if h.Get("Content-Disposition") == "" {
		h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	}
	_, err = w.Write(pdf)
	return err
}

type invoicingSettingsJSON struct {
	IssuerName          string `json:"issuerName"`
	IssuerEmail         string `json:"issuerEmail"`
	IssuerPhone         string `json:"issuerPhone"`
	IssuerAddress       string `json:"issuerAddress"`
	PaymentInstructions string `json:"paymentInstructions"`
	Gateway             string `json:"gateway"`
	CanEdit             bool   `json:"canEdit"`
}

func (a *API) toInvoicingSettings(p *identity.Principal, c *invoices.Settings) invoicingSettingsJSON {
	return invoicingSettingsJSON{IssuerName: c.IssuerName, IssuerEmail: c.IssuerEmail, IssuerPhone: c.IssuerPhone, IssuerAddress: c.IssuerAddress,
		PaymentInstructions: c.PaymentInstructions, Gateway: c.Gateway, CanEdit: a.cfg.Invoices.CanEditSettings(p.Actor)}
}

func (a *API) getInvoicingSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	c, err := a.cfg.Invoices.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoicingSettings(p, c))
}

func (a *API) putInvoicingSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		IssuerName          *string `json:"issuerName"`
		IssuerEmail         *string `json:"issuerEmail"`
		IssuerPhone         *string `json:"issuerPhone"`
		IssuerAddress       *string `json:"issuerAddress"`
		PaymentInstructions *string `json:"paymentInstructions"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Invoices.UpdateSettings(r.Context(), p.Actor, invoices.SettingsRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoicingSettings(p, c))
}

type paymentSettingsJSON struct {
	Gateway          string `json:"gateway"`
	SecretKeySet     bool   `json:"secretKeySet"`
	WebhookSecretSet bool   `json:"webhookSecretSet"`
	TestMode         bool   `json:"testMode"`
	WebhookPath      string `json:"webhookPath"`
	SecretsWarning   string `json:"secretsWarning,omitempty"`
}

const stripeWebhookPath = "/api/payments/stripe/webhook"

func (a *API) paymentSettingsJSON(r *http.Request, s *payments.Settings) paymentSettingsJSON {
	return paymentSettingsJSON{Gateway: s.Gateway, SecretKeySet: s.SecretKeySet, WebhookSecretSet: s.WebhookSecretSet, TestMode: s.TestMode,
		WebhookPath: stripeWebhookPath, SecretsWarning: a.sayAny(r, s.SecretsWarning)}
}

func (a *API) getPaymentSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Payments.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.paymentSettingsJSON(r, s))
}

func (a *API) putPaymentSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Enabled       *bool   `json:"enabled"`
		SecretKey     *string `json:"secretKey"`
		WebhookSecret *string `json:"webhookSecret"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Payments.UpdateSettings(r.Context(), p.Actor, payments.SettingsRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.paymentSettingsJSON(r, s))
}

// returnAddress is where Stripe sends the client back: the invoices page at the address of
// Gatehouse named in Settings → Email; without one, the address this request came to,
// when the browser's Origin is that same address (a page of this server asked).
func (a *API) returnAddress(r *http.Request) (string, error) {
	if base, err := a.cfg.Mail.AppURL(r.Context()); err != nil {
		return "", err
	} else if base != "" {
		return base + "/#/invoicing", nil
	}
	o := r.Header.Get("Origin")
	u, err := url.Parse(o)
	if o == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		return "", apperr.New(apperr.Conflict, "no_return_address",
			"Paying online needs a web browser: open Gatehouse in your browser (not the desktop window) and pay there.")
	}
	if !strings.EqualFold(u.Host, r.Host) || (u.Scheme == "https") != (r.TLS != nil) {
		return "", apperr.New(apperr.Conflict, "no_return_address",
			"This request did not come from a page of Gatehouse, so there is nowhere safe to come back to after paying. An administrator can name the address of Gatehouse under Settings → Email.")
	}
	return u.Scheme + "://" + u.Host + "/#/invoicing", nil
}

func (a *API) startCheckout(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	back, err := a.returnAddress(r)
	if err != nil {
		// Decided first: who may not pay learns nothing more.
		if _, cerr := a.cfg.Invoices.Get(r.Context(), p.Actor, r.PathValue("id")); cerr != nil {
			return cerr
		}
		return err
	}
	c, err := a.cfg.Payments.Start(r.Context(), p.Actor, r.PathValue("id"), back)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"url": c.URL, "sessionId": c.SessionID})
}

func (a *API) confirmCheckout(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	id, err := a.cfg.Payments.Confirm(r.Context(), p.Actor, r.PathValue("session"))
	if err != nil {
		return err
	}
	inv, err := a.cfg.Invoices.Get(r.Context(), p.Actor, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoiceJSON(p, inv))
}

// stripeWebhook takes Stripe's events: no session, the signature is the proof.
func (a *API) stripeWebhook(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return apperr.New(apperr.Invalid, "bad_body", "The event could not be read.")
	}
	if err := a.cfg.Payments.Webhook(r.Context(), body, strings.TrimSpace(r.Header.Get("Stripe-Signature"))); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]bool{"received": true})
}
