package invoices

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Settings is who issues the invoices (printed on every PDF), how a client pays when no
// gateway is connected, and which gateway is ("" or "stripe").
type Settings = store.InvoicingSettings

// Settings returns the invoicing settings to whoever sees invoices (a client reads how to
// pay and whom).
func (s *Service) Settings(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Invoice}); err != nil {
		return nil, err
	}
	return s.store.InvoicingSettings(ctx)
}

// CanEditSettings reports whether actor may change the invoicing details.
func (s *Service) CanEditSettings(actor authz.Actor) bool {
	return s.authz.Check(actor, authz.InvoicesEdit, authz.Ref{Type: authz.Invoice}) == nil
}

// SettingsRequest changes the issuer and the payment instructions; nil fields stay.
type SettingsRequest struct {
	IssuerName, IssuerEmail, IssuerPhone, IssuerAddress, PaymentInstructions *string
}

func (r SettingsRequest) apply(c *Settings) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&c.IssuerName, r.IssuerName)
	set(&c.IssuerEmail, r.IssuerEmail)
	set(&c.IssuerPhone, r.IssuerPhone)
	set(&c.IssuerAddress, r.IssuerAddress)
	set(&c.PaymentInstructions, r.PaymentInstructions)
	for _, f := range []struct {
		field string
		what  apperr.Text
		value string
		max   int
		lines bool
	}{
		{"issuerName", apperr.Textf("organisation name"), c.IssuerName, 200, false},
		{"issuerEmail", apperr.Textf("email"), c.IssuerEmail, 254, false},
		{"issuerPhone", apperr.Textf("phone"), c.IssuerPhone, 50, false},
		{"issuerAddress", apperr.Textf("address"), c.IssuerAddress, 500, true},
		{"paymentInstructions", apperr.Textf("payment instructions"), c.PaymentInstructions, 2000, true},
	} {
		if utf8.RuneCountInString(f.value) > f.max {
			return apperr.Field(f.field, "The %s is too long: at most %d characters.", f.what, f.max)
		}
		check := text.Line
		if f.lines {
			check = text.Lines
		}
		if err := check(f.field, f.what, f.value); err != nil {
			return err
		}
	}
	if c.IssuerEmail != "" {
		if a, err := mail.ParseAddress(c.IssuerEmail); err != nil || a.Address != c.IssuerEmail {
			return apperr.Field("issuerEmail", "Enter an email address such as billing@example.com.")
		}
	}
	return nil
}

// UpdateSettings changes the issuer and payment instructions (invoices.edit).
func (s *Service) UpdateSettings(ctx context.Context, actor authz.Actor, r SettingsRequest) (*Settings, error) {
	if err := s.authz.Check(actor, authz.InvoicesEdit, authz.Ref{Type: authz.Invoice}); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Settings, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesEdit, authz.Ref{Type: authz.Invoice}); err != nil {
			return nil, write.Effect{}, err
		}
		c, err := tx.InvoicingSettings(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		old := *c
		if err := r.apply(c); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.UpdateInvoicingSettings(ctx, c, s.now()); err != nil {
			return nil, write.Effect{}, err
		}
		// What changed, from what to what (none of it is secret): who is named on the next
		// invoices, and what clients are told to pay to, is for the log to show.
		changed := audit.Changes(
			audit.Change{Field: "issuerName", From: old.IssuerName, To: c.IssuerName},
			audit.Change{Field: "issuerEmail", From: old.IssuerEmail, To: c.IssuerEmail},
			audit.Change{Field: "issuerPhone", From: old.IssuerPhone, To: c.IssuerPhone},
			audit.Change{Field: "issuerAddress", From: old.IssuerAddress, To: c.IssuerAddress},
			audit.Change{Field: "paymentInstructions", From: old.PaymentInstructions, To: c.PaymentInstructions})
		return c, write.Effect{Audit: []audit.Entry{{Action: "invoicing.settings", TargetType: "settings", TargetName: "Invoice details",
			Details: changed, Needs: authz.InvoicesView.String()}}}, nil
	})
}
